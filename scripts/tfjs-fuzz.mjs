// npm run fuzz:tfjs -- [--count N] [--models M] [--seed S] [--variant v] [--threads T]
//                      [--split-all-work] [--no-whole-graph] [--heap-pressure] [--max-failures N]
// The TF.js backend's differential fuzzers: random TF.js programs (test/js/tfjs-fuzz-lib.mjs) and
// random tf.layers models (tfjs-model-fuzz-lib.mjs, --models, default count / 10), seeds seed,
// seed+1, ..., on 'webnn-wasm' and tfjs-backend-cpu; prints each failure with the seed that
// replays it (--count 1 --seed <that seed>, or --count 0 --models 1); exit code 1 on any failure.
// --heap-pressure: each program once and each model, on the Wasm heap held full but for a few bytes
// to a few MB (they must work or throw out of memory, and leave nothing behind; tfjs-fuzz-lib.mjs).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as api from '../js/index.js';
import { BACKEND_NAME, setBackendOptions } from '../js/tfjs/index.js';
import { fuzzArgs } from './fuzz-args.mjs';
import { runTfjsFuzz, holdHeap } from '../test/js/tfjs-fuzz-lib.mjs';
import { runModelFuzz } from '../test/js/tfjs-model-fuzz-lib.mjs';

const { count, seed, opt, flag } = fuzzArgs(api, 500);
setBackendOptions({
  numThreads: Number(opt('threads', 0)), splitAllWork: flag('split-all-work'), wholeGraph: !flag('no-whole-graph'),
});
tf.env().set('IS_TEST', true); // no "use tfjs-node" banner

const t0 = Date.now();
await tf.setBackend(BACKEND_NAME);
const heap = flag('heap-pressure') ? await holdHeap(api.ml) : null;
const stats = await runTfjsFuzz(tf, { backendName: BACKEND_NAME, seed, count, heap, log: (m) => console.log(m), maxFailures: Number(opt('max-failures', 5)) });
console.log(`fuzz:tfjs: variant ${api.loadedVariant()}, seeds ${seed}..${seed + stats.programs - 1}: ${stats.programs} programs (${stats.steps} op steps, ` +
  `${stats.ops.size} ops, ${heap ? `${stats.outOfMemory} out of memory on an all but full heap` : `${stats.mutations} with a changed attribute`}) ` +
  `in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${stats.failures.length} failures`);
console.log(`kernels that ran on the CPU: ${[...stats.fallbackKernels].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
const t1 = Date.now();
const modelCount = Number(opt('models', Math.ceil(count / 10)));
const ms = await runModelFuzz(tf, tfl, { backendName: BACKEND_NAME, seed, count: modelCount, heap, log: (m) => console.log(m), maxFailures: Number(opt('max-failures', 5)) });
heap?.release();
console.log(`fuzz:tfjs models: seeds ${seed}..${seed + modelCount - 1}: ${ms.models} models (${ms.layers} layers, ${ms.kinds.size} kinds` +
  `${heap ? `, ${ms.outOfMemory} out of memory` : ''}) in ${((Date.now() - t1) / 1000).toFixed(1)} s, ${ms.failures.length} failures`);
console.log(`kernels that ran on the CPU: ${[...ms.fallbackKernels].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
process.exit(stats.failures.length + ms.failures.length ? 1 : 0);
