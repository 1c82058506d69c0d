// Whole-model graphs in the 'webnn-wasm' TF.js backend: kernels are recorded into a pending graph
// and run as one engine graph when data are needed. Each TF.js semantic the recording must keep,
// checked against tfjs-backend-cpu: values, tidy/dispose and tf.memory(), reading an intermediate,
// fallback kernels on pending data, errors at the kernel call, async data(), the size limit, the
// per-structure cache (and which weights), the one-by-one path when the engine rejects a whole
// graph; and one dispatch per predict() on the tf.sequential model and a Transformer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BACKEND_NAME, WebNNWasmBackend } from '../../js/tfjs/index.js';
import { seeded, sequentialModel, transformerModel, SEQUENTIAL_INPUT, TRANSFORMER_INPUT } from './tfjs-test-models.mjs';
import { runModuleChild } from './child-process.mjs';

const T = (shape, seed, lo, hi) => tf.tensor(seeded(shape.reduce((a, b) => a * b, 1), seed, lo, hi), shape);

async function ours() {
  assert.ok(await tf.setBackend(BACKEND_NAME));
  const be = tf.backend();
  assert.ok(be.wholeGraph, 'whole-model graphs are on by default');
  return be;
}

function maxRelDiff(a, b) {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return d;
}

async function onCpu(fn) {
  await tf.setBackend('cpu');
  const y = tf.tidy(fn);
  const v = y.dataSync();
  y.dispose();
  return v;
}

const chain = (x, w) => tf.relu(tf.add(tf.conv2d(tf.sigmoid(tf.conv2d(x, w, 1, 'same')), w, 1, 'same'), tf.scalar(0.25)));

test('kernels record without running; reading runs them as one graph; values equal tfjs-backend-cpu', async () => {
  const be = await ours();
  const x = T([1, 12, 12, 4], 1);
  const w = T([3, 3, 4, 4], 2);
  const s0 = { ...be.stats };
  const y = tf.tidy(() => chain(x, w));
  assert.equal(be.stats.dispatches, s0.dispatches, 'nothing dispatched at the kernel calls');
  assert.equal(be.stats.recorded - s0.recorded, 5);
  assert.equal(be.stats.uploads, s0.uploads, 'nothing uploaded before the flush');
  const v = y.dataSync();
  assert.equal(be.stats.dispatches - s0.dispatches, 1, 'one dispatch for five kernels');
  assert.equal(be.stats.uploads - s0.uploads, 1, 'only the input uploaded (the filter and the scalar are constants)');
  assert.equal(be.stats.downloads - s0.downloads, 1);
  const again = await y.data();
  assert.equal(be.stats.downloads - s0.downloads, 1, 'one copy out for two reads');
  assert.deepEqual(Array.from(again), Array.from(v));
  const xs = x.dataSync().slice();
  const ws = w.dataSync().slice();
  const ref = await onCpu(() => chain(tf.tensor(xs, x.shape), tf.tensor(ws, w.shape)));
  assert.ok(maxRelDiff(v, ref) < 1e-5);
  await tf.setBackend(BACKEND_NAME);
  tf.dispose([x, w, y]);
});

test('tidy/dispose and tf.memory(): inputs and intermediates disposed before the flush still feed it; nothing leaks', async () => {
  const be = await ours();
  const mem0 = tf.memory();
  const ids0 = be.numDataIds();
  const w = T([3, 3, 4, 4], 3);
  // The input is created and disposed inside the tidy: only the pending graph still needs it.
  const y = tf.tidy(() => chain(T([1, 10, 10, 4], 4), w));
  assert.equal(tf.memory().numTensors, mem0.numTensors + 2);
  assert.equal(be.numDataIds(), ids0 + 2, 'dataIds: the filter and the output only');
  const v = y.dataSync();
  const ref = await onCpu(() => chain(T([1, 10, 10, 4], 4), T([3, 3, 4, 4], 3)));
  assert.ok(maxRelDiff(v, ref) < 1e-5);
  await tf.setBackend(BACKEND_NAME);
  tf.dispose([w, y]);
  assert.equal(tf.memory().numTensors, mem0.numTensors);
  assert.equal(tf.memory().numBytes, mem0.numBytes);
  assert.equal(be.numDataIds(), ids0);
  assert.equal(be.pending.nodes.length, 0);
  // Everything disposed unread: nothing runs, nothing leaks.
  const d0 = be.stats.dispatches;
  const heap0 = be.heapTensors.size;
  tf.tidy(() => { chain(T([1, 10, 10, 4], 5), T([3, 3, 4, 4], 6)); });
  be.flush();
  assert.equal(be.stats.dispatches, d0);
  assert.equal(be.heapTensors.size, heap0);
  assert.equal(be.numDataIds(), ids0);
});

test('engine tensors of released data are reused for later outputs, never while held', async () => {
  const be = await ours();
  const w = T([3, 3, 4, 4], 9);
  const run = (seed) => tf.tidy(() => chain(T([1, 8, 8, 4], seed), w));
  const ref = async (seed) => {
    const ws = w.dataSync().slice();
    return onCpu(() => chain(T([1, 8, 8, 4], seed), tf.tensor(ws, w.shape)));
  };
  const y1 = run(21);
  const v1 = y1.dataSync().slice();
  const t1 = be.data.get(y1.dataId).tensor;
  const y2 = run(22); // y1 still held: y2 gets another tensor
  const v2 = y2.dataSync().slice();
  assert.notEqual(be.data.get(y2.dataId).tensor, t1);
  y1.dispose();
  const heap0 = be.heapTensors.size;
  const y3 = run(23); // y1's tensor is free: reused for y3's output
  const v3 = y3.dataSync();
  assert.equal(be.data.get(y3.dataId).tensor, t1);
  assert.equal(be.heapTensors.size, heap0 + 1);
  assert.deepEqual(Array.from(y2.dataSync()), Array.from(v2), 'a held output is not overwritten');
  await tf.setBackend('cpu');
  for (const [v, seed] of [[v1, 21], [v2, 22], [v3, 23]]) assert.ok(maxRelDiff(v, await ref(seed)) < 1e-5);
  await tf.setBackend(BACKEND_NAME);
  tf.dispose([w, y2, y3]);
  assert.ok(be.freeBytes <= 16 << 20);
});

test('reading an intermediate: it and the later result are both right', async () => {
  const be = await ours();
  const x = T([4, 6], 7);
  const mid = tf.tanh(tf.matMul(x, T([6, 5], 8)));
  const out = tf.softmax(tf.mul(mid, tf.scalar(3)));
  const d0 = be.stats.dispatches;
  const midV = mid.dataSync(); // both are live: one graph with two outputs
  assert.equal(be.stats.dispatches - d0, 1);
  const outV = out.dataSync();
  assert.equal(be.stats.dispatches - d0, 1, 'the second read finds its data computed');
  const later = tf.relu(tf.sub(mid, tf.scalar(0.1))).dataSync(); // the read intermediate feeds a new graph
  const refMid = await onCpu(() => tf.tanh(tf.matMul(T([4, 6], 7), T([6, 5], 8))));
  const refOut = await onCpu(() => tf.softmax(tf.mul(tf.tanh(tf.matMul(T([4, 6], 7), T([6, 5], 8))), tf.scalar(3))));
  const refLater = await onCpu(() => tf.relu(tf.sub(tf.tanh(tf.matMul(T([4, 6], 7), T([6, 5], 8))), tf.scalar(0.1))));
  assert.ok(maxRelDiff(midV, refMid) < 1e-5);
  assert.ok(maxRelDiff(outV, refOut) < 1e-5);
  assert.ok(maxRelDiff(later, refLater) < 1e-5);
  await tf.setBackend(BACKEND_NAME);
  tf.dispose([x, mid, out]);
});

test('a fallback kernel on pending data flushes first; its result feeds the engine again', async () => {
  const be = await ours();
  const fn = () => {
    const x = tf.relu(tf.matMul(T([3, 8], 9), T([8, 10], 10)));
    const { values } = tf.topk(x, 4); // TopK runs on tfjs-backend-cpu
    return tf.sigmoid(tf.mul(values, tf.scalar(2)));
  };
  const f0 = be.stats.fallbackKernels.get('TopK') || 0;
  const y = tf.tidy(fn);
  assert.equal(be.stats.fallbackKernels.get('TopK'), f0 + 1);
  const v = y.dataSync();
  y.dispose();
  const ref = await onCpu(fn);
  assert.ok(maxRelDiff(v, ref) < 1e-5);
});

test('errors are thrown at the kernel call that causes them, and the pending graph survives', async () => {
  const be = await ours();
  const keep = tf.tanh(T([2, 3], 11));
  assert.throws(() => tf.matMul(T([2, 3], 12), T([4, 5], 13)), /inner|shape|dimension/i);
  assert.throws(() => tf.conv2d(T([1, 5, 5, 3], 14), T([3, 3, 2, 4], 15), 1, 'same'), /depth|channel|match/i);
  assert.throws(() => tf.add(T([2, 3], 16), T([4], 17)), /broadcast|shape/i);
  assert.throws(() => tf.reshape(keep, [4, 2]), /shape|size/i);
  const v = keep.dataSync();
  const ref = await onCpu(() => tf.tanh(T([2, 3], 11)));
  assert.ok(maxRelDiff(v, ref) < 1e-6);
  await tf.setBackend(BACKEND_NAME);
  keep.dispose();
  assert.equal(be.pending.nodes.length, 0);
});

test('async data() runs the pending graph', async () => {
  await ours();
  const y = tf.tidy(() => tf.exp(tf.neg(tf.square(T([50], 18)))));
  const v = await y.data();
  y.dispose();
  const ref = await onCpu(() => tf.exp(tf.neg(tf.square(T([50], 18)))));
  assert.ok(maxRelDiff(v, ref) < 1e-6);
});

test('the pending graph flushes at its size limit', async () => {
  const be = await ours();
  const limit = be.maxPendingNodes;
  be.maxPendingNodes = 10;
  try {
    const d0 = be.stats.dispatches;
    const y = tf.tidy(() => {
      let t = T([16], 19);
      for (let i = 0; i < 25; i++) t = tf.add(tf.mul(t, tf.scalar(0.5)), tf.scalar(0.1 * i)); // 50 kernels
      return t;
    });
    assert.equal(be.stats.dispatches - d0, 5, 'flushed every 10 kernels');
    const v = y.dataSync();
    y.dispose();
    assert.equal(be.stats.dispatches - d0, 5);
    const ref = await onCpu(() => {
      let t = T([16], 19);
      for (let i = 0; i < 25; i++) t = tf.add(tf.mul(t, tf.scalar(0.5)), tf.scalar(0.1 * i));
      return t;
    });
    assert.ok(maxRelDiff(v, ref) < 1e-5);
  } finally {
    be.maxPendingNodes = limit;
  }
});

test('compiled graphs are cached by structure and by which weights; disposing a weight drops its graphs', async () => {
  const be = await ours();
  const w1 = T([3, 3, 4, 4], 20);
  const w2 = T([3, 3, 4, 4], 21);
  const g0 = be.stats.wholeGraphBuilds;
  const run = (w, seed) => tf.tidy(() => chain(T([1, 6, 6, 4], seed), w).dataSync());
  const a = run(w1, 22);
  run(w1, 23);
  run(w1, 24);
  assert.equal(be.stats.wholeGraphBuilds - g0, 1, 'same structure, same weights: built once');
  const b = run(w2, 22);
  assert.equal(be.stats.wholeGraphBuilds - g0, 2, 'other weights: another graph');
  assert.notDeepEqual(Array.from(a), Array.from(b));
  const ref = await onCpu(() => chain(T([1, 6, 6, 4], 22), T([3, 3, 4, 4], 21)));
  assert.ok(maxRelDiff(b, ref) < 1e-5);
  await tf.setBackend(BACKEND_NAME);
  const n = be.wholeGraphs.size;
  w1.dispose();
  assert.equal(be.wholeGraphs.size, n - 1);
  w2.dispose();
  assert.equal(be.wholeGraphs.size, n - 2);
});

test('the cache keeps the most recently used graphs', async () => {
  const be = await ours();
  const cap = be.maxCachedGraphs;
  be.maxCachedGraphs = 3;
  try {
    for (let n = 2; n < 8; n++) tf.tidy(() => tf.relu(T([n], n)).dataSync());
    assert.equal(be.wholeGraphs.size, 3);
  } finally {
    be.maxCachedGraphs = cap;
  }
});

test('a whole graph the engine rejects runs kernel by kernel (and a kernel it rejects alone on the CPU)', async () => {
  const be = await ours();
  const fn = () => tf.softmax(tf.relu(tf.matMul(T([3, 8], 25), T([8, 6], 26))));
  const { buildWhole, buildEntry } = be;
  be.buildWhole = () => WebNNWasmBackend.REJECTED;
  be.buildEntry = function (key, ...rest) {
    return key.startsWith('Relu') ? WebNNWasmBackend.REJECTED : buildEntry.call(this, key, ...rest);
  };
  try {
    const f0 = be.stats.fallbackKernels.get('Relu') || 0;
    const d0 = be.stats.dispatches;
    const y = tf.tidy(fn);
    const v = y.dataSync();
    y.dispose();
    assert.equal(be.stats.dispatches - d0, 2, 'matMul and softmax alone');
    assert.equal(be.stats.fallbackKernels.get('Relu'), f0 + 1, 'relu on the CPU');
    const ref = await onCpu(fn);
    assert.ok(maxRelDiff(v, ref) < 1e-5);
  } finally {
    be.buildWhole = buildWhole;
    be.buildEntry = buildEntry;
  }
});

// The plan of the backend's cached whole-model graph with the most steps (the model's).
const largestPlan = (be) => [...be.wholeGraphs.values()].filter((e) => e && e.graph).map((e) => e.graph.planReport())
  .reduce((a, p) => (+/steps: (\d+)/.exec(p)[1] > +/steps: (\d+)/.exec(a)[1] ? p : a), 'steps: 0');

async function compareModel(t, makeModel, inputShape, batch) {
  const x = seeded(batch * inputShape.reduce((a, b) => a * b, 1), 31);
  const run = async (backend) => {
    await tf.setBackend(backend);
    const model = makeModel(tf, tfl);
    const input = tf.tensor(x, [batch, ...inputShape]);
    const be = tf.backend();
    const first = model.predict(input);
    const v = first.dataSync();
    first.dispose();
    let dispatches;
    let builds;
    if (be.stats) {
      const s0 = { ...be.stats };
      const y = model.predict(input);
      const again = y.dataSync();
      y.dispose();
      dispatches = be.stats.dispatches - s0.dispatches;
      builds = be.stats.graphBuilds - s0.graphBuilds;
      assert.deepEqual(Array.from(again), Array.from(v));
      assert.equal(be.stats.fallbacks, s0.fallbacks, 'no kernel fell back');
    }
    const plan = be.wholeGraphs ? largestPlan(be) : null;  // (before the weights go: their graphs go with them)
    input.dispose();
    model.dispose();
    return { v, dispatches, builds, plan };
  };
  const mem0 = tf.memory().numTensors;
  const o = await run(BACKEND_NAME);
  const r = await run('cpu');
  const d = maxRelDiff(o.v, r.v);
  t.diagnostic(`batch ${batch}: max rel diff ${d.toExponential(2)}; second predict: ${o.dispatches} dispatch, ${o.builds} builds`);
  assert.ok(d <= 1e-4, `max rel diff ${d}`);
  assert.equal(o.dispatches, 1, 'one dispatch per predict');
  assert.equal(o.builds, 0, 'the second predict builds nothing');
  await tf.setBackend(BACKEND_NAME);
  assert.equal(tf.memory().numTensors, mem0);
  return o;
}

test("issue #15's tf.sequential model: equals tfjs-backend-cpu, one dispatch per predict", async (t) => {
  await compareModel(t, sequentialModel, SEQUENTIAL_INPUT, 8);
});

test('a small Transformer (tf.layers, attention from matMul/softmax, layerNormalization, GELU): equals tfjs-backend-cpu, one dispatch per predict', async (t) => {
  const o = await compareModel(t, transformerModel, TRANSFORMER_INPUT, 2);
  // What tf.layers spells out runs as the engine's own ops: each layer normalization one step, each
  // dense layer with gelu one GEMM with gelu in its output stage.
  assert.equal((o.plan.match(/\n {2}layernorm-recognition:/g) ?? []).length, 4, o.plan);
  assert.equal((o.plan.match(/^ {2}\d+: layerNormalization$/gm) ?? []).length, 4, o.plan);
  assert.equal((o.plan.match(/^ {2}\d+: gemm\+add\+gelu/gm) ?? []).length, 2, o.plan);
});

test("setBackendOptions({ disabledPasses }) runs a model with those compiler passes off", () => {
  const r = runModuleChild(`
    import * as tf from '@tensorflow/tfjs-core';
    import * as tfl from '@tensorflow/tfjs-layers';
    import { setBackendOptions, BACKEND_NAME } from '../../js/tfjs/index.js';
    import { transformerModel, TRANSFORMER_INPUT, seeded } from './tfjs-test-models.mjs';
  `, `
    setBackendOptions({ disabledPasses: ['layernorm-recognition'] });
    const run = async (backend) => {
      await tf.setBackend(backend);
      const model = transformerModel(tf, tfl);
      const y = model.predict(tf.tensor(seeded(2 * 64 * 64, 31), [2, ...TRANSFORMER_INPUT]));
      return y.dataSync();
    };
    const ours = await run(BACKEND_NAME);
    const plan = [...tf.backend().wholeGraphs.values()].filter((e) => e && e.graph).map((e) => e.graph.planReport()).join('');
    const cpu = await run('cpu');
    let d = 0;
    for (let i = 0; i < cpu.length; i++) d = Math.max(d, Math.abs(ours[i] - cpu[i]) / Math.max(1, Math.abs(cpu[i])));
    console.log(JSON.stringify({ d, recognised: plan.includes('layernorm-recognition'), reduceMeans: (plan.match(/: reduceMean$/gm) ?? []).length }));
  `, 60000);
  assert.equal(r.status, 0, r.out);
  const o = JSON.parse(r.out.split('\n').find((l) => l.startsWith('{"d"')));
  assert.ok(o.d <= 1e-4, r.out);
  assert.equal(o.recognised, false, r.out);
  assert.ok(o.reduceMeans >= 8, r.out);
});
