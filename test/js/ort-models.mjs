// Small ONNX models (opset 17) for the onnxruntime-web client test (ort-webnn-ep.test.mjs),
// generated deterministically with bench/onnx-writer.mjs. Each model covers one family of graph
// shapes a real ONNX client sends through its WebNN execution provider; sizes are kept small.
//
// A model: { name, bytes, feeds: { inputName: { type, data, dims } }, outputs: [{ name, atol, rtol }] }.
// Tolerances are per output, against onnxruntime-web's own wasm EP on the same inputs.
import { GraphBuilder, DataType } from '../../bench/onnx-writer.mjs';

// Deterministic values in [-scale, scale) (a 32-bit LCG; no Math.random).
function values(n, seed, scale = 1) {
  let s = (seed * 2654435761) >>> 0;
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return out;
}
const prod = (dims) => dims.reduce((a, b) => a * b, 1);
const floatFeed = (dims, seed, scale = 1) => ({ type: 'float32', data: Float32Array.from(values(prod(dims), seed, scale)), dims });

// A CNN: conv + selu, maxPool with ceil_mode, a residual add, averagePool with ceil_mode (a window
// that reaches past the input), Resize (nearest 2x and linear to a size), global pool + Gemm head
// and a TopK. Selu and TopK have no WebNN op: ORT runs them on its CPU kernels, so the model is
// split into WebNN partitions with tensors passed between ORT and us.
function cnn() {
  const g = new GraphBuilder('cnn');
  const x = g.input('image', [1, 3, 15, 15]);
  const w = (dims, seed) => g.initializer(dims, values(prod(dims), seed, 0.4));
  let y = g.node('Selu', [g.node('Conv', [x, w([8, 3, 3, 3], 1), w([8], 2)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })]);
  // 2x2 stride 2 on 15: ceil gives 8 (the last window holds only the last row), floor 7.
  const pooled = g.node('MaxPool', [y], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 });
  y = g.node('Relu', [g.node('Conv', [pooled, w([8, 8, 3, 3], 3), w([8], 4)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })]);
  y = g.node('Add', [y, pooled]); // residual, [1, 8, 8, 8]
  // Average pool 3x3 stride 2 on 8 with ceil: ceil(5 / 2) + 1 = 4 (floor 3); the last window
  // covers 2 of its 3 rows and averages only those (count_include_pad = 0).
  const avg = g.node('AveragePool', [y], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 });
  const up = g.node('Resize', [avg, '', g.initializer([4], [1, 1, 2, 2])], { mode: 'nearest' }); // [1, 8, 8, 8]
  y = g.node('Add', [up, y]);
  y = g.node('Conv', [y, w([4, 8, 1, 1], 5)], { kernel_shape: [1, 1] });
  const resized = g.node('Resize', [y, '', '', g.initializer([4], [1, 4, 12, 12], DataType.INT64)],
    { mode: 'linear', coordinate_transformation_mode: 'half_pixel' });
  g.output(resized, [1, 4, 12, 12]);
  const gp = g.node('Flatten', [g.node('GlobalAveragePool', [y])], { axis: 1 });
  const logits = g.node('Gemm', [gp, w([4, 5], 6), w([5], 7)]);
  g.output(logits, [1, 5]);
  const [top, topIndices] = g.node('TopK', [logits, g.initializer([1], [3], DataType.INT64)], { axis: -1 }, 2);
  g.output(top, [1, 3]);
  g.output(topIndices, [1, 3], DataType.INT64);
  return {
    name: 'cnn', bytes: g.encode(17),
    feeds: { image: floatFeed([1, 3, 15, 15], 11) },
    outputs: [{ name: resized, atol: 1e-4, rtol: 1e-4 }, { name: logits, atol: 1e-4, rtol: 1e-4 },
      { name: top, atol: 1e-4, rtol: 1e-4 }, { name: topIndices, atol: 0, rtol: 0 }],
  };
}

// A transformer encoder block: a Gather embedding, LayerNormalization, multi-head attention
// (MatMul, Add, Reshape, Transpose, Softmax) with an int64 padding mask through Equal/Expand/Where, and an
// Erf-based GELU feed-forward layer.
function transformer() {
  const S = 8, D = 16, H = 2, Dh = D / H, V = 20, F = 32;
  const g = new GraphBuilder('encoder');
  const ids = g.input('input_ids', [1, S], DataType.INT64);
  const mask = g.input('attention_mask', [1, S], DataType.INT64);
  const w = (dims, seed, scale = 0.3) => g.initializer(dims, values(prod(dims), seed, scale));
  const c = (v) => g.initializer([], [v]);
  const i64 = (arr) => g.initializer([arr.length], arr, DataType.INT64);
  const layerNorm = (x, seed) => g.node('LayerNormalization', [x, w([D], seed, 1), w([D], seed + 1, 0.1)],
    { axis: -1, epsilon: 1e-5 });
  let x = g.node('Gather', [w([V, D], 1, 1), ids], { axis: 0 }); // [1, S, D]
  x = g.node('Add', [x, w([S, D], 2, 0.5)]); // positions
  const h = layerNorm(x, 3);
  const heads = (t) => g.node('Transpose', [g.node('Reshape', [t, i64([1, S, H, Dh])])], { perm: [0, 2, 1, 3] });
  const proj = (t, seed) => g.node('Add', [g.node('MatMul', [t, w([D, D], seed)]), w([D], seed + 1, 0.1)]);
  const q = heads(proj(h, 10)), k = heads(proj(h, 12)), v = heads(proj(h, 14));
  let scores = g.node('MatMul', [q, g.node('Transpose', [k], { perm: [0, 1, 3, 2] })]); // [1, H, S, S]
  scores = g.node('Mul', [scores, c(1 / Math.sqrt(Dh))]);
  // Padding mask: keys whose mask is 0 get -1e4 before the softmax.
  const pad = g.node('Equal', [g.node('Reshape', [mask, i64([1, 1, 1, S])]), g.initializer([], [0], DataType.INT64)]);
  const padFull = g.node('Expand', [pad, i64([1, H, S, S])]);
  scores = g.node('Where', [padFull, c(-1e4), scores]);
  const probs = g.node('Softmax', [scores], { axis: -1 });
  let att = g.node('MatMul', [probs, v]); // [1, H, S, Dh]
  att = g.node('Reshape', [g.node('Transpose', [att], { perm: [0, 2, 1, 3] }), i64([1, S, D])]);
  x = g.node('Add', [x, proj(att, 16)]);
  // Feed-forward with GELU(x) = 0.5 x (1 + erf(x / sqrt 2)).
  const f = proj2(layerNorm(x, 20));
  function proj2(t) {
    const u = g.node('Add', [g.node('MatMul', [t, w([D, F], 22)]), w([F], 23, 0.1)]);
    const erf = g.node('Erf', [g.node('Div', [u, c(Math.SQRT2)])]);
    const gelu = g.node('Mul', [g.node('Mul', [u, g.node('Add', [erf, c(1)])]), c(0.5)]);
    return g.node('Add', [g.node('MatMul', [gelu, w([F, D], 24)]), w([D], 25, 0.1)]);
  }
  const out = g.node('Add', [x, f]);
  g.output(out, [1, S, D]);
  g.output(probs, [1, H, S, S]);
  const idData = new BigInt64Array(values(S, 31).map((v) => BigInt(Math.floor((v + 1) / 2 * V))));
  return {
    name: 'transformer', bytes: g.encode(17),
    feeds: {
      input_ids: { type: 'int64', data: idData, dims: [1, S] },
      attention_mask: { type: 'int64', data: BigInt64Array.from([1n, 1n, 1n, 1n, 1n, 1n, 0n, 0n]), dims: [1, S] },
    },
    outputs: [{ name: out, atol: 1e-4, rtol: 1e-4 }, { name: probs, atol: 1e-5, rtol: 1e-4 }],
  };
}

// LSTM (forward, with bias, initial states and all three outputs) and GRU (bidirectional, with
// bias), each followed by an activation. The GRU keeps linear_before_reset = 0: onnxruntime-web 1.30
// sends resetAfter: false whatever the attribute says, so a linear_before_reset = 1 GRU (PyTorch's
// kind) gets wrong numbers from its WebNN EP on any WebNN implementation (docs/clients.md).
function lstm() {
  const T = 5, B = 2, I = 4, Hd = 6;
  const g = new GraphBuilder('lstm');
  const x = g.input('sequence', [T, B, I]);
  const w = (dims, seed) => g.initializer(dims, values(prod(dims), seed, 0.5));
  const [y, yh, yc] = g.node('LSTM', [x, w([1, 4 * Hd, I], 1), w([1, 4 * Hd, Hd], 2), w([1, 8 * Hd], 3), '',
    w([1, B, Hd], 4), w([1, B, Hd], 5)], { hidden_size: Hd }, 3);
  const yOut = g.node('Tanh', [y]);
  g.output(yOut, [T, 1, B, Hd]);
  g.output(yh, [1, B, Hd]);
  g.output(yc, [1, B, Hd]);
  return {
    name: 'lstm', bytes: g.encode(17),
    feeds: { sequence: floatFeed([T, B, I], 41) },
    outputs: [yOut, yh, yc].map((name) => ({ name, atol: 1e-5, rtol: 1e-4 })),
  };
}

function gru() {
  const T = 5, B = 2, I = 4, Hd = 6;
  const g = new GraphBuilder('gru');
  const x = g.input('sequence', [T, B, I]);
  const w = (dims, seed) => g.initializer(dims, values(prod(dims), seed, 0.5));
  const [y, yh] = g.node('GRU', [x, w([2, 3 * Hd, I], 1), w([2, 3 * Hd, Hd], 2), w([2, 6 * Hd], 3)],
    { hidden_size: Hd, direction: 'bidirectional' }, 2);
  const yOut = g.node('Sigmoid', [y]);
  g.output(yOut, [T, 2, B, Hd]);
  g.output(yh, [2, B, Hd]);
  return {
    name: 'gru', bytes: g.encode(17),
    feeds: { sequence: floatFeed([T, B, I], 51) },
    outputs: [yOut, yh].map((name) => ({ name, atol: 1e-5, rtol: 1e-4 })),
  };
}

// An audio front-end in the style of Whisper's log-mel: a 1-D Conv per real and imaginary part
// as the STFT (windowed cos/sin kernels, hop 8), Pow 2, Add (power), a MatMul to mel bins, Clip,
// Log, ReduceMax, then max(x, max - 8) and (x + 4) / 4.
function audio() {
  const N = 128, K = 32, hop = 8, F = K / 2 + 1, M = 10;
  const frames = Math.floor((N - K) / hop) + 1; // 13
  const g = new GraphBuilder('audio');
  const wave = g.input('waveform', [1, 1, N]);
  const win = (n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / K); // Hann
  const kernel = (fn) => {
    const k = [];
    for (let f = 0; f < F; f++) for (let n = 0; n < K; n++) k.push(win(n) * fn((2 * Math.PI * f * n) / K));
    return g.initializer([F, 1, K], k);
  };
  const stft = (fn) => g.node('Conv', [wave, kernel(fn)], { kernel_shape: [K], strides: [hop] }); // [1, F, frames]
  const two = g.initializer([], [2]);
  const power = g.node('Add', [g.node('Pow', [stft(Math.cos), two]), g.node('Pow', [stft(Math.sin), two])]);
  const mel = [];
  for (let f = 0; f < F; f++) for (let m = 0; m < M; m++) mel.push(Math.max(0, 1 - Math.abs(f - (m + 1) * (F - 1) / (M + 1)) / 2));
  let x = g.node('MatMul', [g.node('Transpose', [power], { perm: [0, 2, 1] }), g.initializer([F, M], mel)]); // [1, frames, M]
  x = g.node('Log', [g.node('Clip', [x, g.initializer([], [1e-10])])]);
  const peak = g.node('ReduceMax', [x], { axes: [1, 2], keepdims: 1 });
  x = g.node('Max', [x, g.node('Sub', [peak, g.initializer([], [8])])]);
  x = g.node('Div', [g.node('Add', [x, g.initializer([], [4])]), g.initializer([], [4])]);
  g.output(x, [1, frames, M]);
  return {
    name: 'audio', bytes: g.encode(17),
    feeds: { waveform: floatFeed([1, 1, N], 61) },
    outputs: [{ name: x, atol: 1e-4, rtol: 1e-4 }],
  };
}

export const ortModels = [cnn, transformer, lstm, gru, audio];
