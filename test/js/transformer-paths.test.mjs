// A transformer decoder step's attention and output projection at batch 1 (issue #16): the per-head
// products of two computed operands run batched with B read in place (shared among the threads at
// 2), and the residual add folds into the output projection's matmul (pass residual-add). debugPlan
// names both; the result matches a float64 reference, and is bit for bit the same with the pass off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineAvailable } from './engine-available.mjs';
import * as api from '../../js/index.js';

const skip = !engineAvailable && 'no Wasm build in dist/';

function seeded(n, seed, scale = 1) {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s / 2 ** 31 - 1) * scale;
  }
  return a;
}

// The decoder-step workload's attention: 12 heads of 64, 129 keys (128 cached + the new one; not a
// multiple of 16: the in-place kernel's packed tail panel).
const H = 12, D = 64, S = 129, HD = H * D;
const data = {
  x: seeded(HD, 1), wq: seeded(HD * HD, 2, 0.2), bq: seeded(HD, 3), kCacheT: seeded(H * D * S, 4),
  vCache: seeded(H * S * D, 5), wo: seeded(HD * HD, 6, 0.2), bo: seeded(HD, 7),
};

async function decoderStep(numThreads, disabledPasses = []) {
  const ctx = await api.ml.createContext({ numThreads, disabledPasses });
  const b = new api.MLGraphBuilder(ctx);
  const f32 = (shape) => ({ dataType: 'float32', shape });
  const x = b.input('x', f32([1, HD]));
  const kCacheT = b.input('kCacheT', f32([H, D, S]));
  const vCache = b.input('vCache', f32([H, S, D]));
  const linear = (v, w, bias) => b.add(b.matmul(v, b.constant(f32([HD, HD]), w)), b.constant(f32([HD]), bias));
  const q = b.reshape(linear(x, data.wq, data.bq), [H, 1, D]);
  const probs = b.softmax(b.matmul(q, kCacheT), 2); // [H, 1, S]
  const merged = b.reshape(b.matmul(probs, vCache), [1, HD]); // [H, 1, D] -> [1, HD]
  const y = b.add(linear(merged, data.wo, data.bo), x); // the residual
  const graph = await b.build({ y });
  const tensors = {};
  for (const [name, shape] of [['x', [1, HD]], ['kCacheT', [H, D, S]], ['vCache', [H, S, D]]]) {
    tensors[name] = await ctx.createTensor({ ...f32(shape), writable: true });
    ctx.writeTensor(tensors[name], data[name]);
  }
  const out = await ctx.createTensor({ ...f32([1, HD]), readable: true });
  ctx.dispatch(graph, tensors, { y: out });
  const result = { plan: graph.debugPlan(), y: new Float32Array(await ctx.readTensor(out)), threads: ctx.numThreads };
  ctx.destroy();
  return result;
}

// float64, with a bound on each output's float32 error from the magnitudes summed along the way.
function reference() {
  const lin = (v, w, bias) => Array.from({ length: HD }, (_, j) => {
    let s = bias[j];
    for (let k = 0; k < HD; k++) s += v[k] * w[k * HD + j];
    return s;
  });
  const q = lin(data.x, data.wq, data.bq);
  const merged = new Array(HD).fill(0);
  for (let h = 0; h < H; h++) {
    const scores = Array.from({ length: S }, (_, s) => {
      let t = 0;
      for (let d = 0; d < D; d++) t += q[h * D + d] * data.kCacheT[(h * D + d) * S + s];
      return t;
    });
    const m = Math.max(...scores);
    const e = scores.map((t) => Math.exp(t - m));
    const sum = e.reduce((a, v) => a + v, 0);
    for (let d = 0; d < D; d++)
      for (let s = 0; s < S; s++) merged[h * D + d] += (e[s] / sum) * data.vCache[(h * S + s) * D + d];
  }
  return lin(merged, data.wo, data.bo).map((v, j) => v + data.x[j]);
}

test('decoder step: batched attention with B in place, residual add fused, results match float64', { skip }, async () => {
  const want = reference();
  for (const numThreads of [1, 2]) {
    const fused = await decoderStep(numThreads);
    const plain = await decoderStep(numThreads, ['residual-add']);
    const where = `threads=${fused.threads} of ${numThreads}\n${fused.plan}`;
    // Both attention products: M = 1 per head, B (the caches) read in place; with 2 threads (the
    // single-threaded builds give 1) the heads are shared among them.
    const batched = fused.threads === 2 ? '1x16 gemv, B in place, batches across threads' : '1x16 gemv, B in place';
    assert.equal(fused.plan.split(`matmul (${batched})`).length - 1, 2, where);
    assert.match(fused.plan, /matmul\+add\+add\(residual\) \(1x16 gemv\)/, where);
    assert.match(fused.plan, /residual-add: matmul#\d+ \+ add#\d+/, where);
    assert.doesNotMatch(plain.plan, /residual/, where);
    assert.deepEqual(new Uint32Array(fused.y.buffer), new Uint32Array(plain.y.buffer), `${where}: fused and unfused bits differ`);
    let bad = 0;
    for (let j = 0; j < HD; j++) if (!(Math.abs(fused.y[j] - want[j]) <= 2e-4 * (1 + Math.abs(want[j])))) bad++;
    assert.equal(bad, 0, `${where}: ${bad} of ${HD} outputs off the float64 reference`);
  }
});
