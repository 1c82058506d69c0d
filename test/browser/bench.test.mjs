// Keeps `npm run bench:browser` working: one small workload through the browser bench's harness
// (bench/browser.mjs → bench/browser/page.mjs → bench/harness.mjs) at 2 threads, 1 timed run per
// library. Asserts what the bench relies on, not times: every library set up with the thread count
// asked for, in a cross-origin isolated page, the peers loaded from node_modules, outputs agreeing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBrowserBench, failures } from '../../bench/browser.mjs';

test('bench:browser runs a workload through ours, onnxruntime-web and tfjs at 2 threads, outputs agree', async () => {
  const lines = [];
  const [r] = await runBrowserBench({
    workloads: ['depthwise'], threads: [2], libs: ['ours', 'tfjs', 'ort'],
    time: 0, minRuns: 1, maxRuns: 1, warmup: 1, minSampleMs: 0, log: (l) => lines.push(l),
  });
  assert.deepEqual(failures([r]), [], lines.join('\n'));
  assert.equal(r.browser.crossOriginIsolated, true);
  assert.match(r.browser.userAgent, /HeadlessChrome/);
  assert.deepEqual(Object.keys(r.libs).sort(), ['ort', 'ours', 'tfjs']);
  assert.match(r.libs.ours.variant, /simd-threads numThreads=2$/);
  assert.match(r.libs.tfjs.variant, /tfjs-backend-wasm-threaded-simd\.wasm threads=2/);
  assert.match(r.libs.ort.variant, /numThreads=2$/);
  for (const lib of ['ours', 'tfjs', 'ort']) assert.equal(r.libs[lib].n, 1, `${lib}: one timed run`);
  // Agreement with ours, and the peers' binaries from node_modules (no CDN).
  assert.equal(r.check.reference, 'ours');
  assert.equal(r.check.diffs.tfjs.ok, true);
  assert.equal(r.check.diffs.ort.ok, true);
  assert.deepEqual([...r.wasmFiles].sort(), [
    '/dist/webnn-wasm-simd-threads.wasm',
    '/node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm',
    '/node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm',
  ]);
});
