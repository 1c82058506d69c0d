// Ours: webnn-wasm through the WebNN API (MLGraphBuilder / MLTensor / dispatch).
//
// Each workload's IR op becomes MLGraphBuilder calls (NHWC activations, OIHW filters, explicit
// padding). Tensors are created once at setup; one inference = writeTensor(inputs) + dispatch +
// readTensor(outputs), the same work the peers do (upload, run, read back to a JS Float32Array).
import { ml, MLGraphBuilder, graphPlanReport } from '../js/index.js';

const F32 = 'float32';

// Adds the workload's ops (or the slice ops[from, to)) to builder `b`; `env` maps IR names to operands.
export function addOps(b, ops, env) {
  const konst = (c) => b.constant({ dataType: F32, shape: c.shape }, c.data);
  for (const op of ops) {
    let y;
    switch (op.op) {
      case 'conv2d': {
        const options = {
          inputLayout: 'nhwc', filterLayout: 'oihw', padding: op.pads, strides: op.strides, groups: op.groups,
        };
        if (op.b) options.bias = konst(op.b);
        y = b.conv2d(env[op.x], konst(op.w), options);
        if (op.act === 'relu') y = b.relu(y);
        else if (op.act === 'relu6') y = b.clamp(y, { minValue: 0, maxValue: 6 });
        break;
      }
      case 'matmul': y = b.matmul(env[op.a], typeof op.b === 'string' ? env[op.b] : konst(op.b)); break;
      case 'mul': y = b.mul(env[op.a], b.constant({ dataType: F32, shape: [] }, new Float32Array([op.b]))); break;
      case 'addConst': y = b.add(env[op.a], konst(op.b)); break;
      case 'reshape': y = b.reshape(env[op.x], op.shape); break;
      case 'transpose': y = b.transpose(env[op.x], { permutation: op.perm }); break;
      case 'concat': y = b.concat(op.inputs.map((n) => env[n]), op.axis); break;
      case 'softmax': y = b.softmax(env[op.x], env[op.x].shape.length - 1); break;
      case 'layerNorm': {
        const rank = env[op.x].shape.length;
        y = b.layerNormalization(env[op.x], { scale: konst(op.scale), bias: konst(op.bias), axes: [rank - 1], epsilon: op.eps });
        break;
      }
      case 'gelu': y = b.gelu(env[op.x]); break;
      case 'gemm': y = b.gemm(env[op.a], konst(op.b), { c: konst(op.c) }); break;
      case 'add': y = b.add(env[op.a], typeof op.b === 'string' ? env[op.b] : konst(op.b)); break;
      case 'relu': y = b.relu(env[op.x]); break;
      case 'clamp': y = b.clamp(env[op.x], { minValue: op.min, maxValue: op.max }); break;
      case 'globalAvgPool': {
        const [n, , , c] = env[op.x].shape;
        y = b.reshape(b.averagePool2d(env[op.x], { layout: 'nhwc' }), [n, c]);
        break;
      }
      default: throw new Error(`ours: unsupported op ${op.op}`);
    }
    env[op.out] = y;
  }
}

export async function setup(workload, { threads = 1 } = {}) {
  const ctx = await ml.createContext({ numThreads: threads });
  const b = new MLGraphBuilder(ctx);
  const env = {};
  for (const i of workload.inputs) env[i.name] = b.input(i.name, { dataType: F32, shape: i.shape });
  addOps(b, workload.ops, env);
  const named = {};
  for (const o of workload.outputs) named[o.name] = env[o.name];
  const graph = await b.build(named);

  const data = workload.makeInputs();
  const inputs = {}, outputs = {};
  for (const i of workload.inputs) inputs[i.name] = await ctx.createTensor({ dataType: F32, shape: i.shape, writable: true });
  for (const o of workload.outputs) outputs[o.name] = await ctx.createTensor({ dataType: F32, shape: o.shape, readable: true });
  const results = workload.outputs.map((o) => new Float32Array(o.shape.reduce((a, x) => a * x, 1)));

  const infer = async () => {
    for (const i of workload.inputs) ctx.writeTensor(inputs[i.name], data[i.name]);
    ctx.dispatch(graph, inputs, outputs);
    for (let k = 0; k < workload.outputs.length; k++) await ctx.readTensor(outputs[workload.outputs[k].name], results[k]);
    return results;
  };
  return {
    variant: `webnn-wasm ${ctx.variant} numThreads=${ctx.numThreads}`,
    plan: graphPlanReport(graph),
    graph, // for bench/profile.mjs
    dispatchOnly() { ctx.dispatch(graph, inputs, outputs); },
    run: infer,
    async outputs() { return (await infer()).map((a) => Float32Array.from(a)); },
    dispose() { graph.destroy(); ctx.destroy(); },
  };
}
