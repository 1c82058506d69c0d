// Peer: @tensorflow/tfjs-core + @tensorflow/tfjs-backend-wasm (4.22).
//
// The workload IR as eager tfjs calls; runs in Node and in a browser. Loading and thread setup
// differ per environment: tfjs-init-node.mjs (threads == 1: the plain SIMD build; threads >= 2:
// the threaded-SIMD build through node-thread-shim.mjs) and tfjs-init-browser.mjs (whatever build
// tfjs picks in the page: threaded SIMD when it is cross-origin isolated).
const isNode = typeof process !== 'undefined' && !!process.versions?.node;
let state; // one tfjs backend per process / page

async function init(threads) {
  if (state) {
    if (state.threads !== threads) throw new Error('tfjs: one thread count per process');
    return state;
  }
  const { initTfjs } = await import(isNode ? './tfjs-init-node.mjs' : './tfjs-init-browser.mjs');
  state = { threads, ...(await initTfjs(threads)) };
  return state;
}

// OIHW [O, I, KH, KW] -> HWIO [KH, KW, I, O]
function oihwToHwio(data, [O, I, KH, KW]) {
  const out = new Float32Array(data.length);
  for (let o = 0; o < O; o++)
    for (let i = 0; i < I; i++)
      for (let h = 0; h < KH; h++)
        for (let w = 0; w < KW; w++)
          out[((h * KW + w) * I + i) * O + o] = data[((o * I + i) * KH + h) * KW + w];
  return out;
}

function buildModel(tf, workload) {
  const consts = [];
  const keep = (t) => { consts.push(t); return t; };
  const steps = workload.ops.map((op) => {
    switch (op.op) {
      case 'conv2d': {
        const [O, I, KH, KW] = op.w.shape;
        const hwio = oihwToHwio(op.w.data, op.w.shape);
        const bias = op.b ? keep(tf.tensor1d(op.b.data)) : undefined;
        const activation = op.act === 'relu' ? 'relu' : op.act === 'relu6' ? 'relu6' : 'linear';
        const pad = op.pads.every((p) => p === 0) ? 'valid' : 'same';
        const strides = op.strides;
        if (op.groups === 1) {
          const filter = keep(tf.tensor4d(hwio, [KH, KW, I, O]));
          return (env) => tf.fused.conv2d({ x: env[op.x], filter, strides, pad, bias, activation });
        }
        if (I === 1 && op.groups === O) {
          const filter = keep(tf.tensor4d(hwio, [KH, KW, O, 1]));
          return (env) => tf.fused.depthwiseConv2d({ x: env[op.x], filter, strides, pad, bias, activation });
        }
        throw new Error('tfjs: grouped conv not supported');
      }
      case 'matmul': {
        if (typeof op.b === 'string') return (env) => tf.matMul(env[op.a], env[op.b]); // batched over dim 0
        const b = keep(tf.tensor2d(op.b.data, op.b.shape));
        return (env) => tf.matMul(env[op.a], b);
      }
      case 'mul': {
        const s = keep(tf.scalar(op.b));
        return (env) => tf.mul(env[op.a], s);
      }
      case 'addConst': {
        const c = keep(tf.tensor(op.b.data, op.b.shape));
        return (env) => tf.add(env[op.a], c);
      }
      case 'reshape': return (env) => tf.reshape(env[op.x], op.shape);
      case 'transpose': return (env) => tf.transpose(env[op.x], op.perm);
      case 'concat': return (env) => tf.concat(op.inputs.map((n) => env[n]), op.axis);
      case 'softmax': return (env) => tf.softmax(env[op.x]);
      case 'layerNorm': {
        // tfjs has no layer-norm op: the usual composition (tf.moments + rsqrt), as tfjs-layers does.
        const scale = keep(tf.tensor1d(op.scale.data)), bias = keep(tf.tensor1d(op.bias.data));
        return (env) => {
          const x = env[op.x];
          const { mean, variance } = tf.moments(x, -1, true);
          return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, op.eps))), scale), bias);
        };
      }
      case 'gelu': {
        // tfjs has no gelu op: 0.5 x (1 + erf(x / sqrt 2)) from its element-wise kernels.
        const half = keep(tf.scalar(0.5)), invSqrt2 = keep(tf.scalar(Math.SQRT1_2)), one = keep(tf.scalar(1));
        return (env) => tf.mul(tf.mul(env[op.x], half), tf.add(tf.erf(tf.mul(env[op.x], invSqrt2)), one));
      }
      case 'gemm': {
        const b = keep(tf.tensor2d(op.b.data, op.b.shape));
        const bias = keep(tf.tensor1d(op.c.data));
        return (env) => tf.fused.matMul({ a: env[op.a], b, bias });
      }
      case 'add': {
        const b = typeof op.b === 'string' ? null : keep(tf.tensor(op.b.data, op.b.shape));
        return (env) => tf.add(env[op.a], b ?? env[op.b]);
      }
      case 'relu': return (env) => tf.relu(env[op.x]);
      case 'clamp': return (env) => tf.clipByValue(env[op.x], op.min, op.max);
      case 'globalAvgPool': return (env) => tf.mean(env[op.x], [1, 2]);
      default: throw new Error(`tfjs: unsupported op ${op.op}`);
    }
  });
  const model = (inputs) => tf.tidy(() => {
    const env = { ...inputs };
    workload.ops.forEach((op, i) => { env[op.out] = steps[i](env); });
    return workload.outputs.map((o) => env[o.name]);
  });
  return { model, consts };
}

export async function setup(workload, { threads = 1 } = {}) {
  const { tf, variant } = await init(threads);
  const { model, consts } = buildModel(tf, workload);
  const data = workload.makeInputs();
  // One inference = upload inputs, run the graph, read the outputs back.
  const infer = () => {
    const inputs = {};
    for (const i of workload.inputs) inputs[i.name] = tf.tensor(data[i.name], i.shape);
    const outs = model(inputs);
    const res = outs.map((t) => t.dataSync());
    tf.dispose(Object.values(inputs));
    tf.dispose(outs);
    return res;
  };
  return {
    variant,
    run() { infer(); },
    async outputs() { return infer().map((a) => Float32Array.from(a)); },
    dispose() { tf.dispose(consts); },
  };
}
