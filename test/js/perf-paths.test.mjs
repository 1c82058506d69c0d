// The optimized paths through the API, on the variant under test (WEBNN_WASM_VARIANT): element-wise
// chains (SIMD sigmoid/tanh approximations included), reshape views, constant folding, and the
// plan report that shows each happened. Results against plain-JS references with WPT-like tolerances.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineAvailable } from './engine-available.mjs';
import { createRunningContext } from './threads.mjs';
import * as api from '../../js/index.js';

const { ml, MLGraphBuilder } = api;
const F32 = 'float32';

function rng(seed) {
  let a = seed >>> 0;
  return () => { a = (Math.imul(a, 1664525) + 1013904223) >>> 0; return a / 4294967296; };
}
function randoms(n, seed, lo = -1, hi = 1) {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}
const f32 = Math.fround;
function ulp(a, b) {
  const fa = new Float32Array([a, b]);
  const ia = new Int32Array(fa.buffer);
  const m = (i) => (i < 0 ? 0x80000000 - i : i);
  return Math.abs(m(ia[0]) - m(ia[1]));
}

async function run(ctx, graph, inputs, outputs) {
  const ins = {}, outs = {};
  for (const [name, [shape, data]] of Object.entries(inputs)) {
    ins[name] = await ctx.createTensor({ dataType: F32, shape, writable: true });
    ctx.writeTensor(ins[name], data);
  }
  for (const [name, shape] of Object.entries(outputs)) outs[name] = await ctx.createTensor({ dataType: F32, shape, readable: true });
  ctx.dispatch(graph, ins, outs);
  const res = {};
  for (const name of Object.keys(outputs)) res[name] = new Float32Array(await ctx.readTensor(outs[name]));
  return res;
}

if (!engineAvailable) {
  test('optimized paths', { skip: 'no Wasm build in dist/ (npm run build)' }, () => {});
} else {
  if (process.env.WEBNN_WASM_VARIANT) api.setVariant(process.env.WEBNN_WASM_VARIANT);

  test('sigmoid and tanh stay within WPT tolerances (34 ulp; 1/1024 absolute)', async () => {
    const ctx = await createRunningContext({ numThreads: 2 });
    const n = 40001;
    const x = Float32Array.from({ length: n }, (_, i) => (i - 20000) * 1e-3); // [-20, 20]
    x[0] = -100; x[1] = 100; x[2] = 0; x[3] = -1e-20; x[4] = NaN;
    const b = new MLGraphBuilder(ctx);
    const xi = b.input('x', { dataType: F32, shape: [n] });
    const graph = await b.build({ s: b.sigmoid(xi), t: b.tanh(xi) });
    const { s, t } = await run(ctx, graph, { x: [[n], x] }, { s: [n], t: [n] });
    let worstS = 0, worstT = 0;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(x[i])) { assert.ok(Number.isNaN(s[i]) && Number.isNaN(t[i])); continue; }
      worstS = Math.max(worstS, ulp(s[i], f32(1 / (1 + Math.exp(-x[i])))));
      worstT = Math.max(worstT, Math.abs(t[i] - Math.tanh(x[i])));
    }
    assert.ok(worstS <= 34, `sigmoid: ${worstS} ulp`);
    assert.ok(worstT <= 1 / 1024, `tanh: ${worstT}`);
    ctx.destroy();
  });

  test('a fused element-wise chain, a reshape view and a folded constant give the reference result', async () => {
    const ctx = await createRunningContext({ numThreads: 2 });
    const shape = [2, 50, 64, 8]; // 51200 elements: threaded tiles on the threaded build
    const n = shape.reduce((a, d) => a * d, 1);
    const xv = randoms(n, 1, -3, 3), cv = randoms(8, 2), dv = randoms(8, 3);
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: F32, shape });
    const c = b.constant({ dataType: F32, shape: [8] }, cv);
    const d = b.constant({ dataType: F32, shape: [8] }, dv);
    const cd = b.mul(c, d); // constant-folded
    let y = b.add(x, cd);
    y = b.sigmoid(y);
    y = b.mul(y, b.constant({ dataType: F32, shape: [] }, new Float32Array([3])));
    y = b.tanh(y);
    y = b.reshape(y, [100, 512]); // a view
    y = b.relu(b.sub(b.constant({ dataType: F32, shape: [1] }, new Float32Array([0.9])), y));
    const graph = await b.build({ y });
    const plan = graph.debugPlan();
    assert.match(plan, /constant-folding: mul/);
    assert.match(plan, /elementwise-chains: add#\d+ \+ sigmoid#\d+ \+ mul#\d+ \+ tanh#\d+/);
    // The reshape moves below the sub (a single-value side: pass shape-sinking) and the chain runs
    // through it: one step.
    assert.match(plan, /shape-sinking: reshape#\d+ below sub#\d+/);
    assert.match(plan, /\+ sub#\d+ \+ reshape#\d+ \+ relu#\d+ \(6 ops, one pass\)/);
    assert.match(plan, /^steps: 1\n/);
    const { y: got } = await run(ctx, graph, { x: [shape, xv] }, { y: [100, 512] });
    for (let i = 0; i < n; i++) {
      const k = i % 8;
      const v = Math.tanh(3 / (1 + Math.exp(-(xv[i] + f32(cv[k] * dv[k])))));
      const want = Math.max(0.9 - v, 0);
      assert.ok(Math.abs(got[i] - want) <= 1e-5, `index ${i}: ${got[i]} vs ${want}`);
    }
    ctx.destroy();
  });

  test('100 chained adds compile to one step', async () => {
    const ctx = await ml.createContext({ numThreads: 1 });
    const b = new MLGraphBuilder(ctx);
    let y = b.input('x', { dataType: F32, shape: [1, 16] });
    const cs = [];
    for (let i = 0; i < 100; i++) {
      cs.push(randoms(16, 10 + i));
      y = b.add(y, b.constant({ dataType: F32, shape: [16] }, cs[i]));
    }
    const graph = await b.build({ y });
    assert.match(graph.debugPlan(), /^steps: 1\n/);
    const xv = randoms(16, 5);
    const { y: got } = await run(ctx, graph, { x: [[1, 16], xv] }, { y: [1, 16] });
    for (let i = 0; i < 16; i++) {
      let v = xv[i];
      for (const c of cs) v = f32(v + c[i]);
      assert.ok(Math.abs(got[i] - v) <= 1e-4);
    }
    ctx.destroy();
  });
}
