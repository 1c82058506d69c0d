// TF.js backends on whole models, each run in its own Node process:
//   webnn-wasm  this package's backend (import 'webnn-wasm/tfjs'), whole-model graphs
//   wasm        @tensorflow/tfjs-backend-wasm 4.22 (XNNPACK; threads via peers/node-thread-shim.mjs)
//   cpu         @tensorflow/tfjs-backend-cpu 4.22: the reference for correctness (one predict, not timed)
// Models: issue #15's tf.sequential CNN ('sequential', [N,64,64,3]), nsfwjs 4.4's MobileNetV2 and
// InceptionV3 (Keras layers models) and MobileNetV2Mid (a tfjs-converter graph model) with their
// real weights from the npm package, and a small tf.layers Transformer ('transformer', [N,64,64]).
//
//   npm run bench:tfjs                     (every model, batch 1 and 8, 1 and 2 threads; then
//                                          bench/tfjs-init.mjs, --init-runs 0 skips it)
//   node bench/tfjs-models.mjs --models sequential,MobileNetV2 --batch 1,8 --threads 1,2 --time 4
//
// One inference = model.predict(x) on a tensor already on the backend, then dataSync() of the
// output. The first predict (graphs built, weights packed; XNNPACK operators created) is reported
// apart and excluded; after one more warm-up, runs for --time seconds (at least --min-runs), median
// reported. "init" is tf.setBackend() in a fresh process. Error: max |ours - cpu| / max |cpu| over
// the outputs. Fallbacks: kernel calls of the timed predicts that ran on tfjs-backend-cpu.
//
// --rounds R (R > 0): interleaved instead. For each model, batch and thread count, R rounds of one
// run of each backend (--time seconds of predicts, a fresh process each), back to back, who goes
// first alternating. Each round's ratio is the peer's median over ours: the host's speed drifts by
// tens of percent over minutes, and runs seconds apart see the same host, so the ratios hold still
// where separate runs do not; also the ratio of the two fastest predicts of all rounds (host noise
// only adds time). Processes are not kept alive between turns: an idle process's spinning or waking
// threads slowed the other's 2-thread runs up to 6x.
//   node bench/tfjs-models.mjs --models MobileNetV2Mid --batch 1 --threads 1 --rounds 10 --time 3
// --scaling (with --rounds and two thread counts): ours at the first count against ours at the
// second, interleaved the same way: the thread scaling, without the drift between separate runs.
//   node bench/tfjs-models.mjs --models MobileNetV2 --batch 8 --threads 1,2 --rounds 6 --scaling
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { TFJS_BENCH_MODELS, loadBenchModel } from './tfjs-bench-models.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true']);
  return acc;
}, []));
const models = (args.models || TFJS_BENCH_MODELS.join(',')).split(',');
const backends = (args.backends || 'webnn-wasm,wasm').split(',');
const threadList = (args.threads || '1,2').split(',').map(Number);
const batches = (args.batch || '1,8').split(',').map(Number);
const timeBudget = Number(args.time || 4);
const minRuns = Number(args['min-runs'] || 3);
const reference = args.reference !== 'false';
const rounds = Number(args.rounds || 0);

if (args.child) {
  await child(args.child, args.model, Number(args.threads), Number(args.batch));
} else if (rounds > 0) {
  await interleaved();
} else {
  await parent();
}

async function parent() {
  const load0 = os.loadavg();
  console.log(`tfjs model bench: ${models.join(', ')}; batch ${batches.join(', ')}; threads ${threadList.join(', ')}; ` +
    `backends ${backends.join(', ')}${reference ? ' (+ cpu reference)' : ''}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model}); ` +
    `load average ${load0.map((l) => l.toFixed(2)).join(' ')}`);
  const rows = [];
  for (const model of models) {
    for (const batch of batches) {
      const ref = reference ? await runChild('cpu', model, 1, batch) : null;
      for (const threads of threadList) {
        for (const backend of backends) {
          const r = await runChild(backend, model, threads, batch);
          if (!r) { rows.push({ model, batch, threads, backend, error: true }); continue; }
          rows.push({ ...r, model, batch, threads, backend, err: ref ? relError(r.output, ref.output) : null });
        }
      }
    }
  }
  const fmt = (v, d = 1) => (v == null ? '' : v.toFixed(d));
  console.log('\n| model | batch | threads | backend | init ms | first ms | median ms (min) | runs | error vs cpu | fallbacks | dispatches/predict |');
  console.log('|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    if (r.error) { console.log(`| ${r.model} | ${r.batch} | ${r.threads} | ${r.backend} | failed |||||||`); continue; }
    console.log(`| ${r.model} | ${r.batch} | ${r.threads} | ${r.variant} | ${fmt(r.initMs, 0)} | ${fmt(r.firstMs, 0)} | ` +
      `${fmt(r.medianMs)} (${fmt(r.minMs)}) | ${r.runs} | ${r.err == null ? '' : r.err.toExponential(1)} | ` +
      `${r.fallbacks ?? ''} | ${r.dispatchesPerPredict ?? ''} |`);
  }
  const find = (m, b, t, be) => rows.find((r) => r.model === m && r.batch === b && r.threads === t && r.backend === be && !r.error);
  console.log('\nRatios (peer median / ours median; > 1: ours faster) and our scaling (1-thread median / 2-thread median):');
  console.log('| model | batch | ' + threadList.map((t) => `wasm/ours ${t}T`).join(' | ') + ' | ours 1T/2T | wasm 1T/2T | init ours / wasm |');
  console.log('|---|---:|' + threadList.map(() => '---:').join('|') + '|---:|---:|---:|');
  for (const m of models) {
    for (const b of batches) {
      const cells = threadList.map((t) => {
        const o = find(m, b, t, 'webnn-wasm');
        const w = find(m, b, t, 'wasm');
        return o && w ? `${(w.medianMs / o.medianMs).toFixed(2)}x` : '';
      });
      const scale = (be) => {
        const a = find(m, b, 1, be);
        const c = find(m, b, 2, be);
        return a && c ? `${(a.medianMs / c.medianMs).toFixed(2)}x` : '';
      };
      const o1 = find(m, b, threadList[0], 'webnn-wasm');
      const w1 = find(m, b, threadList[0], 'wasm');
      console.log(`| ${m} | ${b} | ${cells.join(' | ')} | ${scale('webnn-wasm')} | ${scale('wasm')} | ` +
        `${o1 && w1 ? `${o1.initMs.toFixed(0)} / ${w1.initMs.toFixed(0)} ms` : ''} |`);
    }
  }
  console.log(`load average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (start ${load0.map((l) => l.toFixed(2)).join(' ')})`);
  console.log('BENCH_TFJS_JSON ' + JSON.stringify(rows.map(({ output, ...r }) => r)));
  // Backend init time against tfjs-backend-wasm (bench/tfjs-init.mjs; --init-runs 0 skips it).
  const initRuns = Number(args['init-runs'] ?? 5);
  if (initRuns > 0) await (await import('./tfjs-init.mjs')).initCheck({ runs: initRuns });
}

// --rounds: see the header. Prints a line per round and a table of the ratios' median and range.
// Each row pairs a baseline with a subject, run back to back: the peer and ours at each thread
// count, or with --scaling ours at the first thread count and ours at the second. A ratio is the
// baseline's time over the subject's (> 1: the subject is faster).
async function interleaved() {
  const load0 = os.loadavg();
  const [ours, peer] = ['webnn-wasm', backends.find((b) => b !== 'webnn-wasm') || 'wasm'];
  const scaling = args.scaling === 'true';
  if (scaling && threadList.length !== 2) throw new Error('--scaling needs two thread counts, e.g. --threads 1,2');
  const pairs = scaling
    ? [{ baseline: { backend: ours, threads: threadList[0] }, subject: { backend: ours, threads: threadList[1] } }]
    : threadList.map((threads) => ({ baseline: { backend: peer, threads }, subject: { backend: ours, threads } }));
  const label = (c) => `${c.backend === ours ? 'ours' : c.backend} ${c.threads}T`;
  console.log(`tfjs model bench, interleaved: ${models.join(', ')}; batch ${batches.join(', ')}; ` +
    `${pairs.map((p) => `${label(p.subject)} against ${label(p.baseline)}`).join(', ')}; ${rounds} rounds of ` +
    `${timeBudget} s blocks; ${os.cpus().length} CPUs (${os.cpus()[0]?.model}); load average ` +
    `${load0.map((l) => l.toFixed(2)).join(' ')}`);
  const rows = [];
  for (const model of models) {
    for (const batch of batches) {
      for (const { baseline, subject } of pairs) {
        const runs = []; // per round: { baseline, subject } child results
        for (let r = 0; r < rounds; r++) {
          const order = r % 2 === 0 ? [subject, baseline] : [baseline, subject];
          const got = new Map();
          for (const c of order) got.set(c, await runChild(c.backend, model, c.threads, batch));
          if (!got.get(subject) || !got.get(baseline)) throw new Error(`${model} x${batch}: a run failed`);
          const [s, b] = [got.get(subject), got.get(baseline)].map(({ output, ...run }) => run); // outputs unused here
          runs.push({ baseline: b, subject: s });
          console.log(`  round ${r + 1}: ${label(baseline)} / ${label(subject)} ${(b.medianMs / s.medianMs).toFixed(2)}x`);
        }
        rows.push({ model, batch, baseline: label(baseline), subject: label(subject), runs });
      }
    }
  }
  const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
  // The fastest predict of all rounds: what each side does when the host does not slow it.
  console.log('\n| model | batch | subject: median of run medians (fastest) ms | baseline: median of run medians (fastest) ms | ' +
    'baseline/subject per round: median (min–max) | baseline/subject fastest |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const { model, batch, baseline, subject, runs } of rows) {
    const of = (side, key) => runs.map((run) => run[side][key]);
    const ratios = runs.map((run) => run.baseline.medianMs / run.subject.medianMs);
    const [sm, bm] = [Math.min(...of('subject', 'minMs')), Math.min(...of('baseline', 'minMs'))];
    console.log(`| ${model} | ${batch} | ${subject}: ${med(of('subject', 'medianMs')).toFixed(2)} (${sm.toFixed(2)}) | ` +
      `${baseline}: ${med(of('baseline', 'medianMs')).toFixed(2)} (${bm.toFixed(2)}) | **${med(ratios).toFixed(2)}x** ` +
      `(${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | ${(bm / sm).toFixed(2)}x |`);
  }
  console.log(`load average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (start ${load0.map((l) => l.toFixed(2)).join(' ')})`);
  console.log('BENCH_TFJS_ROUNDS_JSON ' + JSON.stringify(rows));
}

// max |a - b| / max |b|: relative to the output's scale (probabilities near 0 would make an
// elementwise relative error meaningless).
function relError(a, b) {
  if (!a || !b || a.length !== b.length) return Infinity;
  let d = 0;
  let m = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / (m || 1);
}

function runChild(backend, model, threads, batch) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', backend, '--model', model,
      '--threads', String(threads), '--time', String(timeBudget), '--min-runs', String(minRuns), '--batch', String(batch)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('CHILD_JSON '));
      if (code !== 0 || !line) {
        console.error(`${backend} ${model} batch ${batch} ${threads}T: exited ${code}\n${out.slice(-2000)}`);
        resolve(null);
      } else {
        const r = JSON.parse(line.slice('CHILD_JSON '.length));
        console.log(`  ${model} x${batch} ${r.variant}: init ${r.initMs.toFixed(0)} ms, first ${r.firstMs.toFixed(0)} ms` +
          (r.runs ? `, median ${r.medianMs.toFixed(2)} ms (min ${r.minMs.toFixed(2)}) over ${r.runs} runs` : ''));
        resolve(r);
      }
    });
  });
}

async function setUpBackend(tf, backend, threads) {
  if (backend === 'webnn-wasm') {
    const { setBackendOptions } = await import('../js/tfjs/index.js');
    setBackendOptions({ numThreads: threads });
    if (!await tf.setBackend('webnn-wasm')) throw new Error('webnn-wasm backend failed');
    const be = tf.backend();
    return `webnn-wasm (${be.context.variant}, ${be.context.numThreads}T${be.wholeGraph ? '' : ', per kernel'})`;
  }
  if (backend === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    return 'tfjs-backend-cpu';
  }
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const { installTfjsNodeThreadShim, withReportedCores } = await import('./peers/node-thread-shim.mjs');
    if (threads > 1) {
      installTfjsNodeThreadShim();
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    }
    wasm.setThreadsCount(threads);
    const keepAlive = setInterval(() => {}, 1000); // see bench/peers/tfjs.mjs
    try {
      const ok = threads > 1 ? await withReportedCores(2 * threads, () => tf.setBackend('wasm')) : await tf.setBackend('wasm');
      if (!ok) throw new Error('tfjs-backend-wasm failed to initialise');
    } finally { clearInterval(keepAlive); }
    return `tfjs-backend-wasm (${wasm.getThreadsCount()}T${threads > 1 ? ', node thread shim' : ''})`;
  }
  throw new Error(`unknown backend ${backend}`);
}

async function child(backend, model, threads, batch) {
  const tf = await import('@tensorflow/tfjs-core');
  let t = performance.now();
  const variant = await setUpBackend(tf, backend, threads);
  const initMs = performance.now() - t;
  const { net, inputShape } = await loadBenchModel(tf, model);
  const { seeded } = await import('../test/js/tfjs-test-models.mjs');
  const n = batch * inputShape.reduce((a, b) => a * b, 1);
  const pixels = seeded(n, 42, 0, 1);
  const x = tf.tensor(pixels, [batch, ...inputShape]);
  const infer = () => {
    const y = net.predict(x);
    const p = y.dataSync();
    y.dispose();
    return p;
  };
  t = performance.now();
  const output = Array.from(infer());
  const firstMs = performance.now() - t;
  const result = { variant, initMs, firstMs, output };
  if (backend !== 'cpu') {
    infer(); // second warm-up
    const st = tf.backend().stats;
    const fb0 = st?.fallbacks ?? 0;
    const d0 = st?.dispatches ?? 0;
    const times = [];
    const start = performance.now();
    while (times.length < minRuns || (performance.now() - start) / 1000 < timeBudget) {
      t = performance.now();
      infer();
      times.push(performance.now() - t);
      if (times.length >= 500) break;
    }
    times.sort((a, b) => a - b);
    Object.assign(result, { medianMs: times[times.length >> 1], minMs: times[0], runs: times.length });
    if (st) {
      result.fallbacks = st.fallbacks - fb0;
      result.fallbackKernels = Object.fromEntries(st.fallbackKernels);
      result.dispatchesPerPredict = (st.dispatches - d0) / times.length;
    }
  }
  process.stdout.write('CHILD_JSON ' + JSON.stringify(result) + '\n');
  process.exit(0);
}
