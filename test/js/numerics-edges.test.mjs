// Numerics at the edges through the API: NaN and ±Infinity propagate through the float ops as
// IEEE arithmetic says (and stay local: only outputs that depend on a NaN are NaN); integer ops wrap
// and divide by zero to 0 (src/kernels/elementwise/binary.cpp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineAvailable } from './engine-available.mjs';
import { createRunningContext } from './threads.mjs';
import * as api from '../../js/index.js';

const skip = !engineAvailable && 'no Wasm build in dist/';
if (process.env.WEBNN_WASM_VARIANT) api.setVariant(process.env.WEBNN_WASM_VARIANT);
const { ml, MLGraphBuilder } = api;
const TYPED = { float32: Float32Array, int32: Int32Array, uint32: Uint32Array, int8: Int8Array, uint8: Uint8Array, int64: BigInt64Array };

let ctx;
// Builds `fn(builder, ...inputs)` over the given inputs, runs it once, returns the output values.
async function run(inputs, fn) {
  ctx ??= await createRunningContext({ numThreads: 2 });
  const b = new MLGraphBuilder(ctx);
  const ops = inputs.map(([dataType, shape], i) => b.input(`x${i}`, { dataType, shape }));
  const out = fn(b, ...ops);
  const g = await b.build({ y: out });
  const bound = {};
  for (let i = 0; i < inputs.length; i++) {
    const [dataType, shape, data] = inputs[i];
    const t = await ctx.createTensor({ dataType, shape, writable: true });
    ctx.writeTensor(t, new TYPED[dataType](data));
    bound[`x${i}`] = t;
  }
  const y = await ctx.createTensor({ dataType: out.dataType, shape: out.shape, readable: true });
  ctx.dispatch(g, bound, { y });
  const values = [...new TYPED[out.dataType](await ctx.readTensor(y))];
  g.destroy(); y.destroy();
  for (const t of Object.values(bound)) t.destroy();
  return values;
}

const N = NaN, I = Infinity;
const same = (got, want, what) => {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) assert.ok(Object.is(got[i], want[i]) || (got[i] === want[i]), `${what}[${i}]: got ${got[i]}, want ${want[i]} (all: ${got})`);
};

test('NaN/Inf: elementwise and activations', { skip }, async () => {
  const a = ['float32', [8], [N, I, -I, I, 1, -0, 0, 3]];
  const b = ['float32', [8], [1, -I, -I, 0, N, 0, -0, I]];
  same(await run([a, b], (g, x, y) => g.add(x, y)), [N, N, -I, I, N, 0, 0, I], 'add');
  same(await run([a, b], (g, x, y) => g.mul(x, y)), [N, -I, I, N, N, -0, -0, I], 'mul');
  const mx = await run([a, b], (g, x, y) => g.max(x, y));
  same(mx.slice(0, 5).concat(mx.slice(7)), [N, I, -I, I, N, I], 'max (NaN propagates)');
  const mn = await run([a, b], (g, x, y) => g.min(x, y));
  same(mn.slice(0, 5).concat(mn.slice(7)), [N, -I, -I, 0, N, 3], 'min (NaN propagates)');
  const x = ['float32', [6], [N, I, -I, -0, -5, 1e-45]];
  const relu = await run([x], (g, v) => g.relu(v));
  same(relu.slice(0, 5).map((v) => (Object.is(v, -0) ? 0 : v)), [N, I, 0, 0, 0], 'relu');
  assert.ok(relu[5] === Math.fround(1e-45), `relu keeps a denormal: ${relu[5]}`);
  const sig = await run([x], (g, v) => g.sigmoid(v));
  same(sig.slice(0, 3), [N, 1, 0], 'sigmoid');
});

test('NaN/Inf: softmax stays local to its slice; large inputs are stable', { skip }, async () => {
  const x = ['float32', [4, 3], [N, 1, 2, I, 1, 2, -I, 0, 0, 1000, 1000, 1000]];
  const y = await run([x], (g, v) => g.softmax(v, 1));
  same(y.slice(0, 6), [N, N, N, N, N, N], 'softmax rows with NaN / Inf');
  same(y.slice(6, 9), [0, 0.5, 0.5], 'softmax with -Inf');
  for (const v of y.slice(9)) assert.ok(Math.abs(v - 1 / 3) < 1e-6, `softmax of large equal values: ${v}`);
});

test('NaN/Inf: conv2d, matmul and pools propagate only where the value is used', { skip }, async () => {
  // 1x1x4x4 input with a NaN at (0,0) and an Inf at (3,3); a 2x2 box filter, no padding, stride 2.
  const data = Array.from({ length: 16 }, (_, i) => i);
  data[0] = N; data[15] = I;
  const x = ['float32', [1, 1, 4, 4], data];
  const conv = await run([x], (g, v) => g.conv2d(v, g.constant({ dataType: 'float32', shape: [1, 1, 2, 2] }, new Float32Array([1, 1, 1, 1])), { strides: [2, 2] }));
  same(conv, [N, 2 + 3 + 6 + 7, 8 + 9 + 12 + 13, I], 'conv2d');
  const avg = await run([x], (g, v) => g.averagePool2d(v, { windowDimensions: [2, 2], strides: [2, 2] }));
  same(avg, [N, 4.5, 10.5, I], 'averagePool2d');
  const mx = await run([x], (g, v) => g.maxPool2d(v, { windowDimensions: [2, 2], strides: [2, 2] }));
  same(mx, [N, 7, 13, I], 'maxPool2d');
  // matmul: a NaN in row 0 of A poisons row 0 only; Inf * 0 is NaN.
  const a = ['float32', [3, 2], [N, 1, 2, 3, I, 0]];
  const b = ['float32', [2, 2], [1, 0, 1, 1]];
  same(await run([a, b], (g, p, q) => g.matmul(p, q)), [N, N, 5, 3, I, N], 'matmul');
  // Inf in a constant B through the packed path.
  const mm = await run([['float32', [2, 2], [1, 0, 0, 0]]], (g, p) => g.matmul(p, g.constant({ dataType: 'float32', shape: [2, 2] }, new Float32Array([I, 1, 2, 3]))));
  same(mm, [I, 1, N, 0], 'matmul with a constant Inf');
});

test('integers wrap; division by zero gives 0', { skip }, async () => {
  const big = 2147483647, small = -2147483648;
  same(await run([['int32', [3], [big, small, 5]], ['int32', [3], [1, -1, 0]]], (g, x, y) => g.add(x, y)), [small, big, 5], 'int32 add wraps');
  same(await run([['int32', [3], [big, small, 65536]], ['int32', [3], [2, 2, 65536]]], (g, x, y) => g.mul(x, y)), [-2, 0, 0], 'int32 mul wraps');
  same(await run([['int32', [4], [7, -7, small, 0]], ['int32', [4], [0, 0, -1, 0]]], (g, x, y) => g.div(x, y)), [0, 0, small, 0], 'int32 div by 0 and MIN/-1');
  same(await run([['uint8', [3], [255, 0, 200]], ['uint8', [3], [1, 1, 100]]], (g, x, y) => g.add(x, y)), [0, 1, 44], 'uint8 add wraps');
  same(await run([['uint8', [2], [0, 5]], ['uint8', [2], [1, 0]]], (g, x, y) => g.sub(x, y)), [255, 5], 'uint8 sub wraps');
  same(await run([['int8', [2], [127, -128]], ['int8', [2], [1, -1]]], (g, x, y) => g.add(x, y)), [-128, 127], 'int8 add wraps');
  same(await run([['uint32', [2], [4294967295, 3]], ['uint32', [2], [1, 0]]], (g, x, y) => g.add(x, y)), [0, 3], 'uint32 add wraps');
  same(await run([['uint32', [2], [9, 3]], ['uint32', [2], [0, 2]]], (g, x, y) => g.div(x, y)), [0, 1], 'uint32 div by 0');
  const i64 = await run([['int64', [2], [9223372036854775807n, 4n]], ['int64', [2], [1n, 0n]]], (g, x, y) => g.add(x, y));
  assert.deepEqual(i64, [-9223372036854775808n, 4n], 'int64 add wraps');
});

test('cleanup', { skip }, () => { ctx?.destroy(); });
