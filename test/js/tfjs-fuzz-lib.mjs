// The TF.js backend's differential fuzzer: random TF.js programs (op calls on a pool of tensors,
// with weights created from JS, reads of intermediates, dispose, tidy, kernels that fall back)
// run on 'webnn-wasm' and on tfjs-backend-cpu, every value read compared. Each program runs four
// times on each backend, the way a model runs:
//   A  inputs 1, weights 1  (the first predict: records, compiles the whole graph)
//   B  inputs 2, weights 1  (the same structure: a cache hit must still give the new values)
//   C  inputs 1, weights 2  (new weights: a graph that baked the old ones must not be reused)
//   D  inputs 1, weights 1, one attribute changed with the shapes kept (an attribute missing from
//      a kernel's cache key gives the old graph's values here)
// and after each run every tensor is disposed: tf.memory() and the backend's engine tensors must
// come back to where they were.
//
// Programs are generated on the CPU backend (it gives each step's shapes); a step the CPU rejects
// is dropped and another drawn. Ops whose result jumps on a tiny input change (floor, sign,
// comparisons, argMax, int casts) only read "exact" tensors (inputs and data movement of them),
// so that the two backends' last-bit differences never decide a comparison. docs/tfjs.md says
// what the fuzzer found and the known differences it steps around.
// With `heap` (holdHeap()), each program runs once on each backend (run P), ours with the Wasm heap
// held full but for a random few bytes to a few MB: it must give the CPU's values or throw an
// out-of-memory DOMException, and leave no tensor, dataId or heap byte behind.
//   runTfjsFuzz(tf, { backendName, seed, count, log, maxFailures, heap })
//     -> { programs, steps, ops, mutations, outOfMemory, fallbackKernels, failures }

import { mulberry32, size } from './reference.mjs';
import { heapStats } from '../../js/index.js';
import { isOutOfMemory } from '../../js/api/errors.js';
import { fillHeap } from './fill-heap.mjs';

const F32 = 'float32';

const int = (rng, lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = (rng, list) => list[Math.floor(rng() * list.length)];
const range = (n) => [...Array(n).keys()];

// Values of a tensor made from JS: uniform in [lo, hi], quantized to eighths a third of the time
// (ties for max/argMax, exact zeros), integers for int32.
function values(seed, n, dtype, lo = -2, hi = 2) {
  const rng = mulberry32(seed);
  const quant = rng() < 0.35;
  if (dtype === 'int32') return Int32Array.from({ length: n }, () => int(rng, Math.ceil(lo), Math.floor(hi)));
  return Float32Array.from({ length: n }, () => {
    const v = lo + (hi - lo) * rng();
    return quant ? Math.round(v * 8) / 8 : v;
  });
}

// A program input's values: as values(), and in a "special" input (one in six) a tenth of the
// elements replaced by NaN, ±Infinity, -0, a denormal or values beyond int32 (TF.js's own rules for
// them win in this backend: NaN in max and argMax, casts, sign, ...). Ops marked `clean` never read
// what such an input reaches: where Infinity meets a zero weight or a sum, whether the result is NaN
// or ±Infinity depends on the order of the arithmetic (TF.js's CPU lerps and sums in its own order).
const SPECIALS = [NaN, Infinity, -Infinity, -0, 1e-40, 3e9, -5e9, 1e20];
function inputValues(seed, n, dtype, special) {
  const v = values(seed, n, dtype);
  if (!special) return v;
  const rng = mulberry32(seed ^ 0x3c6ef372);
  for (let i = 0; i < n; i++) if (rng() < 0.1) v[i] = pick(rng, SPECIALS);
  return v;
}

// ---- The ops: each draws its arguments from the pool (make) and applies them (run). ----
// make(g) returns { ins: [pool ids], attrs, weights: [{ shape, dtype, lo, hi }] } or null.
// run(tf, ins, attrs, weights) returns a tensor or an array of tensors.
// mutate(attrs, rng) (optional): the same step with one attribute changed and every shape kept.
// exactOut: the output holds values both backends compute bit for bit from exact inputs.

const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'];
const mutateActivation = (a, rng) => ({ ...a, activation: pick(rng, ACTIVATIONS.filter((x) => x !== a.activation)), alpha: 0.05 + rng() * 0.3 });

function unaryOp(name, fn, { exactIn = false, exactOut = false, dtypes = [F32] } = {}) {
  return {
    name,
    exactOut,
    make: (g) => {
      const x = g.pickTensor({ dtypes, exact: exactIn });
      return x === null ? null : { ins: [x] };
    },
    run: (tf, [x]) => fn(tf, x),
  };
}

// The second operand of a binary op: the same tensor, another of the same shape, a scalar number,
// a weight broadcast along some dims, or a pool tensor of a broadcastable shape.
function binaryOp(name, fn, { exactIn = false, exactOut = false, dtype = F32, guardB = null, guardA = null, clean = false } = {}) {
  return {
    name,
    exactOut,
    clean,
    make: (g) => {
      const a = g.pickTensor({ dtypes: [dtype], exact: exactIn });
      if (a === null) return null;
      const shape = g.shapeOf(a);
      const kind = g.rng();
      if (kind < 0.2) return { ins: [a, a], attrs: { b: 'same' } };
      if (kind < 0.4) {
        const other = g.pickTensor({ dtypes: [dtype], exact: exactIn, shape });
        if (other !== null) return { ins: [a, other], attrs: { b: 'tensor' } };
      }
      if (kind < 0.6) return { ins: [a], attrs: { b: 'scalar', value: dtype === 'int32' ? int(g.rng, -3, 3) : Math.round(g.rng() * 16 - 8) / 4 } };
      if (kind < 0.85 || exactIn) {
        const wshape = shape.map((d) => (g.rng() < 0.5 ? 1 : d)).slice(int(g.rng, 0, shape.length));
        return { ins: [a], attrs: { b: 'weight', swap: g.rng() < 0.3 }, weights: [{ shape: wshape, dtype }] };
      }
      const other = g.pickTensor({ dtypes: [dtype], broadcastTo: shape });
      return other === null ? null : { ins: [a, other], attrs: { b: 'tensor', swap: g.rng() < 0.5 } };
    },
    run: (tf, ins, attrs, w) => {
      let [a, b] = ins;
      if (attrs.b === 'same') b = a;
      if (attrs.b === 'scalar') b = tf.scalar(attrs.value, dtype);
      if (attrs.b === 'weight') b = w[0];
      if (attrs.swap) [a, b] = [b, a];
      if (guardA) a = guardA(tf, a);
      if (guardB) b = guardB(tf, b);
      return fn(tf, a, b);
    },
    mutate: (a, rng) => (a.b === 'scalar' ? { ...a, value: a.value + (dtype === 'int32' ? 1 : 0.25 + rng()) } : null),
  };
}

const positive = (tf, x) => tf.add(tf.abs(x), 0.5);
const nonzeroInt = (tf, x) => tf.add(tf.abs(x), tf.scalar(1, 'int32'));

function rank4(g, opts = {}) {
  return g.pickTensor({ dtypes: [F32], rank: 4, ...opts });
}

const OPS = [
  // element-wise unary
  ...[['relu', (tf, x) => tf.relu(x), true], ['relu6', (tf, x) => tf.relu6(x), true], ['elu', (tf, x) => tf.elu(x)],
    ['sigmoid', (tf, x) => tf.sigmoid(x)], ['tanh', (tf, x) => tf.tanh(x)], ['softplus', (tf, x) => tf.softplus(x)],
    ['square', (tf, x) => tf.square(x)], ['abs', (tf, x) => tf.abs(x), true], ['neg', (tf, x) => tf.neg(x), true],
    ['cos', (tf, x) => tf.cos(tf.clipByValue(x, -50, 50))], ['sin', (tf, x) => tf.sin(tf.clipByValue(x, -50, 50))], ['erf', (tf, x) => tf.erf(x)],
    ['exp', (tf, x) => tf.exp(tf.clipByValue(x, -4, 4))], ['log', (tf, x) => tf.log(tf.add(tf.abs(x), 0.1))],
    ['sqrt', (tf, x) => tf.sqrt(tf.add(tf.abs(x), 0.1))], ['rsqrt', (tf, x) => tf.rsqrt(tf.add(tf.abs(x), 0.1))],
    ['reciprocal', (tf, x) => tf.reciprocal(positive(tf, x))], ['tan', (tf, x) => tf.tan(tf.clipByValue(x, -1.2, 1.2))],
    ['clone', (tf, x) => tf.clone(x), true],
  ].map(([name, fn, exactOut]) => unaryOp(name, fn, { exactOut })),
  { name: 'leakyRelu', make: (g) => { const x = g.pickTensor({ dtypes: [F32] }); return x === null ? null : { ins: [x], attrs: { alpha: 0.05 + g.rng() * 0.3 } }; },
    run: (tf, [x], a) => tf.leakyRelu(x, a.alpha), mutate: (a, rng) => ({ alpha: a.alpha + 0.1 + rng() * 0.2 }) },
  { name: 'clipByValue', exactOut: true,
    make: (g) => { const x = g.pickTensor({ dtypes: [F32] }); const lo = -int(g.rng, 0, 8) / 4; return x === null ? null : { ins: [x], attrs: { lo, hi: lo + int(g.rng, 1, 12) / 4 } }; },
    run: (tf, [x], a) => tf.clipByValue(x, a.lo, a.hi), mutate: (a) => ({ lo: a.lo - 0.25, hi: a.hi + 0.5 }) },
  { name: 'softmax', clean: true, make: (g) => { const x = g.pickTensor({ dtypes: [F32] }); return x === null ? null : { ins: [x] }; }, run: (tf, [x]) => tf.softmax(x) },
  { name: 'logSoftmax', clean: true, make: (g) => { const x = g.pickTensor({ dtypes: [F32] }); return x === null ? null : { ins: [x] }; }, run: (tf, [x]) => tf.logSoftmax(x) },
  // exact-only: the result jumps where the input crosses a boundary
  ...[['floor', (tf, x) => tf.floor(x)], ['ceil', (tf, x) => tf.ceil(x)], ['round', (tf, x) => tf.round(x)], ['sign', (tf, x) => tf.sign(x)],
    ['isNaN', (tf, x) => tf.isNaN(x)], ['isFinite', (tf, x) => tf.isFinite(x)], ['isInf', (tf, x) => tf.isInf(x)],
    ['castInt', (tf, x) => tf.cast(x, 'int32')], ['castBool', (tf, x) => tf.cast(x, 'bool')], ['step', (tf, x) => tf.step(x, 0.5)],
  ].map(([name, fn]) => unaryOp(name, fn, { exactIn: true, exactOut: true })),
  unaryOp('logicalNot', (tf, x) => tf.logicalNot(x), { dtypes: ['bool'], exactOut: true }),
  unaryOp('castFloat', (tf, x) => tf.cast(x, F32), { dtypes: ['int32', 'bool'], exactOut: true }),
  ...[['intNeg', (tf, x) => tf.neg(x)], ['intRelu', (tf, x) => tf.relu(x)]]
    .map(([name, fn]) => unaryOp(name, fn, { dtypes: ['int32'], exactOut: true })),
  // (clean: the CPU's abs of int32 goes through a Float32Array, rounding values beyond 2^24)
  { ...unaryOp('intAbs', (tf, x) => tf.abs(x), { dtypes: ['int32'], exactOut: true }), clean: true },
  { ...unaryOp('intSquare', (tf, x) => tf.square(x), { dtypes: ['int32'], exactOut: true }), clean: true },

  // element-wise binary
  binaryOp('add', (tf, a, b) => tf.add(a, b)),
  binaryOp('sub', (tf, a, b) => tf.sub(a, b)),
  binaryOp('mul', (tf, a, b) => tf.mul(a, b)),
  binaryOp('div', (tf, a, b) => tf.div(a, b), { guardB: positive }),
  binaryOp('maximum', (tf, a, b) => tf.maximum(a, b), { exactOut: true }),
  binaryOp('minimum', (tf, a, b) => tf.minimum(a, b), { exactOut: true }),
  binaryOp('squaredDifference', (tf, a, b) => tf.squaredDifference(a, b)),
  binaryOp('pow', (tf, a, b) => tf.pow(a, b), { guardA: positive, guardB: (tf, b) => tf.clipByValue(b, -2, 2) }),
  binaryOp('floorDiv', (tf, a, b) => tf.floorDiv(a, b), { exactIn: true, exactOut: true, guardB: positive, clean: true }), // (huge quotients: float32 against the CPU's double)
  binaryOp('atan2', (tf, a, b) => tf.atan2(a, b), { guardB: positive }), // a fallback kernel inside the graph (b > 0: the sign of a zero b
  // decides ±pi, and relu(-0) is -0 here, +0 on the CPU: docs/tfjs.md)
  binaryOp('intAdd', (tf, a, b) => tf.add(a, b), { dtype: 'int32', exactIn: true, exactOut: true }),
  binaryOp('intSub', (tf, a, b) => tf.sub(a, b), { dtype: 'int32', exactIn: true, exactOut: true }),
  // (clean: past 2^53 the CPU's product in a double has lost the low bits that int32 wrapping keeps)
  binaryOp('intMul', (tf, a, b) => tf.mul(a, b), { dtype: 'int32', exactIn: true, exactOut: true, clean: true }),
  binaryOp('intFloorDiv', (tf, a, b) => tf.floorDiv(a, b), { dtype: 'int32', exactIn: true, exactOut: true, guardB: nonzeroInt }),
  ...['equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual']
    .map((name) => binaryOp(name, (tf, a, b) => tf[name](a, b), { exactIn: true, exactOut: true })),
  ...['equal', 'greater', 'lessEqual']
    .map((name) => binaryOp(`int${name[0].toUpperCase()}${name.slice(1)}`, (tf, a, b) => tf[name](a, b), { dtype: 'int32', exactIn: true, exactOut: true })),
  ...['logicalAnd', 'logicalOr'].map((name) => ({
    name, exactOut: true,
    make: (g) => { const a = g.pickTensor({ dtypes: ['bool'] }); const b = a === null ? null : g.pickTensor({ dtypes: ['bool'], shape: g.shapeOf(a) }); return b === null ? null : { ins: [a, b] }; },
    run: (tf, [a, b]) => tf[name](a, b),
  })),
  { name: 'where', make: (g) => {
    const c = g.pickTensor({ dtypes: ['bool'] });
    if (c === null) return null;
    const a = g.pickTensor({ dtypes: [F32], shape: g.shapeOf(c) });
    return a === null ? null : { ins: [c, a], attrs: { other: g.rng() * 4 - 2 } };
  }, run: (tf, [c, a], at) => tf.where(c, a, tf.fill(a.shape, at.other)), mutate: (a) => ({ other: a.other + 1 }) },
  { name: 'prelu', make: (g) => {
    const x = g.pickTensor({ dtypes: [F32], minRank: 1 });
    if (x === null) return null;
    const shape = g.shapeOf(x);
    return { ins: [x], weights: [{ shape: g.rng() < 0.5 ? [shape[shape.length - 1]] : shape, lo: 0, hi: 0.5 }] };
  }, run: (tf, [x], a, [alpha]) => tf.prelu(x, alpha) },
  { name: 'addN', make: (g) => {
    const a = g.pickTensor({ dtypes: [F32] });
    const b = a === null ? null : g.pickTensor({ dtypes: [F32], shape: g.shapeOf(a) });
    return b === null ? null : { ins: [a, b, a] };
  }, run: (tf, ins) => tf.addN(ins) },

  // data movement (exact: they copy)
  { name: 'reshape', exactOut: true, make: (g) => {
    const x = g.pickTensor({});
    if (x === null) return null;
    return { ins: [x], attrs: { shape: g.factorize(size(g.shapeOf(x))) } };
  }, run: (tf, [x], a) => tf.reshape(x, a.shape) },
  { name: 'expandDims', exactOut: true, make: (g) => {
    const x = g.pickTensor({ maxRank: 3 });
    return x === null ? null : { ins: [x], attrs: { axis: int(g.rng, 0, g.shapeOf(x).length) } };
  }, run: (tf, [x], a) => tf.expandDims(x, a.axis) },
  { name: 'transpose', exactOut: true, make: (g) => {
    const x = g.pickTensor({ minRank: 2 });
    if (x === null) return null;
    const perm = range(g.shapeOf(x).length).sort(() => g.rng() - 0.5);
    return { ins: [x], attrs: { perm } };
  }, run: (tf, [x], a) => tf.transpose(x, a.perm),
  // another permutation that gives the same shape (where dims repeat)
  mutate: (a, rng, shapes) => {
    const shape = shapes[0];
    for (let t = 0; t < 10; t++) {
      const perm = range(shape.length).sort(() => rng() - 0.5);
      if (perm.join() !== a.perm.join() && perm.every((p, i) => shape[p] === shape[a.perm[i]])) return { perm };
    }
    return null;
  } },
  { name: 'slice', exactOut: true, make: (g) => {
    const x = g.pickTensor({ minRank: 1 });
    if (x === null) return null;
    const shape = g.shapeOf(x);
    const sz = shape.map((d) => int(g.rng, 1, d));
    return { ins: [x], attrs: { begin: shape.map((d, i) => int(g.rng, 0, d - sz[i])), size: sz } };
  }, run: (tf, [x], a) => tf.slice(x, a.begin, a.size),
  mutate: (a, rng, shapes) => {
    const i = a.begin.findIndex((b, k) => a.size[k] < shapes[0][k]);
    if (i < 0) return null;
    const begin = a.begin.slice();
    begin[i] = (begin[i] + 1) % (shapes[0][i] - a.size[i] + 1);
    return { ...a, begin };
  } },
  { name: 'stridedSlice', exactOut: true, make: (g) => {
    const x = g.pickTensor({ minRank: 1 });
    if (x === null) return null;
    const shape = g.shapeOf(x);
    const begin = shape.map((d) => int(g.rng, 0, d - 1));
    const strides = shape.map(() => int(g.rng, 1, 2));
    return { ins: [x], attrs: { begin, end: shape.map((d, i) => int(g.rng, begin[i] + 1, d)), strides } };
  }, run: (tf, [x], a) => tf.stridedSlice(x, a.begin, a.end, a.strides) },
  { name: 'concat', exactOut: true, make: (g) => {
    const a = g.pickTensor({ minRank: 1 });
    if (a === null) return null;
    const shape = g.shapeOf(a);
    const b = g.pickTensor({ shape, dtypes: [g.dtypeOf(a)] });
    return { ins: b === null ? [a, a] : [a, b, a], attrs: { axis: int(g.rng, 0, shape.length - 1) } };
  }, run: (tf, ins, a) => tf.concat(ins, a.axis) },
  { name: 'stack', exactOut: true, make: (g) => {
    const a = g.pickTensor({ maxRank: 3 });
    return a === null ? null : { ins: [a, a], attrs: { axis: int(g.rng, 0, g.shapeOf(a).length) } };
  }, run: (tf, ins, a) => tf.stack(ins, a.axis) },
  { name: 'split', exactOut: true, make: (g) => {
    const x = g.pickTensor({ minRank: 1 });
    if (x === null) return null;
    const shape = g.shapeOf(x);
    const axis = int(g.rng, 0, shape.length - 1);
    if (shape[axis] < 2) return null;
    const first = int(g.rng, 1, shape[axis] - 1);
    return { ins: [x], attrs: { sizes: [first, shape[axis] - first], axis } };
  }, run: (tf, [x], a) => tf.split(x, a.sizes, a.axis) },
  { name: 'unstack', exactOut: true, make: (g) => {
    const x = g.pickTensor({ minRank: 2 });
    if (x === null) return null;
    const shape = g.shapeOf(x);
    const axis = int(g.rng, 0, shape.length - 1);
    return shape[axis] > 4 ? null : { ins: [x], attrs: { axis } };
  }, run: (tf, [x], a) => tf.unstack(x, a.axis) },
  { name: 'tile', exactOut: true, make: (g) => {
    const x = g.pickTensor({ minRank: 1 });
    return x === null ? null : { ins: [x], attrs: { reps: g.shapeOf(x).map(() => int(g.rng, 1, 2)) } };
  }, run: (tf, [x], a) => tf.tile(x, a.reps) },
  { name: 'reverse', exactOut: true, make: (g) => {
    const x = g.pickTensor({ minRank: 1 });
    if (x === null) return null;
    const axes = range(g.shapeOf(x).length).filter(() => g.rng() < 0.5);
    return { ins: [x], attrs: { axes: axes.length ? axes : [0] } };
  }, run: (tf, [x], a) => tf.reverse(x, a.axes),
  mutate: (a, rng, shapes) => {
    const axes = range(shapes[0].length).filter((i) => !a.axes.includes(i));
    return axes.length ? { axes } : null;
  } },
  { name: 'pad', exactOut: true, make: (g) => {
    const x = g.pickTensor({ minRank: 1 });
    if (x === null) return null;
    // (a value the dtype holds: TF.js stores 1.5 in a bool tensor as 1, -2.25 as 254)
    const values = { float32: [0, 1.5, -2.25], int32: [0, 3, -2], bool: [0, 1] }[g.dtypeOf(x)];
    return { ins: [x], attrs: { paddings: g.shapeOf(x).map(() => [int(g.rng, 0, 2), int(g.rng, 0, 2)]), value: values[0], values } };
  }, run: (tf, [x], a) => tf.pad(x, a.paddings, a.value), mutate: (a, rng) => ({ ...a, value: pick(rng, a.values.slice(1)) }) },
  { name: 'mirrorPad', exactOut: true, make: (g) => {
    const x = g.pickTensor({ minRank: 1 });
    return x === null ? null : { ins: [x], attrs: { paddings: g.shapeOf(x).map((d) => [int(g.rng, 0, Math.min(2, d - 1)), int(g.rng, 0, Math.min(2, d - 1))]), mode: g.rng() < 0.7 ? 'reflect' : 'symmetric' } };
  }, run: (tf, [x], a) => tf.mirrorPad(x, a.paddings, a.mode) },
  { name: 'gather', exactOut: true, make: (g) => {
    const x = g.pickTensor({ minRank: 1 });
    if (x === null) return null;
    const shape = g.shapeOf(x);
    const axis = int(g.rng, 0, shape.length - 1);
    return { ins: [x], attrs: { axis, indices: Array.from({ length: int(g.rng, 1, 5) }, () => int(g.rng, 0, shape[axis] - 1)) } };
  }, run: (tf, [x], a) => tf.gather(x, tf.tensor1d(a.indices, 'int32'), a.axis),
  mutate: (a) => ({ ...a, indices: a.indices.slice().reverse().map((v, i) => (i === 0 ? 0 : v)) }) },
  { name: 'gatherND', exactOut: true, make: (g) => {
    const x = g.pickTensor({ minRank: 2 });
    if (x === null) return null;
    const shape = g.shapeOf(x);
    const depth = int(g.rng, 1, shape.length);
    const n = int(g.rng, 1, 4);
    return { ins: [x], attrs: { indices: Array.from({ length: n }, () => shape.slice(0, depth).map((d) => int(g.rng, 0, d - 1))) } };
  }, run: (tf, [x], a) => tf.gatherND(x, tf.tensor2d(a.indices, undefined, 'int32')) },
  { name: 'depthToSpace', exactOut: true, make: (g) => {
    const x = rank4(g);
    return x !== null && g.shapeOf(x)[3] % 4 === 0 ? { ins: [x] } : null;
  }, run: (tf, [x]) => tf.depthToSpace(x, 2, 'NHWC') },
  { name: 'oneHot', exactOut: true, make: (g) => ({ ins: [], attrs: { indices: Array.from({ length: int(g.rng, 1, 6) }, () => int(g.rng, -1, 4)), depth: 4, on: 1, off: pick(g.rng, [0, -1]) } }),
    run: (tf, ins, a) => tf.oneHot(tf.tensor1d(a.indices, 'int32'), a.depth, a.on, a.off), mutate: (a) => ({ ...a, on: 2 }) },
  { name: 'fill', exactOut: true, make: (g) => ({ ins: [], attrs: { shape: g.randomShape(), value: int(g.rng, -8, 8) / 4 } }),
    run: (tf, ins, a) => tf.fill(a.shape, a.value), mutate: (a) => ({ ...a, value: a.value + 1 }) },
  { name: 'zerosLike', exactOut: true, make: (g) => { const x = g.pickTensor({}); return x === null ? null : { ins: [x] }; }, run: (tf, [x]) => tf.zerosLike(x) },
  { name: 'onesLike', exactOut: true, make: (g) => { const x = g.pickTensor({}); return x === null ? null : { ins: [x] }; }, run: (tf, [x]) => tf.onesLike(x) },
  { name: 'range', exactOut: true, make: (g) => ({ ins: [], attrs: { start: int(g.rng, -3, 3), n: int(g.rng, 1, 8), step: pick(g.rng, [1, 2, -1]) } }),
    run: (tf, ins, a) => tf.range(a.start, a.start + a.n * a.step, a.step), mutate: (a) => ({ ...a, start: a.start + 1 }) },
  { name: 'resizeBilinear', clean: true, make: (g) => {
    const x = rank4(g);
    return x === null ? null : { ins: [x], attrs: { size: [int(g.rng, 1, 9), int(g.rng, 1, 9)] } };
  }, run: (tf, [x], a) => tf.image.resizeBilinear(x, a.size, false, true) },
  { name: 'cumsum', clean: true, make: (g) => {
    const x = g.pickTensor({ minRank: 1, dtypes: [F32] });
    return x === null ? null : { ins: [x], attrs: { axis: int(g.rng, 0, g.shapeOf(x).length - 1), exclusive: g.rng() < 0.5, reverse: g.rng() < 0.5 } };
  }, run: (tf, [x], a) => tf.cumsum(x, a.axis, a.exclusive, a.reverse),
  mutate: (a, rng) => (rng() < 0.5 ? { ...a, exclusive: !a.exclusive } : { ...a, reverse: !a.reverse }) },

  // reductions
  ...['sum', 'mean', 'max', 'min', 'prod'].map((name) => ({
    name, exactOut: name === 'max' || name === 'min',
    make: (g) => {
      const x = g.pickTensor({ minRank: 1, dtypes: [F32] });
      if (x === null) return null;
      const axes = range(g.shapeOf(x).length).filter(() => g.rng() < 0.5);
      return { ins: [x], attrs: { axes: axes.length ? axes : null, keepDims: g.rng() < 0.4 } };
    },
    run: (tf, [x], a) => tf[name](name === 'prod' ? tf.clipByValue(x, -1.5, 1.5) : x, a.axes, a.keepDims),
  })),
  ...['sum', 'max', 'min'].map((name) => ({
    name: `int${name[0].toUpperCase()}${name.slice(1)}`, exactOut: true, clean: true,
    make: (g) => {
      const x = g.pickTensor({ minRank: 1, dtypes: ['int32'] });
      return x === null ? null : { ins: [x], attrs: { axes: [int(g.rng, 0, g.shapeOf(x).length - 1)], keepDims: g.rng() < 0.4 } };
    },
    run: (tf, [x], a) => tf[name](x, a.axes, a.keepDims),
  })),
  ...['argMax', 'argMin'].map((name) => ({
    name, exactOut: true,
    make: (g) => { const x = g.pickTensor({ minRank: 1, dtypes: [F32], exact: true }); return x === null ? null : { ins: [x], attrs: { axis: int(g.rng, 0, g.shapeOf(x).length - 1) } }; },
    run: (tf, [x], a) => tf[name](x, a.axis),
  })),

  // networks
  { name: 'conv2d', clean: true, make: (g) => convMake(g, false), run: (tf, [x], a, w) => convRun(tf, x, a, w, false),
    mutate: (a, rng) => (a.fused ? mutateActivation(a, rng) : null) },
  { name: 'depthwiseConv2d', clean: true, make: (g) => convMake(g, true), run: (tf, [x], a, w) => convRun(tf, x, a, w, true),
    mutate: (a, rng) => (a.fused ? mutateActivation(a, rng) : null) },
  { name: 'conv2dTranspose', clean: true, make: (g) => {
    const x = rank4(g);
    if (x === null) return null;
    const [n, h, w, c] = g.shapeOf(x);
    const k = int(g.rng, 1, 3), s = int(g.rng, 1, 2), pad = pick(g.rng, ['same', 'valid']), oc = int(g.rng, 1, 4);
    const out = pad === 'same' ? [h * s, w * s] : [(h - 1) * s + k, (w - 1) * s + k];
    return { ins: [x], attrs: { k, s, pad, outShape: [n, ...out, oc] }, weights: [{ shape: [k, k, oc, c], lo: -0.5, hi: 0.5 }] };
  }, run: (tf, [x], a, [f]) => tf.conv2dTranspose(x, f, a.outShape, a.s, a.pad) },
  { name: 'pool', clean: true, make: (g) => {
    const x = rank4(g);
    if (x === null) return null;
    const [, h, w] = g.shapeOf(x);
    const fh = int(g.rng, 1, Math.min(3, h)), fw = int(g.rng, 1, Math.min(3, w));
    return { ins: [x], attrs: { kind: pick(g.rng, ['avgPool', 'maxPool']), f: [fh, fw], s: int(g.rng, 1, 2), pad: pick(g.rng, ['same', 'valid']) } };
  }, run: (tf, [x], a) => tf[a.kind](x, a.f, a.s, a.pad),
  mutate: (a) => ({ ...a, kind: a.kind === 'avgPool' ? 'maxPool' : 'avgPool' }) },
  { name: 'matMul', clean: true, make: (g) => {
    const a = g.pickTensor({ dtypes: [F32], minRank: 2, maxRank: 3 });
    if (a === null) return null;
    const sa = g.shapeOf(a);
    const tA = g.rng() < 0.3, tB = g.rng() < 0.3;
    const r = sa.length;
    const k = tA ? sa[r - 2] : sa[r - 1];
    const n = int(g.rng, 1, 6);
    const bShape = [...sa.slice(0, r - 2), ...(tB ? [n, k] : [k, n])];
    const fused = g.rng() < 0.5;
    const attrs = { tA, tB, fused, activation: pick(g.rng, ACTIVATIONS), alpha: 0.1, bias: fused && g.rng() < 0.7 };
    const b = g.rng() < 0.4 ? g.pickTensor({ dtypes: [F32], shape: bShape }) : null;
    const weights = b === null ? [{ shape: bShape, lo: -0.6, hi: 0.6 }] : [];
    if (attrs.bias) weights.push({ shape: [n], lo: -0.5, hi: 0.5 });
    return { ins: b === null ? [a] : [a, b], attrs, weights };
  }, run: (tf, ins, a, w) => {
    const b = ins.length > 1 ? ins[1] : w.shift();
    if (!a.fused) return tf.matMul(ins[0], b, a.tA, a.tB);
    return tf.fused.matMul({ a: ins[0], b, transposeA: a.tA, transposeB: a.tB, bias: a.bias ? w[0] : undefined, activation: a.activation, leakyreluAlpha: a.alpha });
  }, mutate: (a, rng) => (a.fused ? mutateActivation(a, rng) : null) },
  { name: 'batchNorm', clean: true, make: (g) => {
    const x = g.pickTensor({ dtypes: [F32], minRank: 2 });
    if (x === null) return null;
    const c = g.shapeOf(x).at(-1);
    return { ins: [x], attrs: { eps: pick(g.rng, [1e-3, 0.1, 0.5]), scale: g.rng() < 0.7, offset: g.rng() < 0.7 },
      weights: [{ shape: [c] }, { shape: [c], lo: 0.3, hi: 1.5 }, { shape: [c], lo: 0.5, hi: 1.5 }, { shape: [c] }] };
  }, run: (tf, [x], a, [mean, variance, scale, offset]) => tf.batchNorm(x, mean, variance, a.offset ? offset : undefined, a.scale ? scale : undefined, a.eps),
  mutate: (a) => ({ ...a, eps: a.eps * 3 }) },
  { name: 'selu', make: (g) => { const x = g.pickTensor({ dtypes: [F32] }); return x === null ? null : { ins: [x] }; }, run: (tf, [x]) => tf.selu(x) },
];

function convMake(g, depthwise) {
  const x = rank4(g);
  if (x === null) return null;
  const [, h, w, c] = g.shapeOf(x);
  const kh = int(g.rng, 1, Math.min(3, h)), kw = int(g.rng, 1, Math.min(3, w));
  const strided = g.rng() < 0.3;
  const s = strided ? 2 : 1, d = !strided && g.rng() < 0.2 ? 2 : 1;
  const pad = pick(g.rng, ['same', 'valid']);
  if (pad === 'valid' && (h < (kh - 1) * d + 1 || w < (kw - 1) * d + 1)) return null;
  const oc = depthwise ? c * int(g.rng, 1, 2) : int(g.rng, 1, 6);
  const fused = g.rng() < 0.5;
  const attrs = { s, d, pad, fused, bias: fused && g.rng() < 0.7, activation: pick(g.rng, ACTIVATIONS), alpha: 0.2 };
  const weights = [{ shape: depthwise ? [kh, kw, c, oc / c] : [kh, kw, c, oc], lo: -0.5, hi: 0.5 }];
  if (attrs.bias) weights.push({ shape: [oc], lo: -0.5, hi: 0.5 });
  return { ins: [x], attrs, weights };
}

function convRun(tf, x, a, [filter, bias], depthwise) {
  if (!a.fused) return depthwise ? tf.depthwiseConv2d(x, filter, a.s, a.pad, 'NHWC', a.d) : tf.conv2d(x, filter, a.s, a.pad, 'NHWC', a.d);
  const args = { x, filter, strides: a.s, pad: a.pad, dataFormat: 'NHWC', dilations: a.d, bias: a.bias ? bias : undefined, activation: a.activation, leakyreluAlpha: a.alpha };
  return depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
}

const OP_BY_NAME = new Map(OPS.map((op) => [op.name, op]));

// A variable's update from its own value (as an optimizer step writes a weight).
function assignUpdate(tf, v) {
  const next = tf.tidy(() => tf.add(tf.mul(v, 0.5), 0.25));
  v.assign(next);
  next.dispose();
}

// ---- Generation (on the CPU backend) ----

class Generator {
  constructor(rng) {
    this.rng = rng;
    this.pool = []; // { id, shape, dtype, exact, special, live, variable }
    this.clean = false; // the op being drawn reads no tensor a special input reaches
  }

  randomShape() {
    const rank = int(this.rng, 0, 4);
    return range(rank).map(() => int(this.rng, 1, rank >= 3 ? 5 : 7));
  }

  shapeOf(id) { return this.pool[id].shape; }
  dtypeOf(id) { return this.pool[id].dtype; }

  // A live pool tensor matching the filters, or null. Recent tensors are preferred (chains).
  pickTensor({ dtypes = null, exact = false, shape = null, rank = null, minRank = 0, maxRank = 4, broadcastTo = null }) {
    const ok = this.pool.filter((t) => t.live && (!dtypes || dtypes.includes(t.dtype)) && (!exact || t.exact) && (!this.clean || !t.special) &&
      (!shape || t.shape.join() === shape.join()) && (rank === null || t.shape.length === rank) &&
      t.shape.length >= minRank && t.shape.length <= maxRank && size(t.shape) > 0 &&
      (!broadcastTo || (t.shape.length <= broadcastTo.length && t.shape.every((d, i) => d === 1 || d === broadcastTo[broadcastTo.length - t.shape.length + i]))));
    if (ok.length === 0) return null;
    const i = Math.min(ok.length - 1, Math.floor(ok.length * Math.sqrt(this.rng())));
    return ok[i].id;
  }

  factorize(n) {
    const dims = [];
    let rest = n;
    for (let d = 2; d <= rest && dims.length < 3;) {
      if (rest % d === 0 && this.rng() < 0.6) { dims.push(d); rest /= d; } else d++;
    }
    if (rest > 1 || dims.length === 0) dims.push(rest);
    return dims.sort(() => this.rng() - 0.5);
  }
}

// A program: inputs (shapes, dtypes), then steps:
//   { kind: 'op', op, ins, attrs, weights, outs: [ids] }
//   { kind: 'read', id, async }   { kind: 'dispose', id }   { kind: 'tidy', steps, keep: [ids] }
//   { kind: 'variable', id, out }   { kind: 'assign', id, src }
export function generateProgram(tf, seed) {
  const rng = mulberry32(seed * 2654435761);
  const g = new Generator(rng);
  const program = { seed, inputs: [], steps: [] };
  const tensors = []; // CPU tensors by pool id (generation runs the program on the CPU)
  const nInputs = int(rng, 1, 3);
  for (let i = 0; i < nInputs; i++) {
    const shape = rng() < 0.5 ? [int(rng, 1, 2), int(rng, 2, 7), int(rng, 2, 7), int(rng, 1, 4)] : g.randomShape();
    const dtype = rng() < 0.85 ? F32 : 'int32';
    const special = dtype === F32 && rng() < 1 / 6;
    program.inputs.push({ shape, dtype, special });
    g.pool.push({ id: i, shape, dtype, exact: true, special, live: true });
    tensors.push(tf.tensor(inputValues(seed * 31 + i, size(shape), dtype, special), shape, dtype));
  }
  let wid = 0;
  const genSteps = (into, budget, depth) => {
    for (let n = 0; n < budget; n++) {
      const r = rng();
      const live = g.pool.filter((t) => t.live);
      if (r < 0.06 && live.length) { into.push({ kind: 'read', id: pick(rng, live).id, async: depth === 0 && rng() < 0.5 }); continue; }
      if (r < 0.12 && live.length > 2) {
        const t = pick(rng, live);
        t.live = false;
        into.push({ kind: 'dispose', id: t.id });
        continue;
      }
      // A variable (sharing its initial value's data, not disposed by tidy, so only at the top
      // level), or a value assigned to one (a weight update between predicts).
      if (r < 0.21 && r >= 0.16 && depth === 0 && live.length) {
        const vars = live.filter((t) => t.variable);
        const target = vars.length && rng() < 0.7 ? pick(rng, vars) : null;
        const same = target && live.filter((t) => t !== target && t.dtype === target.dtype && t.shape.join() === target.shape.join());
        const src = target ? (same.length ? pick(rng, same) : null) : pick(rng, live);
        if (target && src) {
          into.push({ kind: 'assign', id: target.id, src: src.id });
          Object.assign(target, { exact: src.exact, special: src.special });
          tensors[target.id].assign(tensors[src.id]);
        } else if (target && target.dtype === F32) { // v.assign(v * 0.5 + 0.25): an update from v itself
          into.push({ kind: 'assign', id: target.id, src: null });
          target.exact = false;
          assignUpdate(tf, tensors[target.id]);
        } else if (!target) {
          const id = g.pool.length;
          g.pool.push({ ...src, id, variable: true, live: true });
          tensors.push(tf.variable(tensors[src.id]));
          into.push({ kind: 'variable', id: src.id, out: id });
        }
        continue;
      }
      if (r < 0.16 && depth < 2) {
        const tidy = { kind: 'tidy', steps: [], keep: [] };
        const first = g.pool.length;
        genSteps(tidy.steps, int(rng, 2, 6), depth + 1);
        for (const t of g.pool.slice(first).filter((x) => x.live)) {
          if (rng() < 0.4) tidy.keep.push(t.id);
          else t.live = false; // disposed by the tidy
        }
        into.push(tidy);
        continue;
      }
      for (let attempt = 0; attempt < 8; attempt++) {
        const op = OPS[Math.floor(rng() * OPS.length)];
        g.clean = !!op.clean;
        const made = op.make(g);
        if (!made) continue;
        const step = { kind: 'op', op: op.name, ins: made.ins, attrs: made.attrs ?? {}, weights: made.weights ?? [], wid: wid++ };
        let outs;
        try {
          outs = tf.tidy(() => {
            const out = op.run(tf, step.ins.map((id) => tensors[id]), step.attrs, makeWeights(tf, step, seed));
            return Array.isArray(out) ? out : [out];
          });
        } catch {
          continue; // TF.js rejects these arguments: draw another
        }
        if (outs.some((t) => size(t.shape) > 4096)) { // keep tensors small
          tf.dispose(outs);
          continue;
        }
        const exact = op.exactOut && step.ins.every((id) => g.pool[id].exact);
        const special = step.ins.some((id) => g.pool[id].special);
        step.outs = outs.map((t) => {
          const id = g.pool.length;
          g.pool.push({ id, shape: t.shape, dtype: t.dtype, exact: !!exact, special, live: true });
          tensors.push(t);
          return id;
        });
        into.push(step);
        break;
      }
    }
  };
  genSteps(program.steps, int(rng, 4, 24), 0);
  tf.dispose(tensors.filter((t) => !t.isDisposed));
  program.shapes = g.pool.map((t) => t.shape);
  return program;
}

// A step's weights on the current backend, from weightSeed (created from JS: TF.js's model weights).
function makeWeights(tf, step, weightSeed) {
  return step.weights.map((w, k) => tf.tensor(values(weightSeed * 977 + step.wid * 101 + k, size(w.shape), w.dtype ?? F32, w.lo ?? -1, w.hi ?? 1), w.shape, w.dtype ?? F32));
}

// ---- Running a program on the current backend ----

// Every op step's weights on the current backend (kept by `map` across runs, as a model keeps its
// weights across predicts).
export function prepareWeights(tf, program, map, weightSeed) {
  for (const step of opSteps(program.steps)) if (!map.has(step)) map.set(step, makeWeights(tf, step, weightSeed));
  return map;
}

// Runs `program` (optionally with one step's attributes replaced): inputs from valueSeed, weights
// from `weights` (prepareWeights()). Returns the values read, in order: [{ label, dtype, shape, values }].
export async function runProgram(tf, program, { valueSeed, weights, mutation = null }) {
  const reads = [];
  const tensors = program.inputs.map((inp, i) => tf.tensor(inputValues(valueSeed * 31 + i, size(inp.shape), inp.dtype, inp.special), inp.shape, inp.dtype));
  const record = (label, t, v) => reads.push({ label, dtype: t.dtype, shape: t.shape, values: Array.from(v) });
  const weightsOf = (step) => weights.get(step).slice();
  const runSync = (steps) => {
    for (const step of steps) {
      if (step.kind === 'op') {
        const op = OP_BY_NAME.get(step.op);
        const attrs = mutation && mutation.step === step ? mutation.attrs : step.attrs;
        const out = tf.tidy(() => op.run(tf, step.ins.map((id) => tensors[id]), attrs, weightsOf(step))); // (frees the guards' temporaries)
        (Array.isArray(out) ? out : [out]).forEach((t, k) => { tensors[step.outs[k]] = t; });
      } else if (step.kind === 'read') {
        record(`read t${step.id}`, tensors[step.id], tensors[step.id].dataSync());
      } else if (step.kind === 'dispose') {
        tensors[step.id].dispose();
      } else if (step.kind === 'variable') {
        tensors[step.out] = tf.variable(tensors[step.id]);
      } else if (step.kind === 'assign') {
        if (step.src === null) assignUpdate(tf, tensors[step.id]);
        else tensors[step.id].assign(tensors[step.src]);
      } else if (step.kind === 'tidy') {
        const kept = tf.tidy(() => {
          runSync(step.steps);
          return step.keep.map((id) => tensors[id]);
        });
        step.keep.forEach((id, k) => { tensors[id] = kept[k]; });
      }
    }
  };
  // Top-level steps run one at a time so that reads may be async.
  for (const step of program.steps) {
    if (step.kind === 'read' && step.async) {
      record(`read t${step.id} (async)`, tensors[step.id], await tensors[step.id].data());
    } else {
      runSync([step]);
    }
  }
  // Finally every live tensor, newest first.
  const live = tensors.map((t, id) => [t, id]).filter(([t]) => t && !t.isDisposed).reverse();
  for (const [t, id] of live) record(`final t${id}`, t, await t.data());
  tf.dispose(live.map(([t]) => t));
  return reads;
}

// Every op step, nested ones too.
function opSteps(steps, out = []) {
  for (const s of steps) {
    if (s.kind === 'op') out.push(s);
    if (s.kind === 'tidy') opSteps(s.steps, out);
  }
  return out;
}

// One attribute changed, every shape kept: { step, attrs } or null.
function chooseMutation(program, generatorShapes, rng) {
  const candidates = opSteps(program.steps).filter((s) => OP_BY_NAME.get(s.op).mutate);
  while (candidates.length) {
    const s = candidates.splice(Math.floor(rng() * candidates.length), 1)[0];
    const attrs = OP_BY_NAME.get(s.op).mutate(s.attrs, rng, s.ins.map((id) => generatorShapes[id]));
    if (attrs) return { step: s, attrs: { ...s.attrs, ...attrs } };
  }
  return null;
}

// Tolerance: floats within 1e-3 relative plus 1e-4 of the tensor's scale; NaN and Inf exactly;
// ints and bools exactly.
function compareReads(got, want) {
  if (got.length !== want.length) return `read ${got.length} tensors, the CPU ${want.length}`;
  for (let r = 0; r < want.length; r++) {
    const g = got[r], w = want[r];
    if (g.label !== w.label) return `read ${g.label} where the CPU read ${w.label}`;
    if (g.dtype !== w.dtype || g.shape.join() !== w.shape.join()) return `${w.label}: ${g.dtype}[${g.shape}] against the CPU's ${w.dtype}[${w.shape}]`;
    let scale = 1;
    for (const v of w.values) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < w.values.length; i++) {
      const a = g.values[i], b = w.values[i];
      if (Object.is(a, b) || a === b) continue;
      const bad = w.dtype !== F32 || Number.isNaN(a) !== Number.isNaN(b) || !Number.isFinite(b) || !Number.isFinite(a) ||
        Math.abs(a - b) > 1e-3 * Math.abs(b) + 1e-4 * scale;
      if (bad) return `${w.label} ${w.dtype}[${w.shape}] element ${i}: ${a}, the CPU ${b}`;
    }
  }
  return null;
}

export function formatProgram(program, mutation = null) {
  const lines = [`inputs: ${program.inputs.map((x, i) => `t${i}: ${x.dtype}[${x.shape}]`).join(', ')}`];
  const walk = (steps, indent) => {
    for (const s of steps) {
      if (s.kind === 'op') {
        const m = mutation && mutation.step === s ? `  -> D: ${JSON.stringify(mutation.attrs)}` : '';
        lines.push(`${indent}t${s.outs.join(',t')} = ${s.op}(${s.ins.map((i) => `t${i}`).join(', ')}) ${JSON.stringify(s.attrs)}` +
          `${s.weights.length ? ` weights ${s.weights.map((w) => `[${w.shape}]`).join(' ')}` : ''}${m}`);
      } else if (s.kind === 'tidy') {
        lines.push(`${indent}tidy (keeps ${s.keep.map((i) => `t${i}`).join(', ') || 'nothing'}) {`);
        walk(s.steps, `${indent}  `);
        lines.push(`${indent}}`);
      } else if (s.kind === 'variable') {
        lines.push(`${indent}t${s.out} = tf.variable(t${s.id})`);
      } else if (s.kind === 'assign') {
        lines.push(`${indent}t${s.id}.assign(${s.src === null ? `t${s.id} * 0.5 + 0.25` : `t${s.src}`})`);
      } else {
        lines.push(`${indent}${s.kind} t${s.id}${s.async ? ' (async)' : ''}`);
      }
    }
  };
  walk(program.steps, '  ');
  return lines.join('\n');
}

// The Wasm heap held full through the WebNN API (`ml`), down to the last byte, for the fuzzers'
// heap-pressure mode. Around each run of ours:
//   squeeze(be, bytes): frees the backend's caches (freeIdleMemory), then gives back at least
//                       `bytes` (the smallest pieces first)
//   restore(be, tensorsKept): frees the caches again, takes back what is free; returns a failure
//                       message if heap bytes were left in use. A few bytes come and go with the
//                       engine contexts' last error messages (a longer or shorter string each time):
//                       a leak shows as bytes that add up, over 256 in a run or 4 KiB in all. A run
//                       that kept tensors for good (tf.layers caches a scalar per value it uses, on
//                       the CPU too: the model fuzzer's tensor count allows them) is not counted.
export async function holdHeap(ml) {
  const ctx = await ml.createContext();
  const held = []; // uint8 MLTensors
  let inUse = 0;
  let keptInAll = 0;
  await fillHeap(ctx, held, 1);
  return {
    squeeze(be, bytes) {
      be.freeIdleMemory();
      held.sort((a, b) => a.shape[0] - b.shape[0]);
      for (let freed = 0; freed < bytes && held.length;) {
        const t = held.shift();
        freed += t.shape[0];
        t.destroy();
      }
      inUse = heapStats().bytesInUse;
    },
    async restore(be, tensorsKept = false) {
      be.flush();
      be.freeIdleMemory();
      const kept = tensorsKept ? 0 : heapStats().bytesInUse - inUse;
      keptInAll += kept;
      await fillHeap(ctx, held, 1);
      return kept > 256 || keptInAll > 4096 ? `${kept} bytes of the Wasm heap still in use after the run (${keptInAll} in all)` : null;
    },
    release() {
      for (const t of held) t.destroy();
      held.length = 0;
      ctx.destroy();
    },
  };
}

// Runs fn() (async) in a scope of its own: if it throws half-way (out of memory), the tensors it
// made go with the scope and the variables it made are disposed, as its own code would have.
export async function cleanedUp(tf, fn) {
  const variables = tf.engine().state.registeredVariables;
  const before = new Set(Object.keys(variables));
  tf.engine().startScope();
  try {
    return await fn();
  } catch (e) {
    for (const name of Object.keys(variables)) if (!before.has(name)) variables[name].dispose();
    throw e;
  } finally {
    tf.engine().endScope();
  }
}

// Runs programs seed .. seed + count - 1 on 'cpu' and `backendName`; returns the failures.
export async function runTfjsFuzz(tf, { backendName, seed, count, log = () => {}, maxFailures = 5, heap = null }) {
  const stats = { programs: 0, steps: 0, ops: new Set(), fallbackKernels: new Map(), mutations: 0, outOfMemory: 0, failures: [] };
  const backend = () => tf.findBackend(backendName);
  await tf.setBackend(backendName);
  const fallbacksBefore = new Map(backend().stats.fallbackKernels);
  for (let p = 0; p < count && stats.failures.length < maxFailures; p++) {
    const s = seed + p;
    await tf.setBackend('cpu');
    const program = generateProgram(tf, s);
    const mutation = chooseMutation(program, program.shapes, mulberry32(s ^ 0x5bd1e995));
    stats.programs++;
    stats.steps += opSteps(program.steps).length;
    for (const st of opSteps(program.steps)) stats.ops.add(st.op);
    if (mutation) stats.mutations++;
    const runs = heap ? [['P', { valueSeed: s, weightSeed: s }]] : [['A', { valueSeed: s, weightSeed: s }], ['B', { valueSeed: s + 7777, weightSeed: s }],
      ['C', { valueSeed: s, weightSeed: s + 5555 }], ...(mutation ? [['D', { valueSeed: s, weightSeed: s, mutation }]] : [])];
    const weights = { cpu: [new Map(), new Map()], ours: [new Map(), new Map()] };
    await tf.setBackend(backendName);
    const be = backend();
    be.flush();
    // A third of the programs flush at a small size limit (graphs cut mid-program) and a fifth keep
    // only one or two compiled graphs (evicted while the runs still need them).
    const limits = mulberry32(s ^ 0x1b873593);
    const saved = { maxPendingNodes: be.maxPendingNodes, maxCachedGraphs: be.maxCachedGraphs };
    if (limits() < 1 / 3) be.maxPendingNodes = int(limits, 1, 8);
    if (limits() < 1 / 5) be.maxCachedGraphs = int(limits, 1, 2);
    let limitText = ` (maxPendingNodes ${be.maxPendingNodes}, maxCachedGraphs ${be.maxCachedGraphs})`;
    if (heap) { // 256 B to 4 MiB free, log-uniform
      const free = Math.round(2 ** (8 + limits() * 14));
      limitText += `, ${free} bytes of heap free`;
      heap.squeeze(be, free);
    }
    const baseline = { tensors: tf.memory().numTensors, heap: be.heapTensors.size, dataIds: be.numDataIds() };
    let failure = null;
    for (const [name, opts] of runs) {
      const set = opts.weightSeed === s ? 0 : 1;
      await tf.setBackend('cpu');
      const want = await runProgram(tf, program, { ...opts, weights: prepareWeights(tf, program, weights.cpu[set], opts.weightSeed) });
      await tf.setBackend(backendName);
      const ws = prepareWeights(tf, program, weights.ours[set], opts.weightSeed);
      const before = tf.memory().numTensors;
      let got;
      try {
        const run = () => runProgram(tf, program, { ...opts, weights: ws });
        got = await (heap ? cleanedUp(tf, run) : run());
      } catch (e) {
        if (heap && isOutOfMemory(e)) stats.outOfMemory++;
        else failure = `run ${name}: threw ${e.stack ?? e}`;
      }
      if (failure) break;
      if (!got) continue;
      const why = compareReads(got, want);
      if (why) { failure = `run ${name}: ${why}`; break; }
      if (tf.memory().numTensors !== before) { failure = `run ${name}: ${tf.memory().numTensors - before} tensors left after disposing all`; break; }
    }
    for (const side of ['cpu', 'ours']) {
      await tf.setBackend(side === 'cpu' ? 'cpu' : backendName);
      for (const m of weights[side]) for (const w of m.values()) tf.dispose(w);
    }
    be.flush();
    Object.assign(be, saved);
    if (heap) {
      const leak = await heap.restore(be); // (always: it refills the heap)
      failure ??= leak;
    }
    if (!failure && tf.memory().numTensors !== baseline.tensors) failure = `${tf.memory().numTensors - baseline.tensors} tensors left after the runs`;
    if (!failure && be.heapTensors.size !== baseline.heap) failure = `${be.heapTensors.size - baseline.heap} engine tensors left after the runs`;
    if (!failure && be.numDataIds() !== baseline.dataIds) failure = `${be.numDataIds() - baseline.dataIds} dataIds left after the runs`;
    if (failure) failure += limitText;
    if (failure) {
      const f = { seed: s, message: failure, program: formatProgram(program, mutation) };
      stats.failures.push(f);
      log(formatFailure(f));
    }
  }
  await tf.setBackend(backendName);
  // Kernels that ran on the CPU: only those the engine has no op for (the caller checks the list).
  const after = backend().stats.fallbackKernels;
  for (const [k, n] of after) if (n > (fallbacksBefore.get(k) ?? 0)) stats.fallbackKernels.set(k, n - (fallbacksBefore.get(k) ?? 0));
  return stats;
}

export function formatFailure(f) {
  return `tfjs fuzz seed ${f.seed}: ${f.message}\n${f.program}`;
}

// The generator's op names (the test checks that a batch draws them all).
export const OP_NAMES = Object.freeze(OPS.map((op) => op.name));
