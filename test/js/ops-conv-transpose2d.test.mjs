// convTranspose2d through the WebNN API against a JS scatter reference (nchw/iohw, transposed for other layouts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as R from './reference.mjs';
import { skip, newContext, runGraph, close } from './op-runner.mjs';

function convTranspose2d(x, w, { padding = [0, 0, 0, 0], strides = [1, 1], dilations = [1, 1], outputPadding = [0, 0], groups = 1, bias } = {}) {
  const [N, C, H, W] = x.shape;
  const [, Og, KH, KW] = w.shape;
  const O = Og * groups, Ig = C / groups;
  const OH = (H - 1) * strides[0] + (KH - 1) * dilations[0] + 1 - padding[0] - padding[1] + outputPadding[0];
  const OW = (W - 1) * strides[1] + (KW - 1) * dilations[1] + 1 - padding[2] - padding[3] + outputPadding[1];
  const out = new Float64Array(N * O * OH * OW);
  for (let n = 0; n < N; n++)
    for (let ic = 0; ic < C; ic++)
      for (let ih = 0; ih < H; ih++)
        for (let iw = 0; iw < W; iw++)
          for (let o = 0; o < Og; o++)
            for (let kh = 0; kh < KH; kh++)
              for (let kw = 0; kw < KW; kw++) {
                const oh = ih * strides[0] + kh * dilations[0] - padding[0];
                const ow = iw * strides[1] + kw * dilations[1] - padding[2];
                if (oh < 0 || ow < 0 || oh >= OH || ow >= OW) continue;
                const oc = Math.floor(ic / Ig) * Og + o;
                out[((n * O + oc) * OH + oh) * OW + ow] += x.data[((n * C + ic) * H + ih) * W + iw] * w.data[((ic * Og + o) * KH + kh) * KW + kw];
              }
  if (bias) for (let i = 0; i < out.length; i++) out[i] += bias[Math.floor(i / (OH * OW)) % O];
  return { shape: [N, O, OH, OW], data: Float32Array.from(out) };
}

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
