#!/usr/bin/env node
// Where a TF.js predict's time goes through the webnn-wasm backend: the engine's dispatch, ours
// recording kernels (WebNNWasmBackend.runGraph), ours running the pending graph around the dispatch
// (runPending), and the rest: TF.js's own code (layers, engine, tensor bookkeeping). Means per
// predict, so GC pauses count (bench:tfjs reports medians).
//
//   node bench/tfjs-split.mjs --model MobileNetV2 [--batch 1] [--threads 2] [--runs 100]
// (--model: any model of bench:tfjs, tfjs-bench-models.mjs)
import { oursPredict } from './tfjs-bench-models.mjs';
import { parseOptions } from './harness.mjs';

const args = parseOptions(process.argv.slice(2), { model: 'MobileNetV2', batch: 1, threads: 2, runs: 100 });
const { backend: be, infer } = await oursPredict(args);
await new Promise((r) => setTimeout(r, 300)); // the workers have started

let recording = 0, pending = 0, dispatch = 0;
const timed = (obj, name, add) => {
  const f = obj[name].bind(obj);
  obj[name] = (...a) => { const t0 = performance.now(); try { return f(...a); } finally { add(performance.now() - t0); } };
};
timed(be, 'runGraph', (t) => { recording += t; });
timed(be, 'runPending', (t) => { pending += t; });
for (const e of be.wholeGraphs.values()) if (e && e.graph) timed(e.graph, 'dispatch', (t) => { dispatch += t; });
const t0 = performance.now();
for (let i = 0; i < args.runs; i++) infer();
const total = (performance.now() - t0) / args.runs;
const per = (v) => (v / args.runs).toFixed(3);
console.log(`${args.model} b${args.batch} ${be.context.numThreads}T per predict: total ${total.toFixed(3)} ms = ` +
  `dispatch ${per(dispatch)} + ours recording ${per(recording)} + ours flush ${per(pending - dispatch)} + ` +
  `TF.js ${(total - (recording + pending) / args.runs).toFixed(3)}`);
process.exit(0);
