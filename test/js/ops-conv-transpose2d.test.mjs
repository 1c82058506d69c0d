// convTranspose2d through the WebNN API against a JS scatter reference (nchw/iohw, transposed for other layouts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as R from './reference.mjs';
import { skip, newContext, runGraph, close } from './op-runner.mjs';

const convTranspose2d = R.convTranspose2d;

test('convTranspose2d: nchw/iohw and nhwc/ohwi with groups, strides, dilations, padding, outputPadding, bias + relu', { skip }, async () => {
  const ctx = await newContext();
  const rnd = R.random(11);
  const x = R.tensor([2, 4, 5, 3], rnd(120));
  const w = R.tensor([4, 3, 3, 2], rnd(72)); // iohw, groups 2 -> 6 output channels
  const bias = rnd(6);
  const opts = { groups: 2, strides: [2, 3], dilations: [1, 2], padding: [1, 0, 2, 1], outputPadding: [1, 2] };
  const want = R.relu(convTranspose2d(x, w, { ...opts, bias }));
  const xh = R.transpose(x, [0, 2, 3, 1]);
  const wohwi = R.transpose(w, [1, 2, 3, 0]);
  const r = await runGraph(ctx, { x: { shape: x.shape, data: x.data }, xh: { shape: xh.shape, data: xh.data } }, (b, o) => {
    const bc = b.constant({ dataType: 'float32', shape: [6] }, bias);
    return [
      b.relu(b.convTranspose2d(o.x, b.constant({ dataType: 'float32', shape: w.shape }, w.data), { ...opts, bias: bc })),
      b.relu(b.convTranspose2d(o.xh, b.constant({ dataType: 'float32', shape: wohwi.shape }, wohwi.data),
        { ...opts, bias: bc, inputLayout: 'nhwc', filterLayout: 'ohwi' })),
    ];
  });
  assert.deepEqual(r.out0.shape, want.shape);
  assert.equal(close(r.out0.data, want.data), null);
  assert.equal(close(r.out1.data, R.transpose(want, [0, 2, 3, 1]).data), null);
  ctx.destroy();
});
