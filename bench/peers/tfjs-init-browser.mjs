// tfjs-core + tfjs-backend-wasm in a browser page, for peers/tfjs.mjs. The page's import map
// gives '@tensorflow/tfjs-core' and '@tensorflow/tfjs-backend-wasm' their ES module builds in
// node_modules (bench/browser/index.html). tfjs picks its build itself: in a cross-origin isolated
// page (SharedArrayBuffer can be posted) that is tfjs-backend-wasm-threaded-simd.wasm, also at 1 thread.
import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';

// backend.cc caps the XNNPACK pool at emscripten_num_logical_cores() / 2 = hardwareConcurrency / 2
// ("2 hyper-threads per core"): on a 2-vCPU machine, 1 thread whatever setThreadsCount() says.
// Report 2*threads cores while the backend initialises (as node-thread-shim.mjs does in Node).
async function withReportedCores(cores, fn) {
  const proto = Object.getPrototypeOf(navigator);
  const original = Object.getOwnPropertyDescriptor(proto, 'hardwareConcurrency');
  Object.defineProperty(proto, 'hardwareConcurrency', { configurable: true, get: () => cores });
  try { return await fn(); } finally { Object.defineProperty(proto, 'hardwareConcurrency', original); }
}

export async function initTfjs(threads) {
  // The .wasm files sit next to the module build the import map points at.
  wasm.setWasmPaths(new URL('./', import.meta.resolve('@tensorflow/tfjs-backend-wasm')).href);
  wasm.setThreadsCount(threads);
  const cores = navigator.hardwareConcurrency;
  const ok = await withReportedCores(Math.max(cores, 2 * threads), () => tf.setBackend('wasm'));
  if (!ok) throw new Error('tfjs: wasm backend failed to initialise');
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const actual = wasm.getThreadsCount();
  const file = simd && mt ? 'tfjs-backend-wasm-threaded-simd.wasm' : simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
  const variant = `tfjs-wasm ${tf.version_core} ${file} threads=${actual} (hardwareConcurrency ${cores})`;
  if (actual !== threads) throw new Error(`tfjs: asked for ${threads} threads, got ${actual} (${variant})`);
  return { tf, wasm, variant };
}
