// npm run fuzz:diff -- [--count N] [--seed S] [--variant scalar|simd|simd-threads] [--threads T]
//                     [--max-failures N] [--no-verify] [--large]
// Runs the differential graph fuzzer (test/js/diff-fuzz-lib.mjs): graphs seed, seed+1, ...;
// prints each failure's shrunk repro as builder calls and the seed that replays it
// (--count 1 --seed <that seed>); exit code 1 on any failure. --no-verify turns the plan verifier
// off, leaving only the comparisons with the reference and across pass switches. --large: large
// graphs (values of up to 64K elements: the kernels' blocked and threaded paths past the first tile).
import * as api from '../js/index.js';
import { fuzzArgs } from './fuzz-args.mjs';
import { runDiffFuzz, makeContexts } from '../test/js/diff-fuzz-lib.mjs';

const { count, seed, opt, flag } = fuzzArgs(api, 5000);

const t0 = Date.now();
const configs = await makeContexts(api, { numThreads: Number(opt('threads', 2)), verifyPlans: !flag('no-verify') });
const large = flag('large');
const stats = await runDiffFuzz(api, { seed, count, configs, large, log: (m) => console.log(m), maxFailures: Number(opt('max-failures', 10)) });
const s = (Date.now() - t0) / 1000;
console.log(`fuzz:diff: variant ${configs[0].context.variant}${large ? ', large graphs' : ''}, seeds ${seed}..${seed + stats.graphs - 1}: ${stats.graphs} graphs ` +
  `(${stats.nodes} nodes, ${stats.ops.size} ops) on ${configs.length} configurations in ${s.toFixed(1)} s, ` +
  `${stats.failures.length} failures; graphs each pass changed: ` +
  Object.entries(stats.passes).map(([p, n]) => `${p} ${n}`).join(', ') + '; graphs per kernel path: ' +
  Object.entries(stats.kernels).sort().map(([k, n]) => `${k} ${n}`).join(', '));
for (const c of configs) c.context.destroy();
process.exit(stats.failures.length ? 1 : 0);
