// webnn-wasm/tfjs: a TensorFlow.js backend named 'webnn-wasm' on the webnn-wasm engine.
//
//   import * as tf from '@tensorflow/tfjs-core';
//   import 'webnn-wasm/tfjs';                 // registers the backend (priority 3)
//   await tf.setBackend('webnn-wasm');
//
// Kernels in KERNELS (kernels.js) run as small WebNN graphs on tensors kept in the Wasm heap; every
// other kernel tfjs-backend-cpu has, and any graph the engine rejects, runs on tfjs-backend-cpu on
// downloaded data (docs/tfjs.md lists them).
import { registerBackend, registerKernel, getKernelsForBackend, getKernel } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu'; // the fallback kernels (also registers the 'cpu' backend)
import { ml } from '../api/ml.js';
import { WebNNWasmBackend } from './backend.js';
import { KERNELS } from './kernels.js';
import './kernels-constants.js'; // adds Fill, ZerosLike, OnesLike, Range, OneHot to KERNELS

export const BACKEND_NAME = 'webnn-wasm';
export const PRIORITY = 3;

// WEBNN_TFJS_WHOLE_GRAPH=0 (Node) turns whole-model graphs off by default, e.g. to compare a suite run.
const wholeGraphDefault = typeof process === 'undefined' || process.env?.WEBNN_TFJS_WHOLE_GRAPH !== '0';
const options = { numThreads: 0, bakeWeights: true, wholeGraph: wholeGraphDefault, splitAllWork: false, disabledPasses: undefined };

// Options for the backend's context; call before the backend initializes (tf.setBackend/ready).
//   numThreads: engine threads (default: the hardware's, on the threaded build)
//   bakeWeights: treat tensors created from JS data (model weights) as graph constants, packed once
//                per graph (default true); set false if such tensors are used as changing inputs
//   wholeGraph:  record kernels into one pending engine graph, run when data are read (default
//                true); false runs each kernel as its own graph at its call (docs/tfjs.md)
//   splitAllWork: (for testing) kernels split even the smallest work over the threads (createContext's
//                option of ours): small tensors then run the threaded code paths (default false)
//   disabledPasses: (for debugging) engine compiler passes to skip, by name (createContext's option
//                of ours, compilerPassNames()): a result that changes without one names the pass
export function setBackendOptions(o = {}) {
  if (o.numThreads !== undefined) options.numThreads = o.numThreads;
  if (o.bakeWeights !== undefined) options.bakeWeights = !!o.bakeWeights;
  if (o.wholeGraph !== undefined) options.wholeGraph = !!o.wholeGraph;
  if (o.splitAllWork !== undefined) options.splitAllWork = !!o.splitAllWork;
  if (o.disabledPasses !== undefined) options.disabledPasses = o.disabledPasses;  // createContext checks it
}

registerBackend(BACKEND_NAME, async () => {
  const context = await ml.createContext({
    ...(options.numThreads ? { numThreads: options.numThreads } : {}),
    ...(options.splitAllWork ? { splitAllWork: true } : {}),
    ...(options.disabledPasses !== undefined ? { disabledPasses: options.disabledPasses } : {}),
  });
  return new WebNNWasmBackend(context, options);
}, PRIORITY);

// Kernel names that run on the engine (when it supports the op, dtypes and shapes at run time).
export const ENGINE_KERNELS = Object.freeze(Object.keys(KERNELS));

for (const [kernelName, impl] of Object.entries(KERNELS)) {
  const hasCpu = !!getKernel(kernelName, 'cpu');
  registerKernel({
    kernelName,
    backendName: BACKEND_NAME,
    kernelFunc: (args) => {
      const backend = args.backend;
      backend.currentKernel = { kernelName, inputs: args.inputs, attrs: args.attrs };
      let result;
      try {
        result = impl(backend, args);
      } finally {
        backend.currentKernel = null;
      }
      if (result != null) return result;
      if (!hasCpu) throw new Error(`webnn-wasm tfjs backend: '${kernelName}' is not supported for these inputs`);
      return args.backend.fallback(kernelName, args);
    },
  });
}

// Every other kernel tfjs-backend-cpu implements: the CPU kernel on downloaded data.
export const FALLBACK_KERNELS = Object.freeze(getKernelsForBackend('cpu')
  .map((k) => k.kernelName)
  .filter((name) => !KERNELS[name]));
for (const kernelName of FALLBACK_KERNELS) {
  registerKernel({
    kernelName,
    backendName: BACKEND_NAME,
    kernelFunc: (args) => args.backend.fallback(kernelName, args),
  });
}

export { WebNNWasmBackend };
