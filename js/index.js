// webnn-wasm: the W3C WebNN API on a Wasm engine. This entry touches no globals; import
// 'webnn-wasm/polyfill' (js/polyfill.js) to install navigator.ml.
export { ML, ml } from './api/ml.js';
export { MLContext } from './api/context.js';
export { MLGraphBuilder } from './api/graph-builder.js';
export { MLOperand } from './api/operand.js';
export { MLTensor } from './api/tensor.js';
export { MLGraph, graphPlanReport } from './api/graph.js';
export {
  setWasmPaths, setVariant, loadedVariant, candidateVariants, simdSupported, threadsSupported, VARIANTS,
} from './loader.js';
export { OPS as opSignatures } from './op-signatures.js';
export { heapStats, compilerPassNames } from './api/engine.js';
