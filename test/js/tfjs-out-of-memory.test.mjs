// The 'webnn-wasm' TF.js backend when the Wasm heap is full (filled to its 4 GiB maximum through the
// WebNN API, as test/js/out-of-memory.test.mjs does). A kernel call or a read then either works or
// throws an out-of-memory DOMException; never wrong values, never a kernel quietly moved to the CPU
// for good, never a leak: once the memory is free again, everything runs on the engine as before.
// Whole-model graphs defer the work to the read, so the error comes at the read; the tensors that
// read was to compute have no data, and reading them again throws again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { engineAvailable } from './engine-available.mjs';
import { fillHeap } from './fill-heap.mjs';
import { ml, heapStats } from '../../js/index.js';
import { BACKEND_NAME } from '../../js/tfjs/index.js';
import { seeded } from './tfjs-test-models.mjs';

const skip = !engineAvailable && 'no Wasm build in dist/';

function assertOutOfMemory(e, what) {
  assert.ok(e instanceof DOMException, `${what}: ${e && e.constructor.name}: ${e && e.message}`);
  assert.match(e.message, /\bout of memory\b/, `${what}: ${e.message}`);
}

function assertClose(got, want, what) {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= 1e-5 * Math.max(1, Math.abs(want[i])), `${what}: [${i}] ${got[i]} vs ${want[i]}`);
  }
}

// Runs first in this file's process: a fresh backend, nothing cached or recycled.
test('a whole graph that runs out of heap half-way: the read throws, the outputs made are freed, the rest throw again', { skip, timeout: 120000 }, async () => {
  assert.ok(await tf.setBackend(BACKEND_NAME));
  const be = tf.backend();
  assert.ok(be.wholeGraph);
  const ctx = await ml.createContext();
  const N = 1 << 20; // x, x + 1 and x * 2: 4 MiB each
  const xs = seeded(N, 1);
  const reserve = await ctx.createTensor({ dataType: 'uint8', shape: [8 * N + (256 << 10)] }); // x and one output
  const held = [];
  await fillHeap(ctx, held, 1);
  reserve.destroy();
  const full = heapStats().bytesInUse;
  const tensors0 = tf.memory().numTensors;

  const x = tf.tensor(xs);
  const [y1, y2] = tf.tidy(() => [tf.add(x, tf.scalar(1)), tf.mul(x, tf.scalar(2))]);
  let first;
  try {
    y1.dataSync();
  } catch (e) {
    first = e;
  }
  assert.ok(first, 'the read cannot have worked: x and two outputs do not fit');
  assertOutOfMemory(first, 'the read');
  assert.match(first.message, /^webnn-wasm tfjs backend: running 2 pending kernels \(Add, Multiply\): /);
  assert.throws(() => y2.dataSync(), (e) => e === first, 'the other output has no data either');
  await assert.rejects(y1.data(), (e) => e === first);
  assert.equal(be.stats.fallbacks, 0, `fell back: ${[...be.stats.fallbackKernels.keys()]}`);
  tf.dispose([x, y1, y2]);
  assert.equal(tf.memory().numTensors, tensors0);
  assert.equal(be.heapTensors.size, 0, 'no engine tensor left');
  // (x's engine tensor went to the backend's recycled tensors, be.freeBytes)
  const leaked = heapStats().bytesInUse - be.freeBytes - full;
  assert.ok(leaked <= 256 << 10, `${leaked} bytes still in use (the output made before the failure?)`);

  for (const t of held) t.destroy();
  const x2 = tf.tensor(xs);
  const outs = tf.tidy(() => [tf.add(x2, tf.scalar(1)), tf.mul(x2, tf.scalar(2))]);
  const [v1, v2] = outs.map((t) => t.dataSync());
  tf.dispose([x2, ...outs]);
  for (let i = 0; i < N; i += 997) {
    assert.equal(v1[i], Math.fround(xs[i] + 1));
    assert.equal(v2[i], Math.fround(xs[i] * 2));
  }
  assert.equal(be.stats.fallbacks, 0);
  ctx.destroy();
});

// conv2d + bias + relu, a matMul and a softmax: several kernels, weights baked as constants.
function program(x, w, m) {
  return tf.tidy(() => {
    const c = tf.relu(tf.add(tf.conv2d(x, w, 1, 'same'), tf.scalar(0.5)));
    return tf.softmax(tf.matMul(tf.reshape(c, [c.shape[0], -1]), m));
  });
}
const SHAPES = { // the first is run before the heap fills (its graphs are cached), the second not
  cached: { x: [1, 8, 8, 3], w: [3, 3, 3, 4], m: [256, 10] },
  fresh: { x: [2, 6, 6, 3], w: [3, 3, 3, 4], m: [144, 10] },
};

test('the heap full: kernel calls and reads work or throw out of memory, never fall back, and all works again once freed', { skip, timeout: 120000 }, async () => {
  const data = {};
  for (const [name, s] of Object.entries(SHAPES)) {
    data[name] = Object.fromEntries(Object.entries(s).map(([k, shape], i) => [k, seeded(shape.reduce((a, b) => a * b, 1), 10 * i + name.length)]));
  }
  assert.ok(await tf.setBackend('cpu'));
  const want = {};
  for (const [name, s] of Object.entries(SHAPES)) {
    const ins = ['x', 'w', 'm'].map((k) => tf.tensor(data[name][k], s[k]));
    const y = program(...ins);
    want[name] = y.dataSync();
    tf.dispose([y, ...ins]);
  }

  assert.ok(await tf.setBackend(BACKEND_NAME));
  const be = tf.backend();
  const ins = {};
  for (const [name, s] of Object.entries(SHAPES)) ins[name] = ['x', 'w', 'm'].map((k) => tf.tensor(data[name][k], s[k]));
  // Whole graphs (flushed at the read, or every 2 kernels: then at a kernel call), or kernel by kernel.
  const MODES = { 'whole graph': [true, 2000], 'whole graph, flushed every 2 kernels': [true, 2], 'kernel by kernel': [false] };
  const maxPendingNodes = be.maxPendingNodes;
  const run = (name, mode) => {
    [be.wholeGraph, be.maxPendingNodes = maxPendingNodes] = MODES[mode];
    const y = program(...ins[name]);
    try {
      return y.dataSync();
    } finally {
      y.dispose();
    }
  };
  for (const mode of Object.keys(MODES)) assertClose(run('cached', mode), want.cached, 'before');
  const fallbacks = be.stats.fallbacks;
  const tensors0 = tf.memory().numTensors;
  const dataIds0 = be.numDataIds();
  const before = heapStats().bytesInUse;

  // Filled to the last byte, twice: first the backend may free its recycled tensors and cached
  // graphs to make room (and try once more); then it has nothing left to free, and every run needs
  // some heap (outputs at least), so every run must throw.
  const ctx = await ml.createContext();
  const held = [];
  const outcomes = [];
  for (const phase of ['the backend frees its caches', 'nothing left to free']) {
    if (phase === 'nothing left to free') be.freeIdleMemory();
    await fillHeap(ctx, held, 1);
    for (const mode of Object.keys(MODES)) {
      for (const name of Object.keys(SHAPES)) {
        const what = `${phase}: ${name} shapes, ${mode}`;
        try {
          assertClose(run(name, mode), want[name], what);
          assert.notEqual(phase, 'nothing left to free', `${what}: worked without memory?`);
          outcomes.push(`${what}: ok`);
        } catch (e) {
          if (e instanceof assert.AssertionError) throw e;
          assertOutOfMemory(e, what);
          outcomes.push(`${what}: out of memory`);
        }
      }
    }
  }
  console.log(`TF.js backend, heap full (${be.context.variant}):\n  ${outcomes.join('\n  ')}`);
  assert.equal(be.stats.fallbacks, fallbacks, 'no kernel went to the CPU');
  assert.equal(tf.memory().numTensors, tensors0);
  assert.equal(be.numDataIds(), dataIds0, 'no dataId left behind (outputs of a kernel call that threw)');

  for (const t of held) t.destroy();
  ctx.destroy();
  const after = heapStats().bytesInUse;
  assert.ok(after - before <= 64 << 10, `${after - before} bytes taken while the heap was full did not come back`);
  const dispatches = be.stats.dispatches;
  for (const mode of Object.keys(MODES)) {
    for (const name of Object.keys(SHAPES)) assertClose(run(name, mode), want[name], `${name} shapes after freeing, ${mode}`);
  }
  assert.equal(be.stats.fallbacks, fallbacks, 'every kernel on the engine again');
  assert.ok(be.stats.dispatches > dispatches);
  [be.wholeGraph, be.maxPendingNodes] = [true, maxPendingNodes];
  tf.dispose(Object.values(ins).flat());
  assert.equal(be.heapTensors.size, 0, 'no engine tensor left (none made by a failed run)');
});
