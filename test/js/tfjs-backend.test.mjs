// The 'webnn-wasm' TF.js backend kernel by kernel: every case runs under our backend and under
// tfjs-backend-cpu on the same seeded data, and the results must agree. Also: which kernels ran
// on the engine (not the fallback), tensor bookkeeping, readback, the fallback path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { ENGINE_KERNELS, FALLBACK_KERNELS, BACKEND_NAME } from '../../js/tfjs/index.js';
import { seeded } from './tfjs-test-models.mjs';

// Every case's result is float32 (bool/int32 intermediates are cast), compared elementwise.
const T = (shape, seed, lo, hi) => tf.tensor(seeded(shape.reduce((a, b) => a * b, 1), seed, lo, hi), shape);

// name -> [fn building the result from fresh tensors, kernels that must run on the engine]
const CASES = {
  conv2dSame: [() => tf.conv2d(T([2, 9, 9, 3], 1), T([3, 3, 3, 8], 2), 2, 'same'), ['Conv2D']],
  conv2dValidDilated: [() => tf.conv2d(T([1, 12, 10, 4], 3), T([3, 3, 4, 5], 4), 1, 'valid', 'NHWC', 2), ['Conv2D']],
  conv2dExplicitPad: [() => tf.conv2d(T([1, 7, 7, 2], 5), T([2, 2, 2, 3], 6), 1, [[0, 0], [1, 2], [0, 1], [0, 0]]), ['Conv2D']],
  fusedConvReluBias: [() => tf.fused.conv2d({ x: T([1, 8, 8, 4], 7), filter: T([1, 1, 4, 6], 8), bias: T([6], 9), activation: 'relu', strides: 1, pad: 'same' }), ['FusedConv2D']],
  fusedConvRelu6: [() => tf.fused.conv2d({ x: T([1, 8, 8, 4], 10), filter: T([3, 3, 4, 6], 11), bias: T([6], 12), activation: 'relu6', strides: 2, pad: 'same' }), ['FusedConv2D']],
  depthwise: [() => tf.depthwiseConv2d(T([1, 10, 10, 6], 13), T([3, 3, 6, 1], 14), 2, 'same'), ['DepthwiseConv2dNative']],
  depthwiseMultiplier: [() => tf.depthwiseConv2d(T([2, 6, 6, 3], 15), T([3, 3, 3, 2], 16), 1, 'valid'), ['DepthwiseConv2dNative']],
  fusedDepthwise: [() => tf.fused.depthwiseConv2d({ x: T([1, 8, 8, 4], 17), filter: T([3, 3, 4, 1], 18), bias: T([4], 19), activation: 'relu6', strides: 1, pad: 'same' }), ['FusedDepthwiseConv2D']],
  matMul: [() => tf.matMul(T([5, 7], 20), T([7, 3], 21)), ['BatchMatMul']],
  matMulTransposed: [() => tf.matMul(T([7, 5], 22), T([3, 7], 23), true, true), ['BatchMatMul']],
  batchMatMul: [() => tf.matMul(T([3, 4, 6], 24), T([3, 6, 2], 25)), ['BatchMatMul']],
  fusedMatMul: [() => tf.fused.matMul({ a: T([4, 8], 26), b: T([8, 5], 27), bias: T([5], 28), activation: 'relu' }), ['_FusedMatMul']],
  add: [() => tf.add(T([2, 3, 4], 29), T([4], 30)), ['Add']],
  sub: [() => tf.sub(T([2, 3, 4], 31), T([3, 1], 32)), ['Sub']],
  mul: [() => tf.mul(T([2, 3, 4], 33), T([2, 3, 4], 34)), ['Multiply']],
  div: [() => tf.div(T([6, 4], 35), T([6, 4], 36, 0.5, 2)), ['RealDiv']],
  maximum: [() => tf.maximum(T([6, 4], 37), T([1], 38)), ['Maximum']],
  minimum: [() => tf.minimum(T([6, 4], 39), T([6, 4], 40)), ['Minimum']],
  relu: [() => tf.relu(T([3, 5], 41)), ['Relu']],
  relu6: [() => tf.relu6(T([3, 5], 42, -10, 10)), ['Relu6']],
  elu: [() => tf.elu(T([3, 5], 43)), ['Elu']],
  sigmoid: [() => tf.sigmoid(T([3, 5], 44, -5, 5)), ['Sigmoid']],
  tanh: [() => tf.tanh(T([3, 5], 45, -3, 3)), ['Tanh']],
  leakyRelu: [() => tf.leakyRelu(T([3, 5], 46), 0.1), ['LeakyRelu']],
  clip: [() => tf.clipByValue(T([3, 5], 47, -3, 3), -1, 2), ['ClipByValue']],
  softmax: [() => tf.softmax(T([4, 10], 48, -4, 4)), ['Softmax']],
  avgPoolSame: [() => tf.avgPool(T([1, 9, 9, 3], 49), 3, 2, 'same'), ['AvgPool']],
  avgPoolValid: [() => tf.avgPool(T([2, 8, 8, 2], 50), 2, 2, 'valid'), ['AvgPool']],
  maxPool: [() => tf.maxPool(T([1, 9, 9, 3], 51), 3, 1, 'same'), ['MaxPool']],
  meanSpatial: [() => tf.mean(T([2, 7, 7, 5], 52), [1, 2]), ['Mean']],
  sumSpatialKeep: [() => tf.sum(T([1, 4, 5, 3], 53), [1, 2], true), ['Sum']],
  maxSpatial: [() => tf.max(T([1, 4, 5, 3], 54), [1, 2]), ['Max']],
  reshape: [() => tf.reshape(tf.relu(T([2, 6], 55)), [3, 4]), ['Relu']],
  transpose: [() => tf.transpose(T([2, 3, 4], 56), [2, 0, 1]), ['Transpose']],
  concat: [() => tf.concat([T([2, 3, 1], 57), T([2, 3, 4], 58)], 2), ['Concat']],
  expandSqueeze: [() => tf.squeeze(tf.expandDims(tf.tanh(T([3, 4], 59)), 1)), ['Tanh']],
  batchNorm: [() => tf.batchNorm(T([1, 4, 4, 6], 60), T([6], 61), T([6], 62, 0.5, 2), T([6], 63), T([6], 64)), ['FusedBatchNorm']],
};

// Optional kernels: covered on the engine only when it registers the ops (checked, not assumed).
const OPTIONAL = {
  pad: [() => tf.pad(T([1, 5, 5, 2], 65), [[0, 0], [1, 2], [0, 1], [0, 0]]), ['PadV2'], ['pad']],
  slice: [() => tf.slice(T([4, 6, 3], 66), [1, 2, 0], [2, 3, 3]), ['Slice'], ['slice']],
  meanLastAxis: [() => tf.mean(T([3, 8], 67), 1), ['Mean'], ['reduceMean']],
  castIntToFloat: [() => tf.add(tf.cast(tf.tensor([1, -2, 3, 7], [4], 'int32'), 'float32'), T([4], 68)), ['Cast', 'Add'], ['cast']],
  sqrt: [() => tf.sqrt(T([3, 5], 69, 0.1, 4)), ['Sqrt'], ['sqrt']],
  exp: [() => tf.exp(T([3, 5], 70)), ['Exp'], ['exp']],
  resizeBilinearHalfPixel: [() => tf.image.resizeBilinear(T([1, 5, 6, 2], 71), [9, 4], false, true), ['ResizeBilinear'], ['resample2d']],
  prelu: [() => tf.prelu(T([2, 5], 72), T([5], 73, 0, 0.5)), ['Prelu'], []],
  split: [() => tf.concat(tf.split(tf.relu(T([2, 9, 3], 74)), [2, 3, 4], 1).map((t, i) => tf.mul(t, i + 1)), 1), ['SplitV'], ['split']],
  unstackStack: [() => tf.stack(tf.unstack(T([3, 4, 2], 75), 1).reverse(), 2), ['Unpack', 'Pack'], ['split', 'concat']],
  tile: [() => tf.tile(T([2, 3], 76), [2, 3]), ['Tile'], ['tile']],
  reverse: [() => tf.reverse(T([3, 4, 2], 77), [0, 2]), ['Reverse'], ['reverse']],
  gather: [() => tf.gather(T([5, 3], 78), tf.tensor1d([4, 0, 2, 2], 'int32'), 0), ['GatherV2'], ['gather']],
  stridedSlice: [() => tf.stridedSlice(T([6, 8, 3], 79), [1, 0, 0], [6, 8, 2], [2, 3, 1]), ['StridedSlice'], ['slice']],
  mirrorPad: [() => tf.mirrorPad(T([1, 4, 4, 2], 80), [[0, 0], [2, 1], [1, 2], [0, 0]], 'reflect'), ['MirrorPad'], ['pad']],
  cumsum: [() => tf.cumsum(T([3, 6], 81), 1, true, true), ['Cumsum'], ['cumulativeSum']],
  argMax: [() => tf.cast(tf.argMax(T([4, 7], 82), 1), 'float32'), ['ArgMax'], ['argMax']],
  compareSelect: [() => { const a = T([3, 5], 83); const b = T([3, 5], 84); return tf.where(tf.logicalAnd(tf.greater(a, b), tf.logicalNot(tf.equal(a, b))), a, tf.neg(b)); },
    ['Greater', 'Equal', 'LogicalNot', 'LogicalAnd', 'Select'], ['greater', 'equal', 'logicalNot', 'logicalAnd', 'where']],
};

async function runOn(backend, fn) {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const y = tf.tidy(fn);
  const data = await y.data();
  const shape = y.shape;
  y.dispose();
  return { data, shape, leaked: tf.memory().numTensors - before };
}

function maxAbsDiff(a, b) {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

// Kernel calls of the engine path vs. the fallback, counted per kernel name.
function fallbackCounts() {
  return new Map(tf.findBackend(BACKEND_NAME).stats.fallbackKernels);
}

test('the backend registers and initializes on the engine', async () => {
  assert.ok(await tf.setBackend(BACKEND_NAME));
  assert.equal(tf.getBackend(), BACKEND_NAME);
  assert.ok(ENGINE_KERNELS.includes('FusedConv2D'));
  assert.ok(FALLBACK_KERNELS.includes('TopK'));
  assert.ok(!FALLBACK_KERNELS.includes('Conv2D'));
});

// fn's result on our backend equals tfjs-backend-cpu's (2e-5 absolute), leaks no tensor, and none
// of `kernels` fell back to the CPU while it ran.
async function assertAgreesWithCpuOnEngine(fn, kernels) {
  const fb0 = fallbackCounts();
  const ours = await runOn(BACKEND_NAME, fn);
  const fb1 = fallbackCounts();
  const ref = await runOn('cpu', fn);
  assert.deepEqual(ours.shape, ref.shape);
  assert.equal(ours.data.length, ref.data.length);
  const d = maxAbsDiff(ours.data, ref.data);
  assert.ok(d <= 2e-5, `max abs diff ${d}: ${Array.from(ours.data).slice(0, 12)} vs ${Array.from(ref.data).slice(0, 12)}`);
  assert.equal(ours.leaked, 0, 'tensors leaked');
  for (const k of kernels) assert.equal(fb1.get(k) || 0, fb0.get(k) || 0, `${k} fell back to the CPU`);
}

for (const [name, [fn, kernels]] of Object.entries(CASES)) {
  test(`kernel ${name} agrees with tfjs-backend-cpu and runs on the engine`, async () => {
    await assertAgreesWithCpuOnEngine(fn, kernels);
  });
}

for (const [name, [fn, kernels, ops]] of Object.entries(OPTIONAL)) {
  test(`kernel ${name} agrees with tfjs-backend-cpu (on the engine when it has ${ops.join(', ') || 'the ops'})`, async () => {
    await tf.setBackend(BACKEND_NAME);
    const engineHas = ops.every((op) => tf.backend().has(op));
    const fb0 = fallbackCounts();
    const ours = await runOn(BACKEND_NAME, fn);
    const fb1 = fallbackCounts();
    const ref = await runOn('cpu', fn);
    assert.deepEqual(ours.shape, ref.shape);
    const d = maxAbsDiff(ours.data, ref.data);
    assert.ok(d <= 2e-5, `max abs diff ${d}`);
    assert.equal(ours.leaked, 0, 'tensors leaked');
    if (engineHas) for (const k of kernels) assert.equal(fb1.get(k) || 0, fb0.get(k) || 0, `${k} fell back to the CPU`);
  });
}

test('kernels without an engine path run on tfjs-backend-cpu (topk, int32 math, floorDiv, oneHot)', async () => {
  const fn = () => {
    const x = T([3, 10], 80);
    const { values, indices } = tf.topk(x, 3);
    return tf.concat([values, tf.cast(indices, 'float32'), tf.slice(tf.floorDiv(x, tf.scalar(0.3)), [0, 0], [3, 2]),
      tf.cast(tf.oneHot(tf.tensor1d([1, 0, 1], 'int32'), 2), 'float32'),
      tf.cast(tf.add(tf.reshape(tf.argMax(x, 1), [3, 1]), tf.tensor([[2]], [1, 1], 'int32')), 'float32')], 1);
  };
  const ours = await runOn(BACKEND_NAME, fn);
  const ref = await runOn('cpu', fn);
  assert.deepEqual(ours.shape, [3, 11]);
  assert.ok(maxAbsDiff(ours.data, ref.data) <= 1e-5);
  assert.equal(ours.leaked, 0);
  assert.ok(fallbackCounts().get('TopK') >= 1);
});

test('data stays in the heap between kernels; readback copies out once; dispose frees', async () => {
  await tf.setBackend(BACKEND_NAME);
  const be = tf.backend();
  const ids0 = be.numDataIds();
  const x = T([1, 16, 16, 8], 90);
  const w = T([3, 3, 8, 8], 91);
  const d0 = be.stats.downloads;
  const u0 = be.stats.uploads;
  const y = tf.tidy(() => tf.relu(tf.conv2d(tf.sigmoid(tf.conv2d(x, w, 1, 'same')), w, 1, 'same')));
  assert.equal(be.stats.downloads, d0, 'no data left the heap between kernels');
  const a = y.dataSync();
  assert.equal(be.stats.uploads, u0 + 1, 'the input uploaded once (the filter is baked as a constant)');
  assert.equal(be.stats.downloads, d0 + 1, 'only the result copied out');
  const b = await y.data();
  assert.equal(be.stats.downloads, d0 + 1, 'one copy out for two reads');
  assert.deepEqual(Array.from(a), Array.from(b));
  tf.dispose([x, w, y]);
  assert.equal(be.numDataIds(), ids0);
});

test('graphs are cached per shapes and attributes; disposing a baked weight drops its graphs', async () => {
  await tf.setBackend(BACKEND_NAME);
  const be = tf.backend();
  const w = T([3, 3, 4, 4], 92);
  const g0 = be.stats.graphBuilds;
  for (let i = 0; i < 3; i++) tf.tidy(() => tf.conv2d(T([1, 6, 6, 4], 93 + i), w, 1, 'same').dataSync());
  assert.equal(be.stats.graphBuilds, g0 + 1);
  tf.tidy(() => tf.conv2d(T([1, 8, 8, 4], 99), w, 1, 'same').dataSync());
  assert.equal(be.stats.graphBuilds, g0 + 2);
  const cached = be.graphs.size + be.wholeGraphs.size;
  w.dispose();
  assert.equal(be.graphs.size + be.wholeGraphs.size, cached - 2);
});

test('disposing the backend frees its engine tensors and graphs; it can be registered again', async () => {
  const { WebNNWasmBackend } = await import('../../js/tfjs/index.js');
  const { ml } = await import('../../js/index.js');
  await tf.setBackend(BACKEND_NAME);
  const kept = tf.tidy(() => tf.relu(tf.conv2d(T([1, 8, 8, 3], 95), T([3, 3, 3, 4], 96), 1, 'same')));
  assert.equal(kept.dataSync().length, 8 * 8 * 4);
  const be = tf.backend();
  assert.ok(be.heapTensors.size >= 1 && be.graphs.size + be.wholeGraphs.size >= 1);
  tf.removeBackend(BACKEND_NAME);
  assert.equal(be.heapTensors.size, 0);
  assert.equal(be.graphs.size + be.wholeGraphs.size, 0);
  tf.registerBackend(BACKEND_NAME, async () => new WebNNWasmBackend(await ml.createContext({ numThreads: 1 })), 3);
  assert.ok(await tf.setBackend(BACKEND_NAME));
  const y = tf.tidy(() => tf.sigmoid(tf.conv2d(T([1, 8, 8, 3], 95), T([3, 3, 3, 4], 96), 1, 'same')));
  assert.equal(tf.backend().stats.fallbacks, 0);
  assert.equal(y.dataSync().length, 8 * 8 * 4);
});

// ---- tfjs-core's semantics where WebNN's differ (issue #15; tfjs-core's suite checks them too) ----

// Elementwise agreement where equal non-finite values (NaN, ±Infinity) count as equal.
function maxDiffNonFinite(a, b) {
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    if (Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) continue;
    d = Math.max(d, Number.isFinite(a[i]) && Number.isFinite(b[i]) ? Math.abs(a[i] - b[i]) : Infinity);
  }
  return d;
}
const withNaN = (shape, seed, every) => {
  const v = seeded(shape.reduce((a, b) => a * b, 1), seed, -2, 2);
  for (let i = 0; i < v.length; i += every) v[i] = NaN;
  return tf.tensor(v, shape);
};

const TFJS_SEMANTICS = {
  // sign(NaN) = 0 in TF.js; WebNN's sign keeps NaN.
  signNaN: [() => tf.sign(withNaN([4, 5], 200, 3)), ['Sign']],
  // argMax/argMin skip NaNs, but a NaN first element is the answer (index 0); ties keep the first.
  argMaxNaN: [() => tf.cast(tf.argMax(tf.tensor2d([0, 3, 5, NaN, 3, NaN, 1, 7, 7, 2, NaN, NaN, NaN, NaN, NaN], [3, 5]), 1), 'float32'), ['ArgMax']],
  argMinNaN: [() => tf.cast(tf.argMin(tf.tensor3d([5, 0, NaN, -1, 3, NaN, 4, -2, -2, 1], [2, 1, 5]), -1), 'float32'), ['ArgMin']],
  argMaxNaNAxis0: [() => tf.cast(tf.argMax(withNaN([6, 4], 201, 5), 0), 'float32'), ['ArgMax']],
  // maxPool skips NaNs; a window of only NaNs gives -Infinity.
  maxPoolNaN: [() => tf.maxPool(tf.tensor4d([1, 2, 3, 4, 5, 6, 7, NaN, 9], [1, 3, 3, 1]), 2, 1, 'valid'), ['MaxPool']],
  maxPoolAllNaNWindow: [() => tf.maxPool(tf.tensor4d([NaN, NaN, 1, NaN, NaN, 2, 3, 4, 5], [1, 3, 3, 1]), 2, 1, 'valid'), ['MaxPool']],
  maxPoolNaNSame: [() => tf.maxPool(withNaN([1, 7, 7, 3], 202, 4), 3, 2, 'same'), ['MaxPool']],
  // Fused conv2d with a bias that broadcasts (not one value per output channel). The engine's
  // fusion pass once took add(conv2d, scalar constant) for a per-channel bias and read past the
  // constant (tfjs-core's "basic with broadcasted bias and relu" got 0,2,0,5 for 0,7,0,10).
  fusedConvScalarBias: [() => tf.fused.conv2d({ x: tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [2, 2, 2, 2]),
    filter: tf.tensor4d([-1, 1, -2, 0.5], [1, 1, 2, 2]), bias: tf.scalar(5), activation: 'relu', strides: 1, pad: 0 }), ['FusedConv2D']],
  fusedConvBias1: [() => tf.fused.conv2d({ x: T([1, 6, 6, 3], 203), filter: T([3, 3, 3, 4], 204), bias: T([1], 205), activation: 'relu', strides: 1, pad: 'same' }), ['FusedConv2D']],
  fusedConvBias1111: [() => tf.fused.conv2d({ x: T([1, 6, 6, 3], 206), filter: T([3, 3, 3, 4], 207), bias: T([1, 1, 1, 1], 208), activation: 'relu6', strides: 2, pad: 'same' }), ['FusedConv2D']],
  fusedConvSpatialBias: [() => tf.fused.conv2d({ x: T([2, 5, 5, 2], 209), filter: T([1, 1, 2, 3], 210), bias: T([5, 5, 1], 211), activation: 'relu', strides: 1, pad: 'valid' }), ['FusedConv2D']],
  fusedConvComputedScalarBias: [() => tf.fused.conv2d({ x: T([1, 4, 4, 2], 212), filter: T([1, 1, 2, 3], 213), bias: tf.relu(tf.scalar(0.7)), activation: 'relu', strides: 1, pad: 'same' }), ['FusedConv2D']],
  fusedDepthwiseScalarBias: [() => tf.fused.depthwiseConv2d({ x: T([1, 5, 5, 3], 214), filter: T([3, 3, 3, 1], 215), bias: tf.scalar(-0.25), activation: 'relu', strides: 1, pad: 'same' }), ['FusedDepthwiseConv2D']],
  fusedMatMulScalarBias: [() => tf.fused.matMul({ a: T([3, 6], 216), b: T([6, 4], 217), bias: tf.scalar(0.5), activation: 'relu' }), ['_FusedMatMul']],
  // Found by the TF.js differential fuzzer (test/js/tfjs-fuzz-lib.mjs):
  // floorDiv of float32 is int32 on tfjs-backend-cpu (and -webgl); a zero divisor gives 0.
  floorDivFloat: [() => tf.cast(tf.floorDiv(tf.tensor1d([7.5, -7.5, 3, -3, 1, 0, 2.5e9]), tf.tensor1d([2, 2, -0.5, 0.5, 0, 0, 0.25])), 'float32'), ['FloorDiv']],
  // float32 -> int32 as an Int32Array stores it: NaN and ±Infinity 0, beyond int32 wrapped.
  castToInt32: [() => tf.cast(tf.cast(tf.tensor1d([NaN, Infinity, -Infinity, 3e9, -5e9, 1e20, 2.7, -2.7, -0, 2147483520, -2147483648]), 'int32'), 'float32'), ['Cast']],
  // sign(-0) = +0 in TF.js (1 / sign gives +Infinity); the engine's sign keeps -0.
  signNegativeZero: [() => tf.div(tf.scalar(1), tf.sign(tf.tensor1d([-0, 0, -2]))), ['Sign']],
  // tanh(-0) = -0 (1 / tanh gives -Infinity), as Math.tanh.
  tanhNegativeZero: [() => tf.div(tf.scalar(1), tf.tanh(tf.tensor1d([-0, 0, -1e-30, 0.5]))), ['Tanh']],
  // Data movement on bool and int32, not only float32.
  boolDataMovement: [() => {
    const m = tf.greater(T([2, 3, 4], 230), tf.scalar(0));
    const moved = tf.concat([tf.transpose(tf.slice(m, [0, 1, 0], [2, 2, 4]), [0, 2, 1]), tf.mirrorPad(tf.transpose(m, [0, 2, 1]), [[0, 0], [0, 0], [1, 0]], 'reflect')], 2);
    return tf.cast(tf.pad(moved, [[0, 1], [1, 0], [0, 0]], 1), 'float32');
  }, ['Concat', 'Transpose', 'Slice', 'MirrorPad', 'PadV2']],
  padInt32: [() => tf.cast(tf.pad(tf.tensor2d([1, -2, 3, 4], [2, 2], 'int32'), [[1, 0], [0, 2]], -7), 'float32'), ['PadV2']],
  mirrorPadSymmetric: [() => tf.mirrorPad(T([1, 3, 4, 2], 231), [[0, 0], [3, 1], [0, 2], [1, 1]], 'symmetric'), ['MirrorPad']],
  // pow is Math.pow: pow(±1, ±Infinity) and pow(±1, NaN) are NaN (IEEE's pow: 1 for base 1).
  powUnitBase: [() => tf.pow(tf.tensor1d([1, 1, 1, -1, -1, 2, NaN, 0, 0, -2]), tf.tensor1d([NaN, Infinity, -Infinity, Infinity, NaN, NaN, 0, 0, -1, 3])), ['Pow']],
  powConstantExponent: [() => tf.pow(T([3, 4], 234, 0.1, 2), tf.scalar(2.5)), ['Pow']],
  selu: [() => tf.selu(withNaN([3, 7], 232, 2)), ['Selu']],
  step: [() => tf.step(withNaN([3, 7], 233, 2), 0.25), ['Step']],
};

for (const [name, [fn, kernels]] of Object.entries(TFJS_SEMANTICS)) {
  test(`tfjs semantics: ${name} agrees with tfjs-backend-cpu on the engine`, async () => {
    const fb0 = fallbackCounts();
    const ours = await runOn(BACKEND_NAME, fn);
    const fb1 = fallbackCounts();
    const ref = await runOn('cpu', fn);
    assert.deepEqual(ours.shape, ref.shape);
    const d = maxDiffNonFinite(ours.data, ref.data);
    assert.ok(d <= 2e-5, `max abs diff ${d}: ${Array.from(ours.data).slice(0, 16)} vs ${Array.from(ref.data).slice(0, 16)}`);
    assert.equal(ours.leaked, 0, 'tensors leaked');
    for (const k of kernels) assert.equal(fb1.get(k) || 0, fb0.get(k) || 0, `${k} fell back to the CPU`);
  });
}

// CPU kernels that return engine-tracked Tensors (makeOutput) or take arrays of tensors, and
// gradients whose CPU kernels read `rank`: they crashed in engine.moveData on the fallback path.
const FALLBACK_SHAPES = {
  absInt32: () => tf.cast(tf.abs(tf.tensor1d([-3, 0, 7, -1], 'int32')), 'float32'),
  absComplex64: () => tf.abs(tf.complex([-2, -1, 3], [4, 3, -0.5])),
  raggedGather: () => {
    const r = tf.raggedGather([tf.tensor1d([0, 3, 3, 7, 9], 'int32')], tf.tensor1d([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]),
      tf.tensor1d([2, 1, 0, 3], 'int32'), 1);
    return tf.concat([tf.cast(r.outputNestedSplits[0], 'float32'), r.outputDenseValues]);
  },
  raggedTensorToTensor: () => tf.raggedTensorToTensor([4, 4], tf.tensor1d([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]), tf.scalar(1.5),
    [tf.tensor1d([0, 3, 3, 7, 9], 'int32')], ['ROW_SPLITS']),
  dilation2dGradient: () => {
    const x = T([1, 4, 4, 2], 220);
    const f = T([2, 2, 2], 221);
    const [dx, df] = tf.grads((a, b) => tf.dilation2d(a, b, 1, 'same'))([x, f]);
    return tf.concat([tf.reshape(dx, [-1]), tf.reshape(df, [-1])]);
  },
};
for (const [name, fn] of Object.entries(FALLBACK_SHAPES)) {
  test(`fallback: ${name} agrees with tfjs-backend-cpu and leaks no tensor`, async () => {
    // tfjs-core's Node bundle registers no gradients; @tensorflow/tfjs does (into the shared registry).
    if (name.endsWith('Gradient')) await import('@tensorflow/tfjs');
    const ours = await runOn(BACKEND_NAME, fn);
    const ref = await runOn('cpu', fn);
    assert.deepEqual(ours.shape, ref.shape);
    assert.ok(maxAbsDiff(ours.data, ref.data) <= 1e-6);
    assert.equal(ours.leaked, 0, 'tensors leaked');
  });
}

test('tfjs semantics: floorDiv of float32 tensors is int32, as on tfjs-backend-cpu', async () => {
  for (const backend of ['cpu', BACKEND_NAME]) {
    await tf.setBackend(backend);
    const q = tf.floorDiv(tf.tensor1d([7.5, -7.5]), tf.scalar(2));
    assert.equal(q.dtype, 'int32', backend);
    assert.deepEqual(Array.from(await q.data()), [3, -4]);
    q.dispose();
  }
});

test('tfjs semantics: expandDims with an out-of-range axis and concat of mismatched shapes throw', async () => {
  await tf.setBackend(BACKEND_NAME);
  assert.throws(() => tf.expandDims(tf.tensor1d([1, 2, 3]), -3), /Axis must be/);
  assert.throws(() => tf.expandDims(tf.tensor2d([1, 2, 3, 4], [2, 2]), 3), /Axis must be/);
  assert.deepEqual(tf.expandDims(tf.tensor1d([1, 2, 3]), -2).shape, [1, 3]);
  assert.throws(() => tf.concat3d([tf.tensor3d([1, 11, 111], [1, 1, 3]), tf.tensor3d([], [1, 0, 4])], 1));
  assert.throws(() => tf.concat([tf.zeros([2, 3]), tf.zeros([3, 3])], 1));
});

// ---- Kernels of converted graph models that now run on the engine (issue #15) ----
const I = (shape, seed, lo, hi) => tf.tensor(Int32Array.from(seeded(shape.reduce((a, b) => a * b, 1), seed, lo, hi), Math.round), shape, 'int32');

const MODEL_KERNELS = {
  conv2dTransposeSame: [() => tf.conv2dTranspose(T([2, 5, 5, 4], 300), T([3, 3, 6, 4], 301), [2, 10, 10, 6], 2, 'same'), ['Conv2DBackpropInput']],
  conv2dTransposeValid: [() => tf.conv2dTranspose(T([1, 4, 3, 3], 302), T([2, 3, 5, 3], 303), [1, 5, 5, 5], 1, 'valid'), ['Conv2DBackpropInput']],
  conv2dTransposeStride2Odd: [() => tf.conv2dTranspose(T([1, 4, 4, 2], 304), T([3, 3, 3, 2], 305), [1, 7, 7, 3], 2, 'same'), ['Conv2DBackpropInput']],
  conv2dTransposeExplicitPad: [() => tf.conv2dTranspose(T([1, 5, 5, 2], 306), T([3, 3, 2, 2], 307), [1, 7, 7, 2], 1, [[0, 0], [0, 0], [0, 0], [0, 0]]), ['Conv2DBackpropInput']],
  depthToSpace: [() => tf.depthToSpace(T([2, 3, 4, 8], 308), 2), ['DepthToSpace']],
  depthToSpaceBlock3: [() => tf.depthToSpace(T([1, 2, 2, 9], 309), 3), ['DepthToSpace']],
  gatherNd: [() => tf.gatherND(T([4, 5, 3], 310), tf.tensor2d([[1, 2], [3, 0], [0, 4], [3, 4]], [4, 2], 'int32')), ['GatherNd']],
  gatherNdFull: [() => tf.gatherND(I([3, 4], 311, -9, 9), tf.tensor3d([0, 0, 2, 3, 1, 1, 2, 0], [2, 2, 2], 'int32')), ['GatherNd']],
  addInt32: [() => tf.add(I([3, 4], 312, -1000, 1000), I([4], 313, -1000, 1000)), ['Add']],
  subInt32: [() => tf.sub(I([3, 4], 314, -1000, 1000), I([3, 1], 315, -1000, 1000)), ['Sub']],
  mulInt32: [() => tf.mul(I([3, 4], 316, -300, 300), I([3, 4], 317, -300, 300)), ['Multiply']],
  maxMinInt32: [() => tf.minimum(tf.maximum(I([5, 4], 318, -20, 20), I([4], 319, -5, 5)), tf.scalar(9, 'int32')), ['Maximum', 'Minimum']],
  absNegSquareInt32: [() => tf.square(tf.neg(tf.abs(I([6, 3], 320, -40, 40)))), ['Abs', 'Neg', 'Square']],
  // floor semantics with negative operands and a zero divisor (TF.js gives 0 for int32)
  floorDivInt32: [() => tf.floorDiv(tf.tensor1d([7, -7, 7, -7, 6, -6, 0, 5, -5, 3], 'int32'), tf.tensor1d([2, 2, -2, -2, 3, 3, 4, 0, 0, -1], 'int32')), ['FloorDiv']],
  floorDivInt32Broadcast: [() => tf.floorDiv(I([4, 6], 321, -100, 100), tf.tensor1d([3, -3, 7, -7, 1, 2], 'int32')), ['FloorDiv']],
  reduceInt32: [() => tf.concat([tf.sum(I([3, 4, 5], 328, -50, 50), [0, 2]), tf.max(I([3, 4, 5], 329, -50, 50), 1).reshape([-1]),
    tf.min(I([4, 5], 330, -50, 50), 0), tf.prod(I([4, 3], 331, -4, 4), 0)]), ['Sum', 'Max', 'Min', 'Prod']],
  floatTests: [() => { const x = tf.tensor1d([0, NaN, Infinity, -Infinity, -2.5, 3e38]); return tf.cast(tf.concat([tf.isNaN(x), tf.isInf(x), tf.isFinite(x)]), 'int32'); },
    ['IsNan', 'IsInf', 'IsFinite']],
  roundHalfEven: [() => tf.round(tf.tensor1d([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.4, -2.6, 7.5001])), ['Round']],
  floorDivFloat: [() => tf.floorDiv(T([4, 5], 322, -10, 10), T([5], 323, 0.5, 3)), ['FloorDiv']],
  castToBool: [() => tf.cast(tf.cast(tf.tensor1d([0, 1.5, -0, NaN, -3]), 'bool'), 'int32'), ['Cast']],
  castBoolToFloat: [() => tf.cast(tf.greater(T([3, 4], 324), T([3, 4], 325)), 'float32'), ['Cast']],
  fill: [() => tf.fill([3, 4], 2.5), ['Fill']],
  fillInt32: [() => tf.fill([2, 3], -7, 'int32'), ['Fill']],
  fillSameValueTwoShapes: [() => tf.concat([tf.fill([2, 2], 2.5).reshape([-1]), tf.fill([3, 3], 2.5).reshape([-1])]), ['Fill']],
  zerosLike: [() => tf.zerosLike(T([3, 5], 326)), ['ZerosLike']],
  onesLikeInt32: [() => tf.onesLike(I([2, 2], 327, 0, 5)), ['OnesLike']],
  range: [() => tf.range(-3, 7, 0.7), ['Range']],
  rangeNegativeStep: [() => tf.range(10, -5, -1.3), ['Range']],
  rangeInt32: [() => tf.range(2, 40, 3, 'int32'), ['Range']],
  oneHot: [() => tf.oneHot(tf.tensor1d([0, 3, 1, -1, 4, 2], 'int32'), 4), ['OneHot']],
  oneHotFloat2d: [() => tf.oneHot(tf.tensor2d([1, 0, 2, 2], [2, 2], 'int32'), 3, 5, -1, 'float32'), ['OneHot']],
};

for (const [name, [fn, kernels]] of Object.entries(MODEL_KERNELS)) {
  test(`model kernel ${name} agrees with tfjs-backend-cpu and runs on the engine`, async () => {
    await assertAgreesWithCpuOnEngine(fn, kernels);
  });
}
