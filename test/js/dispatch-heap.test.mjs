// Dispatch allocates nothing (issue #13): for every operator opSupportLimits() lists (and the
// weight-handling variants of conv2d, convTranspose2d, gemm, matmul and the recurrent ops), a small
// graph is built and dispatched once, then dispatched again many times: the engine's malloc
// in-use counter (heapStats().bytesInUse) must not move by a single byte. The native Catch2 test
// test/native/runtime/dispatch_alloc.cpp counts every malloc call during dispatch, which also
// catches an allocation freed before dispatch returns; this test checks the Wasm builds end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skip, ml, MLGraphBuilder, ARRAYS } from './ops-helpers.mjs';
import * as api from '../../js/index.js';
import { createRunningContext } from './threads.mjs';

const f32 = (shape, constant = false) => ({ dataType: 'float32', shape, constant });
const typed = (dataType, shape, constant = false) => ({ dataType, shape, constant });

// [op, variant, { name: descriptor }, (builder, operands) => output(s)]
function specialCases() {
  const c = [];
  const add = (op, variant, inputs, build) => c.push({ op, variant, inputs, build });
  for (const k of [true, false]) {
    const v = k ? 'constant weights' : 'weights computed by the graph';
    add('conv2d', `${v}, nchw, bias`, { x: f32([1, 3, 6, 6]), w: f32([4, 3, 3, 3], k), bias: f32([4], k) },
      (b, o) => b.conv2d(o.x, o.w, { bias: o.bias, padding: [1, 1, 1, 1] }));
    add('conv2d', `${v}, nhwc depthwise`, { x: f32([1, 5, 5, 4]), w: f32([1, 3, 3, 4], k) },
      (b, o) => b.conv2d(o.x, o.w, { inputLayout: 'nhwc', filterLayout: 'ihwo', groups: 4 }));
    add('conv2d', `${v}, nhwc 1x1`, { x: f32([1, 4, 4, 3]), w: f32([5, 1, 1, 3], k) },
      (b, o) => b.conv2d(o.x, o.w, { inputLayout: 'nhwc', filterLayout: 'ohwi' }));
    add('convTranspose2d', v, { x: f32([1, 2, 3, 3]), w: f32([2, 3, 3, 3], k), bias: f32([3], k) },
      (b, o) => b.convTranspose2d(o.x, o.w, { bias: o.bias, strides: [2, 2] }));
    add('gemm', v, { a: f32([3, 4]), w: f32([5, 4], k), c: f32([5], k) },
      (b, o) => b.gemm(o.a, o.w, { c: o.c, bTranspose: true, alpha: 0.5 }));
    add('gemm', `${v}, aTranspose`, { a: f32([4, 3]), w: f32([4, 5], k) }, (b, o) => b.gemm(o.a, o.w, { aTranspose: true }));
    add('matmul', v, { a: f32([2, 3, 4]), w: f32([4, 5], k) }, (b, o) => b.matmul(o.a, o.w));
    add('gru', v, { x: f32([2, 1, 3]), w: f32([2, 12, 3], k), r: f32([2, 12, 4], k), bias: f32([2, 12], k) },
      (b, o) => b.gru(o.x, o.w, o.r, 2, 4, { bias: o.bias, direction: 'both', returnSequence: true }));
    add('gruCell', v, { x: f32([1, 3]), w: f32([12, 3], k), r: f32([12, 4], k), h: f32([1, 4]) },
      (b, o) => b.gruCell(o.x, o.w, o.r, o.h, 4));
    add('lstm', v, { x: f32([2, 1, 3]), w: f32([1, 16, 3], k), r: f32([1, 16, 4], k), p: f32([1, 12], k) },
      (b, o) => b.lstm(o.x, o.w, o.r, 2, 4, { peepholeWeight: o.p }));
    add('lstmCell', v, { x: f32([1, 3]), w: f32([16, 3], k), r: f32([16, 4], k), h: f32([1, 4]), c: f32([1, 4]) },
      (b, o) => b.lstmCell(o.x, o.w, o.r, o.h, o.c, 4));
  }
  add('conv2d', 'filter = w + 0 (an intermediate)', { x: f32([1, 3, 6, 6]), w: f32([4, 3, 3, 3]), z: f32([1]) },
    (b, o) => b.conv2d(o.x, b.add(o.w, o.z)));
  add('conv2d', 'nchw chain (layout pass)', { x: f32([1, 3, 6, 6]), w: f32([4, 3, 3, 3], true), w2: f32([2, 4, 1, 1], true) },
    (b, o) => b.conv2d(b.conv2d(o.x, o.w), o.w2));
  for (const pool of ['averagePool2d', 'maxPool2d', 'l2Pool2d']) {
    add(pool, 'nchw', { x: f32([1, 3, 5, 5]) }, (b, o) => b[pool](o.x, { windowDimensions: [3, 3], strides: [2, 2] }));
    add(pool, 'nhwc', { x: f32([1, 5, 5, 3]) }, (b, o) => b[pool](o.x, { windowDimensions: [2, 2], layout: 'nhwc' }));
  }
  for (const it of ['int32', 'uint32', 'int64']) {
    const v = `indices ${it}`;
    add('gather', v, { x: f32([3, 4, 5]), i: typed(it, [2, 2]) }, (b, o) => b.gather(o.x, o.i, { axis: 1 }));
    add('gatherElements', v, { x: f32([3, 4, 5]), i: typed(it, [3, 2, 5]) }, (b, o) => b.gatherElements(o.x, o.i, { axis: 1 }));
    add('gatherND', v, { x: f32([3, 4, 5]), i: typed(it, [2, 2]) }, (b, o) => b.gatherND(o.x, o.i));
    add('scatterElements', v, { x: f32([3, 4, 5]), i: typed(it, [3, 2, 5]), u: f32([3, 2, 5]) },
      (b, o) => b.scatterElements(o.x, o.i, o.u, { axis: 1 }));
    add('scatterND', v, { x: f32([3, 4, 5]), i: typed(it, [2, 2]), u: f32([2, 5]) }, (b, o) => b.scatterND(o.x, o.i, o.u));
  }
  add('transpose', 'rank 8', { x: typed('int8', [2, 1, 3, 1, 2, 2, 1, 3]) },
    (b, o) => b.transpose(o.x, { permutation: [7, 0, 6, 1, 5, 2, 4, 3] }));
  add('transpose', 'default', { x: f32([2, 3, 4]) }, (b, o) => b.transpose(o.x));
  add('conv2d', 'float16, filter computed by the graph', { x: typed('float16', [1, 2, 5, 5]), w: typed('float16', [3, 2, 3, 3]) },
    (b, o) => b.conv2d(o.x, o.w));
  add('matmul', 'float16', { a: typed('float16', [2, 3, 4]), w: typed('float16', [4, 5], true) }, (b, o) => b.matmul(o.a, o.w));
  add('gather', 'float16', { x: typed('float16', [3, 4]), i: typed('int64', [2]) }, (b, o) => b.gather(o.x, o.i));
  add('softmax', '', { x: f32([2, 3, 4]) }, (b, o) => b.softmax(o.x, 1));
  add('argMin', '', { x: f32([2, 3, 4]) }, (b, o) => b.argMin(o.x, 1));
  add('argMax', '', { x: f32([2, 3, 4]) }, (b, o) => b.argMax(o.x, 2, { keepDimensions: true }));
  add('cumulativeSum', '', { x: f32([2, 3, 4]) }, (b, o) => b.cumulativeSum(o.x, 1, { reversed: true }));
  add('cast', '', { x: f32([2, 3, 4]) }, (b, o) => b.cast(o.x, 'int32'));
  add('concat', '', { a: f32([2, 3]), c: f32([2, 2]), d: f32([2, 1], true) }, (b, o) => b.concat([o.a, o.c, o.d], 1));
  add('expand', '', { x: f32([3, 1]) }, (b, o) => b.expand(o.x, [2, 3, 4]));
  add('tile', '', { x: f32([2, 3]) }, (b, o) => b.tile(o.x, [2, 2]));
  add('reshape', '', { x: f32([2, 3, 4]) }, (b, o) => b.reshape(o.x, [4, 6]));
  add('slice', '', { x: f32([4, 5, 6]) }, (b, o) => b.slice(o.x, [1, 0, 2], [2, 5, 3], { strides: [1, 2, 1] }));
  add('split', '', { x: f32([4, 6]) }, (b, o) => b.split(o.x, [2, 4], { axis: 1 }));
  add('pad', 'constant', { x: f32([2, 3]) }, (b, o) => b.pad(o.x, [1, 2], [2, 1]));
  add('pad', 'reflection', { x: f32([3, 4]) }, (b, o) => b.pad(o.x, [1, 2], [2, 1], { mode: 'reflection' }));
  add('reverse', '', { x: f32([2, 3, 4]) }, (b, o) => b.reverse(o.x, { axes: [0, 2] }));
  add('resample2d', 'linear', { x: f32([1, 2, 3, 4]) }, (b, o) => b.resample2d(o.x, { mode: 'linear', scales: [2, 1.5] }));
  add('resample2d', 'nearest', { x: f32([1, 2, 3, 4]) }, (b, o) => b.resample2d(o.x, { sizes: [5, 7] }));
  add('triangular', '', { x: f32([2, 4, 4]) }, (b, o) => b.triangular(o.x, { upper: false, diagonal: 1 }));
  add('where', '', { c: typed('uint8', [3, 1]), t: f32([2, 3, 4]), f: f32([4]) }, (b, o) => b.where(o.c, o.t, o.f));
  add('batchNormalization', '', { x: f32([2, 3, 4, 5]), m: f32([3], true), v: f32([3]), s: f32([3]), bias: f32([3], true) },
    (b, o) => b.batchNormalization(o.x, o.m, o.v, { scale: o.s, bias: o.bias }));
  add('instanceNormalization', '', { x: f32([2, 3, 4, 5]), s: f32([3]), bias: f32([3]) },
    (b, o) => b.instanceNormalization(o.x, { scale: o.s, bias: o.bias }));
  add('layerNormalization', '', { x: f32([2, 3, 4, 5]), s: f32([4, 5]) }, (b, o) => b.layerNormalization(o.x, { scale: o.s, axes: [2, 3] }));
  add('quantizeLinear', '', { x: f32([2, 3, 4]), s: f32([1, 3, 1]), z: typed('uint8', [1, 3, 1]) }, (b, o) => b.quantizeLinear(o.x, o.s, o.z));
  add('dequantizeLinear', '', { x: typed('int8', [2, 3, 4]), s: f32([1, 1, 4]), z: typed('int8', [1, 1, 4]) }, (b, o) => b.dequantizeLinear(o.x, o.s, o.z));
  add('prelu', '', { x: f32([2, 3, 4]), s: f32([4]) }, (b, o) => b.prelu(o.x, o.s));
  add('add', 'broadcast', { a: f32([2, 1, 4]), c: f32([3, 1]) }, (b, o) => b.add(o.a, o.c));
  add('add', 'fused chain', { a: f32([2, 3, 4]), c: f32([2, 3, 4], true) }, (b, o) => b.relu(b.mul(b.add(o.a, o.c), o.a)));
  add('reduceSum', 'axes', { x: f32([2, 3, 4, 5]) }, (b, o) => b.reduceSum(o.x, { axes: [0, 2] }));
  add('reduceMax', 'axes', { x: f32([2, 3, 4, 5]) }, (b, o) => b.reduceMax(o.x, { axes: [1, 3], keepDimensions: true }));
  add('logicalNot', '', { a: typed('uint8', [2, 3]) }, (b, o) => b.logicalNot(o.a));
  add('logicalAnd', '', { a: typed('uint8', [2, 3]), c: typed('uint8', [3]) }, (b, o) => b.logicalAnd(o.a, o.c));
  return c;
}

// Any other op takes only operands (unary, binary, logical, reductions without options): each gets
// a float32 (else its first listed type) tensor [2, 3, 4].
function genericCase(op, sig, limits) {
  const inputs = {};
  const names = [];
  for (const [name, kind] of sig.args) {
    if (kind !== 'operand') return null;
    const types = limits[op][name]?.dataTypes ?? ['float32'];
    inputs[name] = typed(types.includes('float32') ? 'float32' : types[0], [2, 3, 4]);
    names.push(name);
  }
  return { op, variant: 'generic', inputs, build: (b, o) => b[op](...names.map((n) => o[n])) };
}

// Small valid values: indices 0 or 1, floats ordinary numbers.
function fill(dataType, n) {
  const a = new ARRAYS[dataType](n);
  for (let i = 0; i < n; i++) {
    if (dataType === 'int64' || dataType === 'uint64') a[i] = BigInt(i % 2);
    else if (dataType === 'float32') a[i] = (i % 7) * 0.25 - 0.5;
    else if (dataType === 'float16') a[i] = 0x3c00;
    else a[i] = i % 2;
  }
  return a;
}

test('dispatch allocates nothing in the engine, for every operator', { skip }, async () => {
  // A worker allocates its thread-local blocks (56 bytes) once, when it starts: wait for that, so
  // a worker that starts during some operator's dispatches is not counted as that operator's.
  const context = await createRunningContext({ numThreads: 2 });
  const limits = context.opSupportLimits();
  const cases = specialCases();
  const special = new Set(cases.map((c) => c.op));
  const ops = Object.keys(api.opSignatures).filter((op) => limits[op]);
  for (const op of ops) {
    if (special.has(op)) continue;
    const c = genericCase(op, api.opSignatures[op], limits);
    assert.ok(c, `${op} needs a case in dispatch-heap.test.mjs`);
    cases.push(c);
  }
  const covered = new Set();
  const grew = [];
  for (const c of cases) {
    const name = `${c.op} (${c.variant})`;
    const b = new MLGraphBuilder(context);
    const operands = {};
    for (const [n, d] of Object.entries(c.inputs)) {
      const desc = { dataType: d.dataType, shape: d.shape };
      operands[n] = d.constant ? b.constant(desc, fill(d.dataType, d.shape.reduce((x, y) => x * y, 1))) : b.input(n, desc);
    }
    let outs = c.build(b, operands);
    outs = Array.isArray(outs) ? Object.fromEntries(outs.map((o, i) => [`y${i}`, o])) : { y0: outs };
    const graph = await b.build(outs);
    const inTensors = {};
    const tensors = [];
    for (const [n, d] of Object.entries(c.inputs)) {
      if (d.constant) continue;
      const t = await context.createTensor({ dataType: d.dataType, shape: d.shape, writable: true });
      context.writeTensor(t, fill(d.dataType, d.shape.reduce((x, y) => x * y, 1)));
      inTensors[n] = t;
      tensors.push(t);
    }
    const outTensors = {};
    for (const [n, o] of Object.entries(outs)) {
      outTensors[n] = await context.createTensor({ dataType: o.dataType, shape: o.shape, readable: true });
      tensors.push(outTensors[n]);
    }
    const first = Object.values(outTensors)[0];
    context.dispatch(graph, inTensors, outTensors); // warm-up: the context's dispatch table, etc.
    await context.readTensor(first);
    const before = api.heapStats().bytesInUse;
    for (let i = 0; i < 20; i++) context.dispatch(graph, inTensors, outTensors);
    await context.readTensor(first);
    const after = api.heapStats().bytesInUse;
    if (after !== before) grew.push(`${name}: ${after - before} bytes`);
    graph.destroy();
    for (const t of tensors) t.destroy();
    covered.add(c.op);
  }
  assert.deepEqual(grew, [], 'engine heap in use changed across dispatches');
  assert.deepEqual(ops.filter((op) => !covered.has(op)), []);
  context.destroy();
});
