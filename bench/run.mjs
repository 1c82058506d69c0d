#!/usr/bin/env node
// Runs ONE workload at ONE thread count in this process for the listed
// libraries, checks that their outputs agree, and prints a table plus one
// machine-readable line starting with "BENCH_JSON ".
//
//   node bench/run.mjs --workload conv2d --threads 1 [--libs ours,tfjs,ort]
//        [--time 3] [--min-runs 10] [--max-runs 500] [--warmup 3]
//
// Libraries implement the same interface (see bench/README.md):
//   export async function setup(workload, {threads})
//     -> { variant: string, run(): Promise<void>|void, outputs?(): Promise<Float32Array[]>, dispose() }
// "ours" lives in bench/ours.mjs (webnn-wasm via navigator.ml); when that
// module does not exist yet it is skipped and only the peers are measured.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getWorkload, workloadNames } from './workloads.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const LIBS = {
  ours: path.join(here, 'ours.mjs'),
  'ours-rt': path.join(here, 'ours-roundtrip.mjs'), // convchain only: 10 graphs with JS round trips
  tfjs: path.join(here, 'peers', 'tfjs.mjs'),
  ort: path.join(here, 'peers', 'ort.mjs'),
};

function parseArgs(argv) {
  const a = { workload: null, threads: 1, libs: 'ours,ours-rt,tfjs,ort', time: 3, minRuns: 10, maxRuns: 500, warmup: 3 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i], v = argv[i + 1];
    switch (k) {
      case '--workload': a.workload = v; i++; break;
      case '--threads': a.threads = +v; i++; break;
      case '--libs': a.libs = v; i++; break;
      case '--time': a.time = +v; i++; break;
      case '--min-runs': a.minRuns = +v; i++; break;
      case '--max-runs': a.maxRuns = +v; i++; break;
      case '--warmup': a.warmup = +v; i++; break;
      case '--list': console.log(workloadNames.join('\n')); process.exit(0);
      default: throw new Error(`unknown argument ${k}`);
    }
  }
  if (!a.workload) throw new Error(`--workload required: ${workloadNames.join(', ')}`);
  a.libs = a.libs.split(',').filter(Boolean);
  return a;
}

const now = () => performance.now();
function stats(samples) {
  const s = [...samples].sort((x, y) => x - y);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  return { n: s.length, median: q(0.5), min: s[0], p10: q(0.1), p90: q(0.9) };
}

async function loadLib(name) {
  const file = LIBS[name];
  if (!file) throw new Error(`unknown library ${name}`);
  if (!fs.existsSync(file)) return { skipped: `${path.relative(process.cwd(), file)} not found` };
  return { mod: await import(pathToFileURL(file).href) };
}

function compare(ref, out) {
  let maxAbs = 0, maxRef = 0;
  for (let k = 0; k < ref.length; k++) {
    const a = ref[k], b = out[k];
    if (!b || a.length !== b.length) return { maxAbsDiff: Infinity, relDiff: Infinity, note: 'shape mismatch' };
    for (let i = 0; i < a.length; i++) {
      const d = Math.abs(a[i] - b[i]);
      if (Number.isNaN(d)) maxAbs = Infinity; else if (d > maxAbs) maxAbs = d;
      maxRef = Math.max(maxRef, Math.abs(a[i]));
    }
  }
  return { maxAbsDiff: maxAbs, relDiff: maxAbs / (maxRef || 1) };
}

const fmt = (x, d = 2) => (x === undefined || x === null || !Number.isFinite(x) ? '-' : x >= 1000 ? x.toFixed(0) : x.toFixed(d));

export async function main(argv = process.argv.slice(2)) {
  const args = parseArgs(argv);
  const workload = getWorkload(args.workload);
  const threads = args.threads;
  const result = {
    workload: workload.name, title: workload.title, threads, flops: workload.flops,
    node: process.version, date: new Date().toISOString(), libs: {}, skipped: {}, errors: {},
  };
  console.log(`# ${workload.title}  [threads=${threads}]  ${(workload.flops / 1e9).toFixed(3)} GFLOP/inference`);

  // ---- setup
  const libs = [];
  for (const name of args.libs) {
    try {
      const { mod, skipped } = await loadLib(name);
      if (skipped) { result.skipped[name] = skipped; console.log(`  ${name}: skipped (${skipped})`); continue; }
      const t0 = now();
      const inst = await mod.setup(workload, { threads });
      const setupMs = now() - t0;
      if (!inst) { result.skipped[name] = 'not applicable to this workload'; continue; }
      libs.push({ name, inst, setupMs, samples: [] });
      console.log(`  ${name}: ${inst.variant}  (setup ${setupMs.toFixed(0)} ms)`);
    } catch (e) {
      result.errors[name] = String(e && e.stack || e);
      console.log(`  ${name}: ERROR ${e && e.message || e}`);
    }
  }

  // ---- correctness: every library against the reference (ours if present, else the first)
  const outs = {};
  for (const l of libs) if (l.inst.outputs) {
    try { outs[l.name] = await l.inst.outputs(); } catch (e) { result.errors[l.name + '.outputs'] = String(e); }
  }
  const refName = outs.ours ? 'ours' : Object.keys(outs)[0];
  result.check = { reference: refName, diffs: {} };
  for (const [name, o] of Object.entries(outs)) {
    if (name === refName) continue;
    const c = compare(outs[refName], o);
    result.check.diffs[name] = c;
    const ok = c.relDiff < 1e-3;
    c.ok = ok;
    console.log(`  check ${name} vs ${refName}: max|diff| ${c.maxAbsDiff.toExponential(2)} (rel ${c.relDiff.toExponential(2)}) ${ok ? 'OK' : 'MISMATCH'}`);
  }

  // ---- warm-up and calibration
  const plan = {};
  for (const l of libs) {
    let t = Infinity;
    for (let i = 0; i < args.warmup; i++) { const t0 = now(); await l.inst.run(); t = Math.min(t, now() - t0); }
    const budgetMs = args.time * 1000;
    plan[l.name] = Math.max(args.minRuns, Math.min(args.maxRuns, Math.ceil(budgetMs / Math.max(t, 1e-3))));
  }

  // ---- sampling. Single-thread: interleaved round-robin (rotating order) so
  // machine noise hits every library alike. Threaded: each library as a block,
  // so idle/spinning pools of one library never overlap another's runs.
  const timeOne = async (l) => { const t0 = now(); await l.inst.run(); l.samples.push(now() - t0); };
  if (threads === 1) {
    const rounds = Math.max(...libs.map((l) => plan[l.name]), 0);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < libs.length; k++) {
        const l = libs[(r + k) % libs.length];
        if (l.samples.length < plan[l.name]) await timeOne(l);
      }
    }
  } else {
    for (const l of libs) {
      for (let i = 0; i < 2; i++) await l.inst.run(); // re-warm the pool after the others ran
      for (let i = 0; i < plan[l.name]; i++) await timeOne(l);
    }
  }

  // ---- report
  for (const l of libs) {
    const s = stats(l.samples);
    const r = { variant: l.inst.variant, setupMs: l.setupMs, ...s, gflops: workload.flops / (s.median * 1e6) };
    if (workload.perOp) r.usPerOp = (s.median * 1000) / workload.perOp;
    result.libs[l.name] = r;
  }
  const names = Object.keys(result.libs);
  const ref = result.libs.ours ? 'ours' : names.reduce((a, b) => (result.libs[b].median < result.libs[a]?.median ? b : a), names[0]);
  result.ratioReference = ref;
  for (const n of names) result.libs[n].ratio = result.libs[n].median / result.libs[ref].median;

  const head = ['library', 'median ms', 'min ms', 'p90 ms', 'runs', workload.perOp ? 'us/op' : 'GFLOP/s', ref === 'ours' ? 'x ours' : `x ${ref}(fastest)`];
  const rows = names.map((n) => {
    const r = result.libs[n];
    return [n, fmt(r.median, 3), fmt(r.min, 3), fmt(r.p90, 3), String(r.n), workload.perOp ? fmt(r.usPerOp, 3) : fmt(r.gflops, 1), fmt(r.ratio, 2)];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => '  | ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  console.log(line(head));
  console.log('  |' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const r of rows) console.log(line(r));
  console.log('BENCH_JSON ' + JSON.stringify(result));

  for (const l of libs) { try { await l.inst.dispose(); } catch {} }
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Libraries' worker threads may be unref()'d: keep the loop alive until done.
  setInterval(() => {}, 1 << 30);
  main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
}
