#!/usr/bin/env node
// Denormal (subnormal) inputs must not slow kernels by orders of magnitude. Times matmul, conv2d
// and a sigmoid/add chain on normal data vs. data whose values (and so products and partial sums)
// are subnormal floats, for each Wasm variant. Not a test: prints a table (results in bench/README.md).
//
//   node bench/denormals.mjs [--variants simd-threads,simd,scalar] [--runs 20] [--threads 2]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const runs = Number(opt('runs', 20));
const threads = Number(opt('threads', 2));

if (!process.env.WEBNN_DENORMALS_CHILD) {
  // One process per variant (a process loads one engine build).
  const variants = opt('variants', 'simd-threads,simd,scalar').split(',');
  console.log('| variant | workload | normal (ms, median) | denormal (ms, median) | ratio |');
  console.log('|---|---|---:|---:|---:|');
  for (const v of variants) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...args], {
      env: { ...process.env, WEBNN_DENORMALS_CHILD: '1', WEBNN_WASM_VARIANT: v }, encoding: 'utf8',
    });
    process.stdout.write(r.stdout);
    if (r.status !== 0) process.stderr.write(r.stderr);
  }
  process.exit(0);
}

const api = await import('../js/index.js');
api.setVariant(process.env.WEBNN_WASM_VARIANT);
const { ml, MLGraphBuilder } = api;
const ctx = await ml.createContext({ numThreads: threads });

const f32 = (shape) => ({ dataType: 'float32', shape });
const count = (shape) => shape.reduce((a, b) => a * b, 1);
// Normal: values ~U(0.5, 1). Denormal: the same scaled by 2^-140 (inputs ~1e-42: subnormal, and so
// is every product and partial sum of the matmul/conv; weights stay normal).
const fill = (n, denormal, seed) => {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    a[i] = (0.5 + (s / 2 ** 32) * 0.5) * (denormal ? 2 ** -140 : 1);
  }
  return a;
};

const workloads = {
  'matmul 256x256x256': {
    input: [256, 256],
    build: (b, x) => b.matmul(x, b.constant(f32([256, 256]), fill(256 * 256, false, 7).map((v) => v / 256))),
  },
  'conv2d 1x32x56x56, 3x3x32x32 (nhwc)': {
    input: [1, 56, 56, 32],
    build: (b, x) => b.conv2d(x, b.constant(f32([32, 3, 3, 32]), fill(32 * 9 * 32, false, 9).map((v) => v / 288)),
      { inputLayout: 'nhwc', filterLayout: 'ohwi', padding: [1, 1, 1, 1] }),
  },
  'add+sigmoid 1M': {
    input: [1 << 20],
    build: (b, x) => b.sigmoid(b.add(x, x)),
  },
};

for (const [name, w] of Object.entries(workloads)) {
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', f32(w.input));
  const y = w.build(b, x);
  const g = await b.build({ y });
  const xt = await ctx.createTensor({ ...f32(w.input), writable: true });
  const yt = await ctx.createTensor({ ...f32([...y.shape]), readable: true });
  const time = async (data) => {
    ctx.writeTensor(xt, data);
    for (let i = 0; i < 3; i++) { ctx.dispatch(g, { x: xt }, { y: yt }); await ctx.readTensor(yt); }
    const ts = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      ctx.dispatch(g, { x: xt }, { y: yt });
      await ctx.readTensor(yt);
      ts.push(performance.now() - t0);
    }
    ts.sort((p, q) => p - q);
    return ts[ts.length >> 1];
  };
  const normal = await time(fill(count(w.input), false, 1));
  const denormal = await time(fill(count(w.input), true, 1));
  console.log(`| ${ctx.variant} | ${name} | ${normal.toFixed(2)} | ${denormal.toFixed(2)} | ${(denormal / normal).toFixed(2)} |`);
  g.destroy(); xt.destroy(); yt.destroy();
}
ctx.destroy();
process.exit(0);
