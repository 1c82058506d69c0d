// Plain-JS reference implementations of WebNN ops, for checking the engine's numerics.
// Tensors are { data: Float32Array (or any array), shape: number[] }; results are float64-accumulated
// Float32Arrays. Clear over fast.

// Math.max / Math.min of an array of any length (Math.max(...a) overflows the call stack past ~100k
// elements): NaN if any element is NaN, +0 above -0.
export function maxOf(a) {
  let m = -Infinity;
  for (const v of a) {
    if (Number.isNaN(v)) return NaN;
    if (v > m || (v === 0 && m === 0 && Object.is(m, -0))) m = v;
  }
  return m;
}
export function minOf(a) {
  let m = Infinity;
  for (const v of a) {
    if (Number.isNaN(v)) return NaN;
    if (v < m || (v === 0 && m === 0 && Object.is(v, -0))) m = v;
  }
  return m;
}

export const size = (shape) => shape.reduce((a, b) => a * b, 1);
export const tensor = (shape, data) => ({ shape: [...shape], data: data ?? new Float32Array(size(shape)) });

export function stridesOf(shape) {
  const s = new Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

// Seeded uniform numbers in [0, 1) (mulberry32), so tests and examples are repeatable.
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Seeded uniform random numbers in [lo, hi).
export function random(seed) {
  const next = mulberry32(seed);
  return (n, lo = -1, hi = 1) => Float32Array.from({ length: n }, () => lo + (hi - lo) * next());
}

export function transpose(x, permutation) {
  const rank = x.shape.length;
  const perm = permutation ?? [...Array(rank).keys()].reverse();
  const shape = perm.map((p) => x.shape[p]);
  const out = new Float32Array(size(shape));
  const inStr = stridesOf(x.shape);
  const idx = new Array(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += idx[d] * inStr[perm[d]];
    out[o] = x.data[src];
    for (let d = rank - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
  }
  return { shape, data: out };
}

// Numpy-style broadcasting of element-wise binary ops.
export function broadcastShapes(a, b) {
  const rank = Math.max(a.length, b.length);
  const out = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`shapes [${a}] and [${b}] do not broadcast`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

export function binary(a, b, fn) {
  const shape = broadcastShapes(a.shape, b.shape);
  const rank = shape.length;
  const out = new Float32Array(size(shape));
  const sa = stridesOf(a.shape);
  const sb = stridesOf(b.shape);
  const idx = new Array(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < rank; d++) {
      const da = d - (rank - a.shape.length);
      const db = d - (rank - b.shape.length);
      if (da >= 0 && a.shape[da] !== 1) ia += idx[d] * sa[da];
      if (db >= 0 && b.shape[db] !== 1) ib += idx[d] * sb[db];
    }
    out[o] = fn(a.data[ia], b.data[ib]);
    for (let d = rank - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
  }
  return { shape, data: out };
}
export const add = (a, b) => binary(a, b, (x, y) => x + y);
export const sub = (a, b) => binary(a, b, (x, y) => x - y);
export const mul = (a, b) => binary(a, b, (x, y) => x * y);
export const div = (a, b) => binary(a, b, (x, y) => x / y);
export const max = (a, b) => binary(a, b, Math.max);
export const min = (a, b) => binary(a, b, Math.min);
export const pow = (a, b) => binary(a, b, Math.pow);

// where(condition, trueValue, falseValue), the three broadcast together; condition is uint8 (nonzero
// selects trueValue).
export function where(condition, trueValue, falseValue) {
  const args = [condition, trueValue, falseValue];
  const shape = args.reduce((s, t) => broadcastShapes(s, t.shape), []);
  const rank = shape.length;
  const strides = args.map((t) => stridesOf(t.shape));
  const out = new Float32Array(size(shape));
  const idx = new Array(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    const at = args.map((t, k) => {
      const lead = rank - t.shape.length;
      let i = 0;
      for (let d = 0; d < t.shape.length; d++) if (t.shape[d] !== 1) i += idx[lead + d] * strides[k][d];
      return t.data[i];
    });
    out[o] = at[0] !== 0 ? at[1] : at[2];
    for (let d = rank - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
  }
  return { shape, data: out };
}
// isNaN and logicalNot give uint8 (0 or 1).
export const isNaN = (x) => ({ shape: [...x.shape], data: Uint8Array.from(x.data, (v) => (Number.isNaN(v) ? 1 : 0)) });
export const logicalNot = (x) => ({ shape: [...x.shape], data: Uint8Array.from(x.data, (v) => (v === 0 ? 1 : 0)) });

export const unary = (x, fn) => ({ shape: [...x.shape], data: Float32Array.from(x.data, fn) });
export const relu = (x) => unary(x, (v) => Math.max(v, 0));

// matmul: rank >= 2, batch dimensions broadcast (rank-1 inputs are promoted as numpy does).
export function matmul(a, b) {
  let as = a.shape;
  let bs = b.shape;
  if (as.length === 1) as = [1, as[0]];
  if (bs.length === 1) bs = [bs[0], 1];
  const [M, K] = as.slice(-2);
  const [K2, N] = bs.slice(-2);
  if (K !== K2) throw new Error(`matmul: inner dimensions ${K} and ${K2} differ`);
  const batch = broadcastShapes(as.slice(0, -2), bs.slice(0, -2));
  const shape = [...batch, M, N];
  const out = new Float32Array(size(shape));
  const nb = size(batch);
  const bi = new Array(batch.length).fill(0);
  const batchIndex = (s) => {
    let off = 0;
    let stride = 1;
    for (let d = s.length - 1; d >= 0; d--) {
      const bd = d + batch.length - s.length;
      off += (s[d] === 1 ? 0 : bi[bd]) * stride;
      stride *= s[d];
    }
    return off;
  };
  for (let n = 0; n < nb; n++) {
    const ao = batchIndex(as.slice(0, -2)) * M * K;
    const bo = batchIndex(bs.slice(0, -2)) * K * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let acc = 0;
        for (let k = 0; k < K; k++) acc += a.data[ao + i * K + k] * b.data[bo + k * N + j];
        out[n * M * N + i * N + j] = acc;
      }
    }
    for (let d = batch.length - 1; d >= 0; d--) { if (++bi[d] < batch[d]) break; bi[d] = 0; }
  }
  return { shape, data: out };
}

// gemm: alpha * A' * B' + beta * C, with C broadcast to [M, N].
export function gemm(a, b, { c, alpha = 1, beta = 1, aTranspose = false, bTranspose = false } = {}) {
  const A = aTranspose ? transpose(a) : a;
  const B = bTranspose ? transpose(b) : b;
  let y = matmul(A, B);
  y = unary(y, (v) => alpha * v);
  if (c) y = add(y, unary(c, (v) => beta * v));
  return y;
}

// Filter layouts are read through an accessor (o, i, h, w) -> value.
function filterAccessor(filter, layout) {
  const s = filter.shape;
  const d = filter.data;
  switch (layout) {
    case 'oihw': return { O: s[0], I: s[1], H: s[2], W: s[3], at: (o, i, h, w) => d[((o * s[1] + i) * s[2] + h) * s[3] + w] };
    case 'hwio': return { H: s[0], W: s[1], I: s[2], O: s[3], at: (o, i, h, w) => d[((h * s[1] + w) * s[2] + i) * s[3] + o] };
    case 'ohwi': return { O: s[0], H: s[1], W: s[2], I: s[3], at: (o, i, h, w) => d[((o * s[1] + h) * s[2] + w) * s[3] + i] };
    case 'ihwo': return { I: s[0], H: s[1], W: s[2], O: s[3], at: (o, i, h, w) => d[((i * s[1] + h) * s[2] + w) * s[3] + o] };
    default: throw new Error(`unknown filter layout ${layout}`);
  }
}

// conv2d with the spec's options. padding = [top, bottom, left, right].
export function conv2d(input, filter, {
  padding = [0, 0, 0, 0], strides: st = [1, 1], dilations = [1, 1], groups = 1,
  inputLayout = 'nchw', filterLayout = 'oihw', bias,
} = {}) {
  const nhwc = inputLayout === 'nhwc';
  const [N, C, H, W] = nhwc ? [input.shape[0], input.shape[3], input.shape[1], input.shape[2]] : input.shape;
  const f = filterAccessor(filter, filterLayout);
  const cPerGroup = C / groups;
  const oPerGroup = f.O / groups;
  if (f.I !== cPerGroup) throw new Error(`conv2d: filter input channels ${f.I} != ${cPerGroup}`);
  const [pt, pb, pl, pr] = padding;
  const OH = Math.floor((H + pt + pb - ((f.H - 1) * dilations[0] + 1)) / st[0]) + 1;
  const OW = Math.floor((W + pl + pr - ((f.W - 1) * dilations[1] + 1)) / st[1]) + 1;
  const x = (n, c, h, w) => (nhwc ? input.data[((n * H + h) * W + w) * C + c] : input.data[((n * C + c) * H + h) * W + w]);
  const shape = nhwc ? [N, OH, OW, f.O] : [N, f.O, OH, OW];
  const out = new Float32Array(size(shape));
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < f.O; o++) {
      const g = Math.floor(o / oPerGroup);
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          let acc = bias ? bias.data[o] : 0;
          for (let i = 0; i < cPerGroup; i++) {
            for (let kh = 0; kh < f.H; kh++) {
              const ih = oh * st[0] - pt + kh * dilations[0];
              if (ih < 0 || ih >= H) continue;
              for (let kw = 0; kw < f.W; kw++) {
                const iw = ow * st[1] - pl + kw * dilations[1];
                if (iw < 0 || iw >= W) continue;
                acc += x(n, g * cPerGroup + i, ih, iw) * f.at(o, i, kh, kw);
              }
            }
          }
          out[nhwc ? ((n * OH + oh) * OW + ow) * f.O + o : ((n * f.O + o) * OH + oh) * OW + ow] = acc;
        }
      }
    }
  }
  return { shape, data: out };
}

// Pooling: 'average' (padding not counted), 'max', 'l2'.
function pool2d(kind, input, {
  windowDimensions, padding = [0, 0, 0, 0], strides: st = [1, 1], dilations = [1, 1], layout = 'nchw',
  outputShapeRounding = 'floor',
} = {}) {
  const nhwc = layout === 'nhwc';
  const [N, C, H, W] = nhwc ? [input.shape[0], input.shape[3], input.shape[1], input.shape[2]] : input.shape;
  const [KH, KW] = windowDimensions ?? [H, W];
  const [pt, pb, pl, pr] = padding;
  const round = outputShapeRounding === 'ceil' ? Math.ceil : Math.floor;
  const OH = round((H + pt + pb - ((KH - 1) * dilations[0] + 1)) / st[0]) + 1;
  const OW = round((W + pl + pr - ((KW - 1) * dilations[1] + 1)) / st[1]) + 1;
  const x = (n, c, h, w) => (nhwc ? input.data[((n * H + h) * W + w) * C + c] : input.data[((n * C + c) * H + h) * W + w]);
  const shape = nhwc ? [N, OH, OW, C] : [N, C, OH, OW];
  const out = new Float32Array(size(shape));
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          let acc = kind === 'max' ? -Infinity : 0;
          let count = 0;
          for (let kh = 0; kh < KH; kh++) {
            const ih = oh * st[0] - pt + kh * dilations[0];
            if (ih < 0 || ih >= H) continue;
            for (let kw = 0; kw < KW; kw++) {
              const iw = ow * st[1] - pl + kw * dilations[1];
              if (iw < 0 || iw >= W) continue;
              const v = x(n, c, ih, iw);
              if (kind === 'max') acc = Math.max(acc, v);
              else if (kind === 'l2') acc += v * v;
              else acc += v;
              count++;
            }
          }
          const r = kind === 'average' ? acc / count : kind === 'l2' ? Math.sqrt(acc) : acc;
          out[nhwc ? ((n * OH + oh) * OW + ow) * C + c : ((n * C + c) * OH + oh) * OW + ow] = r;
        }
      }
    }
  }
  return { shape, data: out };
}
export const averagePool2d = (x, o) => pool2d('average', x, o);
export const maxPool2d = (x, o) => pool2d('max', x, o);
export const l2Pool2d = (x, o) => pool2d('l2', x, o);

// pad with a constant value (mode 'constant').
export function pad(x, begin, end, value = 0) {
  const shape = x.shape.map((d, i) => begin[i] + d + end[i]);
  const out = tensor(shape, new Float32Array(size(shape)).fill(value));
  const inStrides = stridesOf(x.shape), outStrides = stridesOf(shape);
  for (let i = 0; i < x.data.length; i++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) o += (Math.floor(i / inStrides[d]) % x.shape[d] + begin[d]) * outStrides[d];
    out.data[o] = x.data[i];
  }
  return out;
}

// batchNormalization in double: (x - mean) / sqrt(variance + epsilon) * scale + bias along `axis`.
export function batchNormalization(x, mean, variance, { scale, bias, axis = 1, epsilon = 1e-5 } = {}) {
  const C = x.shape[axis];
  const inner = size(x.shape.slice(axis + 1));
  const data = new Float32Array(x.data.length);
  for (let i = 0; i < data.length; i++) {
    const c = Math.floor(i / inner) % C;
    const v = (x.data[i] - mean.data[c]) / Math.sqrt(variance.data[c] + epsilon);
    data[i] = v * (scale ? scale.data[c] : 1) + (bias ? bias.data[c] : 0);
  }
  return { shape: [...x.shape], data };
}

// The groups of a normalization over `axes`: [{ members (element indices), mean, variance }] in double.
export function normalizationGroups(x, axes) {
  const strides = stridesOf(x.shape);
  const groupOf = (i) => x.shape.reduce((g, n, d) => (axes.includes(d) ? g : g * n + (Math.floor(i / strides[d]) % n)), 0);
  const groups = new Map();
  for (let i = 0; i < x.data.length; i++) {
    const g = groupOf(i);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(i);
  }
  return [...groups.values()].map((members) => {
    let mean = 0;
    for (const i of members) mean += x.data[i];
    mean /= members.length;
    let variance = 0;
    for (const i of members) variance += (x.data[i] - mean) ** 2;
    return { members, mean, variance: variance / members.length };
  });
}

// Normalization over `axes` in double: each group (the elements that differ only along axes) gets
// (x - mean) / sqrt(variance + epsilon) * scale + bias, population variance; param(i) gives element
// i's [scale, bias]. What layerNormalization and instanceNormalization compute.
function normalizeOver(x, axes, epsilon, param) {
  const data = new Float32Array(x.data.length);
  for (const { members, mean, variance } of normalizationGroups(x, axes)) {
    for (const i of members) {
      const [s, b] = param(i);
      data[i] = ((x.data[i] - mean) / Math.sqrt(variance + epsilon)) * s + b;
    }
  }
  return { shape: [...x.shape], data };
}

// layerNormalization: scale and bias have the shape of x's dims at `axes` (in the order of axes).
export function layerNormalization(x, { axes = [...x.shape.keys()].slice(1), scale, bias, epsilon = 1e-5 } = {}) {
  const strides = stridesOf(x.shape);
  const paramIndex = (i) => axes.reduce((p, d) => p * x.shape[d] + (Math.floor(i / strides[d]) % x.shape[d]), 0);
  return normalizeOver(x, axes, epsilon, (i) => [scale ? scale.data[paramIndex(i)] : 1, bias ? bias.data[paramIndex(i)] : 0]);
}

// instanceNormalization: over the spatial dims of each image and channel; scale and bias are [C].
export function instanceNormalization(x, { layout = 'nchw', scale, bias, epsilon = 1e-5 } = {}) {
  const [channelAxis, axes] = layout === 'nchw' ? [1, [2, 3]] : [3, [1, 2]];
  const inner = size(x.shape.slice(channelAxis + 1)), C = x.shape[channelAxis];
  const channel = (i) => Math.floor(i / inner) % C;
  return normalizeOver(x, axes, epsilon, (i) => [scale ? scale.data[channel(i)] : 1, bias ? bias.data[channel(i)] : 0]);
}

// convTranspose2d in double, NCHW input and IOHW filter (transpose for the other layouts): each input
// pixel scattered through the filter.
export function convTranspose2d(x, w, { padding = [0, 0, 0, 0], strides = [1, 1], dilations = [1, 1], outputPadding = [0, 0], groups = 1, bias } = {}) {
  const [N, C, H, W] = x.shape;
  const [, Og, KH, KW] = w.shape;
  const O = Og * groups, Ig = C / groups;
  const OH = (H - 1) * strides[0] + (KH - 1) * dilations[0] + 1 - padding[0] - padding[1] + outputPadding[0];
  const OW = (W - 1) * strides[1] + (KW - 1) * dilations[1] + 1 - padding[2] - padding[3] + outputPadding[1];
  const out = new Float64Array(N * O * OH * OW);
  for (let n = 0; n < N; n++)
    for (let ic = 0; ic < C; ic++)
      for (let ih = 0; ih < H; ih++)
        for (let iw = 0; iw < W; iw++)
          for (let o = 0; o < Og; o++)
            for (let kh = 0; kh < KH; kh++)
              for (let kw = 0; kw < KW; kw++) {
                const oh = ih * strides[0] + kh * dilations[0] - padding[0];
                const ow = iw * strides[1] + kw * dilations[1] - padding[2];
                if (oh < 0 || ow < 0 || oh >= OH || ow >= OW) continue;
                const oc = Math.floor(ic / Ig) * Og + o;
                out[((n * O + oc) * OH + oh) * OW + ow] += x.data[((n * C + ic) * H + ih) * W + iw] * w.data[((ic * Og + o) * KH + kh) * KW + kw];
              }
  if (bias) for (let i = 0; i < out.length; i++) out[i] += bias[Math.floor(i / (OH * OW)) % O];
  return { shape: [N, O, OH, OW], data: Float32Array.from(out) };
}

export function softmax(x, axis = x.shape.length - 1) {
  const outer = size(x.shape.slice(0, axis));
  const n = x.shape[axis];
  const inner = size(x.shape.slice(axis + 1));
  const out = new Float32Array(x.data.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (k) => (o * n + k) * inner + i;
      let m = -Infinity;
      for (let k = 0; k < n; k++) m = Math.max(m, x.data[at(k)]);
      let sum = 0;
      for (let k = 0; k < n; k++) sum += Math.exp(x.data[at(k)] - m);
      for (let k = 0; k < n; k++) out[at(k)] = Math.exp(x.data[at(k)] - m) / sum;
    }
  }
  return { shape: [...x.shape], data: out };
}

export function concat(inputs, axis) {
  const shape = [...inputs[0].shape];
  shape[axis] = inputs.reduce((s, t) => s + t.shape[axis], 0);
  const outer = size(shape.slice(0, axis));
  const inner = size(shape.slice(axis + 1));
  const out = new Float32Array(size(shape));
  let off = 0;
  for (let o = 0; o < outer; o++) {
    for (const t of inputs) {
      const chunk = t.shape[axis] * inner;
      out.set(t.data.subarray ? t.data.subarray(o * chunk, (o + 1) * chunk) : t.data.slice(o * chunk, (o + 1) * chunk), off);
      off += chunk;
    }
  }
  return { shape, data: out };
}

export const reshape = (x, shape) => ({ shape: [...shape], data: x.data });

// Out[o] = x[source(o)]: the gather every data-movement reference below is, given how output
// coordinate o_d picks input coordinate i_d (x's dims aligned to the output's last ones).
function gatherBy(x, shape, sourceIndex) {
  const out = new Float32Array(size(shape));
  const inStr = stridesOf(x.shape), lead = shape.length - x.shape.length;
  const idx = new Array(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < x.shape.length; d++) src += sourceIndex(d, idx[lead + d]) * inStr[d];
    out[o] = x.data[src];
    for (let d = shape.length - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
  }
  return { shape: [...shape], data: out };
}
// expand: numpy broadcasting of x to `shape`.
export const expand = (x, shape) => gatherBy(x, shape, (d, o) => (x.shape[d] === 1 ? 0 : o));
// tile: x repeated repetitions[d] times along each dim d.
export const tile = (x, repetitions) =>
  gatherBy(x, x.shape.map((n, d) => n * repetitions[d]), (d, o) => o % x.shape[d]);
// reverse along `axes` (default: all).
export const reverse = (x, axes = [...x.shape.keys()]) =>
  gatherBy(x, x.shape, (d, o) => (axes.includes(d) ? x.shape[d] - 1 - o : o));

// An index of gather/gatherElements resolved as the engine defines out-of-range ones (the spec leaves
// them open): a negative index counts from the end, then the result is clamped to [0, dim - 1].
const resolveIndex = (i, dim) => Math.min(Math.max(i < 0 ? i + dim : i, 0), dim - 1);

// gather: along `axis`, the slices of x that `indices` name; shape x[:axis] + indices + x[axis+1:].
export function gather(x, indices, { axis = 0 } = {}) {
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const outer = size(x.shape.slice(0, axis)), inner = size(x.shape.slice(axis + 1)), dim = x.shape[axis];
  const data = new Float32Array(size(shape));
  let o = 0;
  for (let a = 0; a < outer; a++)
    for (const index of indices.data)
      for (let k = 0; k < inner; k++) data[o++] = x.data[(a * dim + resolveIndex(index, dim)) * inner + k];
  return { shape, data };
}

// gatherElements: out[c] = x[c with c[axis] replaced by indices[c]]; the shape of indices.
export function gatherElements(x, indices, { axis = 0 } = {}) {
  const xStr = stridesOf(x.shape), iStr = stridesOf(indices.shape);
  const data = new Float32Array(indices.data.length);
  for (let o = 0; o < data.length; o++) {
    let src = 0;
    for (let d = 0; d < x.shape.length; d++) {
      const c = Math.floor(o / iStr[d]) % indices.shape[d];
      src += (d === axis ? resolveIndex(indices.data[o], x.shape[d]) : c) * xStr[d];
    }
    data[o] = x.data[src];
  }
  return { shape: [...indices.shape], data };
}

// slice: sizes[d] elements from starts[d], every strides[d]-th.
export function slice(x, starts, sizes, strides = sizes.map(() => 1)) {
  const rank = x.shape.length;
  const shape = sizes.map((n, d) => Math.ceil(n / strides[d]));
  const out = new Float32Array(size(shape));
  const inStr = stridesOf(x.shape);
  const idx = new Array(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += (starts[d] + idx[d] * strides[d]) * inStr[d];
    out[o] = x.data[src];
    for (let d = rank - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
  }
  return { shape, data: out };
}

// The reduce ops over `axes` (default: all), float64 accumulation. kind: 'L1' | 'L2' | 'LogSum' |
// 'LogSumExp' | 'Max' | 'Mean' | 'Min' | 'Product' | 'Sum' | 'SumSquare'.
export function reduce(kind, x, { axes, keepDimensions = false } = {}) {
  const rank = x.shape.length;
  const reduced = new Set(axes ?? [...Array(rank).keys()]);
  const keptShape = x.shape.map((d, i) => (reduced.has(i) ? 1 : d));
  const groups = Array.from({ length: size(keptShape) }, () => []);
  const idx = new Array(rank).fill(0);
  for (let i = 0; i < x.data.length; i++) {
    let o = 0;
    for (let d = 0; d < rank; d++) o = o * keptShape[d] + (reduced.has(d) ? 0 : idx[d]);
    groups[o].push(x.data[i]);
    for (let d = rank - 1; d >= 0; d--) { if (++idx[d] < x.shape[d]) break; idx[d] = 0; }
  }
  const sum = (g, f = (v) => v) => g.reduce((a, v) => a + f(v), 0);
  const fns = {
    L1: (g) => sum(g, Math.abs),
    L2: (g) => Math.sqrt(sum(g, (v) => v * v)),
    LogSum: (g) => Math.log(sum(g)),
    LogSumExp: (g) => { const m = maxOf(g); return m + Math.log(sum(g, (v) => Math.exp(v - m))); },
    Max: (g) => maxOf(g),
    Mean: (g) => sum(g) / g.length,
    Min: (g) => minOf(g),
    Product: (g) => g.reduce((a, v) => a * v, 1),
    Sum: (g) => sum(g),
    SumSquare: (g) => sum(g, (v) => v * v),
  };
  const shape = keepDimensions ? keptShape : x.shape.filter((_, i) => !reduced.has(i));
  return { shape, data: Float32Array.from(groups, fns[kind]) };
}

// Largest |a - b| / (atol + rtol * |b|); <= 1 means within tolerance.
export function compare(actual, expected, { atol = 1e-5, rtol = 1e-4 } = {}) {
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(actual[i] - expected[i]) / (atol + rtol * Math.abs(expected[i]));
    if (!(e <= worst)) { worst = e; at = i; }
  }
  return { worst, at, ok: worst <= 1 && actual.length === expected.length };
}
