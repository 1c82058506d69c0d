// The differential graph fuzzer: random float32 DAGs (uint8 and NaNs only in nanPoolBlock; several
// consumers per operand, side operands from other branches, several outputs including intermediates
// that other ops read, reshapes and transposes between ops, NCHW and NHWC conv2d and pools, constants
// and inputs) run by the engine and compared two ways: against the plain-JS reference
// (test/js/reference.mjs, one op at a time, float64 accumulation) and with each compiler pass switched
// off in turn (createContext option disabledPasses), every plan checked by the plan verifier
// (verifyPlans). Each graph is dispatched three times: data A into fresh tensors, data B into the same
// tensors, data A into fresh outputs, so a step reading stale or not-yet-written data shows. A failure
// is shrunk (outputs and nodes dropped, nodes replaced by inputs carrying their values) and printed as
// builder calls.
import * as ref from './reference.mjs';
import { whenThreadsRun } from './threads.mjs';

const F32_EPS = 2 ** -23;

// ---------------------------------------------------------------------------------------------
// Random choices (seeded) and small helpers.

function rng(seed) {
  const next = ref.mulberry32(seed);
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),  // inclusive
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
    floats: (n, lo, hi) => Float32Array.from({ length: n }, () => lo + (hi - lo) * next()),
  };
  return r;
}

const size = ref.size;
// Of the finite values: tolerances scale with those (NaN and infinities are compared exactly).
const maxAbs = (data) => data.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
const minAbs = (data) => data.reduce((m, v) => Math.min(m, Math.abs(v)), Infinity);
const allFinite = (data) => data.every(Number.isFinite);

// erf to double precision: its Maclaurin series (|x| < 4; beyond, erf rounds to ±1 in float32).
function erf(x) {
  if (Math.abs(x) >= 4) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
const roundEven = (v) => {
  const f = Math.floor(v);
  const d = v - f;
  return d < 0.5 ? f : d > 0.5 ? f + 1 : (f % 2 === 0 ? f : f + 1);
};

// ---------------------------------------------------------------------------------------------
// The ops. Element-wise ops: f (the value), ulp / atol (the engine's allowed error, like WPT's
// WebNN tolerances), gain (how much an error in the input grows, from the input values; 0 for
// the discontinuous ops, which only read exact values), domain (inputs they accept).

const UNARY = {
  abs: { f: Math.abs, ulp: 0 },
  neg: { f: (v) => -v, ulp: 0 },
  identity: { f: (v) => v, ulp: 0 },
  ceil: { f: Math.ceil, ulp: 0, discontinuous: true },
  floor: { f: Math.floor, ulp: 0, discontinuous: true },
  roundEven: { f: roundEven, ulp: 0, discontinuous: true },
  sign: { f: Math.sign, ulp: 0, discontinuous: true },
  exp: { f: Math.exp, ulp: 32, gain: (x) => Math.exp(ref.maxOf(x)), domain: (x) => ref.maxOf(x) < 6 },
  log: { f: Math.log, atol: 2 ** -20, ulp: 4, gain: (x) => 1 / ref.minOf(x), domain: (x) => ref.minOf(x) > 0.05 },
  sqrt: { f: Math.sqrt, ulp: 1, gain: (x) => 0.5 / Math.sqrt(ref.minOf(x)), domain: (x) => ref.minOf(x) > 0.05 },
  reciprocal: { f: (v) => 1 / v, ulp: 2, gain: (x) => 1 / minAbs(x) ** 2, domain: (x) => minAbs(x) > 0.2 },
  sin: { f: Math.sin, atol: 1 / 1024, domain: (x) => maxAbs(x) < 100 },
  cos: { f: Math.cos, atol: 1 / 1024, domain: (x) => maxAbs(x) < 100 },
  tan: { f: Math.tan, atol: 1 / 1024, gain: (x) => 1 / Math.cos(maxAbs(x)) ** 2, domain: (x) => maxAbs(x) < 1.2 },
  erf: { f: erf, atol: 1 / 1024, gain: () => 1.2 },
};

// Activations: opts (random options) and f(opts) -> the element function.
const ACTIVATIONS = {
  relu: { f: () => (v) => Math.max(v, 0), ulp: 0 },
  sigmoid: { f: () => (v) => 1 / (1 + Math.exp(-v)), ulp: 34, gain: () => 0.25 },
  tanh: { f: () => Math.tanh, atol: 1 / 1024 },
  softplus: { f: () => (v) => Math.log1p(Math.exp(v)), ulp: 18, atol: 1e-6, domain: (x) => ref.maxOf(x) < 30 },
  softsign: { f: () => (v) => v / (1 + Math.abs(v)), ulp: 3 },
  gelu: { f: () => (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)), ulp: 18, atol: 1e-6, gain: () => 1.2 },
  hardSwish: { f: () => (v) => (v * Math.max(0, Math.min(6, v + 3))) / 6, ulp: 4, atol: 1e-7, gain: (x) => 1.5 + maxAbs(x) / 3 },
  elu: { opts: (r) => ({ alpha: r.pick([1, 0.5]) }), f: (o) => (v) => (v >= 0 ? v : o.alpha * (Math.exp(v) - 1)), ulp: 18, atol: 1e-7 },
  leakyRelu: { opts: (r) => ({ alpha: r.pick([0.01, 0.2]) }), f: (o) => (v) => (v >= 0 ? v : o.alpha * v), ulp: 1 },
  hardSigmoid: {
    opts: (r) => ({ alpha: r.pick([0.2, 0.5]), beta: r.pick([0.5, 0.25]) }),
    f: (o) => (v) => Math.max(0, Math.min(1, o.alpha * v + o.beta)), ulp: 2, atol: 1e-7,
  },
  linear: { opts: (r) => ({ alpha: r.pick([2, -0.5]), beta: r.pick([0, 1]) }), f: (o) => (v) => o.alpha * v + o.beta, ulp: 2, atol: 1e-7, gain: () => 2 },
  clamp: {
    opts: (r) => r.pick([{ minValue: -0.5, maxValue: 0.5 }, { minValue: 0 }, { maxValue: 6 }, { minValue: -1, maxValue: 1 }]),
    f: (o) => (v) => Math.min(o.maxValue ?? Infinity, Math.max(o.minValue ?? -Infinity, v)), ulp: 0,
  },
};

const BINARY = {
  add: { f: (x, y) => x + y, ulp: 1 },
  sub: { f: (x, y) => x - y, ulp: 1 },
  mul: { f: (x, y) => x * y, ulp: 1 },
  div: { f: (x, y) => x / y, ulp: 2 },
  max: { f: Math.max, ulp: 0 },
  min: { f: Math.min, ulp: 0 },
  pow: { f: Math.pow, ulp: 32 },
};

const POOLS = ['averagePool2d', 'maxPool2d', 'l2Pool2d'];
const REDUCE = ['L1', 'L2', 'LogSum', 'LogSumExp', 'Max', 'Mean', 'Min', 'Product', 'Sum', 'SumSquare'];

// The reference value of one node from its argument tensors ({shape, data}).
function evaluate(node, args) {
  const [x, y] = args;
  const o = node.opts ?? {};
  const op = node.op;
  if (UNARY[op]) return ref.unary(x, UNARY[op].f);
  if (ACTIVATIONS[op]) return ref.unary(x, ACTIVATIONS[op].f(o));
  if (BINARY[op]) return ref.binary(x, y, BINARY[op].f);
  if (op === 'prelu') return ref.binary(x, y, (v, s) => (v >= 0 ? v : s * v));
  if (op === 'conv2d') return ref.conv2d(x, y, { ...o, bias: node.refs?.bias !== undefined ? args[2] : undefined });
  if (op === 'pad') return ref.pad(x, o.beginningPadding, o.endingPadding, o.value ?? 0);
  if (op === 'convTranspose2d') {  // the reference's NCHW / IOHW, transposed to and from the node's layouts
    const nhwc = o.inputLayout === 'nhwc';
    const toIohw = { iohw: [0, 1, 2, 3], hwoi: [3, 2, 0, 1], ohwi: [3, 0, 1, 2] }[o.filterLayout ?? 'iohw'];
    const bias = node.refs?.bias !== undefined ? args[2].data : undefined;
    const y0 = ref.convTranspose2d(nhwc ? ref.transpose(x, [0, 3, 1, 2]) : x, ref.transpose(y, toIohw), { ...o, bias });
    return nhwc ? ref.transpose(y0, [0, 2, 3, 1]) : y0;
  }
  if (op === 'batchNormalization' || op === 'layerNormalization' || op === 'instanceNormalization') {
    const at = scaleBiasAt(node);
    const params = { ...o, scale: args[at.scale], bias: args[at.bias] };
    return op === 'batchNormalization' ? ref.batchNormalization(x, y, args[2], params) : ref[op](x, params);
  }
  if (POOLS.includes(op)) return ref[op](x, o);
  if (op === 'matmul') return ref.matmul(x, y);
  if (op === 'gemm') return ref.gemm(x, y, { ...o, c: node.refs?.c !== undefined ? args[2] : undefined });
  if (op === 'concat') return ref.concat(args, o.axis);
  if (op === 'slice') return ref.slice(x, o.starts, o.sizes, o.strides);
  if (op === 'softmax') return ref.softmax(x, o.axis);
  if (op.startsWith('reduce')) return ref.reduce(op.slice(6), x, o);
  if (op === 'reshape') return ref.reshape(x, o.newShape);
  if (op === 'transpose') return ref.transpose(x, o.permutation);
  if (op === 'expand') return ref.expand(x, o.newShape);
  if (op === 'tile') return ref.tile(x, o.repetitions);
  if (op === 'reverse') return ref.reverse(x, o.axes);
  if (op === 'split') {  // output o.index: a slice along the axis
    const starts = x.shape.map(() => 0), sizes = [...x.shape];
    starts[o.axis] = o.splits.slice(0, o.index).reduce((a, n) => a + n, 0);
    sizes[o.axis] = o.splits[o.index];
    return ref.slice(x, starts, sizes);
  }
  if (op === 'isNaN' || op === 'logicalNot') return ref[op](x);
  if (op === 'gather' || op === 'gatherElements') return ref[op](x, y, o);
  if (op === 'where') return ref.where(x, y, args[2]);
  throw new Error(`diff-fuzz: no reference for ${op}`);
}

// The engine's allowed absolute error for a node's output: its own rounding (WPT-style ULP and
// absolute tolerances) plus its inputs' allowed errors times how much the op can amplify them.
// Conservative, not tight: the fuzzer looks for wrong data, not the last ULP (the per-op tests do).
function allowedError(node, args, argErr, out) {
  const outMax = maxAbs(out.data);
  const own = (ulp, atol = 0) => ulp * F32_EPS * outMax + atol;
  const e = argErr;
  const op = node.op;
  const spec = UNARY[op] ?? ACTIVATIONS[op] ?? BINARY[op];
  if (UNARY[op] || ACTIVATIONS[op]) {
    const s = spec;
    const gain = s.discontinuous ? 0 : s.gain ? s.gain(args[0].data) : 1;
    return own(s.ulp ?? 0, s.atol ?? 0) + gain * e[0];
  }
  const [a, b] = args.map((t) => maxAbs(t.data));
  const count = (shape, axes) => (axes ?? [...shape.keys()]).reduce((n, d) => n * shape[d], 1);
  switch (op) {
    case 'add': case 'sub': case 'max': case 'min': return own(1) + e[0] + e[1];
    case 'mul': return own(1) + e[0] * b + e[1] * a;
    case 'div': {
      const m = minAbs(args[1].data);
      return own(2) + e[0] / m + (e[1] * a) / (m * m);
    }
    case 'pow': {  // exponents are constants (e[1] = 0)
      const p = maxAbs(args[1].data);
      return own(32) + e[0] * p * Math.max(a, minAbs(args[0].data)) ** (p - 1) * 2;
    }
    case 'prelu': return own(1) + e[0] * Math.max(1, b) + e[1] * a;
    case 'conv2d': case 'matmul': case 'gemm': {
      const k = op === 'conv2d' ? size(args[1].shape) / (node.opts.filterLayout === 'ihwo' || node.opts.filterLayout === 'hwio'
        ? args[1].shape[3] : args[1].shape[0]) : (op === 'gemm' && node.opts.aTranspose ? args[0].shape[0] : args[0].shape.at(-1));
      const scale = op === 'gemm' ? Math.abs(node.opts.alpha ?? 1) : 1;
      const biasErr = args.length > 2 ? e[2] * Math.abs(node.opts.beta ?? 1) : 0;
      return own(2 * k + 2, 1e-6) + scale * k * (e[0] * b + e[1] * a + e[0] * e[1]) + biasErr;
    }
    case 'convTranspose2d': {  // k: the products that can meet in an output (every tap of a group's inputs)
      const w = args[1].shape, o = node.opts;
      const k = (o.filterLayout === 'hwoi' ? w[0] * w[1] * w[3] : o.filterLayout === 'ohwi' ? w[1] * w[2] * w[3] : w[0] * w[2] * w[3]) / (o.groups ?? 1);
      const biasErr = args.length > 2 ? e[2] : 0;
      return own(2 * k + 2, 1e-6) + k * (e[0] * b + e[1] * a + e[0] * e[1]) + biasErr;
    }
    case 'layerNormalization': case 'instanceNormalization': {
      // As batchNormalization: gain max |scale| / the smallest sqrt(variance + epsilon) of a group,
      // on x's error (through x - mean and the variance) and the mean's rounding where x - mean
      // cancels; plus the scale's and bias's own errors.
      const o = node.opts, eps = o.epsilon ?? 1e-5;
      const axes = op === 'layerNormalization' ? (o.axes ?? [...args[0].shape.keys()].slice(1)) : o.layout === 'nhwc' ? [1, 2] : [2, 3];
      const deviation = Math.min(...ref.normalizationGroups(args[0], axes).map((g) => Math.sqrt(g.variance + eps)));
      const at = scaleBiasAt(node), scale = args[at.scale];
      const scaleErr = scale ? e[at.scale] : 0, biasErr = at.bias >= 0 ? e[at.bias] : 0;
      const gain = (scale ? maxAbs(scale.data) : 1) / deviation;
      return own(8 + count(args[0].shape, axes), 1e-6) + gain * (3 * e[0] + 4 * F32_EPS * a) + scaleErr * a / deviation + biasErr;
    }
    case 'maxPool2d': return e[0];  // one of its inputs, exactly
    case 'averagePool2d': return own(node.opts.windowDimensions[0] * node.opts.windowDimensions[1]) + e[0];
    case 'l2Pool2d': return own(2 * node.opts.windowDimensions[0] * node.opts.windowDimensions[1]) + e[0] * Math.sqrt(node.opts.windowDimensions[0] * node.opts.windowDimensions[1]);
    case 'concat': return Math.max(...e);
    case 'slice': case 'reshape': case 'transpose': case 'pad': case 'expand': case 'tile': case 'reverse': case 'split':
    case 'gather': case 'gatherElements':
      return e[0];
    case 'isNaN': case 'logicalNot': return 0;
    case 'where': return Math.max(e[1], e[2]);
    case 'softmax': return own(8, 1e-6) + 2 * e[0];
    case 'batchNormalization': {  // gain: max |scale| / sqrt(variance + epsilon); the mean's rounding where x - mean cancels
      const [, mean, variance] = args;
      const scale = args[scaleBiasAt(node).scale] ?? { data: [1] };
      const gain = maxAbs(scale.data) / Math.sqrt(ref.minOf(variance.data) + (node.opts.epsilon ?? 1e-5));
      return own(4, 1e-6) + gain * (e[0] + 4 * F32_EPS * (maxAbs(args[0].data) + maxAbs(mean.data)));
    }
    default: break;
  }
  if (op.startsWith('reduce')) {
    const n = count(args[0].shape, node.opts.axes);
    switch (op.slice(6)) {
      case 'Sum': case 'L1': return own(n) + n * e[0];
      case 'Mean': return own(n + 2) + e[0];
      case 'Max': case 'Min': return e[0];
      case 'L2': return own(n + 2) + Math.sqrt(n) * e[0];
      case 'SumSquare': return own(n + 2) + 2 * n * a * e[0];
      case 'LogSumExp': return own(n + 8, 1e-6) + e[0];
      case 'LogSum': return own(n + 8, 2 ** -20) + (n * e[0]) / minAbs(out.data.map(Math.exp));
      case 'Product': return own(2 * n) + n * Math.max(1, a) ** (n - 1) * e[0];
      default: break;
    }
  }
  throw new Error(`diff-fuzz: no tolerance for ${op}`);
}

// ---------------------------------------------------------------------------------------------
// A graph spec: values in topological order, each
//   { kind: 'input', shape, data: [A, B] } | { kind: 'constant', shape, data }
//   { kind: 'op', op, args: [value index...], refs: { bias|c: value index }, opts, shape }
// (dataType: 'uint8' on isNaN's and logicalNot's values, else float32) and outputs: [value index...]
// (a value may be listed twice).

// Reference values of every value of `spec` for data set `set` (0: A, 1: B), and allowed errors.
export function referenceRun(spec, set) {
  const vals = [];
  const errs = [];
  for (const v of spec.values) {
    if (v.kind === 'input') { vals.push({ shape: v.shape, data: v.data[set] }); errs.push(0); continue; }
    if (v.kind === 'constant') { vals.push({ shape: v.shape, data: v.data }); errs.push(0); continue; }
    const ids = nodeOperands(v);
    const args = ids.map((i) => vals[i]);
    const out = evaluate(v, args);
    vals.push(out);
    errs.push(allowedError(v, args, ids.map((i) => errs[i]), out));
  }
  return { vals, errs };
}

const nodeOperands = (v) => [...v.args, ...['scale', 'bias', 'c'].filter((k) => v.refs?.[k] !== undefined).map((k) => v.refs[k])];
// Where a normalization's optional scale and bias are among its operands (nodeOperands), -1 if absent.
function scaleBiasAt(v) {
  let k = v.args.length;
  return { scale: v.refs?.scale !== undefined ? k++ : -1, bias: v.refs?.bias !== undefined ? k++ : -1 };
}

// ---------------------------------------------------------------------------------------------
// The generator.

// Large graphs (option `large`): values of up to 64K elements instead of 4096, convolutions of up to
// 48 channels in and 40 out, products of up to 80 rows and 72 columns: past the first tile of the
// kernels' blocked and threaded paths (an im2col tile is 256 rows, a GEMM A block 256 rows, a
// Winograd output tile 4x4 pixels, and work splits over threads from ~0.25 MFLOP a task), where the
// small graphs, however many, never go.
const SMALL = { maxElements: 4096, maxChannels: 16 };
const LARGE = { maxElements: 65536, maxChannels: 48 };
// A node whose plain-JS reference would cost more multiply-adds than this is not made (large graphs).
const MAX_REFERENCE_MACS = 2e7;

class Generator {
  constructor(seed, { large = false } = {}) {
    this.seed = seed;
    this.large = large;
    this.limits = large ? LARGE : SMALL;
    this.r = rng(seed);
    this.spec = { values: [], outputs: [] };
    this.ref = [[], []];  // reference tensors per data set
    this.err = [];
    this.usable = [];  // float32, finite and moderate in both data sets: what later ops may read
    this.special = false;  // while true, ops may make NaN, infinities and uint8 (nanPoolBlock)
    this.inputCount = 0;
    this.extraOutputs = [];  // values a pattern wants among the graph's outputs
  }
  add(v) {
    const ids = v.kind === 'op' ? nodeOperands(v) : [];
    const outs = [0, 1].map((set) => {
      if (v.kind === 'input') return { shape: v.shape, data: v.data[set] };
      if (v.kind === 'constant') return { shape: v.shape, data: v.data };
      return evaluate(v, ids.map((i) => this.ref[set][i]));
    });
    if (outs[0].data instanceof Uint8Array) v.dataType = 'uint8';  // isNaN's, logicalNot's
    // Keep values finite and moderate, so tolerances stay meaningful (outside nanPoolBlock).
    const usable = (v.dataType ?? 'float32') === 'float32' && outs.every((t) => allFinite(t.data) && maxAbs(t.data) < 1e4);
    if (v.kind === 'op') {
      if (!(usable || this.special) || !outs.every((t) => t.data.length > 0 && t.data.length <= this.limits.maxElements)) return -1;
      v.shape = outs[0].shape;
      this.err.push(Math.max(...[0, 1].map((set) => allowedError(v, ids.map((i) => this.ref[set][i]), ids.map((i) => this.err[i]), outs[set]))));
    } else {
      this.err.push(0);
    }
    this.spec.values.push(v);
    this.usable.push(usable);
    this.ref[0].push(outs[0]);
    this.ref[1].push(outs[1]);
    return this.spec.values.length - 1;
  }
  input(shape, lo = -1, hi = 1) {
    const n = size(shape);
    return this.add({ kind: 'input', name: `in${this.inputCount++}`, shape, data: [this.r.floats(n, lo, hi), this.r.floats(n, lo, hi)] });
  }
  // An input whose data sets hold NaNs (a fraction `nan`) and infinities among values in [-1, 1).
  specialInput(shape, nan) {
    const special = () => this.r.floats(size(shape), -1, 1).map((v) => {
      const u = this.r.next();
      return u < nan ? NaN : u < nan + 0.04 ? Infinity : u < nan + 0.08 ? -Infinity : v;
    });
    return this.add({ kind: 'input', name: `in${this.inputCount++}`, shape, data: [special(), special()] });
  }
  filled(shape, value) { return this.add({ kind: 'constant', shape, data: new Float32Array(size(shape)).fill(value) }); }
  constant(shape, lo = -1, hi = 1) {
    return this.add({ kind: 'constant', shape, data: this.r.floats(size(shape), lo, hi) });
  }
  // A new leaf: mostly constants, sometimes inputs (weights given at dispatch).
  leaf(shape, lo, hi) { return this.r.chance(0.7) ? this.constant(shape, lo, hi) : this.input(shape, lo, hi); }
  shapeOf(i) { return this.ref[0][i].shape; }
  // The columns of a new matmul/gemm weight: a few, or (large graphs) sometimes several 16-wide panels.
  columns() { return this.large && this.r.chance(0.6) ? this.r.int(7, 48) : this.r.int(1, 6); }
  dataOf(i) { return [this.ref[0][i].data, this.ref[1][i].data]; }
  // A value to build on: mostly one of the last few (chains), else any (several consumers).
  pickValue(filter = () => true) {
    const ids = this.spec.values.map((_, i) => i).filter((i) => this.usable[i] && filter(i));
    if (ids.length === 0) return -1;
    if (this.r.chance(0.6)) return ids[Math.max(0, ids.length - this.r.int(1, 3))];
    return this.r.pick(ids);
  }
  op(op, args, opts, refs) { return this.add({ kind: 'op', op, args, opts, refs }); }

  // A second operand for a binary op on x: another branch's value of a shape that broadcasts to
  // x's, or a new leaf (full, scalar, a row, or per-channel).
  sideFor(x, accept = () => true) {
    const shape = this.shapeOf(x);
    const fits = (i) => i !== x && accept(i) && broadcastsTo(this.shapeOf(i), shape);
    if (this.r.chance(0.5)) {
      const i = this.pickValue(fits);
      if (i >= 0) return i;
    }
    return -1;
  }
  randomBroadcastShape(shape) {
    const kind = this.r.int(0, 4);
    if (kind === 0) return [...shape];
    if (kind === 1) return this.r.chance(0.5) ? [] : [1];
    if (kind === 4 && shape.length > 1) {  // a column: leading dims, then 1s (e.g. a per-row mean [B, T, 1])
      const k = this.r.int(1, shape.length - 1);
      return shape.map((d, i) => (i < k ? d : 1));
    }
    const k = this.r.int(1, shape.length);
    const tail = shape.slice(shape.length - k);
    if (kind === 2) return tail;
    return tail.map((d, i) => (i === 0 || this.r.chance(0.5) ? d : 1));  // e.g. [C, 1, 1]
  }

  // One random node; -1 when the pick does not fit (the caller tries again).
  node() {
    const r = this.r;
    const kind = r.pick(['binary', 'binary', 'binary', 'binary', 'unary', 'activation', 'activation', 'activation',
      'conv2d', 'conv2d', 'pool', 'matmul', 'gemm', 'concat', 'slice', 'softmax', 'reduce', 'reshape', 'transpose',
      'prelu', 'convBlock', 'convBlock', 'winogradBlock', 'attentionMatmul', 'residualBlock', 'expand', 'tile',
      'reverse', 'split', 'geluPattern', 'reshapeSink', 'convTranspose2d', 'normalization', 'gather',
      'layerNormPattern']);
    const x = this.pickValue();
    const xs = this.shapeOf(x);
    const [xa, xb] = this.dataOf(x);
    switch (kind) {
      case 'binary': {
        const op = r.pick(Object.keys(BINARY));
        if (op === 'pow') return this.op('pow', [x, this.constant([], ...(r.chance(0.5) ? [2, 2] : [3, 3]))]);
        if (op === 'div') {
          const okDivisor = (i) => [0, 1].every((s) => minAbs(this.ref[s][i].data) > 0.25);
          let y = this.sideFor(x, okDivisor);
          if (y < 0) y = this.leaf(this.randomBroadcastShape(xs), 0.5, 1.5);
          return this.op('div', [x, y]);
        }
        let y = this.sideFor(x);
        if (y < 0) y = this.leaf(this.randomBroadcastShape(xs));
        return this.op(op, r.chance(0.7) ? [x, y] : [y, x]);
      }
      case 'unary': {
        const op = r.pick(Object.keys(UNARY));
        const u = UNARY[op];
        if (u.discontinuous && this.err[x] !== 0) return -1;
        if (u.domain && !(u.domain(xa) && u.domain(xb))) return -1;
        return this.op(op, [x]);
      }
      case 'activation': {
        const op = r.pick(Object.keys(ACTIVATIONS));
        const a = ACTIVATIONS[op];
        if (a.domain && !(a.domain(xa) && a.domain(xb))) return -1;
        return this.op(op, [x], a.opts ? a.opts(r) : undefined);
      }
      case 'prelu': {
        let y = this.sideFor(x);
        if (y < 0) y = this.leaf(this.randomBroadcastShape(xs), 0, 0.5);
        return this.op('prelu', [x, y]);
      }
      case 'conv2d': return this.conv2d(this.fourD(x));
      case 'convTranspose2d': return this.convTranspose2d(this.fourD(x));
      case 'normalization': return this.normalization(x);
      case 'gather': {
        // gather (indices of rank 0 to 2) or gatherElements (indices of x's shape but along the
        // axis) along an axis; int32 indices, a constant or an input, a tenth of them outside
        // [-dim, dim) (the engine clamps those, docs/ops.md).
        if (xs.length === 0) return -1;
        const axis = r.int(0, xs.length - 1), dim = xs[axis];
        const elements = r.chance(0.4);
        const shape = elements ? xs.map((d, k) => (k === axis ? r.int(1, dim + 2) : d)) : r.pick([[], [r.int(1, 6)], [r.int(1, 3), r.int(1, 4)]]);
        const index = () => (r.chance(0.1) ? r.pick([-dim - 1 - r.int(0, 3), dim + r.int(0, 3)]) : r.int(-dim, dim - 1));
        const indices = () => Int32Array.from({ length: size(shape) }, index);
        const i = r.chance(0.7) ? this.add({ kind: 'constant', shape, dataType: 'int32', data: indices() })
          : this.add({ kind: 'input', name: `in${this.inputCount++}`, shape, dataType: 'int32', data: [indices(), indices()] });
        return this.op(elements ? 'gatherElements' : 'gather', [x, i], { axis });
      }
      case 'convBlock': return this.convBlock(this.fourD(x));
      case 'winogradBlock': return this.winogradBlock(x);
      case 'pool': return this.pool(this.fourD(x));
      case 'matmul': {
        if (xs.length < 2) return -1;
        const k = xs.at(-1);
        let y = this.pickValue((i) => i !== x && this.shapeOf(i).length === 2 && this.shapeOf(i)[0] === k);
        if (y < 0 || r.chance(0.5)) y = this.leaf([k, this.columns()], -0.5, 0.5);
        if (size(xs) * size(this.shapeOf(y)) / k > MAX_REFERENCE_MACS) return -1;
        return this.op('matmul', [x, y]);
      }
      case 'attentionMatmul': {
        // Per-head products of two computed operands (attention's q x kT, probabilities x v): a
        // batch of M = 1..5 rows (the small-M kernels read B in place, a tail panel packed; large
        // graphs: up to 80, the 2x16 kernel) against a B of 1..40 columns (large: 72) that is an
        // input or computed from one (never a constant).
        const heads = r.int(1, 4), M = r.pick([1, 1, 2, 4, 5, ...(this.large ? [r.int(6, 80)] : [])]);
        const K = r.int(1, this.large ? 64 : 24), N = r.pick([r.int(1, this.large ? 72 : 40), 16, 32]);
        let a = x;
        if (size(xs) !== heads * M * K) a = this.leaf([heads, M, K], -0.5, 0.5);
        else if (xs.length !== 3 || xs[0] !== heads || xs[1] !== M) a = this.op('reshape', [x], { newShape: [heads, M, K] });
        if (a < 0) return -1;
        let y = this.input([heads, K, N], -0.5, 0.5);
        if (r.chance(0.5)) y = this.op('relu', [y]);
        return this.op('matmul', [a, y]);
      }
      case 'residualBlock': {
        // A transformer's linear(x) + x: matmul over a constant [K, K] (+ a bias row), then the
        // residual add of its own input (pass residual-add folds it into the matmul).
        if (xs.length === 0) return -1;
        let a = x;
        if (xs.length !== 2) a = this.op('reshape', [x], { newShape: [xs[0], size(xs) / xs[0]] });
        if (a < 0) return -1;
        const K = this.shapeOf(a)[1];
        if (size(this.shapeOf(a)) * K > MAX_REFERENCE_MACS) return -1;
        let y = this.op('matmul', [a, this.constant([K, K], -0.5, 0.5)]);
        if (y >= 0 && r.chance(0.7)) y = this.op('add', [y, this.constant([K])]);
        if (y < 0) return -1;
        return this.op('add', r.chance(0.5) ? [y, a] : [a, y]);
      }
      case 'gemm': {
        if (xs.length === 0) return -1;
        let a = x;
        if (xs.length !== 2) a = this.op('reshape', [x], { newShape: [xs[0], size(xs) / xs[0]] });
        if (a < 0) return -1;
        const [m0, k0] = this.shapeOf(a);
        const aTranspose = r.chance(0.3);
        const [M, K] = aTranspose ? [k0, m0] : [m0, k0];
        const N = this.columns();
        if (M * K * N > MAX_REFERENCE_MACS) return -1;
        const bTranspose = r.chance(0.3);
        const b = this.leaf(bTranspose ? [N, K] : [K, N], -0.5, 0.5);
        const opts = { aTranspose, bTranspose, alpha: r.pick([1, 0.5]), beta: r.pick([1, 2]) };
        let refs;
        if (r.chance(0.6)) {
          const c = this.leaf(r.pick([[N], [M, N], [], [1, N]]));
          refs = { c };
        }
        return this.op('gemm', [a, b], opts, refs);
      }
      case 'concat': {
        const axis = r.int(0, Math.max(0, xs.length - 1));
        if (xs.length === 0) return -1;
        const others = [];
        for (let k = r.int(1, 2); k > 0; k--) {
          const fits = (i) => this.shapeOf(i).length === xs.length && this.shapeOf(i).every((d, j) => j === axis || d === xs[j]);
          let y = r.chance(0.6) ? this.pickValue(fits) : -1;
          if (y < 0) y = this.leaf(xs.map((d, j) => (j === axis ? r.int(1, 3) : d)));
          others.push(y);
        }
        return this.op('concat', r.chance(0.5) ? [x, ...others] : [...others, x], { axis });
      }
      case 'slice': {
        if (xs.length === 0) return -1;
        const starts = xs.map((d) => r.int(0, d - 1));
        const sizes = xs.map((d, i) => r.int(1, d - starts[i]));
        const opts = { starts, sizes };
        if (r.chance(0.3)) opts.strides = xs.map(() => r.int(1, 2));
        return this.op('slice', [x], opts);
      }
      case 'softmax':
        if (xs.length === 0) return -1;
        return this.op('softmax', [x], { axis: r.int(0, xs.length - 1) });
      case 'reduce': {
        const op = `reduce${r.pick(REDUCE)}`;
        const opts = { keepDimensions: r.chance(0.5) };
        if (r.chance(0.7) && xs.length > 0) opts.axes = [...xs.keys()].filter(() => r.chance(0.5));
        const n = (opts.axes ?? [...xs.keys()]).reduce((p, d) => p * xs[d], 1);
        if (op === 'reduceProduct' && n > 8) return -1;
        if (op === 'reduceLogSum') {
          const sums = [0, 1].map((s) => ref.reduce('Sum', this.ref[s][x], opts).data);
          if (!sums.every((d) => ref.minOf(d) > 0.1)) return -1;
        }
        return this.op(op, [x], opts);
      }
      case 'reshape': return this.op('reshape', [x], { newShape: this.randomFactoring(size(xs)) });
      case 'transpose': {
        const perm = [...xs.keys()];
        for (let i = perm.length - 1; i > 0; i--) { const j = r.int(0, i); [perm[i], perm[j]] = [perm[j], perm[i]]; }
        return this.op('transpose', [x], { permutation: perm });
      }
      case 'expand': {
        // Size-1 dims broadcast (a trailing one added when x has none: rows of one repeated
        // element, as TF.js's layer normalization tiles its mean), maybe new leading dims.
        let a = x, s = xs;
        if (!xs.includes(1)) {
          s = [...xs, 1];
          a = this.op('reshape', [x], { newShape: s });
        }
        if (a < 0) return -1;
        const newShape = [...(r.chance(0.3) ? [r.int(1, 3)] : []), ...s.map((d) => (d === 1 && r.chance(0.8) ? r.int(2, 9) : d))];
        if (size(newShape) > this.limits.maxElements) return -1;
        return this.broadcastUse(this.elementwiseAfter(this.op('expand', [a], { newShape }), { scalarSides: true }));
      }
      case 'tile': {
        const repetitions = xs.map(() => (r.chance(0.5) ? 1 : r.int(2, 3)));
        if (size(xs) * size(repetitions) > this.limits.maxElements) return -1;
        return this.broadcastUse(this.elementwiseAfter(this.op('tile', [x], { repetitions }), { scalarSides: true }));
      }
      case 'geluPattern': return this.geluPattern(x);
      case 'layerNormPattern': return this.layerNormPattern(x);
      case 'reshapeSink': {
        // A reshape, then element-wise ops: pass shape-sinking moves it below those with a single
        // value or a row along a last dim it keeps as side; element-wise chains run through it.
        if (xs.length === 0) return -1;
        const last = xs.at(-1);
        const newShape = r.chance(0.7) ? [...this.randomFactoring(size(xs) / last), last] : this.randomFactoring(size(xs));
        return this.elementwiseAfter(this.op('reshape', [x], { newShape }), { count: r.int(1, 3) });
      }
      case 'reverse': {
        const opts = r.chance(0.3) ? {} : { axes: [...xs.keys()].filter(() => r.chance(0.5)) };
        return this.op('reverse', [x], opts);
      }
      case 'split': {
        const axis = xs.findIndex((d) => d > 1);
        if (axis < 0) return -1;
        const splits = [];
        for (let left = xs[axis]; left > 0;) {
          const n = r.int(1, left);
          splits.push(n);
          left -= n;
        }
        return this.op('split', [x], { splits, axis, index: r.int(0, splits.length - 1) });
      }
      default: return -1;
    }
  }

  // Half the time, a binary op reading the expanded value e with an operand of e's full shape: what
  // pass broadcast-folding rewrites to read e's source (a tile of non-1 dims is left alone).
  broadcastUse(e) {
    if (e < 0 || this.r.chance(0.5)) return e;
    const shape = this.shapeOf(e);
    const op = this.r.pick(['add', 'sub', 'mul', 'div', 'max']);
    const sameShape = (i) => i !== e && this.shapeOf(i).length === shape.length && this.shapeOf(i).every((d, k) => d === shape[k]);
    let y = op === 'div' ? -1 : this.pickValue(sameShape);  // a divisor: a fresh leaf away from 0
    if (y < 0) y = this.leaf(shape, 0.5, 1.5);
    return this.op(op, op === 'div' || this.r.chance(0.5) ? [e, y] : [y, e]);
  }

  // `count` element-wise ops after y (none half the time unless count is given): activations,
  // unary ops, binary ops with a single-value side, and unless scalarSides, a row side (along the last
  // dim, maybe with leading 1s) or a side of y's full shape.
  elementwiseAfter(y, { count = this.r.chance(0.5) ? 0 : this.r.int(1, 2), scalarSides = false } = {}) {
    const r = this.r;
    for (let k = 0; k < count && y >= 0; k++) {
      const ys = this.shapeOf(y);
      const kind = r.int(0, scalarSides ? 2 : 3);
      if (kind === 0) {
        y = this.op(r.pick(['relu', 'sigmoid', 'tanh', 'gelu']), [y]);
      } else if (kind === 1) {
        y = this.op(r.pick(['abs', 'neg', 'erf']), [y]);
      } else {
        let side;
        if (kind === 2) side = this.constant(r.pick([[], [1], ys.map(() => 1)]));
        else if (ys.length > 0 && r.chance(0.6)) side = this.leaf(r.chance(0.5) ? [ys.at(-1)] : ys.map((d, i) => (i === ys.length - 1 ? d : 1)));
        else side = this.leaf([...ys]);
        const op = r.pick(['add', 'sub', 'mul', 'max']);
        y = this.op(op, r.chance(0.7) ? [y, side] : [side, y]);
      }
    }
    return y;
  }

  // gelu written out, x * 0.5 * (1 + erf(x / sqrt 2)), in TF.js's order or an ONNX exporter's (pass
  // gelu-recognition); half the time on a dense layer's output behind a reshape and a bias row, as
  // tf.layers writes a dense layer with gelu on 3-D input (pass shape-sinking moves the reshape
  // below the add and the gelu, and fusion puts both in the GEMM's output stage).
  geluPattern(x) {
    const r = this.r;
    const xs = this.shapeOf(x);
    let h = x;
    if (r.chance(0.5) && xs.length > 0) {
      let a = x;
      if (xs.length !== 2) a = this.op('reshape', [x], { newShape: [size(xs) / xs.at(-1), xs.at(-1)] });
      if (a < 0) return -1;
      const [M, K] = this.shapeOf(a);
      const N = r.int(1, this.large ? 72 : 24);
      if (M * K * N > MAX_REFERENCE_MACS) return -1;
      h = this.op('matmul', [a, this.constant([K, N], -0.5, 0.5)]);
      if (h >= 0 && r.chance(0.7)) h = this.op('reshape', [h], { newShape: [...this.randomFactoring(M), N] });
      if (h >= 0 && r.chance(0.8)) {
        const rank = this.shapeOf(h).length;
        h = this.op('add', [h, this.constant(r.chance(0.5) ? [N] : [...Array(rank - 1).fill(1), N])]);
      }
      if (h < 0) return -1;
    }
    // A fifth of the time a near miss, which must stay as written: another constant, or x times
    // 1 / sqrt 2 (not the same bits as the division).
    const miss = r.chance(0.2) ? r.int(0, 3) : -1;
    const c = (v, k, other) => this.constant([], miss === k ? other : v, miss === k ? other : v);
    const mul = (p, q) => (p < 0 || q < 0 ? -1 : this.op('mul', r.chance(0.5) ? [p, q] : [q, p]));
    const d = miss === 3 ? this.op('mul', [h, c(Math.SQRT1_2)]) : this.op('div', [h, c(Math.SQRT2, 0, 1.4142)]);
    const e = d < 0 ? -1 : this.op('erf', [d]);
    const one = c(1, 1, 1.5);
    const a = e < 0 ? -1 : this.op('add', r.chance(0.5) ? [e, one] : [one, e]);
    if (a < 0) return -1;
    const half = c(0.5, 2, 0.25);
    switch (r.int(0, 2)) {
      case 0: return mul(h, mul(half, a));  // TF.js
      case 1: return mul(mul(h, a), half);  // torch.onnx
      default: return mul(mul(h, half), a); // x * 0.5 * (1 + erf(...)) in Python
    }
  }

  // Layer normalization written out (pass layernorm-recognition): mean and variance by reduceMean
  // over trailing axes, in TF.js's order ((x' - mean) * gamma / sqrt(variance + epsilon) + beta, x'
  // sometimes x with a leading 1) or an ONNX exporter's ((x - mean) / sqrt(...) * gamma + beta, the
  // square as pow(d, 2)), gamma and beta each there or not. 40% of the time a near miss that must
  // stay as written: the mean of x^2 (not the variance), the variance over other axes, an epsilon
  // that differs between rows, a gamma that varies along a row axis (x then has one of more than
  // one element), or the mean also an output of the graph.
  layerNormPattern(x) {
    const r = this.r;
    const xs = this.shapeOf(x);
    if (xs.length === 0) return -1;
    const rank = xs.length, k = r.int(1, Math.min(2, rank));
    const axes = [...xs.keys()].slice(rank - k);
    const miss = r.chance(0.4) ? r.pick(['squares', 'varianceAxes', 'epsilon', 'gamma', 'meanOutput']) : null;
    if (miss === 'gamma' && !(rank > k && xs[rank - k - 1] > 1)) return -1;
    const onnx = r.chance(0.5);
    const mean = (v, a) => this.op('reduceMean', [v], { axes: a, keepDimensions: true });
    const m = mean(x, axes);
    if (m < 0) return -1;
    const d = this.op('sub', [x, m]);
    if (d < 0) return -1;
    const base = miss === 'squares' ? x : d;
    const sq = onnx ? this.op('pow', [base, this.constant([], 2, 2)]) : this.op('mul', [base, base]);
    const otherAxes = rank > 1 && miss === 'varianceAxes' ? [...xs.keys()].slice(rank - k - 1) : axes;
    const v = sq < 0 ? -1 : mean(sq, otherAxes);
    if (v < 0) return -1;
    const eps = r.pick([1e-5, 1e-3]);
    const ms = this.shapeOf(m);
    const epsilon = miss === 'epsilon' && size(ms) > 1
      ? this.add({ kind: 'constant', shape: ms, data: Float32Array.from({ length: size(ms) }, (_, i) => (i === 0 ? 2 * eps : eps)) })
      : this.constant(r.pick([[], [1]]), eps, eps);
    const e = this.op('add', r.chance(0.8) ? [v, epsilon] : [epsilon, v]);
    const sd = e < 0 ? -1 : this.op('sqrt', [e]);
    if (sd < 0) return -1;
    // gamma and beta: the normalized dims (maybe with leading 1s); 'gamma': also along a row axis.
    const param = (lo, hi, perRow) => {
      const shape = xs.map((n, i) => (axes.includes(i) || (perRow && i === rank - k - 1) ? n : 1));
      return this.leaf(perRow || r.chance(0.5) ? shape : shape.slice(rank - k), lo, hi);
    };
    const gamma = r.chance(0.7) || miss === 'gamma' ? param(0.5, 1.5, miss === 'gamma') : -1;
    const beta = r.chance(0.7) ? param(-1, 1, false) : -1;
    let y;
    if (onnx) {
      y = this.op('div', [d, sd]);
      if (y >= 0 && gamma >= 0) y = this.op('mul', r.chance(0.7) ? [y, gamma] : [gamma, y]);
    } else {
      const x4 = r.chance(0.5) ? this.op('reshape', [x], { newShape: [1, ...xs] }) : x;
      let n = x4 < 0 ? -1 : this.op('sub', [x4, m]);
      if (n >= 0 && gamma >= 0) n = this.op('mul', r.chance(0.7) ? [n, gamma] : [gamma, n]);
      y = n < 0 ? -1 : this.op('div', [n, sd]);
    }
    if (y >= 0 && beta >= 0) y = this.op('add', r.chance(0.5) ? [y, beta] : [beta, y]);
    if (y >= 0 && miss === 'meanOutput') this.extraOutputs.push(m);
    return y;
  }

  randomFactoring(n) {
    const dims = [];
    let rest = n;
    const rank = this.r.int(1, 4);
    for (let d = 1; d < rank; d++) {
      const divisors = [];
      for (let k = 1; k <= rest; k++) if (rest % k === 0) divisors.push(k);
      const k = this.r.pick(divisors);
      dims.push(k);
      rest /= k;
    }
    dims.push(rest);
    return dims;
  }

  // x as a 4-D value: itself, a reshape of it, or a new input.
  fourD(x) {
    const xs = this.shapeOf(x);
    if (xs.length === 4) return x;
    const n = size(xs);
    if (n >= 4 && this.r.chance(0.6)) {
      const f = this.randomFactoring(n);
      while (f.length < 4) f.unshift(1);
      if (f.length === 4) return this.op('reshape', [x], { newShape: f });
    }
    return this.input([1, this.r.int(1, 4), this.r.int(2, 6), this.r.int(2, 6)]);
  }

  // winograd: a conv the engine's Winograd path takes (3x3, stride 1, dilation 1, one group, 8+
  // channels in and out; kernels/conv/winograd.cpp), else -1.
  conv2d(x, inputLayout = this.r.pick(['nchw', 'nhwc']), winograd = false) {
    if (x < 0) return -1;
    const r = this.r;
    const xs = this.shapeOf(x);
    const [C, H, W] = inputLayout === 'nchw' ? xs.slice(1) : [xs[3], xs[1], xs[2]];
    if (C > this.limits.maxChannels || (winograd && C < 8)) return -1;
    const depthwise = !winograd && C > 1 && r.chance(0.25);
    const groups = depthwise ? C : 1;
    const O = depthwise ? C * r.int(1, 2)
      : this.large && r.chance(0.6) ? r.int(winograd ? 8 : 5, 40) : winograd ? r.int(8, 12) : r.int(1, 4);
    const KH = winograd ? 3 : r.int(1, Math.min(3, H + 1));
    const KW = winograd ? 3 : r.int(1, Math.min(3, W + 1));
    const pads = () => [r.int(0, 1), r.int(0, 1), r.int(0, 1), r.int(0, 1)];
    const padding = winograd ? pads() : r.chance(0.5) ? [0, 0, 0, 0] : pads();
    const strides = winograd ? [1, 1] : [r.int(1, 2), r.int(1, 2)];
    const dilations = winograd || r.chance(0.8) ? [1, 1] : [2, 2];
    if ((KH - 1) * dilations[0] + 1 > H + padding[0] + padding[1] || (KW - 1) * dilations[1] + 1 > W + padding[2] + padding[3]) return -1;
    const filterLayout = r.pick(['oihw', 'hwio', 'ohwi', 'ihwo']);
    const I = C / groups;
    // Keras ZeroPadding2D / ONNX Pad before the conv: a zero pad of the spatial dims (what the
    // pad-folding pass folds into the conv's padding), sometimes of the channels or with a value.
    if (!winograd && r.chance(0.2)) {
      const hw = inputLayout === 'nchw' ? [2, 3] : [1, 2];
      const odd = r.chance(0.15);
      const begin = xs.map((_, d) => (hw.includes(d) || (odd && d === 0) ? r.int(0, 2) : 0));
      const end = xs.map((_, d) => (hw.includes(d) ? r.int(0, 2) : 0));
      const opts = { beginningPadding: begin, endingPadding: end, ...(r.chance(0.15) ? { value: 0.5 } : {}) };
      const p = this.op('pad', [x], opts);  // only spatial dims (and the batch) grow: the checks above still hold
      if (p >= 0) x = p;
    }
    const outPixels = size(xs) / C / (strides[0] * strides[1]);
    if (outPixels * O * KH * KW * I > MAX_REFERENCE_MACS) return -1;
    const dims = { o: O, i: I, h: KH, w: KW };
    const filter = this.leaf([...filterLayout].map((c) => dims[c]), -0.5, 0.5);
    const opts = { inputLayout, filterLayout, padding, strides, dilations, groups };
    const refs = r.chance(0.4) ? { bias: this.constant([O]) } : undefined;
    return this.op('conv2d', [x, filter], opts, refs);
  }

  // convTranspose2d (NCHW or NHWC input, any filter layout, groups, strides with an output padding
  // below them, dilations, padding, bias).
  convTranspose2d(x) {
    if (x < 0) return -1;
    const r = this.r;
    const xs = this.shapeOf(x);
    const inputLayout = r.pick(['nchw', 'nhwc']);
    const [C, H, W] = inputLayout === 'nchw' ? xs.slice(1) : [xs[3], xs[1], xs[2]];
    if (C > this.limits.maxChannels) return -1;
    const groups = C % 2 === 0 && r.chance(0.3) ? r.pick([2, C]) : 1;
    const Og = this.large && r.chance(0.5) ? r.int(4, 24) : r.int(1, 4);
    const [KH, KW] = [r.int(1, 3), r.int(1, 3)];
    const strides = [r.int(1, 2), r.int(1, 2)];
    const dilations = r.chance(0.8) ? [1, 1] : [2, 2];
    const outputPadding = strides.map((st) => r.int(0, st - 1));
    const padding = r.chance(0.5) ? [0, 0, 0, 0] : [r.int(0, 1), r.int(0, 1), r.int(0, 1), r.int(0, 1)];
    const OH = (H - 1) * strides[0] + (KH - 1) * dilations[0] + 1 - padding[0] - padding[1] + outputPadding[0];
    const OW = (W - 1) * strides[1] + (KW - 1) * dilations[1] + 1 - padding[2] - padding[3] + outputPadding[1];
    if (OH < 1 || OW < 1 || size(xs) * Og * KH * KW > MAX_REFERENCE_MACS) return -1;
    const filterLayout = r.pick(['iohw', 'hwoi', 'ohwi']);
    const dims = { i: C, o: Og, h: KH, w: KW };
    const filter = this.leaf([...filterLayout].map((c) => dims[c]), -0.5, 0.5);
    const opts = { inputLayout, filterLayout, padding, strides, dilations, outputPadding, groups };
    const refs = r.chance(0.4) ? { bias: this.constant([Og * groups]) } : undefined;
    return this.op('convTranspose2d', [x, filter], opts, refs);
  }

  // layerNormalization over trailing axes (or any sorted subset), or instanceNormalization of a 4-D
  // value; scale and bias mostly given (constants or inputs).
  normalization(x) {
    const r = this.r;
    const xs = this.shapeOf(x);
    if (xs.length === 0) return -1;
    const epsilon = r.pick([1e-5, 1e-3]);
    const refs = {};
    const params = (shape) => {
      if (r.chance(0.7)) refs.scale = this.leaf(shape, 0.5, 1.5);
      if (r.chance(0.7)) refs.bias = this.leaf(shape);
    };
    if (xs.length === 4 && r.chance(0.4)) {
      const layout = r.pick(['nchw', 'nhwc']);
      params([layout === 'nchw' ? xs[1] : xs[3]]);
      return this.op('instanceNormalization', [x], { layout, epsilon }, refs);
    }
    const axes = r.chance(0.6) ? [...xs.keys()].slice(r.int(Math.min(1, xs.length - 1), xs.length - 1))
      : [...xs.keys()].filter(() => r.chance(0.5));
    params(axes.map((d) => xs[d]));
    const isDefault = axes.length === xs.length - 1 && axes[0] === 1;
    return this.op('layerNormalization', [x], isDefault && r.chance(0.5) ? { epsilon } : { axes, epsilon }, refs);
  }

  // A CNN block, the pattern the fusion and layout passes look for: conv2d, maybe + a per-channel
  // bias (add of a [C,1,1] / [C] constant), maybe an activation, then maybe a conv2d or pool of the
  // same layout (NCHW pairs keep NHWC data between them).
  convBlock(x, layout = this.r.pick(['nchw', 'nhwc']), winograd = false) {
    const r = this.r;
    let y = this.conv2d(x, layout, winograd);
    if (y < 0) return -1;
    if (r.chance(0.6)) {
      const ys = this.shapeOf(y);
      const bias = layout === 'nchw' ? [ys[1], 1, 1] : [ys[3]];
      const z = this.op('add', r.chance(0.8) ? [y, this.constant(bias)] : [this.constant(bias), y]);
      if (z >= 0) y = z;
    }
    if (r.chance(0.45)) {
      const z = this.batchNorm(y, layout);
      if (z >= 0) y = z;
    }
    if (r.chance(0.6)) {
      const op = r.pick(['relu', 'sigmoid', 'tanh', 'clamp', 'leakyRelu']);
      const a = ACTIVATIONS[op];
      let z = this.op(op, [y], a.opts ? a.opts(r) : undefined);
      // relu then clamp(0, 6) is how TF.js runs Keras ReLU(maxValue): clamps after clamps fuse.
      if (z >= 0 && r.chance(0.3)) z = this.op('clamp', [z], ACTIVATIONS.clamp.opts(r));
      if (z >= 0) y = z;
    }
    if (r.chance(0.6)) {
      const z = r.chance(0.5) ? this.pool(y, layout) : this.conv2d(y, layout);
      if (z >= 0) y = z;
    }
    return y;
  }

  // batchNormalization over the channel axis (sometimes another axis), its parameters mostly
  // constants (what the batchnorm-folding pass folds into a conv2d before it), sometimes inputs.
  batchNorm(x, layout) {
    const r = this.r;
    const xs = this.shapeOf(x);
    const axis = r.chance(0.85) ? (layout === 'nchw' ? 1 : 3) : r.int(0, xs.length - 1);
    const C = xs[axis];
    const param = (lo, hi) => (r.chance(0.9) ? this.constant([C], lo, hi) : this.input([C], lo, hi));
    const mean = param(-1, 1), variance = param(0.1, 2);
    const refs = {};
    if (r.chance(0.7)) refs.scale = param(-2, 2);
    if (r.chance(0.7)) refs.bias = param(-1, 1);
    const opts = { axis, epsilon: r.pick([1e-5, 1e-3]) };
    return this.op('batchNormalization', [x, mean, variance], opts, refs);
  }

  // A convBlock whose first conv takes the Winograd path: on x when it has the channels, else on a
  // new input with enough channels and pixels (so the fixed-seed batch exercises the path).
  winogradBlock(x) {
    const r = this.r;
    const layout = r.pick(['nchw', 'nhwc']);
    let y = this.convBlock(this.fourD(x), layout, true);
    if (y >= 0) return y;
    const [C, H, W] = this.large ? [r.int(8, 32), r.int(8, 32), r.int(8, 32)] : [r.int(8, 12), r.int(3, 9), r.int(3, 9)];
    return this.convBlock(this.input(layout === 'nchw' ? [1, C, H, W] : [1, H, W, C]), layout, true);
  }

  pool(x, layout = this.r.pick(['nchw', 'nhwc']), op = undefined) {
    if (x < 0) return -1;
    const r = this.r;
    const xs = this.shapeOf(x);
    const [H, W] = layout === 'nchw' ? xs.slice(2) : xs.slice(1, 3);
    const windowDimensions = [r.int(1, Math.min(3, H)), r.int(1, Math.min(3, W))];
    const padding = r.chance(0.6) ? [0, 0, 0, 0] : [r.int(0, 1), r.int(0, 1), r.int(0, 1), r.int(0, 1)];
    for (let k = 0; k < 4; k++) padding[k] = Math.min(padding[k], windowDimensions[k >> 1] - 1);
    const strides = [r.int(1, 2), r.int(1, 2)];
    return this.op(op ?? r.pick(POOLS), [x], { windowDimensions, padding, strides, layout });
  }

  // The whole graph: 1-3 inputs, nodes, then outputs (the last node, intermediates, a duplicate).
  generate() {
    const r = this.r;
    if (this.large) {  // 8K to 64K elements (pixels for a batch of 1 or 2)
      const C = r.pick([3, 8, 16, 24, 32, 48]);
      const side = () => r.int(Math.ceil(Math.sqrt(8192 / C)), Math.floor(Math.sqrt(LARGE.maxElements / C)));
      const [H, W] = [side(), side()];
      this.input([2 * C * H * W <= LARGE.maxElements && r.chance(0.3) ? 2 : 1, C, H, W]);
    } else {
      this.input([1, r.int(1, 4), r.int(2, 6), r.int(2, 6)]);
    }
    if (r.chance(0.5)) this.input(r.pick([[r.int(1, 8)], [r.int(1, 4), r.int(1, 6)], [1, r.int(1, 4), r.int(2, 5), r.int(2, 5)]]));
    const target = r.int(3, 12);
    let nodes = 0;
    for (let attempts = 0; nodes < target && attempts < 200; attempts++) {
      if (this.node() >= 0) nodes++;
    }
    const ops = this.spec.values.map((v, i) => (v.kind === 'op' ? i : -1)).filter((i) => i >= 0);
    if (ops.length === 0) return null;
    const outputs = [ops.at(-1)];
    for (let k = r.int(0, 2); k > 0; k--) outputs.push(r.pick(ops));
    if (r.chance(0.1)) outputs.push(outputs[0]);
    outputs.push(...this.extraOutputs);
    // A large graph keeps its largest value (else its branch may be pruned: every output small).
    if (this.large) outputs.push(ops.reduce((m, i) => (size(this.shapeOf(i)) > size(this.shapeOf(m)) ? i : m)));
    // Then, from a stream of its own (so the graph so far stays what the seed made before), sometimes
    // the NaN-skipping max pool pattern or a near-miss of it.
    this.r = rng((this.seed ^ 0x4e614e21) >>> 0);
    if (this.r.chance(0.25)) outputs.push(...this.nanPoolBlock());
    this.spec.outputs = outputs;
    return prune(this.spec);
  }

  // TF.js's maxPool arrives as maxPool2d(where(isNaN(x), -Infinity, x)), which pass maxpool-skip-nan
  // turns into a max pool of x that skips NaNs; here that pattern and near-misses it must leave as
  // they are. x mostly holds NaNs and infinities (so the skipping shows); they reach only ops whose
  // results on them are defined (isNaN, where, the rewritten pool, average and L2 pools of
  // infinities): the plain maxPool2d only ever reads NaN-free values. Returns the values to output.
  nanPoolBlock() {
    const r = this.r;
    this.special = true;
    const layout = r.pick(['nchw', 'nhwc']);
    const C = r.int(1, 4);
    const shape4 = (c = C) => (layout === 'nchw' ? [1, c, r.int(1, 6), r.int(1, 6)] : [1, r.int(1, 6), r.int(1, 6), c]);
    const nanRate = () => r.pick([0.1, 0.3, 0.6]);
    // x: a new input with NaNs, sometimes through an op that keeps them (IEEE arithmetic), or a
    // finite value of the graph (the pass fires on any float32 x).
    let x;
    const source = r.int(0, 9);
    if (source < 6) x = this.specialInput(shape4(), nanRate());
    else if (source < 8) {
      const s = this.specialInput(shape4(), nanRate());
      x = r.chance(0.5) ? this.op(r.pick(['neg', 'abs']), [s]) : this.op(r.pick(['add', 'mul']), [s, this.leaf(r.pick([[], [1], this.shapeOf(s)]), 0.5, 1.5)]);
    } else {
      const v = this.pickValue();
      x = v >= 0 ? this.fourD(v) : -1;
    }
    if (x < 0) x = this.specialInput(shape4(), nanRate());  // -1: no usable value, or an op above refused
    const xs = this.shapeOf(x);
    const nanFree = (i) => [0, 1].every((set) => !this.ref[set][i].data.some(Number.isNaN));
    // A NaN-free value of x's shape: another input (with infinities sometimes) or a graph value.
    const other = () => {
      const y = r.chance(0.5) ? this.pickValue((i) => i !== x && this.shapeOf(i).join() === xs.join()) : -1;
      return y >= 0 ? y : r.chance(0.7) ? this.input(xs) : this.specialInput(xs, 0);
    };
    const minusInf = (shape = xs) => {
      const c = layout === 'nchw' ? [shape[1], 1, 1] : [shape[3]];
      return this.filled(r.pick([[], [1], c, shape]), -Infinity);
    };
    const pool = (w, op = 'maxPool2d') => this.pool(w, layout, op);
    const c = this.op('isNaN', [x]);
    const outs = [];
    let p;
    switch (r.pick(['pattern', 'pattern', 'pattern', 'isNaNRead', 'whereRead', 'value', 'falseValue', 'condition',
      'otherPool', 'swapped', 'logicalNot', 'broadcast'])) {
      case 'pattern':  // rewritten: the where and isNaN go
        p = pool(this.op('where', [c, minusInf(), x]));
        break;
      case 'isNaNRead': {  // rewritten, the isNaN kept: an output, or another where's condition
        p = pool(this.op('where', [c, minusInf(), x]));
        outs.push(r.chance(0.5) ? c : this.op('where', [c, this.filled([], 0), x]));
        break;
      }
      case 'whereRead': {  // rewritten, the where kept: an output, or another max pool's input
        const w = this.op('where', [c, minusInf(), x]);
        p = pool(w);
        outs.push(r.chance(0.5) ? w : pool(w));
        break;
      }
      case 'value': {  // not -Infinity (everywhere): not rewritten
        const value = r.pick([Infinity, -3.4028234663852886e38, -1e30, 0]);
        let k;
        if (r.chance(0.7)) k = this.filled(r.pick([[], [1], xs]), value);
        else {
          const data = new Float32Array(size(xs)).fill(-Infinity);
          data[r.int(0, data.length - 1)] = value;
          k = this.add({ kind: 'constant', shape: xs, data });
        }
        p = pool(this.op('where', [c, k, x]));
        break;
      }
      case 'falseValue': {  // where(isNaN(x), -Infinity, y), y not x: not rewritten
        const y = r.chance(0.3) ? this.op(r.pick(['neg', 'abs']), [x]) : other();  // NaN only where x is
        p = pool(this.op('where', [c, minusInf(), y]));
        break;
      }
      case 'condition': {  // where(isNaN(a), -Infinity, x), a not x: not rewritten (x must be NaN-free)
        const y = nanFree(x) ? x : other();
        const a = this.specialInput(xs, nanRate());
        p = pool(this.op('where', [this.op('isNaN', [a]), minusInf(), y]));
        break;
      }
      case 'otherPool':  // average and L2 pools of it: not rewritten
        p = pool(this.op('where', [c, minusInf(), x]), r.pick(['averagePool2d', 'l2Pool2d']));
        break;
      case 'swapped':  // where(isNaN(x), y, -Infinity): not rewritten
        p = pool(this.op('where', [c, other(), minusInf()]));
        break;
      case 'logicalNot':  // the same values by another form: not rewritten
        p = pool(this.op('where', [this.op('logicalNot', [c]), x, minusInf()]));
        break;
      case 'broadcast': {  // x of one channel, the -Infinity of C > 1: the where's shape is not x's
        const x1 = this.specialInput(shape4(1), nanRate());
        const big = layout === 'nchw' ? [1, C + 1, ...this.shapeOf(x1).slice(2)] : [1, ...this.shapeOf(x1).slice(1, 3), C + 1];
        p = pool(this.op('where', [this.op('isNaN', [x1]), this.filled(big, -Infinity), x1]));
        break;
      }
      default: break;
    }
    // Something after the pool (fusion and layout passes around it).
    if (p >= 0 && this.usable[p] && r.chance(0.4)) {
      const ps = this.shapeOf(p);
      const z = r.chance(0.5) ? this.op('relu', [p]) : r.chance(0.5) ? this.op('add', [p, this.constant(layout === 'nchw' ? [ps[1], 1, 1] : [ps[3]])])
        : this.conv2d(p, layout);
      if (z >= 0) p = z;
    }
    this.special = false;
    return [p, ...outs].filter((i) => i >= 0);
  }
}

function broadcastsTo(s, shape) {
  if (s.length > shape.length) return false;
  return s.every((d, i) => d === 1 || d === shape[shape.length - s.length + i]);
}

// Drops values no output depends on (and renumbers).
export function prune(spec) {
  const needed = new Array(spec.values.length).fill(false);
  for (const o of spec.outputs) needed[o] = true;
  for (let i = spec.values.length - 1; i >= 0; i--) {
    if (needed[i] && spec.values[i].kind === 'op') for (const a of nodeOperands(spec.values[i])) needed[a] = true;
  }
  const map = [];
  const values = [];
  spec.values.forEach((v, i) => {
    if (!needed[i]) return;
    map[i] = values.length;
    if (v.kind !== 'op') { values.push(v); return; }
    const refs = v.refs ? Object.fromEntries(Object.entries(v.refs).map(([k, id]) => [k, map[id]])) : undefined;
    values.push({ ...v, args: v.args.map((a) => map[a]), refs });
  });
  return { values, outputs: spec.outputs.map((o) => map[o]) };
}

export function generateGraph(seed, options) {
  for (let k = 0; ; k++) {
    const spec = new Generator((seed + k * 0x9e3779b9) >>> 0, options).generate();
    if (spec) return spec;
  }
}

// ---------------------------------------------------------------------------------------------
// The engine side.

// Calls the builder method for node v; operand(i) gives value i's operand (with a printing
// stand-in builder and names for operands, it returns the call's source text).
function call(b, v, operand) {
  const o = v.opts ?? {};
  const [x, y] = v.args.map(operand);
  const withRefs = () => ({ ...o, ...Object.fromEntries(Object.entries(v.refs ?? {}).map(([k, id]) => [k, operand(id)])) });
  const op = v.op;
  if (BINARY[op] || op === 'prelu' || op === 'matmul') return b[op](x, y);
  if (UNARY[op]) return b[op](x);
  if (ACTIVATIONS[op]) return v.opts ? b[op](x, o) : b[op](x);
  if (op === 'conv2d' || op === 'gemm' || op === 'convTranspose2d') return b[op](x, y, withRefs());
  if (op === 'layerNormalization' || op === 'instanceNormalization') return b[op](x, withRefs());
  if (op === 'batchNormalization') return b.batchNormalization(x, y, operand(v.args[2]), withRefs());
  if (op === 'concat') return b.concat(v.args.map(operand), o.axis);
  if (op === 'slice') return o.strides ? b.slice(x, o.starts, o.sizes, { strides: o.strides }) : b.slice(x, o.starts, o.sizes);
  if (op === 'softmax') return b.softmax(x, o.axis);
  if (op === 'reshape') return b.reshape(x, o.newShape);
  if (op === 'transpose') return b.transpose(x, { permutation: o.permutation });
  if (op === 'expand') return b.expand(x, o.newShape);
  if (op === 'tile') return b.tile(x, o.repetitions);
  if (op === 'reverse') return b.reverse(x, o.axes ? { axes: o.axes } : {});
  if (op === 'split') {  // one of the outputs (the printing builder's text gets the index appended)
    const outputs = b.split(x, o.splits, { axis: o.axis });
    return Array.isArray(outputs) ? outputs[o.index] : `${outputs}[${o.index}]`;
  }
  if (op === 'pad') return b.pad(x, o.beginningPadding, o.endingPadding, o.value !== undefined ? { value: o.value } : {});
  if (op === 'isNaN' || op === 'logicalNot') return b[op](x);
  if (op === 'gather' || op === 'gatherElements') return b[op](x, y, { axis: o.axis });
  if (op === 'where') return b.where(x, y, operand(v.args[2]));
  return b[op](x, o);  // pools, reduce
}

// The spec as JS builder calls (a repro).
export function formatRepro(spec) {
  const name = (i) => `v${i}`;
  const arr = (d) => `new ${d.constructor.name}([${Array.from(d, (v) => +v.toPrecision(9)).join(', ')}])`;
  const text = (v) => JSON.stringify(v);
  const lines = [];
  spec.values.forEach((v, i) => {
    const desc = `{ dataType: '${v.dataType ?? 'float32'}', shape: ${text(v.shape)} }`;
    if (v.kind === 'input') lines.push(`const ${name(i)} = b.input('${v.name}', ${desc});  // A: ${arr(v.data[0])}, B: ${arr(v.data[1])}`);
    else if (v.kind === 'constant') lines.push(`const ${name(i)} = b.constant(${desc}, ${arr(v.data)});`);
    else {
      // Record the call with a stand-in builder that prints its arguments.
      const printer = new Proxy({}, {
        get: (_, method) => (...args) => `b.${String(method)}(${args.map((a) => (typeof a === 'string' && a.startsWith('v') ? a
          : Array.isArray(a) && a.every((e) => typeof e === 'string') ? `[${a.join(', ')}]`
            : JSON.stringify(a).replace(/"(v\d+)"/g, '$1'))).join(', ')})`,
      });
      lines.push(`const ${name(i)} = ${call(printer, v, name)};`);
    }
  });
  lines.push(`const graph = await b.build({ ${spec.outputs.map((o, k) => `out${k}: ${name(o)}`).join(', ')} });`);
  return lines.join('\n');
}

// Builds and runs `spec` on `context`: A into fresh tensors, B into the same ones, A again into
// fresh outputs. Returns { results: [[out data per output] x 3], plan } or { error }.
async function runOnEngine(api, context, spec) {
  const b = new api.MLGraphBuilder(context);
  const operands = [];
  for (const v of spec.values) {
    const desc = { dataType: v.dataType ?? 'float32', shape: v.shape };
    if (v.kind === 'input') operands.push(b.input(v.name, desc));
    else if (v.kind === 'constant') operands.push(b.constant(desc, v.data));
    else operands.push(call(b, v, (i) => operands[i]));
  }
  const named = Object.fromEntries(spec.outputs.map((o, k) => [`out${k}`, operands[o]]));
  let graph;
  try {
    graph = await b.build(named);
  } catch (e) {
    return { error: `build failed: ${e.name}: ${e.message}` };
  }
  const inputs = spec.values.filter((v) => v.kind === 'input');
  const tensors = {};
  for (const v of inputs) tensors[v.name] = await context.createTensor({ dataType: v.dataType ?? 'float32', shape: v.shape, writable: true });
  const newOutputs = async () => {
    const t = {};
    for (const [k, o] of Object.entries(named)) t[k] = await context.createTensor({ dataType: o.dataType, shape: o.shape, readable: true });
    return t;
  };
  const results = [];
  const created = [];
  let outs = await newOutputs();
  created.push(outs);
  for (const [set, fresh] of [[0, false], [1, false], [0, true]]) {
    if (fresh) { outs = await newOutputs(); created.push(outs); }
    for (const v of inputs) context.writeTensor(tensors[v.name], v.data[set]);
    context.dispatch(graph, tensors, outs);
    const got = [];
    for (const k of Object.keys(named)) {
      const bytes = await context.readTensor(outs[k]);
      got.push(named[k].dataType === 'uint8' ? new Uint8Array(bytes) : new Float32Array(bytes));
    }
    results.push(got);
  }
  for (const t of [...Object.values(tensors), ...created.flatMap((c) => Object.values(c))]) t.destroy();
  const plan = graph.debugPlan();
  graph.destroy();
  return { results, plan };
}

// Compares a run with the reference; returns a failure message or null.
function compareRun(spec, refs, run) {
  if (run.error) return run.error;
  const labels = ['A (fresh tensors)', 'B (same tensors)', 'A again (fresh outputs)'];
  for (let d = 0; d < 3; d++) {
    const set = d === 1 ? 1 : 0;
    for (let k = 0; k < spec.outputs.length; k++) {
      const want = refs[set].vals[spec.outputs[k]].data;
      const tol = 2 * refs[set].errs[spec.outputs[k]] + 1e-6;
      const got = run.results[d][k];
      for (let i = 0; i < want.length; i++) {
        // NaN and infinities exactly (NaN matches NaN), finite values within the tolerance.
        const ok = Number.isFinite(want[i]) ? Math.abs(got[i] - want[i]) <= tol : Object.is(got[i], want[i]) || (Number.isNaN(want[i]) && Number.isNaN(got[i]));
        if (!ok) {
          return `dispatch ${labels[d]}: out${k}[${i}] = ${got[i]}, want ${want[i]} (tolerance ${tol.toExponential(2)})`;
        }
      }
    }
  }
  return null;
}

// The configurations each graph runs on: all passes, then each pass off in turn.
// verifyPlans: false leaves only the comparisons (to show what they catch on their own). Only the
// all-passes contexts get numThreads (each thread is a worker with its own instance). The first
// splits all work (splitAllWork): the small graphs are far below the sizes where kernels split
// their work, so without it they would never run the threaded paths. The second splits work as a
// user's context does (what large graphs reach: the kernels' own thresholds and task shapes).
// Contexts start once their threads run.
export async function makeContexts(api, { numThreads = 2, verifyPlans = true } = {}) {
  const context = await api.ml.createContext({ numThreads, verifyPlans, splitAllWork: true });
  await whenThreadsRun(context);
  const threads = context.numThreads > 1 ? `, ${context.numThreads} threads splitting all work` : '';
  const configs = [{ name: `all passes${threads}`, disabledPasses: [], context }];
  if (context.numThreads > 1) {
    const natural = await api.ml.createContext({ numThreads, verifyPlans });
    await whenThreadsRun(natural);
    configs.push({ name: `all passes, ${natural.numThreads} threads`, disabledPasses: [], context: natural });
  }
  for (const p of api.compilerPassNames()) {
    const c = { name: `without ${p}`, disabledPasses: [p] };
    c.context = await api.ml.createContext({ numThreads: 1, disabledPasses: c.disabledPasses, verifyPlans });
    configs.push(c);
  }
  return configs;
}

// The compiler passes a plan report says were applied (the line prefixes of the "passes:" section).
const PASS_LINES = { 'gelu-recognition': 'gelu-recognition:', 'shape-sinking': 'shape-sinking:', 'broadcast-folding': 'broadcast-folding:', 'constant-folding': 'constant-folding:', 'pad-folding': 'pad-folding:', 'batchnorm-folding': 'batchnorm-folding:', 'maxpool-skip-nan': 'maxpool-skip-nan:', fusion: 'fused ', 'residual-add': 'residual-add:', 'nchw-layout': 'nchw-layout:',
  'elementwise-chains': 'elementwise-chains:', 'memory-aliasing': 'memory-aliasing:', winograd: 'winograd:',
  'layernorm-recognition': 'layernorm-recognition:' };

// Runs one spec on every configuration. Returns [{ config, failure }] (empty when all agree with
// the reference); passCounts (optional) counts the graphs each pass changed on the first config,
// and kernelCounts (optional) the graphs whose plan there has a step of each kernel path (the
// bracketed and parenthesised tags of its step names: "im2col", "winograd F(4x4,3x3)", "2x16", ...).
export async function checkGraph(api, configs, spec, passCounts, kernelCounts) {
  const refs = [referenceRun(spec, 0), referenceRun(spec, 1)];
  const failures = [];
  for (const c of configs) {
    const run = await runOnEngine(api, c.context, spec);
    if (passCounts && c === configs[0] && run.plan) {
      for (const [pass, prefix] of Object.entries(PASS_LINES)) {
        if (run.plan.includes(`\n  ${prefix}`)) passCounts[pass] = (passCounts[pass] ?? 0) + 1;
      }
      const steps = run.plan.split('\npasses:')[0];
      for (const tag of new Set([...steps.matchAll(/\[([^\]]+)\]|\((\d+x\d+)\)/g)].map((m) => m[1] ?? m[2]))) {
        if (kernelCounts) kernelCounts[tag] = (kernelCounts[tag] ?? 0) + 1;
      }
    }
    const failure = compareRun(spec, refs, run);
    if (failure) failures.push({ config: c.name, failure });
  }
  return failures;
}

// Smaller specs that still fail on the same configuration: fewer outputs, nodes replaced by inputs
// carrying their reference values (which drops everything upstream of them), until nothing more
// can go.
export async function shrink(api, configs, spec, failingConfig, { budgetMs = 20000 } = {}) {
  const deadline = Date.now() + budgetMs;
  const fails = async (s) => (await checkGraph(api, configs, s)).some((f) => f.config === failingConfig);
  const smaller = (a, b) => a.values.length < b.values.length || a.outputs.length < b.outputs.length;
  let cuts = 0;
  let best = spec;
  let progress = true;
  while (progress && Date.now() < deadline) {
    progress = false;
    const candidates = [];
    for (let k = 0; k < best.outputs.length && best.outputs.length > 1; k++) {
      candidates.push(prune({ values: best.values, outputs: best.outputs.filter((_, j) => j !== k) }));
    }
    best.values.forEach((v, i) => {
      if (v.kind !== 'op' || best.outputs.includes(i)) return;
      const [a, b] = [referenceRun(best, 0), referenceRun(best, 1)].map((rr) => rr.vals[i].data);
      const values = best.values.slice();
      values[i] = { kind: 'input', name: `cut${cuts++}`, shape: v.shape, dataType: v.dataType, data: [a, b] };
      candidates.push(prune({ values, outputs: best.outputs }));
    });
    for (const c of candidates) {
      if (Date.now() > deadline) break;
      if (smaller(c, best) && await fails(c)) { best = c; progress = true; break; }
    }
  }
  return best;
}

// A batch: `count` graphs from `seed` on (large: large graphs, see Generator). Returns { graphs,
// nodes, ops, passes, kernels (see checkGraph), beyondSmall (graphs with a value larger than a small
// graph's), failures: [{ seed, failures, repro }] }.
export async function runDiffFuzz(api, { seed, count, configs, large = false, log = () => {}, shrinkFailures = true, maxFailures = 3 }) {
  const stats = { graphs: 0, nodes: 0, ops: new Set(), passes: {}, kernels: {}, beyondSmall: 0, failures: [] };
  for (let k = 0; k < count; k++) {
    const s = (seed + k) >>> 0;
    const spec = generateGraph(s, { large });
    stats.graphs++;
    if (spec.values.some((v) => v.kind === 'op' && size(v.shape) > SMALL.maxElements)) stats.beyondSmall++;
    for (const v of spec.values) if (v.kind === 'op') { stats.nodes++; stats.ops.add(v.op); }
    const failures = await checkGraph(api, configs, spec, stats.passes, stats.kernels);
    if (failures.length === 0) continue;
    const small = shrinkFailures ? await shrink(api, configs, spec, failures[0].config) : spec;
    const smallFailures = await checkGraph(api, configs, small);
    const report = { seed: s, failures: smallFailures.length ? smallFailures : failures, repro: formatRepro(small) };
    stats.failures.push(report);
    log(formatFailure(report));
    if (stats.failures.length >= maxFailures) break;
  }
  return stats;
}

export function formatFailure(f) {
  return `diff-fuzz: graph seed ${f.seed} fails:\n${f.failures.map((x) => `  ${x.config}: ${x.failure}`).join('\n')}\n` +
    `repro (const b = new MLGraphBuilder(context)):\n${f.repro}\n`;
}
