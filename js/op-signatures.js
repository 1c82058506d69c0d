// The MLGraphBuilder operator methods of the WebNN spec (webmachinelearning/webnn index.bs),
// transcribed from its IDL into data. The builder defines one method per entry that the loaded
// engine registers; the generic path in api/graph-builder.js does the IDL conversion from here.
//
// Argument kinds:
//   'operand'      MLOperand
//   'operand[]'    sequence<MLOperand>
//   'u32'          [EnforceRange] unsigned long
//   'i32'          [EnforceRange] long
//   'u32[]'        sequence<[EnforceRange] unsigned long>
//   'u32mod[]'     sequence<unsigned long> (no [EnforceRange]: modulo 2^32)
//   'u32|u32[]'    ([EnforceRange] unsigned long or sequence<[EnforceRange] unsigned long>)
//   'dataType'     MLOperandDataType
//   'number'       MLNumber (bigint or unrestricted double)
//   'double'       double (restricted: finite)
//   'float[]'      sequence<float>
//   'boolean'      boolean
//   {enum: [...]}      an IDL enum
//   {enumSeq: [...]}   sequence<enum>
// An op entry: { args: [[name, kind], ...], options: <dictionary name>, returns: 'operand' | 'sequence' }.

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

const E = (name) => ({ enum: ENUMS[name] });
const ES = (name) => ({ enumSeq: ENUMS[name] });

// Every dictionary derives from MLOperatorOptions { USVString label = "" }; label is handled
// by the generic path and not listed. Members typed MLOperand become named engine inputs.
export const DICTIONARIES = {
  MLOperatorOptions: {},
  MLArgMinMaxOptions: { keepDimensions: 'boolean', outputDataType: 'dataType' },
  MLBatchNormalizationOptions: { scale: 'operand', bias: 'operand', axis: 'u32', epsilon: 'double' },
  MLClampOptions: { minValue: 'number', maxValue: 'number' },
  MLConv2dOptions: {
    padding: 'u32[]', strides: 'u32[]', dilations: 'u32[]', groups: 'u32',
    inputLayout: E('MLInputOperandLayout'), filterLayout: E('MLConv2dFilterOperandLayout'), bias: 'operand',
  },
  MLConvTranspose2dOptions: {
    padding: 'u32[]', strides: 'u32[]', dilations: 'u32[]', outputPadding: 'u32[]', outputSizes: 'u32[]',
    groups: 'u32', inputLayout: E('MLInputOperandLayout'),
    filterLayout: E('MLConvTranspose2dFilterOperandLayout'), bias: 'operand',
  },
  MLCumulativeSumOptions: { exclusive: 'boolean', reversed: 'boolean' },
  MLEluOptions: { alpha: 'double' },
  MLGatherOptions: { axis: 'u32' },
  MLGemmOptions: { c: 'operand', alpha: 'double', beta: 'double', aTranspose: 'boolean', bTranspose: 'boolean' },
  MLGruOptions: {
    bias: 'operand', recurrentBias: 'operand', initialHiddenState: 'operand',
    resetAfter: 'boolean', returnSequence: 'boolean', direction: E('MLRecurrentNetworkDirection'),
    layout: E('MLGruWeightLayout'), activations: ES('MLRecurrentNetworkActivation'),
  },
  MLGruCellOptions: {
    bias: 'operand', recurrentBias: 'operand', resetAfter: 'boolean',
    layout: E('MLGruWeightLayout'), activations: ES('MLRecurrentNetworkActivation'),
  },
  MLHardSigmoidOptions: { alpha: 'double', beta: 'double' },
  MLInstanceNormalizationOptions: { scale: 'operand', bias: 'operand', epsilon: 'double', layout: E('MLInputOperandLayout') },
  MLLayerNormalizationOptions: { scale: 'operand', bias: 'operand', axes: 'u32[]', epsilon: 'double' },
  MLLeakyReluOptions: { alpha: 'double' },
  MLLinearOptions: { alpha: 'double', beta: 'double' },
  MLLstmOptions: {
    bias: 'operand', recurrentBias: 'operand', peepholeWeight: 'operand',
    initialHiddenState: 'operand', initialCellState: 'operand', returnSequence: 'boolean',
    direction: E('MLRecurrentNetworkDirection'), layout: E('MLLstmWeightLayout'),
    activations: ES('MLRecurrentNetworkActivation'),
  },
  MLLstmCellOptions: {
    bias: 'operand', recurrentBias: 'operand', peepholeWeight: 'operand',
    layout: E('MLLstmWeightLayout'), activations: ES('MLRecurrentNetworkActivation'),
  },
  MLPadOptions: { mode: E('MLPaddingMode'), value: 'number' },
  MLPool2dOptions: {
    windowDimensions: 'u32[]', padding: 'u32[]', strides: 'u32[]', dilations: 'u32[]',
    layout: E('MLInputOperandLayout'), outputShapeRounding: E('MLRoundingType'), outputSizes: 'u32[]',
  },
  MLReduceOptions: { axes: 'u32[]', keepDimensions: 'boolean' },
  MLResample2dOptions: { mode: E('MLInterpolationMode'), scales: 'float[]', sizes: 'u32[]', axes: 'u32[]' },
  MLReverseOptions: { axes: 'u32[]' },
  MLScatterOptions: { axis: 'u32' },
  MLSliceOptions: { strides: 'u32[]' },
  MLSplitOptions: { axis: 'u32' },
  MLTransposeOptions: { permutation: 'u32[]' },
  MLTriangularOptions: { upper: 'boolean', diagonal: 'i32' },
};

// Members that real clients still send under an older name: dictionary -> { old name: spec name }.
// The spec renamed pooling's `roundingType` to `outputShapeRounding` (webnn PR #770); Chromium's
// IDL, the web-platform-tests and onnxruntime-web's WebNN EP still send `roundingType`. An old
// name is converted like its spec member; when both are given, the spec member wins.
export const LEGACY_MEMBERS = {
  MLPool2dOptions: { roundingType: 'outputShapeRounding' },
};

const unary = { args: [['input', 'operand']], options: 'MLOperatorOptions' };
const binary = { args: [['a', 'operand'], ['b', 'operand']], options: 'MLOperatorOptions' };
const logicalUnary = { args: [['a', 'operand']], options: 'MLOperatorOptions' };
const withOptions = (options) => ({ args: [['input', 'operand']], options });
const reduce = withOptions('MLReduceOptions');
const pool = withOptions('MLPool2dOptions');
const argMinMax = { args: [['input', 'operand'], ['axis', 'u32']], options: 'MLArgMinMaxOptions' };
const quantize = { args: [['input', 'operand'], ['scale', 'operand'], ['zeroPoint', 'operand']], options: 'MLOperatorOptions' };

export const OPS = {
  // Element-wise binary
  add: binary, sub: binary, mul: binary, div: binary, max: binary, min: binary, pow: binary,
  // Element-wise logical (outputs uint8)
  equal: binary, notEqual: binary, greater: binary, greaterOrEqual: binary, lesser: binary, lesserOrEqual: binary,
  logicalNot: logicalUnary, logicalAnd: binary, logicalOr: binary, logicalXor: binary,
  isNaN: logicalUnary, isInfinite: logicalUnary,
  // Element-wise unary
  abs: unary, ceil: unary, cos: unary, erf: unary, exp: unary, floor: unary, identity: unary, log: unary,
  neg: unary, reciprocal: unary, roundEven: unary, sin: unary, sign: unary, sqrt: unary, tan: unary,
  // Activations
  elu: withOptions('MLEluOptions'),
  gelu: unary,
  hardSigmoid: withOptions('MLHardSigmoidOptions'),
  hardSwish: unary,
  leakyRelu: withOptions('MLLeakyReluOptions'),
  linear: withOptions('MLLinearOptions'),
  clamp: withOptions('MLClampOptions'),
  prelu: { args: [['input', 'operand'], ['slope', 'operand']], options: 'MLOperatorOptions' },
  relu: unary, sigmoid: unary, softplus: unary, softsign: unary, tanh: unary,
  softmax: { args: [['input', 'operand'], ['axis', 'u32']], options: 'MLOperatorOptions' },
  // Convolution, pooling, matrix multiplication
  conv2d: { args: [['input', 'operand'], ['filter', 'operand']], options: 'MLConv2dOptions' },
  convTranspose2d: { args: [['input', 'operand'], ['filter', 'operand']], options: 'MLConvTranspose2dOptions' },
  averagePool2d: pool, l2Pool2d: pool, maxPool2d: pool,
  matmul: binary,
  gemm: { args: [['a', 'operand'], ['b', 'operand']], options: 'MLGemmOptions' },
  // Normalization
  batchNormalization: {
    args: [['input', 'operand'], ['mean', 'operand'], ['variance', 'operand']], options: 'MLBatchNormalizationOptions',
  },
  instanceNormalization: withOptions('MLInstanceNormalizationOptions'),
  layerNormalization: withOptions('MLLayerNormalizationOptions'),
  // Reductions
  reduceL1: reduce, reduceL2: reduce, reduceLogSum: reduce, reduceLogSumExp: reduce, reduceMax: reduce,
  reduceMean: reduce, reduceMin: reduce, reduceProduct: reduce, reduceSum: reduce, reduceSumSquare: reduce,
  argMin: argMinMax, argMax: argMinMax,
  cumulativeSum: { args: [['input', 'operand'], ['axis', 'u32']], options: 'MLCumulativeSumOptions' },
  // Shape and data movement
  cast: { args: [['input', 'operand'], ['dataType', 'dataType']], options: 'MLOperatorOptions' },
  concat: { args: [['inputs', 'operand[]'], ['axis', 'u32']], options: 'MLOperatorOptions' },
  expand: { args: [['input', 'operand'], ['newShape', 'u32[]']], options: 'MLOperatorOptions' },
  gather: { args: [['input', 'operand'], ['indices', 'operand']], options: 'MLGatherOptions' },
  gatherElements: { args: [['input', 'operand'], ['indices', 'operand']], options: 'MLGatherOptions' },
  gatherND: { args: [['input', 'operand'], ['indices', 'operand']], options: 'MLOperatorOptions' },
  pad: {
    args: [['input', 'operand'], ['beginningPadding', 'u32[]'], ['endingPadding', 'u32[]']], options: 'MLPadOptions',
  },
  resample2d: withOptions('MLResample2dOptions'),
  reshape: { args: [['input', 'operand'], ['newShape', 'u32[]']], options: 'MLOperatorOptions' },
  reverse: withOptions('MLReverseOptions'),
  scatterElements: {
    args: [['input', 'operand'], ['indices', 'operand'], ['updates', 'operand']], options: 'MLScatterOptions',
  },
  scatterND: {
    args: [['input', 'operand'], ['indices', 'operand'], ['updates', 'operand']], options: 'MLOperatorOptions',
  },
  slice: { args: [['input', 'operand'], ['starts', 'u32[]'], ['sizes', 'u32[]']], options: 'MLSliceOptions' },
  split: { args: [['input', 'operand'], ['splits', 'u32|u32[]']], options: 'MLSplitOptions', returns: 'sequence' },
  tile: { args: [['input', 'operand'], ['repetitions', 'u32mod[]']], options: 'MLOperatorOptions' },
  transpose: withOptions('MLTransposeOptions'),
  triangular: withOptions('MLTriangularOptions'),
  where: {
    args: [['condition', 'operand'], ['trueValue', 'operand'], ['falseValue', 'operand']], options: 'MLOperatorOptions',
  },
  // Quantization
  dequantizeLinear: quantize,
  quantizeLinear: quantize,
  // Recurrent networks
  gru: {
    args: [['input', 'operand'], ['weight', 'operand'], ['recurrentWeight', 'operand'], ['steps', 'u32'], ['hiddenSize', 'u32']],
    options: 'MLGruOptions', returns: 'sequence',
  },
  gruCell: {
    args: [['input', 'operand'], ['weight', 'operand'], ['recurrentWeight', 'operand'], ['hiddenState', 'operand'], ['hiddenSize', 'u32']],
    options: 'MLGruCellOptions',
  },
  lstm: {
    args: [['input', 'operand'], ['weight', 'operand'], ['recurrentWeight', 'operand'], ['steps', 'u32'], ['hiddenSize', 'u32']],
    options: 'MLLstmOptions', returns: 'sequence',
  },
  lstmCell: {
    args: [
      ['input', 'operand'], ['weight', 'operand'], ['recurrentWeight', 'operand'],
      ['hiddenState', 'operand'], ['cellState', 'operand'], ['hiddenSize', 'u32'],
    ],
    options: 'MLLstmCellOptions', returns: 'sequence',
  },
};
