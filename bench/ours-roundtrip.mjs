// Ours, round-trip variant of `convchain` (workload 5): the 10 blocks (conv 3x3 + add(const) + relu)
// as 10 separate graphs; after each, the result is read back to a JS Float32Array and written into
// the next graph's input tensor. Measures what an app pays when it cannot keep data in MLTensors
// (per-graph dispatch + the readTensor/writeTensor copies), against the single-graph `ours`.
// Other workloads: not applicable (setup returns null and run.mjs skips it).
import { ml, MLGraphBuilder } from '../js/index.js';
import { addOps } from './ours.mjs';

const F32 = 'float32';

export async function setup(workload, { threads = 1 } = {}) {
  if (workload.name !== 'convchain') return null;
  const ctx = await ml.createContext({ numThreads: threads });
  // One block = conv2d, add, relu (3 IR ops).
  const blocks = [];
  for (let k = 0; k < workload.ops.length; k += 3) blocks.push(workload.ops.slice(k, k + 3));
  const shape = workload.inputs[0].shape;
  const size = shape.reduce((a, x) => a * x, 1);
  const stages = [];
  for (const ops of blocks) {
    const b = new MLGraphBuilder(ctx);
    const env = { [ops[0].x]: b.input('x', { dataType: F32, shape }) };
    addOps(b, ops, env);
    const out = ops[ops.length - 1].out;
    const graph = await b.build({ y: env[out] });
    const x = await ctx.createTensor({ dataType: F32, shape, writable: true });
    const y = await ctx.createTensor({ dataType: F32, shape, readable: true });
    stages.push({ graph, x, y });
  }
  const input = workload.makeInputs()[workload.inputs[0].name];
  const bufs = [new Float32Array(size), new Float32Array(size)];
  const infer = async () => {
    let cur = input;
    for (let s = 0; s < stages.length; s++) {
      const st = stages[s];
      ctx.writeTensor(st.x, cur);
      ctx.dispatch(st.graph, { x: st.x }, { y: st.y });
      const next = bufs[s & 1];
      await ctx.readTensor(st.y, next);
      cur = next;
    }
    return [cur];
  };
  return {
    variant: `webnn-wasm ${ctx.variant} numThreads=${ctx.numThreads}, ${stages.length} graphs + JS round trips`,
    run: infer,
    async outputs() { return (await infer()).map((a) => Float32Array.from(a)); },
    dispose() { for (const st of stages) st.graph.destroy(); ctx.destroy(); },
  };
}
