#!/usr/bin/env node
// Where ours spends a TF.js model's predict: the whole-model engine graph's plan (MLGraph.debugPlan)
// and mean time per step (MLGraph.debugProfile), through the webnn-wasm TF.js backend.
//
//   node bench/tfjs-profile.mjs --model MobileNetV2Mid [--batch 1] [--threads 1] [--runs 20] [--plan true]
// (--model: any model of bench:tfjs, tfjs-bench-models.mjs)
import { oursPredict } from './tfjs-bench-models.mjs';
import { parseOptions } from './harness.mjs';

const args = parseOptions(process.argv.slice(2), { model: 'MobileNetV2Mid', batch: 1, threads: 1, runs: 20, plan: 'false' });
const { backend: be, infer } = await oursPredict(args);
const times = [];
for (let i = 0; i < args.runs; i++) {
  const t0 = performance.now();
  infer();
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(`${args.model} batch ${args.batch}, ${be.context.variant} ${be.context.numThreads}T: predict median ` +
  `${times[times.length >> 1].toFixed(2)} ms, min ${times[0].toFixed(2)} ms over ${args.runs} runs`);
const entries = [...be.wholeGraphs.values()].filter((e) => e && e.graph);
const entry = entries[entries.length - 1];
// entry.graph is the engine's native graph (what MLGraph.debugPlan/debugProfile call).
if (args.plan === 'true') console.log(entry.graph.planReport());
entry.graph.setProfiling(true);
for (let i = 0; i < args.runs; i++) infer();
console.log(entry.graph.profileReport());
entry.graph.setProfiling(false);
process.exit(0);
