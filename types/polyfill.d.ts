// `import 'webnn-wasm/polyfill'` installs navigator.ml and the ML* interfaces as globals where
// navigator.ml does not exist; it also re-exports everything the main entry exports.
import type * as W from './index.js';

export * from './index.js';

/** True when this import installed navigator.ml (false when the platform already had one). */
export declare const installed: boolean;

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
}
