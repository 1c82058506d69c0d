// npm run fuzz:callers -- [--count N] [--seed S] [--variant scalar|simd|simd-threads]
// Runs the hostile-caller fuzzer (test/js/hostile-callers-lib.mjs) and reports the number of cases
// run and the failures with the seed that replays each one (--count 1 --seed <that seed>); exit
// code 1 on any.
import v8 from 'node:v8';
import vm from 'node:vm';
import * as api from '../js/index.js';
import { fuzzArgs } from './fuzz-args.mjs';
import { runCallerFuzz } from '../test/js/hostile-callers-lib.mjs';

const { count, seed } = fuzzArgs(api, 5000);
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const t0 = Date.now();
const stats = await runCallerFuzz(api, { seed, count, gc });
const s = (Date.now() - t0) / 1000;
for (const f of stats.failures.slice(0, 20)) console.log(`seed ${f.seed}: ${f.failure}`);
const probe = await api.ml.createContext({ numThreads: 1 });
console.log(`fuzz:callers: variant ${probe.variant}, seed ${seed}: ${stats.cases} cases run in ${s.toFixed(1)} s, ` +
  `${stats.calls} calls, ${stats.hostileRuns} hostile callbacks run, ${stats.errors} errors thrown, ` +
  `${stats.succeeded} calls succeeded, ${stats.failures.length} failures`);
probe.destroy();
process.exit(stats.failures.length ? 1 : 0);
