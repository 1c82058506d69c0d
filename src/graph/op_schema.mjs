// The op schema: one entry per MLGraphBuilder operator method, transcribed from the WebNN spec's IDL
// (webmachinelearning/webnn index.bs), with the data types and ranks this engine runs and the traits
// the compiler passes ask. It is the single source of truth: `node scripts/gen-op-schema.mjs`
// derives from it src/graph/op_schema.inc (the C++ OpType enum and table: operand checks in
// addOperation, opSupportLimits, pass traits), js/op-signatures.js (the builder's method table),
// types/index.d.ts and the table in docs/ops.md. test/js/op-schema.test.mjs fails when a derived
// file is stale. Each op's `validate` (src/ops/<family>.cpp) adds only the relational rules.
//
// An op entry:
//   group    the heading it is listed under (docs, types)
//   args     the positional arguments in IDL order: [name, kind, limits?]; operand kinds carry their
//            limits (required operands)
//   options  the options dictionary (every one derives from MLOperatorOptions { label })
//   optional the operand members of the options dictionary with their limits (optional operands)
//   outputs  the result limits, named as in the spec's MLOpSupportLimits ("output", "outputs" for
//            split, "output0".. for the recurrent ops)
//   returns  'sequence' when the method returns MLOperand[]
//   limits   the name of its MLOpSupportLimits member type (types/index.d.ts)
//   traits   float16Native: `lower` computes float16 itself (otherwise the float16 pass widens it);
//            binary: the element-wise binary kernel (BinaryOp); activation: an element-wise
//            activation (fusable into an epilogue or an element-wise chain);
//            epilogue: { bias, biasScale } the op takes a fused per-channel bias in argument `bias`
//            (scaled by attribute `biasScale` when given) and an activation in its output stage;
//            layout: the attribute naming the input layout ('nchw' when absent), whose channel dim
//            a fused bias follows; nhwcIO: `lower` honours Node::nhwcIn/nhwcOut (layout pass).
//
// Argument kinds (IDL conversions in js/api/graph-builder.js):
//   'operand' MLOperand · 'operand[]' sequence<MLOperand> · 'u32' [EnforceRange] unsigned long ·
//   'i32' [EnforceRange] long · 'u32[]' sequence<[EnforceRange] unsigned long> · 'u32mod[]'
//   sequence<unsigned long> (modulo 2^32) · 'u32|u32[]' either · 'dataType' MLOperandDataType ·
//   'number' MLNumber (bigint or unrestricted double) · 'double' (finite) · 'float[]' sequence<float>
//   · 'boolean' · { enum: name } an IDL enum · { enumSeq: name } sequence of one.

// Data-type sets, listed in the engine's DataType order.
const ALL = ['float32', 'float16', 'int32', 'uint32', 'int64', 'uint64', 'int8', 'uint8'];
const FLOAT = ['float32', 'float16'];
const UINT8 = ['uint8'];
const SIGNED = ['float32', 'float16', 'int32', 'int64', 'int8'];  // abs, neg, sign, relu, prelu
const SUM = ['float32', 'float16', 'int32', 'uint32'];             // reduceSum and kin
const CUMSUM = ['float32', 'float16', 'int32', 'uint32', 'int64', 'uint64'];  // no 8-bit types
const INDEX = ['int32', 'uint32', 'int64'];
const QUANT = ['int32', 'uint32', 'int8', 'uint8'];
const ARG_OUT = ['int32', 'int64'];

// Limits of one tensor: data types and rank range (the engine's maximum rank is 8, kMaxRank).
const t = (dataTypes, min = 0, max = 8) => ({ dataTypes, rank: [min, max] });

export const ENUMS = {
  MLInputOperandLayout: ['nchw', 'nhwc'],
  MLConv2dFilterOperandLayout: ['oihw', 'hwio', 'ohwi', 'ihwo'],
  MLConvTranspose2dFilterOperandLayout: ['iohw', 'hwoi', 'ohwi'],
  MLRoundingType: ['floor', 'ceil'],
  MLPaddingMode: ['constant', 'edge', 'reflection'],
  MLInterpolationMode: ['nearest-neighbor', 'linear'],
  MLRecurrentNetworkActivation: ['relu', 'sigmoid', 'tanh'],
  MLRecurrentNetworkDirection: ['forward', 'backward', 'both'],
  MLGruWeightLayout: ['zrn', 'rzn'],
  MLLstmWeightLayout: ['iofg', 'ifgo'],
};

const E = (name) => ({ enum: name });
const ES = (name) => ({ enumSeq: name });

// The options dictionaries: member -> kind, or [kind, default] where the spec gives a default
// (documentation; each op's validate applies it). Members of kind 'operand' are optional operands.
export const DICTIONARIES = {
  MLOperatorOptions: {},
  MLArgMinMaxOptions: { keepDimensions: ['boolean', 'false'], outputDataType: ['dataType', '"int32"'] },
  MLBatchNormalizationOptions: { scale: 'operand', bias: 'operand', axis: ['u32', '1'], epsilon: ['double', '1e-5'] },
  MLClampOptions: { minValue: ['number', '-Infinity'], maxValue: ['number', 'Infinity'] },
  MLConv2dOptions: {
    padding: ['u32[]', '[0, 0, 0, 0]'], strides: ['u32[]', '[1, 1]'], dilations: ['u32[]', '[1, 1]'],
    groups: ['u32', '1'], inputLayout: [E('MLInputOperandLayout'), '"nchw"'],
    filterLayout: [E('MLConv2dFilterOperandLayout'), '"oihw"'], bias: 'operand',
  },
  MLConvTranspose2dOptions: {
    padding: ['u32[]', '[0, 0, 0, 0]'], strides: ['u32[]', '[1, 1]'], dilations: ['u32[]', '[1, 1]'],
    outputPadding: ['u32[]', '[0, 0]'], outputSizes: 'u32[]', groups: ['u32', '1'],
    inputLayout: [E('MLInputOperandLayout'), '"nchw"'],
    filterLayout: [E('MLConvTranspose2dFilterOperandLayout'), '"iohw"'], bias: 'operand',
  },
  MLCumulativeSumOptions: { exclusive: ['boolean', 'false'], reversed: ['boolean', 'false'] },
  MLEluOptions: { alpha: ['double', '1'] },
  MLGatherOptions: { axis: ['u32', '0'] },
  MLGemmOptions: {
    c: 'operand', alpha: ['double', '1'], beta: ['double', '1'], aTranspose: ['boolean', 'false'],
    bTranspose: ['boolean', 'false'],
  },
  MLGruOptions: {
    bias: 'operand', recurrentBias: 'operand', initialHiddenState: 'operand',
    resetAfter: ['boolean', 'true'], returnSequence: ['boolean', 'false'],
    direction: [E('MLRecurrentNetworkDirection'), '"forward"'], layout: [E('MLGruWeightLayout'), '"zrn"'],
    activations: [ES('MLRecurrentNetworkActivation'), '["sigmoid", "tanh"]'],
  },
  MLGruCellOptions: {
    bias: 'operand', recurrentBias: 'operand', resetAfter: ['boolean', 'true'],
    layout: [E('MLGruWeightLayout'), '"zrn"'], activations: [ES('MLRecurrentNetworkActivation'), '["sigmoid", "tanh"]'],
  },
  MLHardSigmoidOptions: { alpha: ['double', '0.2'], beta: ['double', '0.5'] },
  MLInstanceNormalizationOptions: {
    scale: 'operand', bias: 'operand', epsilon: ['double', '1e-5'], layout: [E('MLInputOperandLayout'), '"nchw"'],
  },
  MLLayerNormalizationOptions: {
    scale: 'operand', bias: 'operand', axes: ['u32[]', '[1, ..., rank - 1]'], epsilon: ['double', '1e-5'],
  },
  MLLeakyReluOptions: { alpha: ['double', '0.01'] },
  MLLinearOptions: { alpha: ['double', '1'], beta: ['double', '0'] },
  MLLstmOptions: {
    bias: 'operand', recurrentBias: 'operand', peepholeWeight: 'operand',
    initialHiddenState: 'operand', initialCellState: 'operand', returnSequence: ['boolean', 'false'],
    direction: [E('MLRecurrentNetworkDirection'), '"forward"'], layout: [E('MLLstmWeightLayout'), '"iofg"'],
    activations: [ES('MLRecurrentNetworkActivation'), '["sigmoid", "tanh", "tanh"]'],
  },
  MLLstmCellOptions: {
    bias: 'operand', recurrentBias: 'operand', peepholeWeight: 'operand',
    layout: [E('MLLstmWeightLayout'), '"iofg"'],
    activations: [ES('MLRecurrentNetworkActivation'), '["sigmoid", "tanh", "tanh"]'],
  },
  MLPadOptions: { mode: [E('MLPaddingMode'), '"constant"'], value: ['number', '0'] },
  MLPool2dOptions: {
    windowDimensions: ['u32[]', 'the input\'s spatial size'], padding: ['u32[]', '[0, 0, 0, 0]'],
    strides: ['u32[]', '[1, 1]'], dilations: ['u32[]', '[1, 1]'], layout: [E('MLInputOperandLayout'), '"nchw"'],
    outputShapeRounding: [E('MLRoundingType'), '"floor"'], outputSizes: 'u32[]',
  },
  MLReduceOptions: { axes: ['u32[]', 'every axis'], keepDimensions: ['boolean', 'false'] },
  MLResample2dOptions: {
    mode: [E('MLInterpolationMode'), '"nearest-neighbor"'], scales: ['float[]', '[1, 1]'], sizes: 'u32[]',
    axes: ['u32[]', '[2, 3]'],
  },
  MLReverseOptions: { axes: ['u32[]', 'every axis'] },
  MLScatterOptions: { axis: ['u32', '0'] },
  MLSliceOptions: { strides: ['u32[]', 'all 1'] },
  MLSplitOptions: { axis: ['u32', '0'] },
  MLTransposeOptions: { permutation: ['u32[]', 'the axes reversed'] },
  MLTriangularOptions: { upper: ['boolean', 'true'], diagonal: ['i32', '0'] },
};

// Members that real clients still send under an older name: dictionary -> { old name: spec name }.
// The spec renamed pooling's `roundingType` to `outputShapeRounding` (webnn PR #770); Chromium's
// IDL, the web-platform-tests and onnxruntime-web's WebNN EP still send `roundingType`. An old
// name is converted like its spec member; when both are given, the spec member wins.
export const LEGACY_MEMBERS = {
  MLPool2dOptions: { roundingType: 'outputShapeRounding' },
};

// ---------------------------------------------------------------------------------------------
// Op families (entry makers), then the ops.

const G = {
  binary: 'Element-wise binary',
  logical: 'Element-wise logical (uint8 results)',
  unary: 'Element-wise unary',
  activation: 'Activations',
  conv: 'Convolution, pooling, matrix multiplication',
  norm: 'Normalization',
  reduce: 'Reductions',
  data: 'Shape and data movement',
  quant: 'Quantization',
  rnn: 'Recurrent networks',
};

const single = (group, types, { options = 'MLOperatorOptions', min = 0, max = 8, out = types, traits = {} } = {}) => ({
  group, args: [['input', 'operand', t(types, min, max)]], options,
  outputs: { output: t(out, min, max) }, limits: 'MLSingleInputSupportLimits', traits,
});
const binary = (kind) => ({
  group: G.binary, args: [['a', 'operand', t(ALL)], ['b', 'operand', t(ALL)]], options: 'MLOperatorOptions',
  outputs: { output: t(ALL) }, limits: 'MLBinarySupportLimits', traits: { binary: kind },
});
const logicalBinary = (types) => ({
  group: G.logical, args: [['a', 'operand', t(types)], ['b', 'operand', t(types)]], options: 'MLOperatorOptions',
  outputs: { output: t(UINT8) }, limits: 'MLBinarySupportLimits',
});
const logicalUnary = (types) => ({
  group: G.logical, args: [['input', 'operand', t(types)]], options: 'MLOperatorOptions',
  outputs: { output: t(UINT8) }, limits: 'MLLogicalNotSupportLimits',
});
const unary = (types, traits = {}) => single(G.unary, types, { traits });
const activation = (types, options = 'MLOperatorOptions') => single(G.activation, types, { options, traits: { activation: true } });
const pool = (types) => single(G.conv, types, {
  options: 'MLPool2dOptions', min: 4, max: 4, traits: { layout: 'layout', nhwcIO: true },
});
const reduce = (types) => single(G.reduce, types, { options: 'MLReduceOptions' });
const argMinMax = {
  group: G.reduce, args: [['input', 'operand', t(ALL, 1)], ['axis', 'u32']], options: 'MLArgMinMaxOptions',
  outputs: { output: t(ARG_OUT) }, limits: 'MLSingleInputSupportLimits',
};
// Data movement copies elements by their size: float16 needs no conversion.
const bytewise = (entry) => ({ ...entry, traits: { ...entry.traits, float16Native: true } });
const quantize = (input, output) => ({
  group: G.quant,
  args: [['input', 'operand', t(input)], ['scale', 'operand', t(FLOAT)], ['zeroPoint', 'operand', t(QUANT)]],
  options: 'MLOperatorOptions', outputs: { output: t(output) }, limits: 'MLQuantizeDequantizeLinearSupportLimits',
});
const gatherLike = ({ options = 'MLGatherOptions', indicesMin = 1, outMin = 1 } = {}) => bytewise({
  group: G.data, args: [['input', 'operand', t(ALL, 1)], ['indices', 'operand', t(INDEX, indicesMin)]], options,
  outputs: { output: t(ALL, outMin) }, limits: 'MLGatherSupportLimits',
});
const scatterLike = (options, updatesMin) => bytewise({
  group: G.data,
  args: [['input', 'operand', t(ALL, 1)], ['indices', 'operand', t(INDEX, 1)], ['updates', 'operand', t(ALL, updatesMin)]],
  options, outputs: { output: t(ALL, 1) }, limits: 'MLScatterSupportLimits',
});

export const OPS = {
  add: binary('Add'), sub: binary('Sub'), mul: binary('Mul'), div: binary('Div'),
  max: binary('Max'), min: binary('Min'), pow: binary('Pow'),

  equal: logicalBinary(ALL), notEqual: logicalBinary(ALL), greater: logicalBinary(ALL),
  greaterOrEqual: logicalBinary(ALL), lesser: logicalBinary(ALL), lesserOrEqual: logicalBinary(ALL),
  logicalNot: logicalUnary(UINT8), logicalAnd: logicalBinary(UINT8), logicalOr: logicalBinary(UINT8),
  logicalXor: logicalBinary(UINT8), isNaN: logicalUnary(FLOAT), isInfinite: logicalUnary(FLOAT),

  abs: unary(SIGNED), ceil: unary(FLOAT), cos: unary(FLOAT), erf: unary(FLOAT), exp: unary(FLOAT),
  floor: unary(FLOAT), identity: unary(ALL, { float16Native: true }), log: unary(FLOAT), neg: unary(SIGNED),
  reciprocal: unary(FLOAT), roundEven: unary(FLOAT), sin: unary(FLOAT), sign: unary(SIGNED),
  sqrt: unary(FLOAT), tan: unary(FLOAT),

  elu: activation(FLOAT, 'MLEluOptions'),
  gelu: activation(FLOAT),
  hardSigmoid: activation(FLOAT, 'MLHardSigmoidOptions'),
  hardSwish: activation(FLOAT),
  leakyRelu: activation(FLOAT, 'MLLeakyReluOptions'),
  linear: activation(FLOAT, 'MLLinearOptions'),
  clamp: activation(ALL, 'MLClampOptions'),
  prelu: {
    group: G.activation, args: [['input', 'operand', t(SIGNED)], ['slope', 'operand', t(SIGNED)]],
    options: 'MLOperatorOptions', outputs: { output: t(SIGNED) }, limits: 'MLPreluSupportLimits',
  },
  relu: activation(SIGNED), sigmoid: activation(FLOAT), softplus: activation(FLOAT),
  softsign: activation(FLOAT), tanh: activation(FLOAT),
  softmax: {
    group: G.activation, args: [['input', 'operand', t(FLOAT, 1)], ['axis', 'u32']], options: 'MLOperatorOptions',
    outputs: { output: t(FLOAT, 1) }, limits: 'MLSingleInputSupportLimits',
  },

  conv2d: {
    group: G.conv, args: [['input', 'operand', t(FLOAT, 4, 4)], ['filter', 'operand', t(FLOAT, 4, 4)]],
    options: 'MLConv2dOptions', optional: { bias: t(FLOAT, 1, 1) }, outputs: { output: t(FLOAT, 4, 4) },
    limits: 'MLConv2dSupportLimits', traits: { epilogue: { bias: 'bias' }, layout: 'inputLayout', nhwcIO: true },
  },
  convTranspose2d: {
    group: G.conv, args: [['input', 'operand', t(FLOAT, 4, 4)], ['filter', 'operand', t(FLOAT, 4, 4)]],
    options: 'MLConvTranspose2dOptions', optional: { bias: t(FLOAT, 1, 1) }, outputs: { output: t(FLOAT, 4, 4) },
    limits: 'MLConv2dSupportLimits', traits: { epilogue: { bias: 'bias' }, layout: 'inputLayout' },
  },
  // maxPool2d takes any data type (the spec's "any"; WPT's validation tests build it on integers).
  averagePool2d: pool(FLOAT), l2Pool2d: pool(FLOAT), maxPool2d: pool(ALL),
  // matmul has no bias argument in the spec: the fused bias is an engine-internal operand.
  matmul: {
    group: G.conv, args: [['a', 'operand', t(FLOAT, 2)], ['b', 'operand', t(FLOAT, 2)]], options: 'MLOperatorOptions',
    outputs: { output: t(FLOAT, 2) }, limits: 'MLBinarySupportLimits', traits: { epilogue: { bias: 'bias' } },
  },
  gemm: {
    group: G.conv, args: [['a', 'operand', t(FLOAT, 2, 2)], ['b', 'operand', t(FLOAT, 2, 2)]],
    options: 'MLGemmOptions', optional: { c: t(FLOAT, 0, 2) }, outputs: { output: t(FLOAT, 2, 2) },
    limits: 'MLGemmSupportLimits', traits: { epilogue: { bias: 'c', biasScale: 'beta' } },
  },

  batchNormalization: {
    group: G.norm,
    args: [['input', 'operand', t(FLOAT, 1)], ['mean', 'operand', t(FLOAT, 1, 1)], ['variance', 'operand', t(FLOAT, 1, 1)]],
    options: 'MLBatchNormalizationOptions', optional: { scale: t(FLOAT, 1, 1), bias: t(FLOAT, 1, 1) },
    outputs: { output: t(FLOAT, 1) }, limits: 'MLBatchNormalizationSupportLimits',
  },
  instanceNormalization: {
    group: G.norm, args: [['input', 'operand', t(FLOAT, 4, 4)]], options: 'MLInstanceNormalizationOptions',
    optional: { scale: t(FLOAT, 1, 1), bias: t(FLOAT, 1, 1) }, outputs: { output: t(FLOAT, 4, 4) },
    limits: 'MLNormalizationSupportLimits',
  },
  layerNormalization: {
    group: G.norm, args: [['input', 'operand', t(FLOAT)]], options: 'MLLayerNormalizationOptions',
    optional: { scale: t(FLOAT), bias: t(FLOAT) }, outputs: { output: t(FLOAT) }, limits: 'MLNormalizationSupportLimits',
  },

  reduceL1: reduce(SUM), reduceL2: reduce(FLOAT), reduceLogSum: reduce(FLOAT), reduceLogSumExp: reduce(FLOAT),
  reduceMax: reduce(ALL), reduceMean: reduce(FLOAT), reduceMin: reduce(ALL), reduceProduct: reduce(SUM),
  reduceSum: reduce(SUM), reduceSumSquare: reduce(SUM),
  argMin: argMinMax, argMax: argMinMax,
  cumulativeSum: {
    group: G.reduce, args: [['input', 'operand', t(CUMSUM, 1)], ['axis', 'u32']], options: 'MLCumulativeSumOptions',
    outputs: { output: t(CUMSUM, 1) }, limits: 'MLSingleInputSupportLimits',
  },

  cast: {
    group: G.data, args: [['input', 'operand', t(ALL)], ['dataType', 'dataType']], options: 'MLOperatorOptions',
    outputs: { output: t(ALL) }, limits: 'MLSingleInputSupportLimits', traits: { float16Native: true },
  },
  concat: bytewise({
    group: G.data, args: [['inputs', 'operand[]', t(ALL, 1)], ['axis', 'u32']], options: 'MLOperatorOptions',
    outputs: { output: t(ALL, 1) }, limits: 'MLConcatSupportLimits',
  }),
  expand: bytewise({ ...single(G.data, ALL), args: [['input', 'operand', t(ALL)], ['newShape', 'u32[]']] }),
  gather: gatherLike({ indicesMin: 0, outMin: 0 }),
  gatherElements: gatherLike(),
  gatherND: gatherLike({ options: 'MLOperatorOptions', outMin: 0 }),
  pad: bytewise({
    ...single(G.data, ALL, { options: 'MLPadOptions' }),
    args: [['input', 'operand', t(ALL)], ['beginningPadding', 'u32[]'], ['endingPadding', 'u32[]']],
  }),
  resample2d: single(G.data, FLOAT, { options: 'MLResample2dOptions', min: 4, max: 4 }),
  reshape: bytewise({ ...single(G.data, ALL), args: [['input', 'operand', t(ALL)], ['newShape', 'u32[]']] }),
  reverse: bytewise(single(G.data, ALL, { options: 'MLReverseOptions' })),
  scatterElements: scatterLike('MLScatterOptions', 1),
  scatterND: scatterLike('MLOperatorOptions', 0),
  slice: bytewise({
    ...single(G.data, ALL, { options: 'MLSliceOptions' }),
    args: [['input', 'operand', t(ALL)], ['starts', 'u32[]'], ['sizes', 'u32[]']],
  }),
  split: bytewise({
    group: G.data, args: [['input', 'operand', t(ALL, 1)], ['splits', 'u32|u32[]']], options: 'MLSplitOptions',
    outputs: { outputs: t(ALL, 1) }, returns: 'sequence', limits: 'MLSplitSupportLimits',
  }),
  tile: bytewise({ ...single(G.data, ALL), args: [['input', 'operand', t(ALL)], ['repetitions', 'u32mod[]']] }),
  transpose: bytewise(single(G.data, ALL, { options: 'MLTransposeOptions' })),
  triangular: bytewise(single(G.data, ALL, { options: 'MLTriangularOptions', min: 2 })),
  where: {
    group: G.data,
    args: [['condition', 'operand', t(UINT8)], ['trueValue', 'operand', t(ALL)], ['falseValue', 'operand', t(ALL)]],
    options: 'MLOperatorOptions', outputs: { output: t(ALL) }, limits: 'MLWhereSupportLimits',
    traits: { float16Native: true },  // selects by element size
  },

  dequantizeLinear: quantize(QUANT, FLOAT),
  quantizeLinear: quantize(FLOAT, QUANT),

  gru: {
    group: G.rnn,
    args: [['input', 'operand', t(FLOAT, 3, 3)], ['weight', 'operand', t(FLOAT, 3, 3)],
      ['recurrentWeight', 'operand', t(FLOAT, 3, 3)], ['steps', 'u32'], ['hiddenSize', 'u32']],
    options: 'MLGruOptions',
    optional: { bias: t(FLOAT, 2, 2), recurrentBias: t(FLOAT, 2, 2), initialHiddenState: t(FLOAT, 3, 3) },
    outputs: { output0: t(FLOAT, 3, 3), output1: t(FLOAT, 4, 4) }, returns: 'sequence', limits: 'MLGruSupportLimits',
  },
  gruCell: {
    group: G.rnn,
    args: [['input', 'operand', t(FLOAT, 2, 2)], ['weight', 'operand', t(FLOAT, 2, 2)],
      ['recurrentWeight', 'operand', t(FLOAT, 2, 2)], ['hiddenState', 'operand', t(FLOAT, 2, 2)], ['hiddenSize', 'u32']],
    options: 'MLGruCellOptions', optional: { bias: t(FLOAT, 1, 1), recurrentBias: t(FLOAT, 1, 1) },
    outputs: { output: t(FLOAT, 2, 2) }, limits: 'MLGruCellSupportLimits',
  },
  lstm: {
    group: G.rnn,
    args: [['input', 'operand', t(FLOAT, 3, 3)], ['weight', 'operand', t(FLOAT, 3, 3)],
      ['recurrentWeight', 'operand', t(FLOAT, 3, 3)], ['steps', 'u32'], ['hiddenSize', 'u32']],
    options: 'MLLstmOptions',
    optional: {
      bias: t(FLOAT, 2, 2), recurrentBias: t(FLOAT, 2, 2), peepholeWeight: t(FLOAT, 2, 2),
      initialHiddenState: t(FLOAT, 3, 3), initialCellState: t(FLOAT, 3, 3),
    },
    outputs: { output0: t(FLOAT, 3, 3), output1: t(FLOAT, 3, 3), output2: t(FLOAT, 4, 4) }, returns: 'sequence',
    limits: 'MLLstmSupportLimits',
  },
  lstmCell: {
    group: G.rnn,
    args: [['input', 'operand', t(FLOAT, 2, 2)], ['weight', 'operand', t(FLOAT, 2, 2)],
      ['recurrentWeight', 'operand', t(FLOAT, 2, 2)], ['hiddenState', 'operand', t(FLOAT, 2, 2)],
      ['cellState', 'operand', t(FLOAT, 2, 2)], ['hiddenSize', 'u32']],
    options: 'MLLstmCellOptions',
    optional: { bias: t(FLOAT, 1, 1), recurrentBias: t(FLOAT, 1, 1), peepholeWeight: t(FLOAT, 1, 1) },
    outputs: { output0: t(FLOAT, 2, 2), output1: t(FLOAT, 2, 2) }, returns: 'sequence', limits: 'MLLstmCellSupportLimits',
  },
};
