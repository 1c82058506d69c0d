// The measurement itself, shared by the Node bench (run.mjs) and the browser bench
// (browser/page.mjs): set the libraries up on one workload, check that their outputs agree,
// warm up, sample, and summarise. No Node or browser APIs here (only performance.now()).
//
//   measureWorkload(workload, libs, { threads, time, minRuns, maxRuns, warmup, minSampleMs, log })
//     libs: [{ name, load: async () => module }]   module exports setup(workload, { threads })
//     -> result { workload, title, threads, flops, libs: {name: stats}, skipped, errors, check, ... }

const now = () => performance.now();

// The libraries, as module paths relative to bench/ (run.mjs and browser/page.mjs resolve them).
export const LIB_MODULES = {
  ours: 'ours.mjs',
  'ours-rt': 'ours-roundtrip.mjs', // convchain only: 10 graphs with JS round trips
  tfjs: 'peers/tfjs.mjs',
  ort: 'peers/ort.mjs',
};
export const DEFAULT_LIBS = ['ours', 'ours-rt', 'tfjs', 'ort'];

// `--key value` pairs over `defaults` (the script's options): an unknown key throws, and a value
// becomes a number where the default is one.
export function parseOptions(argv, defaults) {
  const args = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '');
    if (!(k in args)) throw new Error(`unknown argument --${k}`);
    args[k] = typeof defaults[k] === 'number' ? +argv[i + 1] : argv[i + 1];
  }
  return args;
}

export function stats(samples) {
  const s = [...samples].sort((x, y) => x - y);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  return { n: s.length, median: q(0.5), min: s[0], p10: q(0.1), p90: q(0.9) };
}

// Max |diff| and max |diff| / max |ref| over all outputs.
export function compare(ref, out) {
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
export const AGREEMENT_REL_TOL = 1e-3;

const fmt = (x, d = 2) => (x === undefined || x === null || !Number.isFinite(x) ? '-' : x >= 1000 ? x.toFixed(0) : x.toFixed(d));
const errorText = (e) => String((e && e.stack) || e);

export async function measureWorkload(workload, libList, {
  threads = 1, time = 3, minRuns = 10, maxRuns = 500, warmup = 3, minSampleMs = 0, log = console.log,
} = {}) {
  const result = {
    workload: workload.name, title: workload.title, threads, flops: workload.flops,
    date: new Date().toISOString(), libs: {}, skipped: {}, errors: {},
  };
  log(`# ${workload.title}  [threads=${threads}]  ${(workload.flops / 1e9).toFixed(3)} GFLOP/inference`);

  // ---- setup
  const libs = [];
  for (const { name, load } of libList) {
    try {
      const mod = await load();
      if (mod.skipped) { result.skipped[name] = mod.skipped; log(`  ${name}: skipped (${mod.skipped})`); continue; }
      const t0 = now();
      const inst = await mod.setup(workload, { threads });
      const setupMs = now() - t0;
      if (!inst) { result.skipped[name] = 'not applicable to this workload'; continue; }
      libs.push({ name, inst, setupMs, samples: [] });
      log(`  ${name}: ${inst.variant}  (setup ${setupMs.toFixed(0)} ms)`);
    } catch (e) {
      result.errors[name] = errorText(e);
      log(`  ${name}: ERROR ${(e && e.message) || e}`);
    }
  }

  // ---- correctness: every library against the reference (ours if present, else the first)
  const outs = {};
  for (const l of libs) if (l.inst.outputs) {
    try { outs[l.name] = await l.inst.outputs(); } catch (e) { result.errors[l.name + '.outputs'] = errorText(e); }
  }
  const refName = outs.ours ? 'ours' : Object.keys(outs)[0];
  result.check = { reference: refName, diffs: {} };
  for (const [name, o] of Object.entries(outs)) {
    if (name === refName) continue;
    const c = compare(outs[refName], o);
    c.ok = c.relDiff < AGREEMENT_REL_TOL;
    result.check.diffs[name] = c;
    log(`  check ${name} vs ${refName}: max|diff| ${c.maxAbsDiff.toExponential(2)} (rel ${c.relDiff.toExponential(2)}) ${c.ok ? 'OK' : 'MISMATCH'}`);
  }

  // ---- warm-up and calibration. A browser's clock is coarse (5 us steps in a cross-origin isolated
  // Chromium page, 100 us otherwise): with minSampleMs, one sample times `batch` consecutive runs
  // (at least minSampleMs long) and records their mean.
  const plan = {}, batch = {};
  for (const l of libs) {
    let t = Infinity;
    for (let i = 0; i < warmup; i++) { const t0 = now(); await l.inst.run(); t = Math.min(t, now() - t0); }
    t = Math.max(t, 1e-3);
    batch[l.name] = 1;
    if (minSampleMs > 0 && t < minSampleMs) {
      // The warm-up's single runs are too short for this clock: estimate the time per run from
      // batches sized by the previous estimate; the least of three (a hiccup only inflates one).
      let est = t, best = Infinity;
      for (let i = 0; i < 3; i++) {
        const k = Math.ceil(minSampleMs / est);
        const t0 = now();
        for (let j = 0; j < k; j++) await l.inst.run();
        est = Math.max((now() - t0) / k, 1e-4);
        best = Math.min(best, est);
      }
      t = best;
      batch[l.name] = Math.max(1, Math.ceil(minSampleMs / t));
    }
    const budgetMs = time * 1000;
    plan[l.name] = Math.max(minRuns, Math.min(maxRuns, Math.ceil(budgetMs / (t * batch[l.name]))));
  }

  // ---- sampling. Single-thread: interleaved round-robin (rotating order) so
  // machine noise hits every library alike. Threaded: each library as a block,
  // so idle/spinning pools of one library never overlap another's runs.
  const timeOne = async (l) => {
    const k = batch[l.name];
    const t0 = now();
    for (let i = 0; i < k; i++) await l.inst.run();
    l.samples.push((now() - t0) / k);
  };
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
    const r = { variant: l.inst.variant, setupMs: l.setupMs, ...s, batch: batch[l.name], gflops: workload.flops / (s.median * 1e6) };
    if (workload.perOp) r.usPerOp = (s.median * 1000) / workload.perOp;
    result.libs[l.name] = r;
  }
  const names = Object.keys(result.libs);
  const ref = result.libs.ours ? 'ours' : names.reduce((a, b) => (result.libs[b].median < result.libs[a]?.median ? b : a), names[0]);
  result.ratioReference = ref;
  for (const n of names) result.libs[n].ratio = result.libs[n].median / result.libs[ref].median;
  for (const line of runTable(result, workload)) log(line);

  for (const l of libs) { try { await l.inst.dispose(); } catch {} }
  return result;
}

// One workload's table: median / min / p90 ms, runs, GFLOP/s or µs/op, ratio to the reference.
function runTable(result, workload) {
  const ref = result.ratioReference;
  const names = Object.keys(result.libs);
  const head = ['library', 'median ms', 'min ms', 'p90 ms', 'runs', workload.perOp ? 'us/op' : 'GFLOP/s', ref === 'ours' ? 'x ours' : `x ${ref}(fastest)`];
  const rows = names.map((n) => {
    const r = result.libs[n];
    return [n, fmt(r.median, 3), fmt(r.min, 3), fmt(r.p90, 3), r.batch > 1 ? `${r.n}x${r.batch}` : String(r.n), workload.perOp ? fmt(r.usPerOp, 3) : fmt(r.gflops, 1), fmt(r.ratio, 2)];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => '  | ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  return [
    line(head),
    '  |' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|',
    ...rows.map(line),
  ];
}
