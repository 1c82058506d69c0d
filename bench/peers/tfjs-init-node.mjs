// tfjs-core + tfjs-backend-wasm in Node, for peers/tfjs.mjs.
// threads == 1: the plain SIMD build (what Node users get out of the box).
// threads >= 2: the threaded-SIMD build, enabled in Node by node-thread-shim.mjs
//               (out of the box tfjs never uses threads in Node, see that file).
import { createRequire } from 'node:module';
import { installTfjsNodeThreadShim, withReportedCores } from './node-thread-shim.mjs';

const require = createRequire(import.meta.url);

export async function initTfjs(threads) {
  const tf = require('@tensorflow/tfjs-core');
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  let shim = null;
  if (threads > 1) {
    shim = installTfjsNodeThreadShim();
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  }
  wasm.setThreadsCount(threads);
  // Emscripten unref()s its pthread workers in Node, so while the threaded
  // module waits for them to load nothing may keep the event loop alive and
  // Node can exit silently (code 0) in the middle of setBackend(). Hold a timer.
  const keepAlive = setInterval(() => {}, 1000);
  // tfjs caps its pool at (logical cores / 2); report 2*threads cores during init.
  let ok;
  try {
    ok = threads > 1
      ? await withReportedCores(2 * threads, () => tf.setBackend('wasm'))
      : await tf.setBackend('wasm');
  } finally { clearInterval(keepAlive); }
  if (!ok) throw new Error('tfjs: wasm backend failed to initialise');
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const actual = wasm.getThreadsCount();
  const file = simd && mt ? 'tfjs-backend-wasm-threaded-simd.wasm' : simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
  const variant = `tfjs-wasm ${tf.version_core} ${file} threads=${actual}${shim ? ' (node thread shim)' : ''}`;
  if (threads > 1 && actual !== threads) throw new Error(`tfjs: asked for ${threads} threads, got ${actual} (${variant})`);
  return { tf, wasm, variant };
}
