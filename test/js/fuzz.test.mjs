// A short fixed-seed batch of the API graph fuzzer (test/js/fuzz-lib.mjs): every call succeeds or
// throws a TypeError/DOMException naming it, nothing traps or hangs, and the context keeps working.
// `npm run fuzz -- --count N --seed S` runs longer batches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineAvailable } from './engine-available.mjs';
import { runFuzz } from './fuzz-lib.mjs';
import { whenThreadsRun } from './threads.mjs';
import * as api from '../../js/index.js';

const COUNT = Number(process.env.WEBNN_FUZZ_COUNT || 300);
const SEED = Number(process.env.WEBNN_FUZZ_SEED || 20261130);

test('API fuzzer: fixed-seed batch', { skip: !engineAvailable && 'no Wasm build in dist/' }, async () => {
  if (process.env.WEBNN_WASM_VARIANT) api.setVariant(process.env.WEBNN_WASM_VARIANT);
  // splitAllWork: the fuzzer's small graphs run the threaded kernel paths too.
  const context = await whenThreadsRun(await api.ml.createContext({ numThreads: 2, splitAllWork: true }));
  const stats = await runFuzz(api, { seed: SEED, count: COUNT, context });
  const summary = `${stats.cases} cases, ${stats.calls} calls, ${stats.errors} errors thrown, ` +
    `${stats.built} graphs built, ${stats.dispatched} dispatched`;
  const failures = stats.failures.slice(0, 5).map((f) => `seed ${f.seed}: ${f.failure}`).join('\n');
  assert.equal(stats.failures.length, 0, `${summary}\n${failures}`);
  // The batch must exercise both sides of the invariant.
  assert.ok(stats.built > COUNT / 20 && stats.dispatched > COUNT / 40, `too few valid graphs: ${summary}`);
  assert.ok(stats.errors > COUNT / 2, `too few errors: ${summary}`);
  context.destroy();
});
