// `import 'webnn-wasm/polyfill'` installs navigator.ml and the ML* interfaces as globals where
// navigator.ml does not exist; it also re-exports everything the main entry exports.
import type * as W from './index.js';

export * from './index.js';

/** True when this import installed navigator.ml (false when the platform already had one). */
export declare const installed: boolean;
/** Where navigator.ml is native: how many contexts webnn-wasm served after a native NotSupportedError; null where this import installed navigator.ml. */
export declare const nativeFallback: { readonly fallbacks: number } | null;

declare global {
  interface Navigator {
    readonly ml: W.ML;
  }
  interface WorkerNavigator {
    readonly ml: W.ML;
  }
  var ML: typeof W.ML;
  var MLContext: typeof W.MLContext;
  var MLGraphBuilder: typeof W.MLGraphBuilder;
  var MLOperand: typeof W.MLOperand;
  var MLTensor: typeof W.MLTensor;
  var MLGraph: typeof W.MLGraph;
  type ML = W.ML;
  type MLContext = W.MLContext;
  type MLGraphBuilder = W.MLGraphBuilder;
  type MLOperand = W.MLOperand;
  type MLTensor = W.MLTensor;
  type MLGraph = W.MLGraph;
  // The spec's enums, typedefs and dictionaries, global as in a browser that ships WebNN.
  type MLArgMinMaxOptions = W.MLArgMinMaxOptions;
  type MLBatchNormalizationOptions = W.MLBatchNormalizationOptions;
  type MLBatchNormalizationSupportLimits = W.MLBatchNormalizationSupportLimits;
  type MLBinarySupportLimits = W.MLBinarySupportLimits;
  type MLClampOptions = W.MLClampOptions;
  type MLConcatSupportLimits = W.MLConcatSupportLimits;
  type MLContextLostInfo = W.MLContextLostInfo;
  type MLContextOptions = W.MLContextOptions;
  type MLConv2dFilterOperandLayout = W.MLConv2dFilterOperandLayout;
  type MLConv2dOptions = W.MLConv2dOptions;
  type MLConv2dSupportLimits = W.MLConv2dSupportLimits;
  type MLConvTranspose2dFilterOperandLayout = W.MLConvTranspose2dFilterOperandLayout;
  type MLConvTranspose2dOptions = W.MLConvTranspose2dOptions;
  type MLCumulativeSumOptions = W.MLCumulativeSumOptions;
  type MLDataTypeLimits = W.MLDataTypeLimits;
  type MLEluOptions = W.MLEluOptions;
  type MLGatherOptions = W.MLGatherOptions;
  type MLGatherSupportLimits = W.MLGatherSupportLimits;
  type MLGemmOptions = W.MLGemmOptions;
  type MLGemmSupportLimits = W.MLGemmSupportLimits;
  type MLGruCellOptions = W.MLGruCellOptions;
  type MLGruCellSupportLimits = W.MLGruCellSupportLimits;
  type MLGruOptions = W.MLGruOptions;
  type MLGruSupportLimits = W.MLGruSupportLimits;
  type MLGruWeightLayout = W.MLGruWeightLayout;
  type MLHardSigmoidOptions = W.MLHardSigmoidOptions;
  type MLInputOperandLayout = W.MLInputOperandLayout;
  type MLInstanceNormalizationOptions = W.MLInstanceNormalizationOptions;
  type MLInterpolationMode = W.MLInterpolationMode;
  type MLLayerNormalizationOptions = W.MLLayerNormalizationOptions;
  type MLLeakyReluOptions = W.MLLeakyReluOptions;
  type MLLinearOptions = W.MLLinearOptions;
  type MLLogicalNotSupportLimits = W.MLLogicalNotSupportLimits;
  type MLLstmCellOptions = W.MLLstmCellOptions;
  type MLLstmCellSupportLimits = W.MLLstmCellSupportLimits;
  type MLLstmOptions = W.MLLstmOptions;
  type MLLstmSupportLimits = W.MLLstmSupportLimits;
  type MLLstmWeightLayout = W.MLLstmWeightLayout;
  type MLNamedOperands = W.MLNamedOperands;
  type MLNamedTensors = W.MLNamedTensors;
  type MLNormalizationSupportLimits = W.MLNormalizationSupportLimits;
  type MLNumber = W.MLNumber;
  type MLOpSupportLimits = W.MLOpSupportLimits;
  type MLOperandDataType = W.MLOperandDataType;
  type MLOperandDescriptor = W.MLOperandDescriptor;
  type MLOperatorOptions = W.MLOperatorOptions;
  type MLPadOptions = W.MLPadOptions;
  type MLPaddingMode = W.MLPaddingMode;
  type MLPool2dOptions = W.MLPool2dOptions;
  type MLPowerPreference = W.MLPowerPreference;
  type MLPreluSupportLimits = W.MLPreluSupportLimits;
  type MLQuantizeDequantizeLinearSupportLimits = W.MLQuantizeDequantizeLinearSupportLimits;
  type MLRankRange = W.MLRankRange;
  type MLRecurrentNetworkActivation = W.MLRecurrentNetworkActivation;
  type MLRecurrentNetworkDirection = W.MLRecurrentNetworkDirection;
  type MLReduceOptions = W.MLReduceOptions;
  type MLResample2dOptions = W.MLResample2dOptions;
  type MLReverseOptions = W.MLReverseOptions;
  type MLRoundingType = W.MLRoundingType;
  type MLScatterOptions = W.MLScatterOptions;
  type MLScatterSupportLimits = W.MLScatterSupportLimits;
  type MLSingleInputSupportLimits = W.MLSingleInputSupportLimits;
  type MLSliceOptions = W.MLSliceOptions;
  type MLSplitOptions = W.MLSplitOptions;
  type MLSplitSupportLimits = W.MLSplitSupportLimits;
  type MLTensorDescriptor = W.MLTensorDescriptor;
  type MLTensorLimits = W.MLTensorLimits;
  type MLTransposeOptions = W.MLTransposeOptions;
  type MLTriangularOptions = W.MLTriangularOptions;
  type MLWhereSupportLimits = W.MLWhereSupportLimits;
}
