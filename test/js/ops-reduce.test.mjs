// Reductions, argMax and cumulativeSum through the API, against JS references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skip, ml, run, ulpClose, MLGraphBuilder } from './ops-helpers.mjs';

test('reduceSum / reduceMean over axes with keepDimensions; empty axes reduces nothing', { skip }, async () => {
  const context = await ml.createContext();
  const data = Float32Array.from({ length: 24 }, (_, i) => (i % 7) - 3);
  const x = { dataType: 'float32', shape: [2, 3, 4], data };
  const { s, m, e } = await run(context, { x }, (b, o) => ({
    s: b.reduceSum(o.x, { axes: [0, 2], keepDimensions: true }),
    m: b.reduceMean(o.x, { axes: [1] }),
    e: b.reduceL1(o.x, { axes: [] }) }));
  const refS = [0, 0, 0];
  for (let i = 0; i < 24; i++) refS[Math.floor(i / 4) % 3] += data[i];
  assert.deepEqual([...s], refS);
  for (let n = 0; n < 2; n++)
    for (let k = 0; k < 4; k++) {
      let acc = 0;
      for (let c = 0; c < 3; c++) acc += data[n * 12 + c * 4 + k];
      assert.ok(ulpClose(m[n * 4 + k], Math.fround(acc / 3)));
    }
  assert.deepEqual([...e], [...data].map(Math.abs));
  context.destroy();
});

test('reduceMax on int64 and argMax with an int64 output', { skip }, async () => {
  const context = await ml.createContext();
  const data = BigInt64Array.from([3n, -(1n << 62n), 1n << 61n, 7n, 7n, -1n]);
  const x = { dataType: 'int64', shape: [2, 3], data };
  const { mx, am } = await run(context, { x }, (b, o) => ({
    mx: b.reduceMax(o.x, { axes: [1] }), am: b.argMax(o.x, 1, { outputDataType: 'int64' }) }));
  assert.deepEqual([...mx], [1n << 61n, 7n]);
  assert.deepEqual([...am], [2n, 0n]);  // ties: the first index
  context.destroy();
});

test('cumulativeSum exclusive and reversed on int32', { skip }, async () => {
  const context = await ml.createContext();
  const x = { dataType: 'int32', shape: [4], data: Int32Array.from([1, 2, 3, 4]) };
  const { inc, exc, rev } = await run(context, { x }, (b, o) => ({
    inc: b.cumulativeSum(o.x, 0), exc: b.cumulativeSum(o.x, 0, { exclusive: true }),
    rev: b.cumulativeSum(o.x, 0, { reversed: true }) }));
  assert.deepEqual([...inc], [1, 3, 6, 10]);
  assert.deepEqual([...exc], [0, 1, 3, 6]);
  assert.deepEqual([...rev], [10, 9, 7, 4]);
  context.destroy();
});

test('duplicate or out-of-range axes are TypeErrors naming the label', { skip }, async () => {
  const context = await ml.createContext();
  const b = new MLGraphBuilder(context);
  const x = b.input('x', { dataType: 'float32', shape: [2, 3] });
  assert.throws(() => b.reduceSum(x, { axes: [1, 1], label: 'dup' }), (e) => e instanceof TypeError && /dup/.test(e.message));
  assert.throws(() => b.reduceSum(x, { axes: [2], label: 'oor' }), (e) => e instanceof TypeError && /oor/.test(e.message));
  context.destroy();
});
