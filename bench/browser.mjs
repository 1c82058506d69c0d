#!/usr/bin/env node
// The bench in Debian's Chromium (headless, cross-origin isolated): the same workloads, libraries
// and harness as `npm run bench`, each (workload, threads) pair in a fresh browser (peers fix their
// thread pools when they are instantiated, as in Node's one-process-per-pair). Our own server sends
// COOP/COEP and serves the repository, peers included from node_modules (no CDN).
//
//   npm run bench:browser
//   node bench/browser.mjs [--workloads conv2d,mobilenetv2] [--threads 1,2]
//        [--libs ours,ours-rt,tfjs,ort] [--time 3] [--min-runs 10] [--max-runs 500] [--warmup 3]
//        [--min-sample-ms 1] [--out bench/results-browser.json]
// --min-sample-ms: runs shorter than that are timed in batches, one sample = the batch's mean
// (the page's performance.now() moves in 5 us steps).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workloadNames } from './workloads.mjs';
import { DEFAULT_LIBS } from './harness.mjs';
import { summaryLines } from './summary.mjs';
import { startServer } from '../test/browser/server.mjs';
import { launch } from '../test/browser/chromium.mjs';

const PAGE = '/bench/browser/index.html';

// Runs one (workload, threads) pair in a fresh headless Chromium; returns the harness's result
// plus the .wasm files the page fetched (which build each library picked).
async function runPair(serverUrl, requests, workload, threads, opts, log) {
  const params = new URLSearchParams({
    workload, threads: String(threads), libs: opts.libs.join(','), time: String(opts.time),
    minRuns: String(opts.minRuns), maxRuns: String(opts.maxRuns), warmup: String(opts.warmup),
    minSampleMs: String(opts.minSampleMs),
  });
  const firstRequest = requests.length;
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'log') log(m.text());
      else if (m.type() === 'error' || m.type() === 'warning') log(`  [page ${m.type()}] ${m.text()}`);
    });
    page.on('pageerror', (e) => log(`  [page error] ${e.message}`));
    await page.goto(`${serverUrl}${PAGE}?${params}`);
    await page.waitForFunction(() => window.benchResult, null, { timeout: opts.pageTimeoutMs, polling: 250 });
    const result = await page.evaluate(() => window.benchResult);
    if (result.error) return { workload, threads, libs: {}, errors: { page: result.error } };
    result.wasmFiles = [...new Set(requests.slice(firstRequest)
      .filter((r) => /\.wasm 200$/.test(r)).map((r) => r.split(' ')[1]))];
    return result;
  } catch (e) {
    return { workload, threads, libs: {}, errors: { page: String((e && e.stack) || e) } };
  } finally {
    await browser.close();
  }
}

export async function runBrowserBench({
  workloads = workloadNames, threads = [1, 2], libs = DEFAULT_LIBS, time = 3, minRuns = 10, maxRuns = 500,
  warmup = 3, minSampleMs = 1, pageTimeoutMs = 600_000, log = console.log,
} = {}) {
  const requests = [];
  const server = await startServer({ coi: true, log: (l) => requests.push(l) });
  const opts = { libs, time, minRuns, maxRuns, warmup, minSampleMs, pageTimeoutMs };
  const results = [];
  try {
    for (const w of workloads) {
      for (const t of threads) {
        results.push(await runPair(server.url, requests, w, t, opts, log));
        log('');
      }
    }
  } finally {
    await server.close();
  }
  return results;
}

// Agreement is part of the result: a workload whose outputs differ is a failed run.
export function failures(results) {
  const out = [];
  for (const r of results) {
    for (const [lib, e] of Object.entries(r.errors || {})) out.push(`${r.workload}/t${r.threads} ${lib}: ${e.split('\n')[0]}`);
    for (const [lib, d] of Object.entries(r.check?.diffs || {})) if (!d.ok) out.push(`${r.workload}/t${r.threads} ${lib}: outputs differ from ${r.check.reference} (max|diff| ${d.maxAbsDiff})`);
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = {};
  let outFile = null;
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i], v = argv[i + 1];
    if (k === '--workloads') { opts.workloads = v.split(','); i++; }
    else if (k === '--threads') { opts.threads = v.split(',').map(Number); i++; }
    else if (k === '--libs') { opts.libs = v.split(','); i++; }
    else if (k === '--out') { outFile = v; i++; }
    else if (['--time', '--min-runs', '--max-runs', '--warmup', '--min-sample-ms'].includes(k)) {
      opts[k.slice(2).replace(/-(.)/g, (_, c) => c.toUpperCase())] = Number(v); i++;
    } else throw new Error(`unknown argument ${k}`);
  }
  for (const w of opts.workloads || []) if (!workloadNames.includes(w)) throw new Error(`unknown workload ${w}; known: ${workloadNames.join(', ')}`);

  const machine = {
    date: new Date().toString(), node: process.version, nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model, platform: `${os.platform()} ${os.arch()}`,
    loadavgStart: os.loadavg().map((x) => +x.toFixed(2)),
  };
  console.log(`# webnn-wasm browser bench  ${machine.date}  ${machine.nproc} x ${machine.cpu}  load ${machine.loadavgStart.join(' ')}`);
  if (machine.loadavgStart[0] > machine.nproc / 2) console.log(`# WARNING: load average ${machine.loadavgStart[0]} on ${machine.nproc} CPUs: absolute numbers (esp. threaded) are unreliable; compare ratios`);
  const results = await runBrowserBench(opts);
  machine.browser = results.find((r) => r.browser)?.browser.userAgent;
  console.log(`# ${machine.browser ?? 'no page finished'}`);
  for (const l of summaryLines(results)) console.log(l);
  // Which binary each library loaded, per thread count (the page's .wasm requests).
  for (const t of new Set(results.map((r) => r.threads))) {
    const files = new Set(results.filter((r) => r.threads === t).flatMap((r) => r.wasmFiles || []));
    console.log(`# threads=${t}: wasm fetched: ${[...files].map((f) => path.basename(f)).sort().join(', ')}`);
  }
  machine.loadavgEnd = os.loadavg().map((x) => +x.toFixed(2));
  console.log(`# load average at end: ${machine.loadavgEnd.join(' ')}`);
  const out = { machine, results };
  if (outFile) { fs.writeFileSync(outFile, JSON.stringify(out, null, 1)); console.log(`wrote ${outFile}`); }
  console.log('BENCH_BROWSER_JSON ' + JSON.stringify(out));
  const bad = failures(results);
  for (const f of bad) console.log(`FAILED ${f}`);
  process.exit(bad.length ? 1 : 0);
}
