// npm run fuzz -- [--count N] [--seed S] [--variant scalar|simd|simd-threads]
// Runs the API graph fuzzer (test/js/fuzz-lib.mjs) and reports the number of cases run, the
// failures with the seed that replays each one (--count 1 --seed <that seed>), exit code 1 on any.
import * as api from '../js/index.js';
import { fuzzArgs } from './fuzz-args.mjs';
import { runFuzz } from '../test/js/fuzz-lib.mjs';
import { whenThreadsRun } from '../test/js/threads.mjs';

const { count, seed } = fuzzArgs(api, 2000);

const t0 = Date.now();
// splitAllWork on running threads: the small fuzzed graphs run the threaded kernel paths too.
const context = await whenThreadsRun(await api.ml.createContext({ numThreads: 2, splitAllWork: true }));
const stats = await runFuzz(api, { seed, count, context, log: (m) => console.log(m) });
const s = (Date.now() - t0) / 1000;
console.log(`fuzz: variant ${context.variant}, seed ${seed}: ${stats.cases} cases run in ${s.toFixed(1)} s, ` +
  `${stats.calls} calls, ${stats.errors} errors thrown, ${stats.built} graphs built, ${stats.dispatched} dispatched, ` +
  `${stats.failures.length} failures`);
const heap = api.heapStats();
if (heap) console.log(`heap: ${(heap.heapBytes / 2 ** 20).toFixed(0)} MiB, ${(heap.bytesInUse / 2 ** 20).toFixed(1)} MiB in use`);
context.destroy();
process.exit(stats.failures.length ? 1 : 0);
