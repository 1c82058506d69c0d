#!/usr/bin/env node
// Runs ONE workload at ONE thread count in this process for the listed
// libraries, checks that their outputs agree, and prints a table plus one
// machine-readable line starting with "BENCH_JSON ". The measurement is bench/harness.mjs
// (shared with the browser bench, bench/browser.mjs).
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
import { measureWorkload, LIB_MODULES, DEFAULT_LIBS } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const LIBS = Object.fromEntries(Object.entries(LIB_MODULES).map(([name, file]) => [name, path.join(here, file)]));

function parseArgs(argv) {
  const a = { workload: null, threads: 1, libs: DEFAULT_LIBS.join(','), time: 3, minRuns: 10, maxRuns: 500, warmup: 3 };
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

async function loadLib(name) {
  const file = LIBS[name];
  if (!file) throw new Error(`unknown library ${name}`);
  if (!fs.existsSync(file)) return { skipped: `${path.relative(process.cwd(), file)} not found` };
  return import(pathToFileURL(file).href);
}

export async function main(argv = process.argv.slice(2)) {
  const args = parseArgs(argv);
  const libs = args.libs.map((name) => ({ name, load: () => loadLib(name) }));
  const result = await measureWorkload(getWorkload(args.workload), libs, args);
  result.node = process.version;
  console.log('BENCH_JSON ' + JSON.stringify(result));
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Libraries' worker threads may be unref()'d: keep the loop alive until done.
  setInterval(() => {}, 1 << 30);
  main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
}
