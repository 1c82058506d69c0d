// Self-checks of the references on tiny hand-computed cases (they must be right to be useful).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as R from './reference.mjs';

const T = (shape, data) => ({ shape, data: Float32Array.from(data) });

test('reference: conv2d layouts and groups agree', () => {
  const rnd = R.random(1);
  const x = T([1, 4, 5, 5], rnd(100));
  const w = T([6, 2, 3, 3], rnd(108)); // oihw, groups 2
  const opts = { groups: 2, padding: [1, 1, 0, 2], strides: [2, 1], dilations: [1, 2] };
  const ref = R.conv2d(x, w, opts);
  const xh = R.transpose(x, [0, 2, 3, 1]);
  const layouts = { hwio: [2, 3, 1, 0], ohwi: [0, 2, 3, 1], ihwo: [1, 2, 3, 0] };
  for (const [layout, perm] of Object.entries(layouts)) {
    const y = R.conv2d(xh, R.transpose(w, perm), { ...opts, inputLayout: 'nhwc', filterLayout: layout });
    const yc = R.transpose(y, [0, 3, 1, 2]);
    assert.deepEqual(yc.shape, ref.shape);
    assert.ok(R.compare(yc.data, ref.data).ok, layout);
  }
  // 1x1 conv of ones = channel sums.
  const s = R.conv2d(T([1, 2, 1, 1], [2, 3]), T([1, 2, 1, 1], [1, 1]));
  assert.deepEqual(Array.from(s.data), [5]);
});

test('reference: matmul, gemm, broadcast, softmax, pools, concat', () => {
  assert.deepEqual(Array.from(R.matmul(T([2, 2], [1, 2, 3, 4]), T([2, 1], [1, 1])).data), [3, 7]);
  const g = R.gemm(T([2, 2], [1, 2, 3, 4]), T([2, 2], [1, 0, 0, 1]), { c: T([2], [10, 20]), alpha: 2, beta: 0.5, aTranspose: true });
  assert.deepEqual(Array.from(g.data), [7, 16, 9, 18]);
  assert.deepEqual(Array.from(R.add(T([2, 1], [1, 2]), T([3], [10, 20, 30])).data), [11, 21, 31, 12, 22, 32]);
  const sm = R.softmax(T([1, 2], [0, 0]), 1);
  assert.deepEqual(Array.from(sm.data), [0.5, 0.5]);
  const x = T([1, 1, 2, 2], [1, 2, 3, 4]);
  assert.deepEqual(Array.from(R.maxPool2d(x, { windowDimensions: [2, 2] }).data), [4]);
  assert.deepEqual(Array.from(R.averagePool2d(x, { windowDimensions: [2, 2] }).data), [2.5]);
  assert.deepEqual(Array.from(R.averagePool2d(x, { windowDimensions: [2, 2], padding: [1, 0, 1, 0] }).data.slice(0, 1)), [1]);
  assert.deepEqual(Array.from(R.concat([T([1, 2], [1, 2]), T([1, 1], [3])], 1).data), [1, 2, 3]);
  assert.deepEqual(R.transpose(T([2, 3], [1, 2, 3, 4, 5, 6])).data, Float32Array.from([1, 4, 2, 5, 3, 6]));
});
