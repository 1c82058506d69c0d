// Per-op dispatch cost of 100 chained add([1,16], constant[16]) (the addchain workload), with the
// element-wise chain fusion (1 step) and without it (a reshape view after each add ends every
// chain but adds no step: 100 add steps + the output copy). Best / median of 7 blocks of
// dispatches, and the full write + dispatch + read round trip.
//   node bench/dispatch-overhead.mjs [threads]
import { ml, MLGraphBuilder } from '../js/index.js';
const threads = +(process.argv[2] || 1);
const ctx = await ml.createContext({ numThreads: threads });
async function make(fuse) {
  const b = new MLGraphBuilder(ctx);
  let y = b.input('x', { dataType: 'float32', shape: [1, 16] });
  for (let i = 0; i < 100; i++) {
    y = b.add(y, b.constant({ dataType: 'float32', shape: [16] }, new Float32Array(16).fill(i)));
    if (!fuse) y = b.reshape(y, [1, 16]); // a view (no step) that ends an element-wise chain
  }
  const g = await b.build({ y });
  return g;
}
const x = await ctx.createTensor({ dataType: 'float32', shape: [1, 16], writable: true });
const y = await ctx.createTensor({ dataType: 'float32', shape: [1, 16], readable: true });
const data = new Float32Array(16), out = new Float32Array(16);
for (const fuse of [true, false]) {
  const g = await make(fuse);
  const steps = /steps: (\d+)/.exec(g.debugPlan())[1];
  const ins = { x }, outs = { y };
  for (let i = 0; i < 2000; i++) ctx.dispatch(g, ins, outs);
  const res = [];
  for (let r = 0; r < 7; r++) {
    const N = 20000, t0 = performance.now();
    for (let i = 0; i < N; i++) ctx.dispatch(g, ins, outs);
    res.push((performance.now() - t0) / N * 1000);
  }
  res.sort((a, b) => a - b);
  let t0 = performance.now(); const M = 5000;
  for (let i = 0; i < M; i++) { ctx.writeTensor(x, data); ctx.dispatch(g, ins, outs); await ctx.readTensor(y, out); }
  const full = (performance.now() - t0) / M * 1000;
  console.log(`threads=${threads} ${fuse ? 'fused  ' : 'unfused'} steps=${steps}: dispatch only ${res[0].toFixed(2)}-${res[3].toFixed(2)} us (${(res[3] / 100).toFixed(3)} us/op); write+dispatch+read ${full.toFixed(2)} us (${(full / 100).toFixed(3)} us/op)`);
}
ctx.destroy();
process.exit(0);
