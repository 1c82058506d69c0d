// Installs navigator.ml and the ML* interfaces as globals, where navigator.ml does not exist. Where it
// exists, its createContext() falls back to webnn-wasm per call, on NotSupportedError
// (native-fallback.js): a native WebNN that cannot run is served, one that can is kept.
import { ml, ML, MLContext, MLGraphBuilder, MLOperand, MLTensor, MLGraph } from './index.js';
import { fallBackPerCall } from './native-fallback.js';

export * from './index.js';

const g = globalThis;
export const installed = !(g.navigator && 'ml' in g.navigator);
// Where navigator.ml is native: { fallbacks: <contexts webnn-wasm served> }; null where we installed it.
export const nativeFallback = installed || !g.navigator.ml ? null
  : fallBackPerCall(g, g.navigator.ml, ml, { MLContext, MLGraphBuilder, MLOperand, MLTensor, MLGraph });

if (installed) {
  // Node 20 has no navigator.
  if (!g.navigator) {
    Object.defineProperty(g, 'navigator', { value: {}, writable: true, configurable: true, enumerable: false });
  }
  Object.defineProperty(g.navigator, 'ml', { value: ml, writable: false, configurable: true, enumerable: true });
  const classes = { ML, MLContext, MLGraphBuilder, MLOperand, MLTensor, MLGraph };
  for (const [name, cls] of Object.entries(classes)) {
    if (!(name in g)) Object.defineProperty(g, name, { value: cls, writable: true, configurable: true, enumerable: false });
  }
  // Clients test `options instanceof GPUDevice`, a ReferenceError where WebGPU does not exist.
  // A stand-in that nothing is an instance of answers that, where no WebGPU is present.
  if (!('GPUDevice' in g) && !(g.navigator && 'gpu' in g.navigator)) {
    class GPUDevice {
      constructor() { throw new TypeError('Illegal constructor: GPUDevice (webnn-wasm stand-in)'); }
    }
    Object.defineProperty(g, 'GPUDevice', { value: GPUDevice, writable: true, configurable: true, enumerable: false });
  }
}
