// Times real TF.js models (nsfwjs's bundled MobileNetV2 and InceptionV3, Keras layers models with
// their weights) under three TF.js backends, each in its own Node process:
//   webnn-wasm  this package's backend (import 'webnn-wasm/tfjs')
//   wasm        @tensorflow/tfjs-backend-wasm 4.22 (XNNPACK)
//   cpu         @tensorflow/tfjs-backend-cpu 4.22 (plain JS)
//
//   npm run bench:tfjs
//   node bench/tfjs-models.mjs --models MobileNetV2,InceptionV3 --backends webnn-wasm,wasm,cpu \
//        --threads 2 --time 10 --batch 1 [--init-runs 5]
//
// One inference = model.predict(x) on a [batch,H,W,3] tensor already on the backend, then
// dataSync() of the probabilities. After warm-up (the first predict builds/compiles; reported
// separately), runs until --time seconds (at least --min-runs), median reported. Before timing,
// each backend's probabilities are compared with the first backend's (max |diff|).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true']);
  return acc;
}, []));
const models = (args.models || 'MobileNetV2,InceptionV3').split(',');
const backends = (args.backends || 'webnn-wasm,wasm,cpu').split(',');
const threads = Number(args.threads || Math.min(2, os.availableParallelism?.() || os.cpus().length));
const timeBudget = Number(args.time || 10);
const minRuns = Number(args['min-runs'] || 3);
const batch = Number(args.batch || 1);

if (args.child) {
  await child(args.child, args.model);
} else {
  await parent();
}

async function parent() {
  const load0 = os.loadavg()[0];
  console.log(`tfjs model bench: ${models.join(', ')} x batch ${batch}; backends ${backends.join(', ')}; ` +
    `threads ${threads}; ${os.cpus().length} CPUs; load average ${load0.toFixed(2)}`);
  const results = [];
  for (const model of models) {
    const ref = { probs: null };
    for (const backend of backends) {
      const r = await runChild(backend, model);
      if (!r) { results.push({ model, backend, error: 'failed' }); continue; }
      if (!ref.probs) { ref.probs = r.probs; ref.backend = backend; }
      let maxDiff = 0;
      for (let i = 0; i < r.probs.length; i++) maxDiff = Math.max(maxDiff, Math.abs(r.probs[i] - ref.probs[i]));
      results.push({ ...r, model, backend, maxDiffVsRef: maxDiff, ref: ref.backend });
    }
  }
  console.log('\n| model | backend | first predict ms | median ms | min ms | runs | max abs diff vs ' + backends[0] + ' |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const r of results) {
    if (r.error) { console.log(`| ${r.model} | ${r.backend} | failed | | | | |`); continue; }
    console.log(`| ${r.model} | ${r.variant} | ${r.firstMs.toFixed(0)} | ${r.medianMs.toFixed(1)} | ${r.minMs.toFixed(1)} | ${r.runs} | ${r.maxDiffVsRef.toExponential(1)} |`);
  }
  for (const m of models) {
    const ours = results.find((r) => r.model === m && r.backend === 'webnn-wasm' && !r.error);
    if (!ours) continue;
    const others = results.filter((r) => r.model === m && r.backend !== 'webnn-wasm' && !r.error);
    console.log(`${m}: ` + others.map((o) => `${o.backend} / ours = ${(o.medianMs / ours.medianMs).toFixed(2)}x`).join(', '));
  }
  console.log(`load average at end: ${os.loadavg()[0].toFixed(2)} (start ${load0.toFixed(2)})`);
  console.log('BENCH_TFJS_JSON ' + JSON.stringify(results.map(({ probs, ...r }) => r)));
  // Backend init time against tfjs-backend-wasm (bench/tfjs-init.mjs; --init-runs 0 skips it).
  const initRuns = Number(args['init-runs'] ?? 5);
  if (initRuns > 0) await (await import('./tfjs-init.mjs')).initCheck({ runs: initRuns });
}

function runChild(backend, model) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', backend, '--model', model,
      '--threads', String(threads), '--time', String(timeBudget), '--min-runs', String(minRuns), '--batch', String(batch)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('CHILD_JSON '));
      if (code !== 0 || !line) {
        console.error(`${backend} ${model}: exited ${code}\n${out.slice(-2000)}`);
        resolve(null);
      } else {
        const r = JSON.parse(line.slice('CHILD_JSON '.length));
        console.log(`  ${model} ${r.variant}: first ${r.firstMs.toFixed(0)} ms, median ${r.medianMs.toFixed(1)} ms over ${r.runs} runs`);
        resolve(r);
      }
    });
  });
}

async function setUpBackend(tf, backend) {
  if (backend === 'webnn-wasm') {
    const { setBackendOptions } = await import('../js/tfjs/index.js');
    setBackendOptions({ numThreads: threads });
    if (!await tf.setBackend('webnn-wasm')) throw new Error('webnn-wasm backend failed');
    const be = tf.backend();
    return `webnn-wasm (${be.context.variant}, ${be.context.numThreads} threads)`;
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
    return `tfjs-backend-wasm (${wasm.getThreadsCount()} threads${threads > 1 ? ', node thread shim' : ''})`;
  }
  throw new Error(`unknown backend ${backend}`);
}

async function child(backend, model) {
  const tf = await import('@tensorflow/tfjs-core');
  const { loadLayersModel } = await import('@tensorflow/tfjs-layers');
  const { loadGraphModel } = await import('@tensorflow/tfjs-converter');
  const { loadNsfwModel, syntheticImages, NSFW_MODELS } = await import('../test/js/tfjs-nsfwjs-models.mjs');
  const variant = await setUpBackend(tf, backend);
  const size = NSFW_MODELS[model].size;
  const net = await loadNsfwModel(model, { io: tf.io, loadLayersModel, loadGraphModel });
  const x = tf.tensor4d(syntheticImages(batch, size, 42), [batch, size, size, 3]);
  const infer = () => {
    const y = net.predict(x);
    const p = y.dataSync();
    y.dispose();
    return p;
  };
  let t = performance.now();
  const probs = Array.from(infer());
  const firstMs = performance.now() - t;
  infer(); // second warm-up
  const times = [];
  const start = performance.now();
  while (times.length < minRuns || (performance.now() - start) / 1000 < timeBudget) {
    t = performance.now();
    infer();
    times.push(performance.now() - t);
    if (times.length >= 500) break;
  }
  times.sort((a, b) => a - b);
  const result = { variant, firstMs, medianMs: times[times.length >> 1], minMs: times[0], runs: times.length, probs };
  if (backend === 'webnn-wasm') {
    const st = tf.backend().stats;
    result.fallbackKernels = Object.fromEntries(st.fallbackKernels);
    result.graphs = st.graphBuilds;
  }
  process.stdout.write('CHILD_JSON ' + JSON.stringify(result) + '\n');
  process.exit(0);
}
