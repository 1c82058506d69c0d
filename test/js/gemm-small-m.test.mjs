// matmul/gemm with M = 1..4 rows run the small-M kernels (1x16 GEMV, 4x16), chosen when the graph is
// compiled: debugPlan names the kernel, and the results match a float64 reference in JS, with 1 and 2
// threads (the threads split N) and a bias + relu epilogue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineAvailable } from './engine-available.mjs';
import * as api from '../../js/index.js';

const skip = !engineAvailable && 'no Wasm build in dist/';

function seeded(n, seed) {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 31 - 1;
  }
  return a;
}

test('matmul/gemm with M = 1..5: kernel named in debugPlan, results match a float64 reference', { skip }, async () => {
  const K = 515, N = 1001; // odd, and wide enough for 2 threads to split N
  const w = seeded(K * N, 7), bias = seeded(N, 9);
  for (const numThreads of [1, 2]) {
    const ctx = await api.ml.createContext({ numThreads });
    for (const M of [1, 2, 3, 4, 5]) {
      const x = seeded(M * K, 100 + M);
      const b = new api.MLGraphBuilder(ctx);
      const a = b.input('a', { dataType: 'float32', shape: [M, K] });
      const y = b.relu(b.gemm(a, b.constant({ dataType: 'float32', shape: [K, N] }, w),
        { c: b.constant({ dataType: 'float32', shape: [N] }, bias) }));
      const graph = await b.build({ y });
      const kernel = M === 1 ? '1x16 gemv' : M <= 4 ? '4x16 small-M' : '2x16';
      assert.match(graph.debugPlan(), new RegExp(`gemm\\+relu \\(${kernel}\\)`), `M=${M}`);
      const inT = await ctx.createTensor({ dataType: 'float32', shape: [M, K], writable: true });
      const outT = await ctx.createTensor({ dataType: 'float32', shape: [M, N], readable: true });
      ctx.writeTensor(inT, x);
      ctx.dispatch(graph, { a: inT }, { y: outT });
      const got = new Float32Array(await ctx.readTensor(outT));
      let bad = 0;
      for (let i = 0; i < M; i++)
        for (let j = 0; j < N; j++) {
          let s = bias[j], mag = Math.abs(bias[j]);
          for (let k = 0; k < K; k++) { s += x[i * K + k] * w[k * N + j]; mag += Math.abs(x[i * K + k] * w[k * N + j]); }
          const want = Math.max(s, 0), tol = (K + 4) * 6e-8 * mag + 1e-6;
          if (!(Math.abs(got[i * N + j] - want) <= tol)) bad++;
        }
      assert.equal(bad, 0, `M=${M} threads=${numThreads}: ${bad} elements off`);
      graph.destroy();
    }
    ctx.destroy();
  }
});
