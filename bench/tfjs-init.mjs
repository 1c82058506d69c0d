// Backend init time: `await tf.setBackend(name)` in a fresh Node process (the engine's Wasm load,
// compile and instantiate, its worker pool, the context), then the first kernel (a tiny relu read
// back: what the first predict pays on top), for webnn-wasm against tfjs-backend-wasm. Each sample
// is its own process, the backends interleaved; medians reported. Target (issue #15): webnn-wasm's
// setBackend within 1.5x tfjs-backend-wasm's.
//
//   node bench/tfjs-init.mjs [--runs 7]          (also run at the end of `npm run bench:tfjs`)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

export const INIT_TARGET_RATIO = 1.5;

// name -> how the child sets the backend up
const CONFIGS = {
  'webnn-wasm': { backend: 'webnn-wasm' }, // default options: simd-threads, hardware threads
  'webnn-wasm 1 thread': { backend: 'webnn-wasm', numThreads: 1 },
  'tfjs-backend-wasm': { backend: 'wasm' }, // Node: single-threaded SIMD build
};

async function childMain(name) {
  const cfg = CONFIGS[name];
  const tf = await import('@tensorflow/tfjs-core');
  if (cfg.backend === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
  } else {
    const { setBackendOptions } = await import('../js/tfjs/index.js');
    if (cfg.numThreads) setBackendOptions({ numThreads: cfg.numThreads });
  }
  const t0 = performance.now();
  if (!await tf.setBackend(cfg.backend)) throw new Error(`${cfg.backend} failed to initialize`);
  const t1 = performance.now();
  tf.tidy(() => tf.relu(tf.tensor1d([1, -2, 3])).dataSync());
  const t2 = performance.now();
  process.stdout.write(`INIT_JSON ${JSON.stringify({ setBackendMs: t1 - t0, firstKernelMs: t2 - t1 })}\n`);
  process.exit(0);
}

function sample(name) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', name], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('close', () => {
      const line = out.split('\n').find((l) => l.startsWith('INIT_JSON '));
      resolve(line ? JSON.parse(line.slice('INIT_JSON '.length)) : null);
    });
  });
}

const median = (xs) => { const s = xs.slice().sort((a, b) => a - b); return s[s.length >> 1]; };

// Runs the samples and prints a table and the check line; returns { rows, ratio, pass }.
export async function initCheck({ runs = 7 } = {}) {
  const load0 = os.loadavg()[0];
  const samples = Object.fromEntries(Object.keys(CONFIGS).map((n) => [n, []]));
  for (let i = 0; i < runs; i++) {
    for (const name of Object.keys(CONFIGS)) {
      const r = await sample(name);
      if (r) samples[name].push(r);
    }
  }
  console.log(`\nBackend init (fresh process each, ${runs} runs interleaved; load average ${load0.toFixed(2)} -> ${os.loadavg()[0].toFixed(2)})`);
  console.log('| backend | setBackend median ms | min ms | first kernel median ms | runs |');
  console.log('|---|---:|---:|---:|---:|');
  const rows = {};
  for (const [name, xs] of Object.entries(samples)) {
    if (!xs.length) { console.log(`| ${name} | failed | | | 0 |`); continue; }
    const set = xs.map((x) => x.setBackendMs);
    rows[name] = { setBackendMs: median(set), minMs: Math.min(...set), firstKernelMs: median(xs.map((x) => x.firstKernelMs)), runs: xs.length };
    console.log(`| ${name} | ${rows[name].setBackendMs.toFixed(1)} | ${rows[name].minMs.toFixed(1)} | ${rows[name].firstKernelMs.toFixed(1)} | ${xs.length} |`);
  }
  const ours = rows['webnn-wasm'];
  const peer = rows['tfjs-backend-wasm'];
  if (!ours || !peer) {
    console.log('init check: FAILED to measure');
    return { rows, ratio: NaN, pass: false };
  }
  const ratio = ours.setBackendMs / peer.setBackendMs;
  const pass = ratio <= INIT_TARGET_RATIO;
  console.log(`init check: webnn-wasm setBackend ${ours.setBackendMs.toFixed(1)} ms = ${ratio.toFixed(2)}x tfjs-backend-wasm's ` +
    `${peer.setBackendMs.toFixed(1)} ms (target <= ${INIT_TARGET_RATIO}x): ${pass ? 'OK' : 'OVER TARGET'}; ` +
    `setBackend + first kernel: ${((ours.setBackendMs + ours.firstKernelMs) / (peer.setBackendMs + peer.firstKernelMs)).toFixed(2)}x`);
  return { rows, ratio, pass };
}

const argv = process.argv.slice(2);
const childAt = argv.indexOf('--child');
if (childAt >= 0) {
  await childMain(argv[childAt + 1]);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runsAt = argv.indexOf('--runs');
  await initCheck({ runs: runsAt >= 0 ? Number(argv[runsAt + 1]) : 7 });
}
