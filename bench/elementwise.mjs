#!/usr/bin/env node
// Ours alone: one element-wise op as a whole graph, the mean µs per dispatch (median of 5 blocks of
// 200 dispatches, one read at the end of each block), for comparing kernels between builds.
//
//   node bench/elementwise.mjs [--ops relu,gelu,erf,tanh] [--shape 16,3072] [--threads 1] [--root DIR]
// --root: the checkout whose js/ and dist/ to load (default this one); A/B: this checkout and
// --root /work/main, alternating, each under flock /tmp/bench.lock.
import { parseOptions } from './harness.mjs';

const args = parseOptions(process.argv.slice(2),
  { ops: 'relu,gelu,erf,tanh', shape: '16,3072', threads: 1, root: new URL('..', import.meta.url).pathname });
const { ml, MLGraphBuilder } = await import(`${args.root}/js/index.js`);
const shape = args.shape.split(',').map(Number);
const n = shape.reduce((a, b) => a * b, 1);
const ctx = await ml.createContext({ numThreads: +args.threads });
const x = new Float32Array(n);
for (let i = 0; i < n; i++) x[i] = Math.sin(i * 0.37) * 4;  // [-4, 4]: every erf interval
const xt = await ctx.createTensor({ dataType: 'float32', shape, writable: true });
const yt = await ctx.createTensor({ dataType: 'float32', shape, readable: true });
ctx.writeTensor(xt, x);
const result = {};
for (const op of args.ops.split(',')) {
  const b = new MLGraphBuilder(ctx);
  const graph = await b.build({ y: b[op](b.input('x', { dataType: 'float32', shape })) });
  for (let i = 0; i < 20; i++) ctx.dispatch(graph, { x: xt }, { y: yt });
  await ctx.readTensor(yt);
  const blocks = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) ctx.dispatch(graph, { x: xt }, { y: yt });
    await ctx.readTensor(yt);
    blocks.push(((performance.now() - t0) / 200) * 1000);
  }
  blocks.sort((a, b) => a - b);
  result[op] = +blocks[2].toFixed(1);
  graph.destroy();
}
console.log(`${args.root} [${shape}] threads=${args.threads}: µs per dispatch ${JSON.stringify(result)}`);
process.exit(0);  // pthread workers
