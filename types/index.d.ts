// Types for webnn-wasm: the W3C WebNN API surface (https://www.w3.org/TR/webnn/) as this package
// implements it, plus its own options. Hand-written; the op list matches js/op-signatures.js.

// ---------------------------------------------------------------------------------------------
// Enums and descriptors

export type MLOperandDataType =
  | 'float32' | 'float16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'int8' | 'uint8';
export type MLPowerPreference = 'default' | 'high-performance' | 'low-power';
export type MLInputOperandLayout = 'nchw' | 'nhwc';
export type MLConv2dFilterOperandLayout = 'oihw' | 'hwio' | 'ohwi' | 'ihwo';
export type MLConvTranspose2dFilterOperandLayout = 'iohw' | 'hwoi' | 'ohwi';
export type MLRoundingType = 'floor' | 'ceil';
export type MLPaddingMode = 'constant' | 'edge' | 'reflection';
export type MLInterpolationMode = 'nearest-neighbor' | 'linear';
export type MLRecurrentNetworkActivation = 'relu' | 'sigmoid' | 'tanh';
export type MLRecurrentNetworkDirection = 'forward' | 'backward' | 'both';
export type MLGruWeightLayout = 'zrn' | 'rzn';
export type MLLstmWeightLayout = 'iofg' | 'ifgo';

/** A scalar: `bigint` for 64-bit integer types, a number otherwise. */
export type MLNumber = number | bigint;

/** Bytes: any ArrayBuffer or view of the right byte length (as Chromium accepts). */
export type AllowSharedBufferSource = ArrayBufferLike | ArrayBufferView;

export interface MLOperandDescriptor {
  dataType: MLOperandDataType;
  shape: readonly number[];
  /** Legacy name of `shape`, still sent by some clients. */
  dimensions?: readonly number[];
}

export interface MLTensorDescriptor extends MLOperandDescriptor {
  readable?: boolean;
  writable?: boolean;
}

export interface MLContextOptions {
  powerPreference?: MLPowerPreference;
  accelerated?: boolean;
  /**
   * (webnn-wasm) Threads for this context's pool. Default: the number of logical processors on the
   * threaded build (`navigator.hardwareConcurrency`, or Node's `os.availableParallelism()`), 1 otherwise.
   * A hint, clamped to at most 16 (`MLContext.numThreads` says what the context got).
   */
  numThreads?: number;
  /**
   * (webnn-wasm) Optimising compiler passes to skip, by the names `compilerPassNames()` returns.
   * Results must not change; this isolates a miscompile. Unknown names are a TypeError.
   */
  disabledPasses?: string[];
  /**
   * (webnn-wasm) Check every compiled plan (reads only of data that exists, no bytes reused while
   * needed); a bad plan fails build(). Default: false (true under Node with WEBNN_VERIFY_PLANS=1).
   */
  verifyPlans?: boolean;
}

export type MLNamedOperands = Record<string, MLOperand>;
export type MLNamedTensors = Record<string, MLTensor>;

export interface MLContextLostInfo {
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Interfaces

export declare class ML {
  private constructor();
  createContext(options?: MLContextOptions): Promise<MLContext>;
  /** WebGPU interop is not supported: rejects with NotSupportedError. */
  createContext(gpuDevice: object): Promise<MLContext>;
}

/** The `navigator.ml` object (installed as a global by `webnn-wasm/polyfill`). */
export declare const ml: ML;

export declare class MLContext {
  private constructor();
  readonly accelerated: boolean;
  readonly lost: Promise<MLContextLostInfo>;
  /** (webnn-wasm) The engine build running this context, e.g. `'wasm-simd-threads'`. */
  readonly backend: `wasm-${WasmVariant}`;
  /** (webnn-wasm) `'simd-threads' | 'simd' | 'scalar'`. */
  readonly variant: WasmVariant;
  /** (webnn-wasm) Threads the engine uses for this context (1 on single-threaded builds; at most 16). */
  readonly numThreads: number;

  createTensor(descriptor: MLTensorDescriptor): Promise<MLTensor>;
  createConstantTensor(descriptor: MLOperandDescriptor, inputData: AllowSharedBufferSource): Promise<MLTensor>;
  writeTensor(tensor: MLTensor, inputData: AllowSharedBufferSource): void;
  readTensor(tensor: MLTensor): Promise<ArrayBuffer>;
  readTensor(tensor: MLTensor, outputData: AllowSharedBufferSource): Promise<undefined>;
  dispatch(graph: MLGraph, inputs: MLNamedTensors, outputs: MLNamedTensors): void;
  /** Every member present: this engine runs every op of the spec in every build (`context.opSupportLimits().conv2d.input`). */
  opSupportLimits(): WebnnWasmOpSupportLimits;
  destroy(): void;
}

export declare class MLOperand {
  private constructor();
  readonly dataType: MLOperandDataType;
  readonly shape: readonly number[];
}

export declare class MLTensor {
  private constructor();
  readonly dataType: MLOperandDataType;
  readonly shape: readonly number[];
  readonly readable: boolean;
  readonly writable: boolean;
  readonly constant: boolean;
  destroy(): void;
}

export declare class MLGraph {
  private constructor();
  destroy(): void;
  /** (webnn-wasm, not in the spec) The compiled plan as text: steps, compiler passes, arena size. */
  debugPlan(): string;
  /** (webnn-wasm, not in the spec) Per-step timing: true resets and starts, false stops; returns the report. */
  debugProfile(enable?: boolean): string;
}

// ---------------------------------------------------------------------------------------------
// Op support limits

export interface MLRankRange {
  min: number;
  max: number;
}
export interface MLDataTypeLimits {
  dataTypes: MLOperandDataType[];
}
export interface MLTensorLimits {
  dataTypes: MLOperandDataType[];
  rankRange: MLRankRange;
}

// The per-op limits dictionaries of the spec's IDL (one member per operand, named as in the spec).
export interface MLSingleInputSupportLimits {
  input: MLTensorLimits;
  output: MLTensorLimits;
}
export interface MLBinarySupportLimits {
  a: MLTensorLimits;
  b: MLTensorLimits;
  output: MLTensorLimits;
}
export interface MLBatchNormalizationSupportLimits {
  input: MLTensorLimits;
  mean: MLTensorLimits;
  variance: MLTensorLimits;
  scale: MLTensorLimits;
  bias: MLTensorLimits;
  output: MLTensorLimits;
}
export interface MLConcatSupportLimits {
  inputs: MLTensorLimits;
  output: MLTensorLimits;
}
export interface MLConv2dSupportLimits {
  input: MLTensorLimits;
  filter: MLTensorLimits;
  bias: MLTensorLimits;
  output: MLTensorLimits;
}
export interface MLLogicalNotSupportLimits {
  a: MLTensorLimits;
  output: MLTensorLimits;
}
export interface MLQuantizeDequantizeLinearSupportLimits {
  input: MLTensorLimits;
  scale: MLTensorLimits;
  zeroPoint: MLTensorLimits;
  output: MLTensorLimits;
}
export interface MLGatherSupportLimits {
  input: MLTensorLimits;
  indices: MLTensorLimits;
  output: MLTensorLimits;
}
export interface MLGemmSupportLimits {
  a: MLTensorLimits;
  b: MLTensorLimits;
  c: MLTensorLimits;
  output: MLTensorLimits;
}
export interface MLGruSupportLimits {
  input: MLTensorLimits;
  weight: MLTensorLimits;
  recurrentWeight: MLTensorLimits;
  bias: MLTensorLimits;
  recurrentBias: MLTensorLimits;
  initialHiddenState: MLTensorLimits;
  output0: MLTensorLimits;
  output1: MLTensorLimits;
}
export interface MLGruCellSupportLimits {
  input: MLTensorLimits;
  weight: MLTensorLimits;
  recurrentWeight: MLTensorLimits;
  hiddenState: MLTensorLimits;
  bias: MLTensorLimits;
  recurrentBias: MLTensorLimits;
  output: MLTensorLimits;
}
export interface MLNormalizationSupportLimits {
  input: MLTensorLimits;
  scale: MLTensorLimits;
  bias: MLTensorLimits;
  output: MLTensorLimits;
}
export interface MLLstmSupportLimits {
  input: MLTensorLimits;
  weight: MLTensorLimits;
  recurrentWeight: MLTensorLimits;
  bias: MLTensorLimits;
  recurrentBias: MLTensorLimits;
  peepholeWeight: MLTensorLimits;
  initialHiddenState: MLTensorLimits;
  initialCellState: MLTensorLimits;
  output0: MLTensorLimits;
  output1: MLTensorLimits;
  output2: MLTensorLimits;
}
export interface MLLstmCellSupportLimits {
  input: MLTensorLimits;
  weight: MLTensorLimits;
  recurrentWeight: MLTensorLimits;
  hiddenState: MLTensorLimits;
  cellState: MLTensorLimits;
  bias: MLTensorLimits;
  recurrentBias: MLTensorLimits;
  peepholeWeight: MLTensorLimits;
  output0: MLTensorLimits;
  output1: MLTensorLimits;
}
export interface MLPreluSupportLimits {
  input: MLTensorLimits;
  slope: MLTensorLimits;
  output: MLTensorLimits;
}
export interface MLScatterSupportLimits {
  input: MLTensorLimits;
  indices: MLTensorLimits;
  updates: MLTensorLimits;
  output: MLTensorLimits;
}
export interface MLSplitSupportLimits {
  input: MLTensorLimits;
  outputs: MLTensorLimits;
}
export interface MLWhereSupportLimits {
  condition: MLTensorLimits;
  trueValue: MLTensorLimits;
  falseValue: MLTensorLimits;
  output: MLTensorLimits;
}

/**
 * The IDL's `MLOpSupportLimits`: the context-wide limits, then one member per op, present when the
 * implementation runs that op (optional, as in the IDL: a `?.` for an object of unknown origin, e.g.
 * `limits.conv2d?.input`). webnn-wasm's own `context.opSupportLimits()` returns every member:
 * `WebnnWasmOpSupportLimits`.
 */
export interface MLOpSupportLimits {
  preferredInputLayout: MLInputOperandLayout;
  maxTensorByteLength?: number;
  input: MLTensorLimits;
  constant: MLTensorLimits;
  output: MLTensorLimits;
  argMin?: MLSingleInputSupportLimits;
  argMax?: MLSingleInputSupportLimits;
  batchNormalization?: MLBatchNormalizationSupportLimits;
  cast?: MLSingleInputSupportLimits;
  clamp?: MLSingleInputSupportLimits;
  concat?: MLConcatSupportLimits;
  conv2d?: MLConv2dSupportLimits;
  convTranspose2d?: MLConv2dSupportLimits;
  cumulativeSum?: MLSingleInputSupportLimits;
  add?: MLBinarySupportLimits;
  sub?: MLBinarySupportLimits;
  mul?: MLBinarySupportLimits;
  div?: MLBinarySupportLimits;
  max?: MLBinarySupportLimits;
  min?: MLBinarySupportLimits;
  pow?: MLBinarySupportLimits;
  equal?: MLBinarySupportLimits;
  notEqual?: MLBinarySupportLimits;
  greater?: MLBinarySupportLimits;
  greaterOrEqual?: MLBinarySupportLimits;
  lesser?: MLBinarySupportLimits;
  lesserOrEqual?: MLBinarySupportLimits;
  logicalNot?: MLLogicalNotSupportLimits;
  logicalAnd?: MLBinarySupportLimits;
  logicalOr?: MLBinarySupportLimits;
  logicalXor?: MLBinarySupportLimits;
  isNaN?: MLLogicalNotSupportLimits;
  isInfinite?: MLLogicalNotSupportLimits;
  abs?: MLSingleInputSupportLimits;
  ceil?: MLSingleInputSupportLimits;
  cos?: MLSingleInputSupportLimits;
  erf?: MLSingleInputSupportLimits;
  exp?: MLSingleInputSupportLimits;
  floor?: MLSingleInputSupportLimits;
  identity?: MLSingleInputSupportLimits;
  log?: MLSingleInputSupportLimits;
  neg?: MLSingleInputSupportLimits;
  reciprocal?: MLSingleInputSupportLimits;
  roundEven?: MLSingleInputSupportLimits;
  sin?: MLSingleInputSupportLimits;
  sign?: MLSingleInputSupportLimits;
  sqrt?: MLSingleInputSupportLimits;
  tan?: MLSingleInputSupportLimits;
  dequantizeLinear?: MLQuantizeDequantizeLinearSupportLimits;
  quantizeLinear?: MLQuantizeDequantizeLinearSupportLimits;
  elu?: MLSingleInputSupportLimits;
  expand?: MLSingleInputSupportLimits;
  gather?: MLGatherSupportLimits;
  gatherElements?: MLGatherSupportLimits;
  gatherND?: MLGatherSupportLimits;
  gelu?: MLSingleInputSupportLimits;
  gemm?: MLGemmSupportLimits;
  gru?: MLGruSupportLimits;
  gruCell?: MLGruCellSupportLimits;
  hardSigmoid?: MLSingleInputSupportLimits;
  hardSwish?: MLSingleInputSupportLimits;
  instanceNormalization?: MLNormalizationSupportLimits;
  layerNormalization?: MLNormalizationSupportLimits;
  leakyRelu?: MLSingleInputSupportLimits;
  linear?: MLSingleInputSupportLimits;
  lstm?: MLLstmSupportLimits;
  lstmCell?: MLLstmCellSupportLimits;
  matmul?: MLBinarySupportLimits;
  pad?: MLSingleInputSupportLimits;
  averagePool2d?: MLSingleInputSupportLimits;
  l2Pool2d?: MLSingleInputSupportLimits;
  maxPool2d?: MLSingleInputSupportLimits;
  prelu?: MLPreluSupportLimits;
  reduceL1?: MLSingleInputSupportLimits;
  reduceL2?: MLSingleInputSupportLimits;
  reduceLogSum?: MLSingleInputSupportLimits;
  reduceLogSumExp?: MLSingleInputSupportLimits;
  reduceMax?: MLSingleInputSupportLimits;
  reduceMean?: MLSingleInputSupportLimits;
  reduceMin?: MLSingleInputSupportLimits;
  reduceProduct?: MLSingleInputSupportLimits;
  reduceSum?: MLSingleInputSupportLimits;
  reduceSumSquare?: MLSingleInputSupportLimits;
  relu?: MLSingleInputSupportLimits;
  resample2d?: MLSingleInputSupportLimits;
  reshape?: MLSingleInputSupportLimits;
  reverse?: MLSingleInputSupportLimits;
  scatterElements?: MLScatterSupportLimits;
  scatterND?: MLScatterSupportLimits;
  sigmoid?: MLSingleInputSupportLimits;
  slice?: MLSingleInputSupportLimits;
  softmax?: MLSingleInputSupportLimits;
  softplus?: MLSingleInputSupportLimits;
  softsign?: MLSingleInputSupportLimits;
  split?: MLSplitSupportLimits;
  tanh?: MLSingleInputSupportLimits;
  tile?: MLSingleInputSupportLimits;
  transpose?: MLSingleInputSupportLimits;
  triangular?: MLSingleInputSupportLimits;
  where?: MLWhereSupportLimits;
}

/** What webnn-wasm's `context.opSupportLimits()` returns: `MLOpSupportLimits` with every op present
 * (test/js/op-coverage.test.mjs checks each member is there, on every build). */
export type WebnnWasmOpSupportLimits = Required<MLOpSupportLimits>;

// ---------------------------------------------------------------------------------------------
// Operator options

export interface MLOperatorOptions {
  label?: string;
}
export interface MLArgMinMaxOptions extends MLOperatorOptions {
  keepDimensions?: boolean;
  outputDataType?: MLOperandDataType;
}
export interface MLBatchNormalizationOptions extends MLOperatorOptions {
  scale?: MLOperand;
  bias?: MLOperand;
  axis?: number;
  epsilon?: number;
}
export interface MLClampOptions extends MLOperatorOptions {
  minValue?: MLNumber;
  maxValue?: MLNumber;
}
export interface MLConv2dOptions extends MLOperatorOptions {
  padding?: readonly number[];
  strides?: readonly number[];
  dilations?: readonly number[];
  groups?: number;
  inputLayout?: MLInputOperandLayout;
  filterLayout?: MLConv2dFilterOperandLayout;
  bias?: MLOperand;
}
export interface MLConvTranspose2dOptions extends MLOperatorOptions {
  padding?: readonly number[];
  strides?: readonly number[];
  dilations?: readonly number[];
  outputPadding?: readonly number[];
  outputSizes?: readonly number[];
  groups?: number;
  inputLayout?: MLInputOperandLayout;
  filterLayout?: MLConvTranspose2dFilterOperandLayout;
  bias?: MLOperand;
}
export interface MLCumulativeSumOptions extends MLOperatorOptions {
  exclusive?: boolean;
  reversed?: boolean;
}
export interface MLEluOptions extends MLOperatorOptions {
  alpha?: number;
}
export interface MLGatherOptions extends MLOperatorOptions {
  axis?: number;
}
export interface MLGemmOptions extends MLOperatorOptions {
  c?: MLOperand;
  alpha?: number;
  beta?: number;
  aTranspose?: boolean;
  bTranspose?: boolean;
}
export interface MLGruOptions extends MLOperatorOptions {
  bias?: MLOperand;
  recurrentBias?: MLOperand;
  initialHiddenState?: MLOperand;
  resetAfter?: boolean;
  returnSequence?: boolean;
  direction?: MLRecurrentNetworkDirection;
  layout?: MLGruWeightLayout;
  activations?: readonly MLRecurrentNetworkActivation[];
}
export interface MLGruCellOptions extends MLOperatorOptions {
  bias?: MLOperand;
  recurrentBias?: MLOperand;
  resetAfter?: boolean;
  layout?: MLGruWeightLayout;
  activations?: readonly MLRecurrentNetworkActivation[];
}
export interface MLHardSigmoidOptions extends MLOperatorOptions {
  alpha?: number;
  beta?: number;
}
export interface MLInstanceNormalizationOptions extends MLOperatorOptions {
  scale?: MLOperand;
  bias?: MLOperand;
  epsilon?: number;
  layout?: MLInputOperandLayout;
}
export interface MLLayerNormalizationOptions extends MLOperatorOptions {
  scale?: MLOperand;
  bias?: MLOperand;
  axes?: readonly number[];
  epsilon?: number;
}
export interface MLLeakyReluOptions extends MLOperatorOptions {
  alpha?: number;
}
export interface MLLinearOptions extends MLOperatorOptions {
  alpha?: number;
  beta?: number;
}
export interface MLLstmOptions extends MLOperatorOptions {
  bias?: MLOperand;
  recurrentBias?: MLOperand;
  peepholeWeight?: MLOperand;
  initialHiddenState?: MLOperand;
  initialCellState?: MLOperand;
  returnSequence?: boolean;
  direction?: MLRecurrentNetworkDirection;
  layout?: MLLstmWeightLayout;
  activations?: readonly MLRecurrentNetworkActivation[];
}
export interface MLLstmCellOptions extends MLOperatorOptions {
  bias?: MLOperand;
  recurrentBias?: MLOperand;
  peepholeWeight?: MLOperand;
  layout?: MLLstmWeightLayout;
  activations?: readonly MLRecurrentNetworkActivation[];
}
export interface MLPadOptions extends MLOperatorOptions {
  mode?: MLPaddingMode;
  value?: MLNumber;
}
export interface MLPool2dOptions extends MLOperatorOptions {
  windowDimensions?: readonly number[];
  padding?: readonly number[];
  strides?: readonly number[];
  dilations?: readonly number[];
  layout?: MLInputOperandLayout;
  outputShapeRounding?: MLRoundingType;
  /** @deprecated The spec's older name of `outputShapeRounding` (still sent by Chromium's IDL and onnxruntime-web). */
  roundingType?: MLRoundingType;
  outputSizes?: readonly number[];
}
export interface MLReduceOptions extends MLOperatorOptions {
  axes?: readonly number[];
  keepDimensions?: boolean;
}
export interface MLResample2dOptions extends MLOperatorOptions {
  mode?: MLInterpolationMode;
  scales?: readonly number[];
  sizes?: readonly number[];
  axes?: readonly number[];
}
export interface MLReverseOptions extends MLOperatorOptions {
  axes?: readonly number[];
}
export interface MLScatterOptions extends MLOperatorOptions {
  axis?: number;
}
export interface MLSliceOptions extends MLOperatorOptions {
  strides?: readonly number[];
}
export interface MLSplitOptions extends MLOperatorOptions {
  axis?: number;
}
export interface MLTransposeOptions extends MLOperatorOptions {
  permutation?: readonly number[];
}
export interface MLTriangularOptions extends MLOperatorOptions {
  upper?: boolean;
  diagonal?: number;
}

// ---------------------------------------------------------------------------------------------
// The builder. Every op the spec defines is declared; at run time an op method exists only when
// the loaded engine registers the op (see `context.opSupportLimits()`).

export declare class MLGraphBuilder {
  constructor(context: MLContext);

  input(name: string, descriptor: MLOperandDescriptor): MLOperand;
  constant(descriptor: MLOperandDescriptor, buffer: AllowSharedBufferSource): MLOperand;
  constant(type: MLOperandDataType, value: MLNumber): MLOperand;
  constant(tensor: MLTensor): MLOperand;
  build(outputs: MLNamedOperands): Promise<MLGraph>;

  // Element-wise binary
  add(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  sub(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  mul(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  div(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  max(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  min(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  pow(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;

  // Element-wise logical (uint8 results)
  equal(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  notEqual(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  greater(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  greaterOrEqual(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  lesser(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  lesserOrEqual(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  logicalNot(a: MLOperand, options?: MLOperatorOptions): MLOperand;
  logicalAnd(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  logicalOr(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  logicalXor(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  isNaN(a: MLOperand, options?: MLOperatorOptions): MLOperand;
  isInfinite(a: MLOperand, options?: MLOperatorOptions): MLOperand;

  // Element-wise unary
  abs(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  ceil(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  cos(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  erf(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  exp(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  floor(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  identity(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  log(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  neg(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  reciprocal(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  roundEven(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  sin(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  sign(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  sqrt(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  tan(input: MLOperand, options?: MLOperatorOptions): MLOperand;

  // Activations
  elu(input: MLOperand, options?: MLEluOptions): MLOperand;
  gelu(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  hardSigmoid(input: MLOperand, options?: MLHardSigmoidOptions): MLOperand;
  hardSwish(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  leakyRelu(input: MLOperand, options?: MLLeakyReluOptions): MLOperand;
  linear(input: MLOperand, options?: MLLinearOptions): MLOperand;
  clamp(input: MLOperand, options?: MLClampOptions): MLOperand;
  prelu(input: MLOperand, slope: MLOperand, options?: MLOperatorOptions): MLOperand;
  relu(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  sigmoid(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  softplus(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  softsign(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  tanh(input: MLOperand, options?: MLOperatorOptions): MLOperand;
  softmax(input: MLOperand, axis: number, options?: MLOperatorOptions): MLOperand;

  // Convolution, pooling, matrix multiplication
  conv2d(input: MLOperand, filter: MLOperand, options?: MLConv2dOptions): MLOperand;
  convTranspose2d(input: MLOperand, filter: MLOperand, options?: MLConvTranspose2dOptions): MLOperand;
  averagePool2d(input: MLOperand, options?: MLPool2dOptions): MLOperand;
  l2Pool2d(input: MLOperand, options?: MLPool2dOptions): MLOperand;
  maxPool2d(input: MLOperand, options?: MLPool2dOptions): MLOperand;
  matmul(a: MLOperand, b: MLOperand, options?: MLOperatorOptions): MLOperand;
  gemm(a: MLOperand, b: MLOperand, options?: MLGemmOptions): MLOperand;

  // Normalization
  batchNormalization(input: MLOperand, mean: MLOperand, variance: MLOperand, options?: MLBatchNormalizationOptions): MLOperand;
  instanceNormalization(input: MLOperand, options?: MLInstanceNormalizationOptions): MLOperand;
  layerNormalization(input: MLOperand, options?: MLLayerNormalizationOptions): MLOperand;

  // Reductions
  reduceL1(input: MLOperand, options?: MLReduceOptions): MLOperand;
  reduceL2(input: MLOperand, options?: MLReduceOptions): MLOperand;
  reduceLogSum(input: MLOperand, options?: MLReduceOptions): MLOperand;
  reduceLogSumExp(input: MLOperand, options?: MLReduceOptions): MLOperand;
  reduceMax(input: MLOperand, options?: MLReduceOptions): MLOperand;
  reduceMean(input: MLOperand, options?: MLReduceOptions): MLOperand;
  reduceMin(input: MLOperand, options?: MLReduceOptions): MLOperand;
  reduceProduct(input: MLOperand, options?: MLReduceOptions): MLOperand;
  reduceSum(input: MLOperand, options?: MLReduceOptions): MLOperand;
  reduceSumSquare(input: MLOperand, options?: MLReduceOptions): MLOperand;
  argMin(input: MLOperand, axis: number, options?: MLArgMinMaxOptions): MLOperand;
  argMax(input: MLOperand, axis: number, options?: MLArgMinMaxOptions): MLOperand;
  cumulativeSum(input: MLOperand, axis: number, options?: MLCumulativeSumOptions): MLOperand;

  // Shape and data movement
  cast(input: MLOperand, type: MLOperandDataType, options?: MLOperatorOptions): MLOperand;
  concat(inputs: readonly MLOperand[], axis: number, options?: MLOperatorOptions): MLOperand;
  expand(input: MLOperand, newShape: readonly number[], options?: MLOperatorOptions): MLOperand;
  gather(input: MLOperand, indices: MLOperand, options?: MLGatherOptions): MLOperand;
  gatherElements(input: MLOperand, indices: MLOperand, options?: MLGatherOptions): MLOperand;
  gatherND(input: MLOperand, indices: MLOperand, options?: MLOperatorOptions): MLOperand;
  pad(input: MLOperand, beginningPadding: readonly number[], endingPadding: readonly number[], options?: MLPadOptions): MLOperand;
  resample2d(input: MLOperand, options?: MLResample2dOptions): MLOperand;
  reshape(input: MLOperand, newShape: readonly number[], options?: MLOperatorOptions): MLOperand;
  reverse(input: MLOperand, options?: MLReverseOptions): MLOperand;
  scatterElements(input: MLOperand, indices: MLOperand, updates: MLOperand, options?: MLScatterOptions): MLOperand;
  scatterND(input: MLOperand, indices: MLOperand, updates: MLOperand, options?: MLOperatorOptions): MLOperand;
  slice(input: MLOperand, starts: readonly number[], sizes: readonly number[], options?: MLSliceOptions): MLOperand;
  split(input: MLOperand, splits: number | readonly number[], options?: MLSplitOptions): MLOperand[];
  tile(input: MLOperand, repetitions: readonly number[], options?: MLOperatorOptions): MLOperand;
  transpose(input: MLOperand, options?: MLTransposeOptions): MLOperand;
  triangular(input: MLOperand, options?: MLTriangularOptions): MLOperand;
  where(condition: MLOperand, trueValue: MLOperand, falseValue: MLOperand, options?: MLOperatorOptions): MLOperand;

  // Quantization
  dequantizeLinear(input: MLOperand, scale: MLOperand, zeroPoint: MLOperand, options?: MLOperatorOptions): MLOperand;
  quantizeLinear(input: MLOperand, scale: MLOperand, zeroPoint: MLOperand, options?: MLOperatorOptions): MLOperand;

  // Recurrent networks
  gru(input: MLOperand, weight: MLOperand, recurrentWeight: MLOperand, steps: number, hiddenSize: number, options?: MLGruOptions): MLOperand[];
  gruCell(input: MLOperand, weight: MLOperand, recurrentWeight: MLOperand, hiddenState: MLOperand, hiddenSize: number, options?: MLGruCellOptions): MLOperand;
  lstm(input: MLOperand, weight: MLOperand, recurrentWeight: MLOperand, steps: number, hiddenSize: number, options?: MLLstmOptions): MLOperand[];
  lstmCell(input: MLOperand, weight: MLOperand, recurrentWeight: MLOperand, hiddenState: MLOperand, cellState: MLOperand, hiddenSize: number, options?: MLLstmCellOptions): MLOperand[];
}

// ---------------------------------------------------------------------------------------------
// webnn-wasm's own API

/** The engine builds, best first. */
export type WasmVariant = 'simd-threads' | 'simd' | 'scalar';
export declare const VARIANTS: readonly WasmVariant[];

/** File names `setWasmPaths` maps (a map may name any subset; the rest come from the package). */
export type WasmFileName =
  | 'webnn-wasm-simd-threads.mjs' | 'webnn-wasm-simd-threads.js' | 'webnn-wasm-simd-threads.wasm'
  | 'webnn-wasm-simd-threads.worker.js'
  | 'webnn-wasm-simd.mjs' | 'webnn-wasm-simd.js' | 'webnn-wasm-simd.wasm'
  | 'webnn-wasm-scalar.mjs' | 'webnn-wasm-scalar.js' | 'webnn-wasm-scalar.wasm';

/**
 * Where the engine's `.js`/`.wasm`/worker files are served from: a URL prefix (`'/assets/webnn/'`,
 * `'https://cdn.example/webnn-wasm@0.1.0/dist/'`) or a map from file name to URL; `null` restores the
 * default (next to the package, found by `new URL(..., import.meta.url)`). Call before the first
 * `createContext()`; throws InvalidStateError after.
 */
export declare function setWasmPaths(prefixOrMap: string | Partial<Record<WasmFileName, string | URL>> | null): void;

/** Forces one variant (tests, benchmarks) before the engine loads; `null` restores detection. */
export declare function setVariant(variant: WasmVariant | null): void;
/** The variant that loaded, or null before the first `createContext()`. */
export declare function loadedVariant(): WasmVariant | null;
/** The variants this platform can run, best first (threads only when cross-origin isolated in a page). */
export declare function candidateVariants(): WasmVariant[];
export declare function simdSupported(): boolean;
export declare function threadsSupported(): boolean;

/** What the graph compiler made of a graph (fusions, memory plan), for debugging. */
export declare function graphPlanReport(graph: MLGraph): string;
/** (webnn-wasm) The engine's optimising passes in the order they run; null before the engine loads. */
export declare function compilerPassNames(): string[] | null;

export interface OpSignature {
  args: [name: string, kind: string | object][];
  options: string;
  returns?: 'operand' | 'sequence';
}
/** The op table the builder's methods are generated from. */
export declare const opSignatures: Readonly<Record<string, OpSignature>>;
