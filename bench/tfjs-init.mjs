// Backend init time: `await tf.setBackend(name)` in a fresh Node process (the engine's Wasm load,
// compile and instantiate, its worker pool, the context), then the first kernel (a tiny relu read
// back: what the first predict pays on top), for webnn-wasm against tfjs-backend-wasm. Each sample
// is its own process, the backends interleaved; medians reported. Target (issue #15): webnn-wasm's
// setBackend within 1.5x tfjs-backend-wasm's.
//
// Default against default: webnn-wasm picks its threaded build with the hardware's threads,
// tfjs-backend-wasm its single-threaded SIMD build (it never uses threads in Node). Like for like:
// our single-threaded SIMD build (1 thread) against theirs, and our threaded build against their
// threaded build at the same thread count (enabled in Node by bench/peers/node-thread-shim.mjs).
//
//   node bench/tfjs-init.mjs [--runs 7] [--no-threaded-peer]   (also at the end of `npm run bench:tfjs`)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

export const INIT_TARGET_RATIO = 1.5;

// name -> how the child sets the backend up
const THREADS = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
const CONFIGS = {
  'webnn-wasm': { backend: 'webnn-wasm' }, // default options: simd-threads, hardware threads
  'tfjs-backend-wasm': { backend: 'wasm' }, // Node: single-threaded SIMD build
  'webnn-wasm simd, 1 thread': { backend: 'webnn-wasm', variant: 'simd' }, // like for like with the row above
  'webnn-wasm simd-threads, 1 thread': { backend: 'webnn-wasm', numThreads: 1 },
  [`tfjs-backend-wasm threaded, ${THREADS} threads`]: { backend: 'wasm', threads: THREADS, threadedPeer: true },
};

async function childMain(name) {
  const cfg = CONFIGS[name];
  const tf = await import('@tensorflow/tfjs-core');
  let setBackend = () => tf.setBackend(cfg.backend);
  if (cfg.backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (cfg.threads) {
      const { installTfjsNodeThreadShim, withReportedCores } = await import('./peers/node-thread-shim.mjs');
      installTfjsNodeThreadShim();
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
      wasm.setThreadsCount(cfg.threads);
      setInterval(() => {}, 1000); // its unref()ed workers would let Node exit mid-setBackend
      setBackend = () => withReportedCores(2 * cfg.threads, () => tf.setBackend('wasm'));
    }
  } else {
    if (cfg.variant) (await import('../js/loader.js')).setVariant(cfg.variant);
    const { setBackendOptions } = await import('../js/tfjs/index.js');
    if (cfg.numThreads) setBackendOptions({ numThreads: cfg.numThreads });
  }
  // CPU time of the whole process (every thread: V8's compile threads, engine workers) beside the
  // wall time: on a busy machine it varies far less.
  const cpuMs = (u) => (u.user + u.system) / 1000;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  if (!await setBackend()) throw new Error(`${cfg.backend} failed to initialize`);
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  tf.tidy(() => tf.relu(tf.tensor1d([1, -2, 3])).dataSync());
  const t2 = performance.now();
  const c2 = process.cpuUsage();
  const result = { setBackendMs: t1 - t0, firstKernelMs: t2 - t1, setBackendCpuMs: cpuMs(c1) - cpuMs(c0), firstKernelCpuMs: cpuMs(c2) - cpuMs(c1) };
  process.stdout.write(`INIT_JSON ${JSON.stringify(result)}\n`);
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
export async function initCheck({ runs = 7, threadedPeer = true } = {}) {
  const load0 = os.loadavg()[0];
  const names = Object.keys(CONFIGS).filter((n) => threadedPeer || !CONFIGS[n].threadedPeer);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < runs; i++) {
    for (const name of names) {
      const r = await sample(name);
      if (r) samples[name].push(r);
    }
  }
  console.log(`\nBackend init (fresh process each, ${runs} runs interleaved; load average ${load0.toFixed(2)} -> ${os.loadavg()[0].toFixed(2)})`);
  console.log('| backend | setBackend median ms | min ms | first kernel median ms | setBackend CPU ms | first kernel CPU ms | runs |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  const rows = {};
  for (const [name, xs] of Object.entries(samples)) {
    if (!xs.length) { console.log(`| ${name} | failed | | | 0 |`); continue; }
    const set = xs.map((x) => x.setBackendMs);
    const med = (k) => median(xs.map((x) => x[k]));
    rows[name] = {
      setBackendMs: median(set), minMs: Math.min(...set), firstKernelMs: med('firstKernelMs'),
      setBackendCpuMs: med('setBackendCpuMs'), firstKernelCpuMs: med('firstKernelCpuMs'), runs: xs.length,
    };
    const r = rows[name];
    console.log(`| ${name} | ${r.setBackendMs.toFixed(1)} | ${r.minMs.toFixed(1)} | ${r.firstKernelMs.toFixed(1)} | ` +
      `${r.setBackendCpuMs.toFixed(1)} | ${r.firstKernelCpuMs.toFixed(1)} | ${xs.length} |`);
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
  // Like for like: the same kind of build on both sides.
  const both = (r) => r.setBackendMs + r.firstKernelMs;
  const like = (a, b) => {
    if (!rows[a] || !rows[b]) return;
    console.log(`like for like: ${a} / ${b}: setBackend ${(rows[a].setBackendMs / rows[b].setBackendMs).toFixed(2)}x, ` +
      `setBackend + first kernel ${(both(rows[a]) / both(rows[b])).toFixed(2)}x`);
  };
  like('webnn-wasm simd, 1 thread', 'tfjs-backend-wasm');
  like('webnn-wasm', `tfjs-backend-wasm threaded, ${THREADS} threads`);
  return { rows, ratio, pass };
}

const argv = process.argv.slice(2);
const childAt = argv.indexOf('--child');
if (childAt >= 0) {
  await childMain(argv[childAt + 1]);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runsAt = argv.indexOf('--runs');
  await initCheck({ runs: runsAt >= 0 ? Number(argv[runsAt + 1]) : 7, threadedPeer: !argv.includes('--no-threaded-peer') });
}
