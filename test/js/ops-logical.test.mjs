// Comparisons, logical ops and where through the API, against JS references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skip, ml, run, broadcastIndex, MLGraphBuilder } from './ops-helpers.mjs';

test('greater / lesserOrEqual broadcast float32 and output uint8; NaN compares false', { skip }, async () => {
  const context = await ml.createContext();
  const a = { dataType: 'float32', shape: [2, 3], data: Float32Array.from([1, 5, NaN, -2, 0, 3]) };
  const b = { dataType: 'float32', shape: [3], data: Float32Array.from([2, 2, 2]) };
  const { g, le } = await run(context, { a, b }, (bb, o) => ({ g: bb.greater(o.a, o.b), le: bb.lesserOrEqual(o.a, o.b) }));
  assert.deepEqual([...g], [...a.data].map((v, i) => (v > b.data[i % 3] ? 1 : 0)));
  assert.deepEqual([...le], [...a.data].map((v, i) => (v <= b.data[i % 3] ? 1 : 0)));
  context.destroy();
});

test('equal on int64 compares all 64 bits', { skip }, async () => {
  const context = await ml.createContext();
  const a = { dataType: 'int64', shape: [2], data: BigInt64Array.from([(1n << 60n) + 1n, 5n]) };
  const b = { dataType: 'int64', shape: [2], data: BigInt64Array.from([1n << 60n, 5n]) };
  const { y } = await run(context, { a, b }, (bb, o) => bb.equal(o.a, o.b));
  assert.deepEqual([...y], [0, 1]);
  context.destroy();
});

test('logicalAnd / logicalNot and where with three-way broadcasting', { skip }, async () => {
  const context = await ml.createContext();
  const c = { dataType: 'uint8', shape: [2, 1, 3], data: Uint8Array.from([1, 0, 2, 0, 0, 1]) };
  const t = { dataType: 'int64', shape: [4, 1], data: BigInt64Array.from([10n, 20n, 30n, 40n]) };
  const f = { dataType: 'int64', shape: [3], data: BigInt64Array.from([-1n, -2n, -3n]) };
  const { w, and, not } = await run(context, { c, t, f }, (b, o) => ({
    w: b.where(o.c, o.t, o.f), and: b.logicalAnd(o.c, b.logicalNot(o.c)), not: b.logicalNot(o.c) }));
  const out = [2, 4, 3];
  for (let i = 0; i < 24; i++) {
    const cond = c.data[broadcastIndex(out, c.shape, i)];
    const e = cond ? t.data[broadcastIndex(out, t.shape, i)] : f.data[broadcastIndex(out, f.shape, i)];
    assert.equal(w[i], e);
  }
  assert.deepEqual([...and], [0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...not], [0, 1, 0, 1, 1, 0]);
  context.destroy();
});

test('logical ops: wrong types are TypeErrors naming the label', { skip }, async () => {
  const context = await ml.createContext();
  const b = new MLGraphBuilder(context);
  const x = b.input('x', { dataType: 'float32', shape: [2] });
  assert.throws(() => b.logicalNot(x, { label: 'ln' }), (e) => e instanceof TypeError && /ln/.test(e.message));
  const c = b.input('c', { dataType: 'float32', shape: [2] });
  assert.throws(() => b.where(c, x, x, { label: 'wh' }), (e) => e instanceof TypeError && /wh/.test(e.message));
  context.destroy();
});
