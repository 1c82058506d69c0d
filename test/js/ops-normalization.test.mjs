// batchNormalization, instanceNormalization, layerNormalization through the WebNN API against JS references
// (test/js/reference.mjs's normalizations, which the differential fuzzer uses too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as R from './reference.mjs';
import { skip, newContext, runGraph, forEachCoord, close } from './op-runner.mjs';

test('batchNormalization with constant statistics (folded) and with input statistics', { skip }, async () => {
  const ctx = await newContext();
  const rnd = R.random(3);
  const x = { dataType: 'float32', shape: [2, 3, 4, 2], data: rnd(48, -2, 2) };
  const mean = rnd(3), variance = rnd(3, 0.2, 2), scale = rnd(3), bias = rnd(3);
  const c = (b, v) => b.constant({ dataType: 'float32', shape: [3] }, v);
  const want = new Float32Array(48);
  forEachCoord(x.shape, (co, i) => {
    const ch = co[1];
    want[i] = ((x.data[i] - mean[ch]) / Math.sqrt(variance[ch] + 1e-3)) * scale[ch] + bias[ch];
  });
  const r = await runGraph(ctx, { x, m: { shape: [3], data: mean } }, (b, o) => [
    b.batchNormalization(o.x, c(b, mean), c(b, variance), { scale: c(b, scale), bias: c(b, bias), epsilon: 1e-3 }),
    b.batchNormalization(o.x, o.m, c(b, variance), { scale: c(b, scale), bias: c(b, bias), epsilon: 1e-3 }),
  ]);
  assert.equal(close(r.out0.data, want), null);
  assert.equal(close(r.out1.data, want), null);
  ctx.destroy();
});

test('instanceNormalization (nhwc) and layerNormalization (axes [2, 3])', { skip }, async () => {
  const ctx = await newContext();
  const rnd = R.random(5);
  const shape = [2, 3, 4, 5];
  const x = { dataType: 'float32', shape, data: rnd(120, -1, 3) };
  const s5 = rnd(5), b5 = rnd(5), s20 = rnd(20), b20 = rnd(20);
  const r = await runGraph(ctx, { x }, (b, o) => [
    b.instanceNormalization(o.x, {
      layout: 'nhwc',
      scale: b.constant({ dataType: 'float32', shape: [5] }, s5),
      bias: b.constant({ dataType: 'float32', shape: [5] }, b5),
    }),
    b.layerNormalization(o.x, {
      axes: [2, 3],
      scale: b.constant({ dataType: 'float32', shape: [4, 5] }, s20),
      bias: b.constant({ dataType: 'float32', shape: [4, 5] }, b20),
    }),
    b.layerNormalization(o.x),
  ]);
  const t = (data) => ({ data });
  assert.equal(close(r.out0.data, R.instanceNormalization(x, { layout: 'nhwc', scale: t(s5), bias: t(b5) }).data), null);
  assert.equal(close(r.out1.data, R.layerNormalization(x, { axes: [2, 3], scale: t(s20), bias: t(b20) }).data), null);
  assert.equal(close(r.out2.data, R.layerNormalization(x).data), null);
  ctx.destroy();
});
