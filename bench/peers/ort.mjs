// Peer: onnxruntime-web 1.30 (Wasm execution provider).
//
// The workload IR is translated to an ONNX model (opset 17) with our own
// protobuf writer (../onnx-writer.mjs). ONNX convs are NCHW, so rank-4
// activations live in NCHW inside the ORT graph: inputs are transposed
// NHWC->NCHW once at setup (not timed) and outputs transposed back only for
// the cross-library correctness check.
import * as ort from 'onnxruntime-web';
import { DataType, GraphBuilder } from '../onnx-writer.mjs';

let configured = null;
function configure(threads) {
  if (configured !== null) {
    if (configured !== threads) throw new Error('ort: one thread count per process');
    return;
  }
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  configured = threads;
}

const nhwcToNchw = (s) => [s[0], s[3], s[1], s[2]];
function transposeNHWCtoNCHW(data, [N, H, W, C]) {
  const out = new Float32Array(data.length);
  for (let n = 0; n < N; n++)
    for (let h = 0; h < H; h++)
      for (let w = 0; w < W; w++)
        for (let c = 0; c < C; c++)
          out[((n * C + c) * H + h) * W + w] = data[((n * H + h) * W + w) * C + c];
  return out;
}
function transposeNCHWtoNHWC(data, [N, C, H, W]) {
  const out = new Float32Array(data.length);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++)
        for (let w = 0; w < W; w++)
          out[((n * H + h) * W + w) * C + c] = data[((n * C + c) * H + h) * W + w];
  return out;
}

// Translates the workload IR into an ONNX model; returns the encoded bytes.
export function buildOnnx(workload) {
  const g = new GraphBuilder(workload.name);
  const names = {}; // IR name -> ONNX name
  const rank = {};  // IR name -> rank
  for (const i of workload.inputs) {
    const dims = i.shape.length === 4 ? nhwcToNchw(i.shape) : i.shape;
    names[i.name] = g.input(i.name, dims);
    rank[i.name] = i.shape.length;
  }
  const scalar = (v) => g.initializer([], [v]);
  for (const op of workload.ops) {
    let y;
    switch (op.op) {
      case 'conv2d': {
        const [, , KH, KW] = op.w.shape;
        const [t, b, l, r] = op.pads;
        const inputs = [names[op.x], g.initializer(op.w.shape, op.w.data)];
        if (op.b) inputs.push(g.initializer(op.b.shape, op.b.data));
        y = g.node('Conv', inputs, {
          kernel_shape: [KH, KW], strides: op.strides, pads: [t, l, b, r],
          dilations: [1, 1], group: op.groups,
        });
        if (op.act === 'relu') y = g.node('Relu', [y]);
        else if (op.act === 'relu6') y = g.node('Clip', [y, scalar(0), scalar(6)]);
        rank[op.out] = 4;
        break;
      }
      case 'matmul':
        if (typeof op.b === 'string') {
          y = g.node('MatMul', [names[op.a], names[op.b]]);
          rank[op.out] = rank[op.a];
          break;
        }
        y = g.node('MatMul', [names[op.a], g.initializer(op.b.shape, op.b.data)]);
        rank[op.out] = 2; break;
      case 'mul': y = g.node('Mul', [names[op.a], scalar(op.b)]); rank[op.out] = rank[op.a]; break;
      case 'addConst': y = g.node('Add', [names[op.a], g.initializer(op.b.shape, op.b.data)]); rank[op.out] = rank[op.a]; break;
      case 'reshape':
        y = g.node('Reshape', [names[op.x], g.initializer([op.shape.length], op.shape, DataType.INT64)]);
        rank[op.out] = op.shape.length; break;
      case 'transpose': y = g.node('Transpose', [names[op.x]], { perm: op.perm }); rank[op.out] = op.perm.length; break;
      case 'concat': y = g.node('Concat', op.inputs.map((n) => names[n]), { axis: op.axis }); rank[op.out] = rank[op.inputs[0]]; break;
      case 'softmax': y = g.node('Softmax', [names[op.x]], { axis: -1 }); rank[op.out] = rank[op.x]; break;
      case 'layerNorm':
        y = g.node('LayerNormalization', [names[op.x], g.initializer(op.scale.shape, op.scale.data), g.initializer(op.bias.shape, op.bias.data)],
          { axis: -1, epsilon: op.eps });
        rank[op.out] = rank[op.x]; break;
      case 'gelu': {
        // Opset 17 has no Gelu: the erf form exporters write, which ORT's optimizer fuses into its Gelu kernel.
        const x = names[op.x];
        y = g.node('Mul', [g.node('Mul', [x, scalar(0.5)]), g.node('Add', [g.node('Erf', [g.node('Div', [x, scalar(Math.SQRT2)])]), scalar(1)])]);
        rank[op.out] = rank[op.x]; break;
      }
      case 'gemm':
        y = g.node('Gemm', [names[op.a], g.initializer(op.b.shape, op.b.data), g.initializer(op.c.shape, op.c.data)]);
        rank[op.out] = 2; break;
      case 'add': {
        let b;
        if (typeof op.b === 'string') b = names[op.b];
        else {
          // per-channel constant: [C] in NHWC == [C,1,1] in NCHW
          const shape = rank[op.a] === 4 ? [op.b.shape[0], 1, 1] : op.b.shape;
          b = g.initializer(shape, op.b.data);
        }
        y = g.node('Add', [names[op.a], b]);
        rank[op.out] = rank[op.a]; break;
      }
      case 'relu': y = g.node('Relu', [names[op.x]]); rank[op.out] = rank[op.x]; break;
      case 'clamp': y = g.node('Clip', [names[op.x], scalar(op.min), scalar(op.max)]); rank[op.out] = rank[op.x]; break;
      case 'globalAvgPool':
        y = g.node('Flatten', [g.node('GlobalAveragePool', [names[op.x]])], { axis: 1 });
        rank[op.out] = 2; break;
      default: throw new Error(`ort: unsupported op ${op.op}`);
    }
    names[op.out] = y;
  }
  for (const o of workload.outputs) {
    const dims = o.shape.length === 4 ? nhwcToNchw(o.shape) : o.shape;
    g.output(names[o.name], dims);
  }
  return { bytes: g.encode(17), outputNames: workload.outputs.map((o) => names[o.name]) };
}

export async function setup(workload, { threads = 1 } = {}) {
  configure(threads);
  const { bytes, outputNames } = buildOnnx(workload);
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
  const data = workload.makeInputs();
  const feedsData = {};
  for (const i of workload.inputs) {
    feedsData[i.name] = i.shape.length === 4
      ? { data: transposeNHWCtoNCHW(data[i.name], i.shape), dims: nhwcToNchw(i.shape) }
      : { data: data[i.name], dims: i.shape };
  }
  // One inference = wrap inputs, session.run (copies in, computes, copies out).
  const infer = async () => {
    const feeds = {};
    for (const [k, v] of Object.entries(feedsData)) feeds[k] = new ort.Tensor('float32', v.data, v.dims);
    const res = await session.run(feeds);
    return outputNames.map((n) => res[n]);
  };
  const variant = `onnxruntime-web ${ort.env.versions?.web ?? '?'} wasm EP ort-wasm-simd-threaded.wasm numThreads=${ort.env.wasm.numThreads}`;
  return {
    variant,
    run: infer,
    async outputs() {
      const outs = await infer();
      return outs.map((t, k) => {
        const shape = workload.outputs[k].shape;
        return shape.length === 4 ? transposeNCHWtoNHWC(t.data, t.dims) : Float32Array.from(t.data);
      });
    },
    async dispose() { await session.release(); },
  };
}
