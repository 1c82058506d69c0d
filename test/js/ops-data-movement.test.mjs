// slice, split, pad, expand, tile, reverse, triangular, gather, gatherND, scatterND, gatherElements,
// scatterElements, resample2d
// through the WebNN API against plain-JS references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder } from '../../js/index.js';
import { skip, newContext, runGraph, forEachCoord, linear, close } from './op-runner.mjs';

const f32 = (shape, data) => ({ dataType: 'float32', shape, data: Float32Array.from(data) });
const iota = (n, start = 0) => Array.from({ length: n }, (_, i) => i + start);

test('slice with strides, split by count and by sizes', { skip }, async () => {
  const ctx = await newContext();
  const x = f32([4, 5, 6], iota(120));
  const r = await runGraph(ctx, { x }, (b, o) => b.slice(o.x, [1, 0, 2], [3, 5, 4], { strides: [2, 3, 1] }));
  const want = [];
  forEachCoord([2, 2, 4], (c) => want.push(x.data[linear([4, 5, 6], [1 + 2 * c[0], 3 * c[1], 2 + c[2]])]));
  assert.deepEqual(r.out0.shape, [2, 2, 4]);
  assert.deepEqual(Array.from(r.out0.data), want);

  const s = await runGraph(ctx, { x }, (b, o) => b.split(o.x, [1, 3, 1], { axis: 1 }));
  assert.deepEqual(s.out1.shape, [4, 3, 6]);
  const want1 = [];
  forEachCoord([4, 3, 6], (c) => want1.push(x.data[linear([4, 5, 6], [c[0], c[1] + 1, c[2]])]));
  assert.deepEqual(Array.from(s.out1.data), want1);
  const s2 = await runGraph(ctx, { x }, (b, o) => b.split(o.x, 2));
  assert.deepEqual(Array.from(s2.out1.data), iota(60, 60));
  const b = new MLGraphBuilder(ctx);
  assert.throws(() => b.split(b.input('x', { dataType: 'float32', shape: [4, 5] }), 3, { axis: 1, label: 'sp' }),
    (e) => e instanceof TypeError && /split \[sp\]/.test(e.message));
  ctx.destroy();
});

test('pad constant/edge/reflection, expand, tile, reverse, triangular on int32', { skip }, async () => {
  const ctx = await newContext();
  const x = { dataType: 'int32', shape: [2, 3], data: Int32Array.from([1, 2, 3, 4, 5, 6]) };
  const pads = await runGraph(ctx, { x }, (b, o) => [
    b.pad(o.x, [1, 2], [0, 1], { value: -1 }),
    b.pad(o.x, [0, 2], [1, 0], { mode: 'edge' }),
    b.pad(o.x, [1, 2], [1, 2], { mode: 'reflection' }),
  ]);
  assert.deepEqual(Array.from(pads.out0.data), [-1, -1, -1, -1, -1, -1, -1, -1, 1, 2, 3, -1, -1, -1, 4, 5, 6, -1]);
  assert.deepEqual(Array.from(pads.out1.data), [1, 1, 1, 2, 3, 4, 4, 4, 5, 6, 4, 4, 4, 5, 6]);
  assert.deepEqual(Array.from(pads.out2.data), [
    6, 5, 4, 5, 6, 5, 4,
    3, 2, 1, 2, 3, 2, 1,
    6, 5, 4, 5, 6, 5, 4,
    3, 2, 1, 2, 3, 2, 1]);
  const m = await runGraph(ctx, { x }, (b, o) => [
    b.expand(b.reshape(o.x, [2, 1, 3]), [2, 2, 3]),
    b.tile(o.x, [1, 2]),
    b.reverse(o.x),
    b.reverse(o.x, { axes: [1] }),
    b.triangular(o.x),
    b.triangular(o.x, { upper: false, diagonal: -1 }),
  ]);
  assert.deepEqual(Array.from(m.out0.data), [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]);
  assert.deepEqual(Array.from(m.out1.data), [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]);
  assert.deepEqual(Array.from(m.out2.data), [6, 5, 4, 3, 2, 1]);
  assert.deepEqual(Array.from(m.out3.data), [3, 2, 1, 6, 5, 4]);
  assert.deepEqual(Array.from(m.out4.data), [1, 2, 3, 0, 5, 6]);
  assert.deepEqual(Array.from(m.out5.data), [0, 0, 0, 4, 0, 0]);
  ctx.destroy();
});

test('gather (clamped indices), gatherND, scatterND', { skip }, async () => {
  const ctx = await newContext();
  const x = f32([3, 4], iota(12));
  const r = await runGraph(ctx, { x }, (b, o) => [
    b.gather(o.x, b.constant({ dataType: 'int32', shape: [2, 2] }, Int32Array.from([2, -1, 0, 7])), { axis: 0 }),
    b.gather(o.x, b.constant({ dataType: 'int64', shape: [3] }, BigInt64Array.from([3n, 0n, -2n])), { axis: 1 }),
    b.gatherND(o.x, b.constant({ dataType: 'uint32', shape: [2, 2] }, Uint32Array.from([1, 2, 2, 3]))),
    b.scatterND(o.x, b.constant({ dataType: 'int32', shape: [1, 1] }, Int32Array.from([1])),
      b.constant({ dataType: 'float32', shape: [1, 4] }, Float32Array.from([90, 91, 92, 93]))),
  ]);
  assert.deepEqual(r.out0.shape, [2, 2, 4]);
  assert.deepEqual(Array.from(r.out0.data), [8, 9, 10, 11, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11]);
  assert.deepEqual(Array.from(r.out1.data), [3, 0, 2, 7, 4, 6, 11, 8, 10]);
  assert.deepEqual(Array.from(r.out2.data), [6, 11]);
  assert.deepEqual(Array.from(r.out3.data), [0, 1, 2, 3, 90, 91, 92, 93, 8, 9, 10, 11]);
  ctx.destroy();
});

// gatherElements / scatterElements: the index along `axis` comes from `indices` at the same
// coordinate. The engine's rule for indices out of range (src/ops/gather.cpp): a negative index
// counts from the end, then the index is clamped to [0, dim - 1].
const elementIndex = (i, dim) => Math.min(Math.max(i < 0 ? i + dim : i, 0), dim - 1);

test('gatherElements along each axis, with negative and out-of-range indices, int32/int64/uint32', { skip }, async () => {
  const ctx = await newContext();
  const shape = [3, 4, 2];
  const x = f32(shape, iota(24, 100));
  // indices [3, 4, 2] but of length 5 / 3 / 4 along the axis, mixing in-range, negative and too-large values
  const cases = [
    { axis: 0, ishape: [5, 4, 2], type: 'int32' },
    { axis: 1, ishape: [3, 3, 2], type: 'int64' },
    { axis: 2, ishape: [3, 4, 4], type: 'uint32' },
  ];
  for (const { axis, ishape, type } of cases) {
    const n = ishape.reduce((a, b) => a * b, 1);
    const dim = shape[axis];
    const raw = Array.from({ length: n }, (_, i) => ((i * 7) % (dim + 4)) - (type === 'uint32' ? 0 : 3));
    const data = type === 'int64' ? BigInt64Array.from(raw.map(BigInt))
      : type === 'uint32' ? Uint32Array.from(raw) : Int32Array.from(raw);
    const r = await runGraph(ctx, { x }, (b, o) =>
      b.gatherElements(o.x, b.constant({ dataType: type, shape: ishape }, data), { axis }));
    const want = [];
    forEachCoord(ishape, (c, i) => {
      const src = c.slice();
      src[axis] = elementIndex(raw[i], dim);
      want.push(x.data[linear(shape, src)]);
    });
    assert.deepEqual(r.out0.shape, ishape, `axis ${axis}`);
    assert.deepEqual(Array.from(r.out0.data), want, `axis ${axis}`);
  }
  // indices as a graph input (read at dispatch, not at build)
  const idx = { dataType: 'int32', shape: [2, 4, 2], data: Int32Array.from([0, 2, -1, 9, 1, 1, 2, 0, -3, -4, 0, 2, 1, 0, 2, 1]) };
  const r = await runGraph(ctx, { x, idx }, (b, o) => b.gatherElements(o.x, o.idx));
  const want = [];
  forEachCoord([2, 4, 2], (c, i) => want.push(x.data[linear(shape, [elementIndex(idx.data[i], 3), c[1], c[2]])]));
  assert.deepEqual(Array.from(r.out0.data), want);

  const b = new MLGraphBuilder(ctx);
  const xi = b.input('x', { dataType: 'float32', shape });
  let inputs = 0;
  const bad = (ishape, options) => b.gatherElements(xi, b.input(`i${inputs++}`, { dataType: 'int32', shape: ishape }), options);
  assert.throws(() => bad([3, 4], { label: 'ge' }), (e) => e instanceof TypeError && /gatherElements \[ge\]/.test(e.message));
  assert.throws(() => bad([3, 5, 2], { axis: 0, label: 'ge' }), (e) => e instanceof TypeError && /gatherElements \[ge\]/.test(e.message));
  assert.throws(() => bad([3, 4, 2], { axis: 3, label: 'ge' }), (e) => e instanceof TypeError && /gatherElements \[ge\]/.test(e.message));
  assert.throws(() => b.gatherElements(xi, b.input('f', { dataType: 'float32', shape }), { label: 'ge' }),
    (e) => e instanceof TypeError && /gatherElements \[ge\]/.test(e.message));
  ctx.destroy();
});

test('scatterElements writes updates at the indexed positions along the axis', { skip }, async () => {
  const ctx = await newContext();
  const shape = [3, 4];
  const x = f32(shape, iota(12));
  // axis 1: each row writes 2 updates at distinct columns (one given negative, one out of range)
  const raw = [0, -1, 2, 9, -4, 1];
  const updates = f32([3, 2], [50, 51, 52, 53, 54, 55]);
  const r = await runGraph(ctx, { x, updates }, (b, o) =>
    b.scatterElements(o.x, b.constant({ dataType: 'int32', shape: [3, 2] }, Int32Array.from(raw)), o.updates, { axis: 1 }));
  const want = Array.from(x.data);
  forEachCoord([3, 2], (c, i) => { want[linear(shape, [c[0], elementIndex(raw[i], 4)])] = updates.data[i]; });
  assert.deepEqual(Array.from(r.out0.data), want);
  ctx.destroy();
});

test('resample2d linear: the spec example; nearest-neighbor upsampling', { skip }, async () => {
  const ctx = await newContext();
  const x = f32([1, 1, 4, 4], [0, 1, 2, 3, 0, 1, 2, 3, 12, 13, 14, 15, 12, 13, 14, 15]);
  const r = await runGraph(ctx, { x }, (b, o) => [
    b.resample2d(o.x, { mode: 'linear', sizes: [8, 8] }),
    b.resample2d(o.x, { scales: [0.5, 2] }),
  ]);
  const row = [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3];
  const want = [0, 0, 0, 3, 9, 12, 12, 12].flatMap((o) => row.map((v) => v + o));
  assert.equal(close(r.out0.data, want), null);
  assert.deepEqual(r.out1.shape, [1, 1, 2, 8]);
  // Nearest: rows ceil(clamp((o + 0.5) / 0.5 - 0.5) - 0.5) -> 0, 2; columns ceil(clamp((o + 0.5) / 2 - 0.5) - 0.5).
  const cols = [0, 0, 1, 1, 2, 2, 3, 3];
  const want1 = [0, 2].flatMap((y) => cols.map((c) => x.data[y * 4 + c]));
  assert.deepEqual(Array.from(r.out1.data), want1);
  ctx.destroy();
});

