// Reliability through the API: nothing leaks over many cycles, destroyed objects fail with the
// spec's errors, allocations too large for the heap fail cleanly, the timeline orders calls as the
// spec says, contexts are independent, and destroy() rejects what is pending.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { engineAvailable } from './engine-available.mjs';
import * as api from '../../js/index.js';

const skip = !engineAvailable && 'no Wasm build in dist/';
if (process.env.WEBNN_WASM_VARIANT) api.setVariant(process.env.WEBNN_WASM_VARIANT);
const { ml, MLGraphBuilder } = api;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const f32 = (t) => ({ dataType: 'float32', shape: t });

async function addConstGraph(ctx, shape, c) {
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', f32(shape));
  const k = b.constant(f32(shape), new Float32Array(shape.reduce((a, d) => a * d, 1)).fill(c));
  return b.build({ y: b.add(x, k) });
}

async function rejectsWith(promise, check) {
  let err = null;
  try { await promise; } catch (e) { err = e; }
  assert.ok(err, 'expected a rejection');
  check(err);
}

const isDom = (name, re) => (e) => {
  assert.ok(e instanceof DOMException, `${e && e.constructor.name}: ${e && e.message}`);
  assert.equal(e.name, name, e.message);
  if (re) assert.match(e.message, re);
  return true;
};
const isType = (re) => (e) => {
  assert.ok(e instanceof TypeError, `${e && e.constructor.name}: ${e && e.message}`);
  if (re) assert.match(e.message, re);
  return true;
};

test('10,000 build/createTensor/dispatch/readTensor/destroy cycles leak nothing', { skip }, async () => {
  const ctx = await ml.createContext({ numThreads: 2 });
  const cycle = async (i) => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32([2, 3]));
    const w = b.constant(f32([3, 2]), new Float32Array([1, 2, 3, 4, 5, 6]));
    const g = await b.build({ y: b.relu(b.matmul(x, w)) });
    const xt = await ctx.createTensor({ ...f32([2, 3]), writable: true });
    const yt = await ctx.createTensor({ ...f32([2, 2]), readable: true });
    ctx.writeTensor(xt, new Float32Array([1, 0, 0, 0, 1, i % 2]));
    ctx.dispatch(g, { x: xt }, { y: yt });
    const y = new Float32Array(await ctx.readTensor(yt));
    if (y[0] !== 1 || y[3] !== 4 + (i % 2) * 6) throw new Error(`cycle ${i}: wrong result ${y}`);
    g.destroy(); xt.destroy(); yt.destroy();
  };
  for (let i = 0; i < 200; i++) await cycle(i); // warm-up: pools, caches, heap views
  gc();
  const before = api.heapStats();
  const jsBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < 10000; i++) await cycle(i);
  gc();
  await new Promise((r) => setTimeout(r, 0));
  gc();
  const after = api.heapStats();
  const jsAfter = process.memoryUsage().heapUsed;
  assert.ok(Number.isFinite(before.bytesInUse), 'heapBytesInUse() is exported by the engine');
  assert.ok(after.bytesInUse - before.bytesInUse <= 4096,
    `Wasm heap in use grew by ${after.bytesInUse - before.bytesInUse} bytes over 10,000 cycles`);
  assert.equal(after.heapBytes, before.heapBytes, 'the Wasm memory grew');
  assert.ok(jsAfter - jsBefore < 4 * 2 ** 20, `JS heap grew by ${((jsAfter - jsBefore) / 2 ** 20).toFixed(1)} MiB`);
  ctx.destroy();
});

test('destroy() frees everything a context made, builders included', { skip }, async () => {
  const ctx0 = await ml.createContext({ numThreads: 1 });
  ctx0.destroy(); // the engine is loaded; a context's own allocations are measured below
  gc();
  const base = api.heapStats().bytesInUse;
  const ctx = await ml.createContext({ numThreads: 1 });
  const g = await addConstGraph(ctx, [64, 64], 1);
  const t = await ctx.createTensor({ ...f32([256, 256]), readable: true });
  const unbuilt = new MLGraphBuilder(ctx);
  unbuilt.constant(f32([128, 128]), new Float32Array(128 * 128));
  assert.ok(api.heapStats().bytesInUse - base > 256 * 256 * 4);
  ctx.destroy();
  assert.ok(api.heapStats().bytesInUse - base <= 1024, `${api.heapStats().bytesInUse - base} bytes still in use`);
  // And every destroyed object fails with the spec's error.
  assert.throws(() => ctx.dispatch(g, {}, {}), isDom('InvalidStateError'));
  await rejectsWith(ctx.readTensor(t), isType(/readTensor.*destroyed/)); // its tensors are destroyed: TypeError
  assert.throws(() => unbuilt.input('x', f32([1])), isDom('InvalidStateError', /input/));
  await rejectsWith(ctx.createTensor(f32([1])), isDom('InvalidStateError', /createTensor/));
  assert.throws(() => new MLGraphBuilder(ctx), isDom('InvalidStateError'));
  t.destroy(); g.destroy(); // idempotent after the context went
});

test('destroyed graphs and tensors: the spec errors, the context unharmed', { skip }, async () => {
  const ctx = await ml.createContext();
  const g = await addConstGraph(ctx, [2], 1);
  const x = await ctx.createTensor({ ...f32([2]), writable: true, readable: true });
  const y = await ctx.createTensor({ ...f32([2]), readable: true });
  x.destroy();
  assert.throws(() => ctx.writeTensor(x, new Float32Array(2)), isType(/writeTensor/));
  await rejectsWith(ctx.readTensor(x), isType(/readTensor/));
  assert.throws(() => ctx.dispatch(g, { x }, { y }), isType(/dispatch/));
  g.destroy();
  const x2 = await ctx.createTensor({ ...f32([2]), writable: true });
  assert.throws(() => ctx.dispatch(g, { x: x2 }, { y }), isDom('InvalidStateError', /dispatch/));
  const g2 = await addConstGraph(ctx, [2], 3);
  ctx.writeTensor(x2, new Float32Array([1, 2]));
  ctx.dispatch(g2, { x: x2 }, { y });
  assert.deepEqual([...new Float32Array(await ctx.readTensor(y))], [4, 5]);
  ctx.destroy();
});

test('tensors and graphs too large for the heap: clean errors first, the context keeps working', { skip }, async () => {
  const ctx = await ml.createContext();
  const max = ctx.opSupportLimits().maxTensorByteLength;
  assert.ok(max > 0 && max <= 2 ** 32);
  // Over maxTensorByteLength: TypeError before anything is allocated.
  const base = api.heapStats().bytesInUse;
  await rejectsWith(ctx.createTensor(f32([65536, 65536])), isType(/createTensor/));
  await rejectsWith(ctx.createTensor(f32([16384, 16384, 4])), isType(/createTensor/));
  assert.throws(() => new MLGraphBuilder(ctx).input('x', f32([65536, 65536])), isType(/input/));
  assert.ok(api.heapStats().bytesInUse - base < 1024);
  // Within maxTensorByteLength but beyond what the 4 GiB heap can still hold. Two graphs whose
  // arenas take 1.9 GB each (never touched, so cheap) are kept alive; then a 0.8 GB tensor and a
  // graph needing a 4.26e9-byte arena (fits a 32-bit size_t, not the heap) both fail cleanly.
  // softmax, not an element-wise op: the compiler fuses element-wise chains in place, and these
  // intermediates must really occupy the arena.
  const hogs = [];
  for (let i = 0; i < 2; i++) {
    const hb = new MLGraphBuilder(ctx);
    const hx = hb.input('x', f32([1, 475000000]));
    hogs.push(await hb.build({ y: hb.softmax(hb.softmax(hx, 1), 1) }));
  }
  await rejectsWith(ctx.createTensor(f32([200000000])), isDom('UnknownError', /createTensor: out of memory/));
  const ab = new MLGraphBuilder(ctx);
  const ax = ab.input('x', f32([1, 532500000]));
  const a1 = ab.softmax(ax, 1);
  const a2 = ab.softmax(a1, 1);
  await rejectsWith(ab.build({ y: ab.add(a1, a2) }), isDom('OperationError', /build: out of memory allocating the graph's arena/));
  for (const h of hogs) h.destroy();
  // A graph whose intermediates (three live 2 GB buffers) exceed the address space: the arena size
  // must not wrap around in 32-bit Wasm; build fails cleanly.
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', f32([1, 500000000]));
  const r1 = b.softmax(x, 1);
  const r2 = b.softmax(r1, 1);
  const r3 = b.softmax(r2, 1);
  await rejectsWith(b.build({ y: b.add(b.add(r1, r2), r3) }), isDom('OperationError', /build/));
  // A conv2d whose im2col scratch size overflows 32 bits (a 1 GiB filter input, never allocated).
  const c = new MLGraphBuilder(ctx);
  const ci = c.input('x', f32([1, 1, 1, 1]));
  const cf = c.input('w', f32([1, 1, 16384, 16384]));
  const conv = c.conv2d(ci, cf, { padding: [8192, 8191, 8192, 8191] });
  assert.deepEqual([...conv.shape], [1, 1, 1, 1]);
  await rejectsWith(c.build({ y: conv }), isDom('OperationError', /build/));
  assert.ok(api.heapStats().bytesInUse - base < 1 << 20, 'everything freed');
  const g = await addConstGraph(ctx, [2], 1);
  const xt = await ctx.createTensor({ ...f32([2]), writable: true });
  const yt = await ctx.createTensor({ ...f32([2]), readable: true });
  ctx.writeTensor(xt, new Float32Array([1, 2]));
  ctx.dispatch(g, { x: xt }, { y: yt });
  assert.deepEqual([...new Float32Array(await ctx.readTensor(yt))], [2, 3]);
  ctx.destroy();
});

test('window ops: huge padding/strides/windows are rejected or computed, never hang or wrap', { skip }, async () => {
  const ctx = await ml.createContext();
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', f32([1, 1, 2, 2]));
  const w = b.constant(f32([1, 1, 1, 1]), new Float32Array([1]));
  assert.throws(() => b.conv2d(x, w, { padding: [2 ** 31, 2 ** 31, 0, 0] }), isType(/conv2d.*limit/));
  assert.throws(() => b.averagePool2d(x, { windowDimensions: [2 ** 32 - 1, 1] }), isType(/averagePool2d/));
  assert.throws(() => b.maxPool2d(x, { padding: [2 ** 32 - 1, 0, 0, 0], label: 'L' }), isType(/maxPool2d \[L\]/));
  // A window reaching far into the padding, with a huge stride: small output, computed quickly.
  const p = b.averagePool2d(x, { windowDimensions: [1 << 20, 2], padding: [1 << 19, (1 << 19) - 2, 0, 0], strides: [2 ** 32 - 1, 1] });
  assert.deepEqual([...p.shape], [1, 1, 1, 1]);
  const m = b.maxPool2d(x, { windowDimensions: [1 << 20, 1 << 20], padding: [1 << 19, 1 << 19, 1 << 19, 1 << 19] });
  assert.deepEqual([...m.shape], [1, 1, 3, 3]);
  const c = b.conv2d(x, w, { strides: [2 ** 32 - 1, 2 ** 32 - 1], dilations: [2 ** 32 - 1, 1] });
  assert.deepEqual([...c.shape], [1, 1, 1, 1]);
  const g = await b.build({ p, m, c });
  const xt = await ctx.createTensor({ ...f32([1, 1, 2, 2]), writable: true });
  const outs = { p: f32([1, 1, 1, 1]), m: f32([1, 1, 3, 3]), c: f32([1, 1, 1, 1]) };
  const ts = {};
  for (const [k, d] of Object.entries(outs)) ts[k] = await ctx.createTensor({ ...d, readable: true });
  ctx.writeTensor(xt, new Float32Array([1, 2, 3, 4]));
  const t0 = Date.now();
  ctx.dispatch(g, { x: xt }, ts);
  assert.ok(Date.now() - t0 < 2000, `dispatch took ${Date.now() - t0} ms`);
  // The 2^20-row window centred on the input covers rows 0..1 of column pair: mean of all 4.
  assert.deepEqual([...new Float32Array(await ctx.readTensor(ts.p))], [2.5]);
  const mv = [...new Float32Array(await ctx.readTensor(ts.m))];
  assert.equal(mv[4], 4); // the centre window holds the whole input
  assert.deepEqual([...new Float32Array(await ctx.readTensor(ts.c))], [1]);
  ctx.destroy();
});

test('timeline: many dispatches queued before reads; interleaved writes, dispatches and reads', { skip }, async () => {
  const ctx = await ml.createContext();
  const g = await addConstGraph(ctx, [4], 1); // y = x + 1
  const ts = [];
  for (let i = 0; i <= 32; i++) ts.push(await ctx.createTensor({ ...f32([4]), readable: true, writable: true }));
  ctx.writeTensor(ts[0], new Float32Array([0, 10, 20, 30]));
  for (let i = 0; i < 32; i++) ctx.dispatch(g, { x: ts[i] }, { y: ts[i + 1] });
  const reads = ts.map((t) => ctx.readTensor(t));
  const values = await Promise.all(reads);
  values.forEach((buf, i) => assert.deepEqual([...new Float32Array(buf)], [i, 10 + i, 20 + i, 30 + i]));

  // write / dispatch / read / write / dispatch / read on shared tensors: each read sees exactly the
  // calls before it; a write after a dispatch does not disturb that dispatch's result.
  const [x, y] = [ts[0], ts[1]];
  ctx.writeTensor(x, new Float32Array([1, 1, 1, 1]));
  ctx.dispatch(g, { x }, { y });
  const p1 = ctx.readTensor(y);
  const px = ctx.readTensor(x);
  ctx.writeTensor(x, new Float32Array([5, 5, 5, 5]));
  const p2 = ctx.readTensor(y);
  ctx.dispatch(g, { x }, { y });
  const p3 = ctx.readTensor(y);
  ctx.dispatch(g, { x: y }, { y: x }); // ping-pong: x = y + 1
  const p4 = ctx.readTensor(x);
  const out = new Float32Array(4);
  const p5 = ctx.readTensor(x, out);
  ctx.writeTensor(x, new Float32Array(4));
  const [v1, vx, v2, v3, v4] = await Promise.all([p1, px, p2, p3, p4]);
  await p5;
  assert.deepEqual([...new Float32Array(v1)], [2, 2, 2, 2]);
  assert.deepEqual([...new Float32Array(vx)], [1, 1, 1, 1]);
  assert.deepEqual([...new Float32Array(v2)], [2, 2, 2, 2]);
  assert.deepEqual([...new Float32Array(v3)], [6, 6, 6, 6]);
  assert.deepEqual([...new Float32Array(v4)], [7, 7, 7, 7]);
  assert.deepEqual([...out], [7, 7, 7, 7]);
  ctx.destroy();
});

test('two contexts at once are independent', { skip }, async () => {
  const [a, b] = await Promise.all([ml.createContext({ numThreads: 2 }), ml.createContext({ numThreads: 1 })]);
  const run = async (ctx, c, n) => {
    const g = await addConstGraph(ctx, [64, 64], c);
    const x = await ctx.createTensor({ ...f32([64, 64]), writable: true });
    const y = await ctx.createTensor({ ...f32([64, 64]), readable: true });
    const results = [];
    for (let i = 0; i < n; i++) {
      ctx.writeTensor(x, new Float32Array(64 * 64).fill(i));
      ctx.dispatch(g, { x }, { y });
      results.push(ctx.readTensor(y));
      await null;
    }
    return (await Promise.all(results)).map((buf) => new Float32Array(buf)[4095]);
  };
  const [ra, rb] = await Promise.all([run(a, 1, 50), run(b, 100, 50)]);
  assert.deepEqual(ra, Array.from({ length: 50 }, (_, i) => i + 1));
  assert.deepEqual(rb, Array.from({ length: 50 }, (_, i) => i + 100));
  // A tensor of one context cannot be used with the other.
  const t = await a.createTensor({ ...f32([1]), readable: true });
  await rejectsWith(b.readTensor(t), isType(/another context/));
  a.destroy();
  assert.deepEqual((await run(b, 7, 2)), [7, 8]);
  b.destroy();
});

test('destroy() with work pending rejects it with InvalidStateError', { skip }, async () => {
  const ctx = await ml.createContext();
  const t = await ctx.createTensor({ ...f32([4]), readable: true });
  const reads = [ctx.readTensor(t), ctx.readTensor(t, new Float32Array(4))];
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', f32([4]));
  const building = b.build({ y: b.relu(x) });
  const base = api.heapStats().bytesInUse;
  ctx.destroy();
  for (const p of reads) await rejectsWith(p, isDom('InvalidStateError', /readTensor: the context was destroyed/));
  await rejectsWith(building, isDom('InvalidStateError', /build: the context was destroyed/));
  assert.ok(api.heapStats().bytesInUse <= base, 'the pending graph was freed');
  assert.equal((await ctx.lost).message, 'The context was destroyed.');
  // A tensor destroyed with a read pending: that read rejects too.
  const ctx2 = await ml.createContext();
  const t2 = await ctx2.createTensor({ ...f32([4]), readable: true });
  const p2 = ctx2.readTensor(t2);
  t2.destroy();
  await rejectsWith(p2, isDom('InvalidStateError', /readTensor: the tensor was destroyed/));
  ctx2.destroy();
});
