// Element-wise unary ops and cast through navigator.ml-style API, against JS references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skip, ml, run, ulpClose } from './ops-helpers.mjs';

test('float32 unary ops match Math.*', { skip }, async () => {
  const context = await ml.createContext();
  const x = Float32Array.from([0.25, 1.5, 2.5, -0.5, 3.75, -2.5]);
  const pos = x.map(Math.abs);
  const cases = {
    abs: [x, Math.abs], exp: [x, Math.exp], sqrt: [pos, Math.sqrt], log: [pos, Math.log], sin: [x, Math.sin],
    floor: [x, Math.floor], neg: [x, (v) => -v], reciprocal: [x, (v) => 1 / v],
    roundEven: [x, (v) => { const r = Math.round(v); return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r; }],
  };
  for (const [op, [data, ref]] of Object.entries(cases)) {
    const { y } = await run(context, { x: { dataType: 'float32', shape: [2, 3], data } }, (b, { x: xi }) => b[op](xi));
    for (let i = 0; i < data.length; i++) assert.ok(ulpClose(y[i], Math.fround(ref(data[i]))), `${op}(${data[i]}) = ${y[i]}`);
  }
  context.destroy();
});

test('neg, abs, sign on int64 (BigInt64Array), wrapping at the minimum', { skip }, async () => {
  const context = await ml.createContext();
  const data = BigInt64Array.from([-9223372036854775808n, -5n, 0n, 7n, 9223372036854775807n]);
  const x = { dataType: 'int64', shape: [5], data };
  const { y: neg } = await run(context, { x }, (b, { x: xi }) => b.neg(xi));
  assert.deepEqual([...neg], [-9223372036854775808n, 5n, 0n, -7n, -9223372036854775807n]);
  const { y: abs } = await run(context, { x }, (b, { x: xi }) => b.abs(xi));
  assert.deepEqual([...abs], [-9223372036854775808n, 5n, 0n, 7n, 9223372036854775807n]);
  const { y: sign } = await run(context, { x }, (b, { x: xi }) => b.sign(xi));
  assert.deepEqual([...sign], [-1n, -1n, 0n, 1n, 1n]);
  context.destroy();
});

test('cast: float32 -> int32 truncates and saturates, int64 -> float32, int32 -> uint8 wraps', { skip }, async () => {
  const context = await ml.createContext();
  const f = { dataType: 'float32', shape: [5], data: Float32Array.from([2.7, -2.7, 1e10, -1e10, NaN]) };
  const { y: i32 } = await run(context, { f }, (b, { f: fi }) => b.cast(fi, 'int32'));
  assert.deepEqual([...i32], [2, -2, 2147483647, -2147483648, 0]);
  const big = { dataType: 'int64', shape: [2], data: BigInt64Array.from([1n << 40n, -3n]) };
  const { y: f32 } = await run(context, { big }, (b, { big: bi }) => b.cast(bi, 'float32'));
  assert.deepEqual([...f32], [2 ** 40, -3]);
  const i = { dataType: 'int32', shape: [3], data: Int32Array.from([-1, 256, 300]) };
  const { y: u8 } = await run(context, { i }, (b, { i: ii }) => b.cast(ii, 'uint8'));
  assert.deepEqual([...u8], [255, 0, 44]);
  context.destroy();
});

test('unary ops reject disallowed data types with a TypeError naming the label', { skip }, async () => {
  const context = await ml.createContext();
  const { MLGraphBuilder } = await import('./ops-helpers.mjs');
  const b = new MLGraphBuilder(context);
  const u = b.input('u', { dataType: 'uint8', shape: [2] });
  assert.throws(() => b.neg(u, { label: 'my-neg' }), (e) => e instanceof TypeError && /my-neg/.test(e.message));
  const i = b.input('i', { dataType: 'int32', shape: [2] });
  assert.throws(() => b.exp(i, { label: 'my-exp' }), (e) => e instanceof TypeError && /my-exp/.test(e.message));
  context.destroy();
});
