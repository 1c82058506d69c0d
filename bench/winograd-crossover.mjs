// Where Winograd F(4x4,3x3) pays: ours alone, conv 3x3 stride 1 'same' + bias + relu (NHWC), the
// default compiler vs disabledPasses: ['winograd'] (im2col), interleaved, median ms of blocks.
// Used to set winogradPays() in src/kernels/conv/winograd.cpp.
//   node bench/winograd-crossover.mjs [threads] [HxW,...] [channels,...]
import { ml, MLGraphBuilder } from '../js/index.js';

const threads = +(process.argv[2] || 1);
const sizes = (process.argv[3] || '56,28,14,7').split(',').map(Number);
const channels = (process.argv[4] || '4,8,12,16,24,32,64,128').split(',').map(Number);

function random(n, seed) {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
}

async function setup(ctx, hw, c) {
  const b = new MLGraphBuilder(ctx);
  const shape = [1, hw, hw, c];
  const x = b.input('x', { dataType: 'float32', shape });
  const w = b.constant({ dataType: 'float32', shape: [c, 3, 3, c] }, random(c * 9 * c, 1));
  const bias = b.constant({ dataType: 'float32', shape: [c] }, random(c, 2));
  const y = b.relu(b.conv2d(x, w, { inputLayout: 'nhwc', filterLayout: 'ohwi', padding: [1, 1, 1, 1], bias }));
  const graph = await b.build({ y });
  const xt = await ctx.createTensor({ dataType: 'float32', shape, writable: true });
  const yt = await ctx.createTensor({ dataType: 'float32', shape, readable: true });
  ctx.writeTensor(xt, random(hw * hw * c, 3));
  return { graph, path: /\[(winograd[^\]]*|im2col)\]/.exec(graph.debugPlan())?.[1], xt, yt };
}

// ms per dispatch over a block long enough to time (~20 ms).
async function time(ctx, s) {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) ctx.dispatch(s.graph, { x: s.xt }, { y: s.yt });
    await ctx.readTensor(s.yt);
    const ms = performance.now() - t0;
    if (ms > 20) return ms / n;
    n *= 2;
  }
}

const on = await ml.createContext({ numThreads: threads });
const off = await ml.createContext({ numThreads: threads, disabledPasses: ['winograd'] });
console.log(`threads ${threads}; ms per conv (median of 7 interleaved blocks); ratio = im2col / winograd`);
console.log('HxW   C->C   path-on              winograd ms   im2col ms   ratio');
for (const hw of sizes) {
  for (const c of channels) {
    const a = await setup(on, hw, c), b = await setup(off, hw, c);
    const ta = [], tb = [];
    for (let r = 0; r < 7; r++) {
      ta.push(await time(on, a));
      tb.push(await time(off, b));
    }
    const med = (v) => v.sort((p, q) => p - q)[3];
    const [ma, mb] = [med(ta), med(tb)];
    console.log(`${String(hw).padEnd(5)} ${String(c).padStart(3)}->${String(c).padEnd(4)} ${String(a.path).padEnd(20)} ` +
      `${ma.toFixed(3).padStart(11)} ${mb.toFixed(3).padStart(11)} ${(mb / ma).toFixed(2).padStart(7)}`);
    for (const s of [a, b]) { s.graph.destroy(); s.xt.destroy(); s.yt.destroy(); }
  }
}
on.destroy();
off.destroy();
