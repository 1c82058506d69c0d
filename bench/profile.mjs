#!/usr/bin/env node
// Where ours spends a workload's time: the mean µs per dispatch of every compiled step
// (MLGraph.debugProfile), and one inference split into write / dispatch / read.
//
//   node bench/profile.mjs --workload mobilenetv2 [--threads 2] [--runs 50]
import { getWorkload, workloadNames } from './workloads.mjs';
import { setup } from './ours.mjs';
import { parseOptions } from './harness.mjs';

const args = parseOptions(process.argv.slice(2), { workload: null, threads: 1, runs: 50 });
if (!args.workload) throw new Error(`--workload required: ${workloadNames.join(', ')}`);

const keepAlive = setInterval(() => {}, 1 << 30); // pthread workers are unref()ed
const lib = await setup(getWorkload(args.workload), { threads: args.threads });
console.log(`${args.workload}: ${lib.variant}`);
for (let i = 0; i < 5; i++) await lib.run();

// Whole inferences first (no timers inside), then the same with per-step timers on.
const times = [];
for (let i = 0; i < args.runs; i++) {
  const t0 = performance.now();
  await lib.run();
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(`inference (write + dispatch + read): median ${(times[times.length >> 1] * 1000).toFixed(1)} us, ` +
  `min ${(times[0] * 1000).toFixed(1)} us over ${args.runs} runs`);
lib.graph.debugProfile(true);
for (let i = 0; i < args.runs; i++) await lib.run();
console.log(lib.graph.debugProfile(false));
lib.dispose();
clearInterval(keepAlive);
