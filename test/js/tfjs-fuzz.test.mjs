// The TF.js backend's differential fuzzers, fixed-seed batches: random TF.js programs
// (test/js/tfjs-fuzz-lib.mjs) on 'webnn-wasm' and tfjs-backend-cpu, each run four times (new inputs,
// new weights, one attribute changed) with every value read compared, and no tensor left behind;
// and random tf.layers models (tfjs-model-fuzz-lib.mjs), predicted four times on both (twice at one
// batch size, once at another, once after setWeights); and programs and models run with the Wasm
// heap held full but for a few bytes to a few MB (they must work or throw out of memory, and leave
// nothing behind).
// `npm run fuzz:tfjs -- --count N --models M --seed S` runs long campaigns (also --no-whole-graph,
// --threads, --split-all-work, --heap-pressure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { engineAvailable } from './engine-available.mjs';
import { ml } from '../../js/index.js';
import { BACKEND_NAME } from '../../js/tfjs/index.js';
import { runTfjsFuzz, holdHeap, formatFailure, OP_NAMES } from './tfjs-fuzz-lib.mjs';
import { runModelFuzz, formatModelFailure, LAYER_KINDS } from './tfjs-model-fuzz-lib.mjs';

// The full batch on the variant the backend loads by default (simd-threads); the recording, caching
// and kernels under test are JS, so the other variants get a shorter one (npm test's time budget).
const variant = process.env.WEBNN_WASM_VARIANT || 'simd-threads';
const COUNT = Number(process.env.WEBNN_TFJS_FUZZ_COUNT || (variant === 'simd-threads' ? 1500 : 300));
const MODELS = Math.ceil(COUNT / 3);
const SEED = Number(process.env.WEBNN_TFJS_FUZZ_SEED || 20261207);
const skip = !engineAvailable && 'no Wasm build in dist/';
tf.env().set('IS_TEST', true);

test('TF.js differential fuzzer: fixed-seed batch', { skip }, async (t) => {
  const t0 = Date.now();
  const stats = await runTfjsFuzz(tf, { backendName: BACKEND_NAME, seed: SEED, count: COUNT, maxFailures: 1 });
  const fallbacks = [...stats.fallbackKernels].map(([k, n]) => `${k} ${n}`).join(', ');
  const summary = `${stats.programs} programs, ${stats.steps} op steps, ${stats.ops.size} of ${OP_NAMES.length} ops, ` +
    `${stats.mutations} with a changed attribute, ${((Date.now() - t0) / 1000).toFixed(1)} s; on the CPU: ${fallbacks}`;
  t.diagnostic(summary);
  assert.equal(stats.failures.length, 0, `${summary}\n${stats.failures.map(formatFailure).join('\n')}`);
  // Every op the generator knows was drawn, and a changed attribute was tried in most programs.
  assert.deepEqual(OP_NAMES.filter((op) => !stats.ops.has(op)), [], summary);
  assert.ok(stats.mutations >= COUNT * 0.7, summary);
  // Only Atan2 (no WebNN op) may run on the CPU: any other kernel there fell back silently.
  assert.deepEqual([...stats.fallbackKernels.keys()].filter((k) => k !== 'Atan2'), [], summary);
});

test('TF.js differential fuzzer: random tf.layers models, fixed seeds', { skip }, async (t) => {
  const t0 = Date.now();
  const stats = await runModelFuzz(tf, tfl, { backendName: BACKEND_NAME, seed: SEED, count: MODELS, maxFailures: 1 });
  const summary = `${stats.models} models, ${stats.layers} layers, ${stats.kinds.size} of ${LAYER_KINDS.length} layer kinds, ` +
    `${((Date.now() - t0) / 1000).toFixed(1)} s; on the CPU: ${[...stats.fallbackKernels].map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing'}`;
  t.diagnostic(summary);
  assert.equal(stats.failures.length, 0, `${summary}\n${stats.failures.map(formatModelFailure).join('\n')}`);
  if (MODELS >= 200) assert.deepEqual(LAYER_KINDS.filter((k) => !stats.kinds.has(k)), [], summary);
  assert.deepEqual([...stats.fallbackKernels.keys()], [], summary); // every kernel of these layers runs on the engine
});

test('TF.js differential fuzzers: programs and models with the Wasm heap all but full, fixed seeds', { skip, timeout: 300000 }, async (t) => {
  const t0 = Date.now();
  await tf.setBackend(BACKEND_NAME);
  const heap = await holdHeap(ml);
  let stats, ms;
  try {
    stats = await runTfjsFuzz(tf, { backendName: BACKEND_NAME, seed: SEED, count: COUNT / 5, maxFailures: 1, heap });
    ms = await runModelFuzz(tf, tfl, { backendName: BACKEND_NAME, seed: SEED, count: COUNT / 15, maxFailures: 1, heap });
  } finally {
    heap.release();
  }
  const summary = `${stats.programs} programs (${stats.outOfMemory} ran out of memory), ${ms.models} models ` +
    `(${ms.outOfMemory}), ${((Date.now() - t0) / 1000).toFixed(1)} s; on the CPU: ${[...stats.fallbackKernels, ...ms.fallbackKernels].map(([k, n]) => `${k} ${n}`).join(', ')}`;
  t.diagnostic(summary);
  assert.equal(stats.failures.length + ms.failures.length, 0,
    `${summary}\n${stats.failures.map(formatFailure).join('\n')}${ms.failures.map(formatModelFailure).join('\n')}`);
  // Both outcomes were drawn: enough heap for some, too little for others.
  for (const [n, oom] of [[stats.programs, stats.outOfMemory], [ms.models, ms.outOfMemory]]) assert.ok(oom > n / 10 && oom < n * 0.9, summary);
  assert.deepEqual([...stats.fallbackKernels.keys(), ...ms.fallbackKernels.keys()].filter((k) => k !== 'Atan2'), [], summary);
});
