// gru and lstm (sequences, both directions) and lstmCell through the WebNN API against a JS
// step-by-step reference of the spec's equations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as R from './reference.mjs';
import { skip, newContext, runGraph, close } from './op-runner.mjs';

const sig = (v) => 1 / (1 + Math.exp(-v));
const dot = (M, K, row, v) => { let s = 0; for (let k = 0; k < K; k++) s += M[row * K + k] * v[k]; return s; };

// One direction of GRU (zrn, resetAfter) or LSTM (iofg) over the whole sequence.
function rnn(lstm, x, [T, B, I], H, W, Rw, bias, rbias, backward, resetAfter = true) {
  let h = new Float64Array(B * H), c = new Float64Array(B * H);
  const seq = new Array(T);
  const bv = (v, i) => (v ? v[i] : 0);
  for (let s = 0; s < T; s++) {
    const t = backward ? T - 1 - s : s;
    const hn = new Float64Array(B * H), cn = new Float64Array(B * H);
    for (let b = 0; b < B; b++) {
      const xv = x.subarray((t * B + b) * I, (t * B + b + 1) * I);
      const hv = h.subarray(b * H, (b + 1) * H);
      const pre = (gate, j, hvec = hv) => dot(W, I, gate * H + j, xv) + dot(Rw, H, gate * H + j, hvec) + bv(bias, gate * H + j) + bv(rbias, gate * H + j);
      if (lstm) {
        for (let j = 0; j < H; j++) {
          const i = sig(pre(0, j)), o = sig(pre(1, j)), f = sig(pre(2, j)), g = Math.tanh(pre(3, j));
          cn[b * H + j] = f * c[b * H + j] + i * g;
          hn[b * H + j] = o * Math.tanh(cn[b * H + j]);
        }
      } else {
        const z = [], r = [];
        for (let j = 0; j < H; j++) { z.push(sig(pre(0, j))); r.push(sig(pre(1, j))); }
        const rh = Float64Array.from(hv, (v, j) => v * r[j]);
        for (let j = 0; j < H; j++) {
          const row = 2 * H + j;
          const n = resetAfter
            ? Math.tanh(dot(W, I, row, xv) + bv(bias, row) + r[j] * (dot(Rw, H, row, hv) + bv(rbias, row)))
            : Math.tanh(dot(W, I, row, xv) + bv(bias, row) + bv(rbias, row) + dot(Rw, H, row, rh));
          hn[b * H + j] = z[j] * hv[j] + (1 - z[j]) * n;
        }
      }
    }
    h = hn; c = cn;
    seq[t] = h;
  }
  return { h, c, seq };
}

test('gru (both directions, returnSequence) and lstm (backward) match the step-by-step reference', { skip }, async () => {
  const ctx = await newContext();
  const rnd = R.random(21);
  const T = 3, B = 2, I = 4, H = 5;
  const x = rnd(T * B * I);
  const gw = rnd(2 * 3 * H * I, -0.5, 0.5), gr = rnd(2 * 3 * H * H, -0.5, 0.5), gb = rnd(2 * 3 * H), grb = rnd(2 * 3 * H);
  const lw = rnd(4 * H * I, -0.5, 0.5), lr = rnd(4 * H * H, -0.5, 0.5), lb = rnd(4 * H);
  const c = (b, shape, data) => b.constant({ dataType: 'float32', shape }, data);
  const res = await runGraph(ctx, { x: { shape: [T, B, I], data: x } }, (b, o) => {
    const [gh, gseq] = b.gru(o.x, c(b, [2, 3 * H, I], gw), c(b, [2, 3 * H, H], gr), T, H,
      { bias: c(b, [2, 3 * H], gb), recurrentBias: c(b, [2, 3 * H], grb), direction: 'both', returnSequence: true, resetAfter: false });
    const [lh, lc] = b.lstm(o.x, c(b, [1, 4 * H, I], lw), c(b, [1, 4 * H, H], lr), T, H,
      { bias: c(b, [1, 4 * H], lb), direction: 'backward' });
    return { gh, gseq, lh, lc };
  });
  const dirs = [0, 1].map((d) => rnn(false, x, [T, B, I], H, gw.subarray(d * 3 * H * I, (d + 1) * 3 * H * I),
    gr.subarray(d * 3 * H * H, (d + 1) * 3 * H * H), gb.subarray(d * 3 * H, (d + 1) * 3 * H), grb.subarray(d * 3 * H, (d + 1) * 3 * H), d === 1, false));
  assert.deepEqual(res.gh.shape, [2, B, H]);
  assert.equal(close(res.gh.data, [...dirs[0].h, ...dirs[1].h]), null);
  const seq = [];
  for (let t = 0; t < T; t++) seq.push(...dirs[0].seq[t], ...dirs[1].seq[t]);
  assert.deepEqual(res.gseq.shape, [T, 2, B, H]);
  assert.equal(close(res.gseq.data, seq), null);
  const l = rnn(true, x, [T, B, I], H, lw, lr, lb, null, true);
  assert.equal(close(res.lh.data, l.h), null);
  assert.equal(close(res.lc.data, l.c), null);
  ctx.destroy();
});

test('lstmCell returns [hidden, cell]; gru validates its arguments', { skip }, async () => {
  const ctx = await newContext();
  const rnd = R.random(22);
  const B = 2, I = 3, H = 4;
  const x = rnd(B * I), w = rnd(4 * H * I), r = rnd(4 * H * H);
  const res = await runGraph(ctx, { x: { shape: [B, I], data: x } }, (b, o) => {
    const zeros = b.constant({ dataType: 'float32', shape: [B, H] }, new Float32Array(B * H));
    return b.lstmCell(o.x, b.constant({ dataType: 'float32', shape: [4 * H, I] }, w),
      b.constant({ dataType: 'float32', shape: [4 * H, H] }, r), zeros, zeros, H);
  });
  const ref = rnn(true, x, [1, B, I], H, w, r, null, null, false);
  assert.equal(close(res.out0.data, ref.h), null);
  assert.equal(close(res.out1.data, ref.c), null);
  const { MLGraphBuilder } = await import('../../js/index.js');
  const b = new MLGraphBuilder(ctx);
  const xi = b.input('x', { dataType: 'float32', shape: [2, B, I] });
  assert.throws(() => b.gru(xi, b.constant({ dataType: 'float32', shape: [1, 3 * H, I] }, new Float32Array(3 * H * I)),
    b.constant({ dataType: 'float32', shape: [1, 3 * H, H] }, new Float32Array(3 * H * H)), 3, H, { label: 'g' }),
  (e) => e instanceof TypeError && /gru \[g\]/.test(e.message));
  ctx.destroy();
});
