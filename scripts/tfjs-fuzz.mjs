// npm run fuzz:tfjs -- [--count N] [--seed S] [--threads T] [--split-all-work] [--no-whole-graph]
//                      [--max-failures N]
// The TF.js backend's differential fuzzer (test/js/tfjs-fuzz-lib.mjs): random TF.js programs, seeds
// seed, seed+1, ..., on 'webnn-wasm' and tfjs-backend-cpu; prints each failure's program and the
// seed that replays it (--count 1 --seed <that seed>); exit code 1 on any failure.
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAME, setBackendOptions } from '../js/tfjs/index.js';
import { runTfjsFuzz } from '../test/js/tfjs-fuzz-lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const flag = (name) => args.includes(`--${name}`);
const count = Number(opt('count', 500));
const seed = Number(opt('seed', Date.now() % 1e6));
setBackendOptions({
  numThreads: Number(opt('threads', 0)), splitAllWork: flag('split-all-work'), wholeGraph: !flag('no-whole-graph'),
});
tf.env().set('IS_TEST', true); // no "use tfjs-node" banner

const t0 = Date.now();
const stats = await runTfjsFuzz(tf, { backendName: BACKEND_NAME, seed, count, log: (m) => console.log(m), maxFailures: Number(opt('max-failures', 5)) });
console.log(`fuzz:tfjs: seeds ${seed}..${seed + stats.programs - 1}: ${stats.programs} programs (${stats.steps} op steps, ` +
  `${stats.ops.size} ops, ${stats.mutations} with a changed attribute) in ${((Date.now() - t0) / 1000).toFixed(1)} s, ` +
  `${stats.failures.length} failures`);
console.log(`kernels that ran on the CPU: ${[...stats.fallbackKernels].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
process.exit(stats.failures.length ? 1 : 0);
