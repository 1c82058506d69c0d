#!/usr/bin/env node
// Runs every workload in its own Node process (bench/run.mjs), at each thread
// count, and prints a summary. One process per (workload, threads) pair: the
// Wasm modules of tfjs and onnxruntime-web fix their thread count when they
// are instantiated, and a fresh process keeps heaps/JIT state independent.
//
//   npm run bench
//   node bench/all.mjs [--workloads conv2d,mobilenetv2] [--threads 1,2]
//        [--libs ours,tfjs,ort] [--time 3] [--out bench/results.json]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workloadNames } from './workloads.mjs';
import { summaryLines } from './summary.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const opts = { workloads: workloadNames, threads: [1, 2], pass: [], out: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const k = argv[i], v = argv[i + 1];
  if (k === '--workloads') { opts.workloads = v.split(','); i++; }
  else if (k === '--threads') { opts.threads = v.split(',').map(Number); i++; }
  else if (k === '--out') { opts.out = v; i++; }
  else if (['--libs', '--time', '--min-runs', '--max-runs', '--warmup'].includes(k)) { opts.pass.push(k, v); i++; }
  else throw new Error(`unknown argument ${k}`);
}

function runOne(workload, threads) {
  return new Promise((resolve) => {
    const args = [path.join(here, 'run.mjs'), '--workload', workload, '--threads', String(threads), ...opts.pass];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '', json = null;
    child.stdout.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl); buf = buf.slice(nl + 1);
        if (line.startsWith('BENCH_JSON ')) json = JSON.parse(line.slice(11));
        else console.log(line);
      }
    });
    child.on('close', (code, signal) => resolve(json ?? { workload, threads, errors: { process: `exited (code ${code}, signal ${signal}) without a result` }, libs: {} }));
  });
}

const machine = {
  date: new Date().toString(), node: process.version, nproc: os.cpus().length,
  cpu: os.cpus()[0]?.model, platform: `${os.platform()} ${os.arch()}`,
};
machine.loadavgStart = os.loadavg().map((x) => +x.toFixed(2));
console.log(`# webnn-wasm bench  ${machine.date}  node ${machine.node}  ${machine.nproc} x ${machine.cpu}  load ${machine.loadavgStart.join(' ')}`);
if (machine.loadavgStart[0] > machine.nproc / 2) console.log(`# WARNING: load average ${machine.loadavgStart[0]} on ${machine.nproc} CPUs: absolute numbers (esp. threaded) are unreliable; compare ratios`);
const results = [];
for (const w of opts.workloads) {
  for (const t of opts.threads) {
    results.push(await runOne(w, t));
    console.log('');
  }
}

// ---- summary
for (const l of summaryLines(results)) console.log(l);
const errs = results.filter((r) => r.errors && Object.keys(r.errors).length);
// Our GEMM next to the SIMD128 ceiling: the kernels branch's microkernel bench (in-cache 2x16
// microkernel), when it has been built (scripts/run-wasm-bench.sh → build/wasm-simd-threads/). Skipped otherwise.
const mm = results.find((r) => r.workload === 'matmul-1024' && r.threads === 1 && r.libs?.ours);
if (mm) {
  const kernelBench = path.join(here, '..', 'build', 'wasm-simd-threads', 'webnn_wasm_bench.js');
  let ceiling = null;
  if (fs.existsSync(kernelBench)) {
    const { spawnSync } = await import('node:child_process');
    // The Emscripten output is CommonJS; the repository's package.json says "type": "module".
    const pkg = path.join(path.dirname(kernelBench), 'package.json');
    if (!fs.existsSync(pkg)) fs.writeFileSync(pkg, '{"type":"commonjs"}\n');
    const r = spawnSync(process.execPath, [kernelBench, '1'], { cwd: path.dirname(kernelBench), encoding: 'utf8', timeout: 120000 });
    const m = /microkernel .*?: ([\d.]+) GFLOP\/s/.exec(r.stdout || '');
    if (m) ceiling = +m[1];
  }
  const ours = mm.libs.ours.gflops;
  console.log(ceiling
    ? `# GEMM (matmul-1024, 1 thread, through the API): ours ${ours.toFixed(1)} GFLOP/s; SIMD128 ceiling (in-cache microkernel, same run) ${ceiling.toFixed(1)} GFLOP/s = ${(100 * ours / ceiling).toFixed(0)}%`
    : `# GEMM (matmul-1024, 1 thread, through the API): ours ${ours.toFixed(1)} GFLOP/s; SIMD128 ceiling: no kernel bench built (scripts/run-wasm-bench.sh builds build/wasm-simd-threads/webnn_wasm_bench.js)`);
  machine.gemm = { oursGflops: ours, ceilingGflops: ceiling };
}
machine.loadavgEnd = os.loadavg().map((x) => +x.toFixed(2));
console.log(`# load average at end: ${machine.loadavgEnd.join(' ')}`);
const out = { machine, results };
if (opts.out) { fs.writeFileSync(opts.out, JSON.stringify(out, null, 1)); console.log(`wrote ${opts.out}`); }
console.log('BENCH_ALL_JSON ' + JSON.stringify(out));
process.exit(errs.length ? 1 : 0);
