#!/usr/bin/env node
// Memory of built models (issue #20), `npm run bench:memory`. Two parts, each measurement in its own
// Node process so one library's heap never counts against another's:
//
// 1. Memory lines: for every workload of bench/workloads.mjs plus "mlp-192" (12 x matmul
//    [1,2048]x[2048,2048] + relu, 192 MiB of float32 weights), the weight bytes; for webnn-wasm the
//    engine's bytes in use after build() and its peak during build() (debugPlan()'s "memory:"
//    line); and for webnn-wasm, onnxruntime-web and tfjs-backend-wasm alike the process RSS, measured
//    the same way: the workload's weights are made in JS first, then RSS before the library touches
//    the model, after setup + one inference (after gc()), and the process's peak RSS (maxRSS).
// 2. Large model (--large, on by default): on the simd and simd-threads builds, a graph whose
//    weights total ~1.5 GB is built and dispatched (checked against a JS reference) with the Wasm
//    heap staying under 2 GiB; then a graph too large for the 4 GiB heap fails cleanly (constant()
//    throws an UnknownError once the heap is full, build() rejects with the spec's OperationError)
//    and the context still builds and runs a graph afterwards.
//
//   node bench/memory.mjs [--workloads a,b] [--libs ours,ort,tfjs] [--no-lines] [--no-large]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getWorkload, workloadNames, randomArray, mulberry32 } from './workloads.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const MiB = 2 ** 20;
const mib = (b) => (b / MiB).toFixed(1);
const LIBS = {
  ours: path.join(here, 'ours.mjs'),
  ort: path.join(here, 'peers', 'ort.mjs'),
  tfjs: path.join(here, 'peers', 'tfjs.mjs'),
};

// 12 x (matmul by a constant [2048, 2048] + relu) on [1, 2048]: the graph of issue #20.
function mlp192() {
  const rng = mulberry32(192);
  const K = 2048;
  const ops = [];
  let x = 'x';
  for (let i = 0; i < 12; i++) {
    ops.push({ op: 'matmul', a: x, b: { shape: [K, K], data: randomArray(rng, K * K, Math.sqrt(3 / K)) }, out: `mm${i}` });
    ops.push({ op: 'relu', x: `mm${i}`, out: `relu${i}` });
    x = `relu${i}`;
  }
  return {
    name: 'mlp-192', title: '12 x (matmul [1x2048]x[2048x2048] + relu)', inputs: [{ name: 'x', shape: [1, K] }],
    ops, outputs: [{ name: x, shape: [1, K] }], flops: 12 * 2 * K * K,
    makeInputs: () => ({ x: randomArray(mulberry32(7), K) }),
  };
}
const workload = (name) => (name === 'mlp-192' ? mlp192() : getWorkload(name));

function weightBytes(w) {
  let n = 0;
  for (const op of w.ops)
    for (const v of Object.values(op)) if (v && typeof v === 'object' && v.data instanceof Float32Array) n += v.data.byteLength;
  return n;
}

// ---- child: one library, one workload ----
async function measureChild(lib, name) {
  const w = workload(name);
  const mod = await import(pathToFileURL(LIBS[lib]).href);
  global.gc();
  const rssBefore = process.memoryUsage().rss;
  const s = await mod.setup(w, { threads: 1 });
  await s.run();
  global.gc();
  const result = {
    lib, workload: name, variant: s.variant, weightBytes: weightBytes(w),
    rssBefore, rssAfter: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024,
  };
  if (lib === 'ours') {
    // Engine bytes in use after build: what malloc has handed out now, less the input and output
    // tensors setup() created after build (float32 elements).
    const { heapStats } = await import('../js/index.js');
    const m = /memory: .*\(bytes: (\d+) (\d+) (\d+)\)/.exec(s.plan);
    let ioBytes = 0;
    for (const t of [...w.inputs, ...w.outputs]) ioBytes += 4 * t.shape.reduce((a, d) => a * d, 1);
    Object.assign(result, {
      engineInUse: heapStats().bytesInUse - ioBytes, weightsHeld: +m[1], buildPeak: +m[2], arena: +m[3],
      heapBytes: heapStats().heapBytes,
    });
  }
  await s.dispose();
  console.log('MEMORY_JSON ' + JSON.stringify(result));
}

// ---- child: the large-model check on one Wasm variant ----
async function largeChild(variant) {
  const api = await import('../js/index.js');
  api.setVariant(variant);
  const { ml, MLGraphBuilder, heapStats } = api;
  const ctx = await ml.createContext();
  const f32 = (shape) => ({ dataType: 'float32', shape });
  const base = heapStats().bytesInUse;
  const fail = (msg) => { throw new Error(`${variant}: ${msg}`); };

  // ~1.5 GB: 22 x (matmul by [4096, 4096] + relu), three distinct weight arrays in turn (JS memory).
  const K = 4096, layers = 22;
  const mats = [0, 1, 2].map((i) => randomArray(mulberry32(40 + i), K * K, Math.sqrt(6 / K)));
  const weights = layers * K * K * 4;
  let t0 = performance.now();
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', f32([1, K]));
  let h = x;
  for (let i = 0; i < layers; i++) h = b.relu(b.matmul(h, b.constant(f32([K, K]), mats[i % 3])));
  const graph = await b.build({ y: h });
  const buildMs = performance.now() - t0;
  const m = /memory: .*\(bytes: (\d+) (\d+) (\d+)\)/.exec(graph.debugPlan());
  const peak = +m[2] - base, arena = +m[3];
  const afterBuild = heapStats();
  const xt = await ctx.createTensor({ ...f32([1, K]), writable: true });
  const yt = await ctx.createTensor({ ...f32([1, K]), readable: true });
  const xd = randomArray(mulberry32(9), K);
  ctx.writeTensor(xt, xd);
  t0 = performance.now();
  ctx.dispatch(graph, { x: xt }, { y: yt });
  const y = new Float32Array(await ctx.readTensor(yt));
  const dispatchMs = performance.now() - t0;
  // Reference in float64.
  let ref = Float64Array.from(xd);
  for (let i = 0; i < layers; i++) {
    const wm = mats[i % 3], next = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      const v = ref[k];
      if (v !== 0) for (let j = 0; j < K; j++) next[j] += v * wm[k * K + j];
    }
    for (let j = 0; j < K; j++) next[j] = Math.max(next[j], 0);
    ref = next;
  }
  let maxRef = 0, maxErr = 0;
  for (let j = 0; j < K; j++) { maxRef = Math.max(maxRef, Math.abs(ref[j])); maxErr = Math.max(maxErr, Math.abs(y[j] - ref[j])); }
  if (!(maxErr <= 1e-3 * maxRef)) fail(`wrong result: max error ${maxErr} for max |y| ${maxRef}`);
  const heap = heapStats();
  const inUse = afterBuild.bytesInUse - base;
  const line = `${variant}: weights ${mib(weights)} MiB; after build ${mib(inUse)} MiB in use, peak during build ` +
    `${mib(peak)} MiB, arena ${mib(arena)} MiB; Wasm heap ${mib(heap.heapBytes)} MiB; build ${buildMs.toFixed(0)} ms, ` +
    `dispatch ${dispatchMs.toFixed(0)} ms; max error ${maxErr.toExponential(1)} (max |y| ${maxRef.toFixed(2)})`;
  console.log(line);
  if (heap.heapBytes >= 2 ** 31) fail(`the Wasm heap reached ${mib(heap.heapBytes)} MiB`);
  if (inUse > 1.05 * weights + arena + 1e6) fail('target 1 missed');
  if (peak > 1.25 * weights + arena) fail('target 2 missed');
  graph.destroy(); xt.destroy(); yt.destroy();

  // Too large for 4 GiB: 256 MiB constants until the heap is full, then build().
  const big = new Float32Array(8192 * 8192).fill(0.5);
  const tb = new MLGraphBuilder(ctx);
  const tx = tb.input('x', f32([1, 8192]));
  const consts = [];
  let constantError = null;
  for (let i = 0; i < 17 && !constantError; i++) {
    try { consts.push(tb.constant(f32([8192, 8192]), big)); } catch (e) { constantError = e; }
  }
  if (!constantError) fail('17 constants of 256 MiB fitted in the 4 GiB heap?');
  if (!(constantError instanceof DOMException) || constantError.name !== 'UnknownError') fail(`constant() threw ${constantError}`);
  let th = tx;
  for (const c of consts) th = tb.matmul(th, c);
  let buildError = null;
  try { await tb.build({ y: th }); } catch (e) { buildError = e; }
  if (!(buildError instanceof DOMException) || buildError.name !== 'OperationError') fail(`build() gave ${buildError}`);
  console.log(`${variant}: ${consts.length} constants of 256 MiB (${mib(consts.length * 256 * MiB)} MiB) fitted; the next: ` +
    `${constantError.name} "${constantError.message}"; build(): ${buildError.name} "${buildError.message}"`);

  // The context still works, and the failed builder left nothing behind.
  const sb = new MLGraphBuilder(ctx);
  const sx = sb.input('x', f32([2]));
  const sg = await sb.build({ y: sb.add(sx, sb.constant(f32([2]), new Float32Array([1, 2]))) });
  const st = await ctx.createTensor({ ...f32([2]), writable: true });
  const so = await ctx.createTensor({ ...f32([2]), readable: true });
  ctx.writeTensor(st, new Float32Array([10, 20]));
  ctx.dispatch(sg, { x: st }, { y: so });
  const out = [...new Float32Array(await ctx.readTensor(so))];
  if (out[0] !== 11 || out[1] !== 22) fail(`the context computes ${out} after the failure`);
  sg.destroy(); st.destroy(); so.destroy();
  const left = heapStats().bytesInUse - base;
  if (left > MiB) fail(`${mib(left)} MiB still in use after the failed build`);
  console.log(`${variant}: afterwards the context builds and runs a graph (x + [1, 2] = ${out}); ${(left / 1024).toFixed(0)} KiB left in use`);
  ctx.destroy();
}

// ---- parent ----
function child(args, { json = false } = {}) {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', ...args],
    { encoding: 'utf8', maxBuffer: 64 * MiB });
  if (r.status !== 0) return { error: (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').slice(-6).join('\n') };
  if (!json) return { out: r.stdout.trim() };
  const line = r.stdout.split('\n').find((l) => l.startsWith('MEMORY_JSON '));
  return line ? JSON.parse(line.slice(12)) : { error: r.stdout.trim() };
}

async function main(argv) {
  const opt = { workloads: [...workloadNames, 'mlp-192'], libs: Object.keys(LIBS), lines: true, large: true };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--child') {
      const [mode, a, b] = argv.slice(i + 1);
      return mode === 'large' ? largeChild(a) : measureChild(a, b);
    }
    if (k === '--workloads') opt.workloads = argv[++i].split(',');
    else if (k === '--libs') opt.libs = argv[++i].split(',');
    else if (k === '--no-lines') opt.lines = false;
    else if (k === '--no-large') opt.large = false;
    else throw new Error(`unknown argument ${k}`);
  }
  let failed = false;
  if (opt.lines) {
    console.log('| workload | weights | webnn-wasm engine: in use after build / peak during build (arena) | RSS growth (peak RSS): webnn-wasm | onnxruntime-web | tfjs-backend-wasm |');
    console.log('|---|---|---|---|---|---|');
    for (const name of opt.workloads) {
      const r = {};
      for (const lib of opt.libs) r[lib] = child(['measure', lib, name], { json: true });
      const rss = (x) => (!x ? '' : x.error ? `error: ${x.error.split('\n').pop()}` : `${mib(x.rssAfter - x.rssBefore)} (${mib(x.maxRss)})`);
      const o = r.ours;
      const ours = !o || o.error ? '' : `${mib(o.engineInUse)} / ${mib(o.buildPeak)} (arena ${mib(o.arena)})`;
      const wb = Object.values(r).find((x) => x && !x.error)?.weightBytes ?? weightBytes(workload(name));
      console.log(`| ${name} | ${mib(wb)} | ${ours} | ${rss(o)} | ${rss(r.ort)} | ${rss(r.tfjs)} |`);
      failed = failed || Object.values(r).some((x) => x.error);
    }
    console.log('(MiB. RSS growth: from before the library sees the model to after setup + one inference, after gc().)');
  }
  if (opt.large) {
    for (const variant of ['simd', 'simd-threads']) {
      const r = child(['large', variant]);
      console.log(r.error ? `${variant}: FAILED\n${r.error}` : r.out);
      failed = failed || Boolean(r.error);
    }
  }
  if (failed) process.exitCode = 1;
}

await main(process.argv.slice(2));
