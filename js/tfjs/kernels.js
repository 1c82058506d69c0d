// The TF.js kernels of the webnn-wasm backend: each a thin wrapper that describes a small WebNN
// graph (cached by the backend per shapes + attributes + baked weights) or returns null, in which
// case the kernel runs on tfjs-backend-cpu (WebNNWasmBackend.fallback).
import { backend_util, slice_util, util } from '@tensorflow/tfjs-core';

const F32 = 'float32';
// TF.js dtype -> WebNN dataType (bool is held as uint8).
const ENGINE_TYPE = { float32: 'float32', int32: 'int32', bool: 'uint8' };

// ---- helpers ----

function allDtype(infos, dtype = F32) {
  return infos.every((t) => t && t.dtype === dtype);
}

// Every dtype the engine holds (data movement and selection take them all).
function dtypeOk(infos) {
  return infos.every((t) => t && t.dtype in ENGINE_TYPE);
}

function nonEmpty(infos) {
  return infos.every((t) => util.sizeFromShape(t.shape) > 0);
}

// Appends TF.js's fused activation to `y` (an MLOperand); null when the engine lacks it.
function activationOps(activation) {
  switch (activation ?? 'linear') {
    case 'linear': return [];
    case 'relu': return ['relu'];
    case 'relu6': return ['clamp'];
    case 'elu': return ['elu'];
    case 'sigmoid': return ['sigmoid'];
    case 'leakyrelu': return ['leakyRelu'];
    case 'prelu': return ['prelu'];
    default: return null;
  }
}

function applyActivation(b, y, activation, alpha, preluOperand) {
  switch (activation ?? 'linear') {
    case 'linear': return y;
    case 'relu': return b.relu(y);
    case 'relu6': return b.clamp(y, { minValue: 0, maxValue: 6 });
    case 'elu': return b.elu(y);
    case 'sigmoid': return b.sigmoid(y);
    case 'leakyrelu': return b.leakyRelu(y, { alpha: alpha ?? 0.2 });
    case 'prelu': return b.prelu(y, preluOperand);
    default: throw new Error(`activation ${activation}`);
  }
}

function padding4(padInfo) {
  return [padInfo.top, padInfo.bottom, padInfo.left, padInfo.right];
}

function pair(v) {
  return Array.isArray(v) ? v : [v, v];
}

// ---- kernel table: name -> (backend, {inputs, attrs}) => TensorInfo | TensorInfo[] | null ----

export const KERNELS = {};

// Shape-only kernels: share the dataId (the heap bytes do not depend on the shape).
function aliasOf(backend, x, shape) {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

KERNELS.Identity = (backend, { inputs }) => aliasOf(backend, inputs.x, inputs.x.shape);

KERNELS.Reshape = (backend, { inputs, attrs }) => {
  const { x } = inputs;
  const size = util.sizeFromShape(x.shape);
  const shape = util.inferFromImplicitShape(attrs.shape, size);
  util.assert(util.sizeFromShape(shape) === size, () => `new shape (${shape}) has ${util.sizeFromShape(shape)} elements; the old shape (${x.shape}) has ${size}`);
  return aliasOf(backend, x, shape);
};

KERNELS.ExpandDims = (backend, { inputs, attrs }) => {
  const { input } = inputs;
  const rank = input.shape.length;
  let axis = attrs.dim;
  // TF.js's CPU kernel's checks: an axis outside [-(rank + 1), rank] is an error.
  util.assert(axis <= rank, () => `Axis must be <= rank of the tensor`);
  if (axis < 0) {
    util.assert(-(rank + 1) <= axis, () => `Axis must be in the interval [${-(rank + 1)}, ${rank}]`);
    axis = rank + axis + 1;
  }
  const shape = input.shape.slice();
  shape.splice(axis, 0, 1);
  return aliasOf(backend, input, shape);
};

KERNELS.Cast = (backend, { inputs, attrs }) => {
  const { x } = inputs;
  if (attrs.dtype === x.dtype) return aliasOf(backend, x, x.shape);
  const NUM = { float32: 1, int32: 1, bool: 1 };
  if (!(x.dtype in NUM) || !(attrs.dtype in NUM) || !nonEmpty([x])) return null;
  if (attrs.dtype === 'bool') {
    // TF.js: x != 0 (a float NaN is true); WebNN's cast to uint8 would keep the low bits.
    if (!backend.supports(['notEqual'], x.dtype)) return null;
    return backend.runGraph('Cast:bool', [{ info: x }], (b, [a]) => b.notEqual(a, b.constant(ENGINE_TYPE[x.dtype], 0)),
      [{ shape: x.shape, dtype: 'bool' }])?.[0];
  }
  if (!backend.supports(['cast'], x.dtype)) return null;
  if (x.dtype === F32 && attrs.dtype === 'int32') {
    if (!supportsToInt32(backend)) return null;
    return backend.runGraph('Cast:int32', [{ info: x }], (b, [a]) => toInt32(b, a), [{ shape: x.shape, dtype: 'int32' }])?.[0];
  }
  return backend.runGraph(`Cast:${attrs.dtype}`, [{ info: x }], (b, [a]) => b.cast(a, attrs.dtype),
    [{ shape: x.shape, dtype: attrs.dtype }])?.[0];
};

// float32 -> int32 as tfjs-backend-cpu stores a float in an Int32Array (ECMAScript's ToInt32):
// truncated, NaN and ±Infinity 0, |x| >= 2^31 wrapped modulo 2^32. WebNN's cast saturates instead
// (docs/numerics.md), so the values it would saturate are wrapped first; below 2^31 it is the cast.
function supportsToInt32(backend) {
  return backend.supports(['cast', 'abs', 'greaterOrEqual', 'floor', 'mul', 'sub', 'isNaN']) && backend.supports(['where'], 'bool');
}
function toInt32(b, x) {
  const c = (v) => b.constant(F32, v);
  const big = b.greaterOrEqual(b.abs(x), c(2 ** 31)); // (false for NaN)
  // Integers already (|x| >= 2^31 > 2^24): x mod 2^32 in [0, 2^32), exact; Infinity gives NaN.
  const m = b.sub(x, b.mul(b.floor(b.mul(x, c(2 ** -32))), c(2 ** 32)));
  const wrapped = b.where(b.greaterOrEqual(m, c(2 ** 31)), b.sub(m, c(2 ** 32)), m);
  const v = b.where(big, wrapped, x);
  return b.cast(b.where(b.isNaN(v), c(0), v), 'int32');
}

// -- elementwise binary --
// A weight broadcast over the other operand (a bias, a scale, a scalar of an op like gelu's 0.5) is
// baked as a constant: the engine then fuses a bias into the conv/gemm before it and folds scalars.
// An operand as large as the result stays an input (it may be a fresh input every call).
function broadcastWeight(backend, t, outShape) {
  return backend.isWeight(t) && util.sizeFromShape(t.shape) < util.sizeFromShape(outShape);
}

const BINARY = { Add: 'add', Sub: 'sub', Multiply: 'mul', RealDiv: 'div', Maximum: 'max', Minimum: 'min' };
// int32 too, where the engine's integer op is TF.js's (wrapping add/sub/mul, max/min). Not RealDiv
// (TF.js's div of int32 is FloorDiv).
const INT32_BINARY = new Set(['Add', 'Sub', 'Multiply', 'Maximum', 'Minimum']);
for (const [tfName, op] of Object.entries(BINARY)) {
  KERNELS[tfName] = (backend, { inputs }) => {
    const { a, b: bb } = inputs;
    const dtype = a.dtype === 'int32' && INT32_BINARY.has(tfName) ? 'int32' : F32;
    if (!allDtype([a, bb], dtype) || !nonEmpty([a, bb]) || !backend.supports([op], dtype)) return null;
    const shape = backend_util.assertAndGetBroadcastShape(a.shape, bb.shape);
    return backend.runGraph(tfName, [{ info: a, constant: broadcastWeight(backend, a, shape) },
      { info: bb, constant: broadcastWeight(backend, bb, shape) }], (b, [x, y]) => b[op](x, y),
    [{ shape, dtype }])?.[0];
  };
}

// TF.js's pow is JavaScript's Math.pow (also for int32, computed in floating point: float32 only
// here): pow(±1, ±Infinity) and pow(±1, NaN) are NaN, where IEEE's pow (the engine's) gives 1 for
// base 1. A baked exponent known finite (x ** 2, x ** 0.5: the common case) needs no guard.
KERNELS.Pow = (backend, { inputs }) => {
  const { a, b: bb } = inputs;
  if (!allDtype([a, bb]) || !nonEmpty([a, bb]) || !backend.supports(['pow'])) return null;
  const shape = backend_util.assertAndGetBroadcastShape(a.shape, bb.shape);
  const constantExponent = broadcastWeight(backend, bb, shape);
  const guard = !(constantExponent && backend.valuesOf(backend.data.get(bb.dataId)).every(Number.isFinite));
  if (guard && (!backend.supports(['abs', 'equal', 'isNaN', 'isInfinite']) || !backend.supports(['logicalOr', 'logicalAnd', 'where'], 'bool'))) return null;
  return backend.runGraph(`Pow:${guard ? 'js' : 'finite'}`, [{ info: a, constant: broadcastWeight(backend, a, shape) },
    { info: bb, constant: constantExponent }], (b, [x, y]) => {
    const p = b.pow(x, y);
    if (!guard) return p;
    const unitBase = b.equal(b.abs(x), b.constant(F32, 1));
    const notFinite = b.logicalOr(b.isNaN(y), b.isInfinite(y));
    return b.where(b.logicalAnd(unitBase, notFinite), b.constant(F32, NaN), p);
  }, [{ shape, dtype: F32 }])?.[0];
};

// TF.js's floorDiv: floor(a / b), an int32 result for float32 inputs too (tfjs-backend-cpu and
// -webgl; a zero divisor gives 0, the Int32Array store of ±Infinity and NaN). int32: the engine's
// division truncates (and gives 0 for a zero divisor), so a quotient with a remainder of the other
// sign than b is one too big.
KERNELS.FloorDiv = (backend, { inputs }) => {
  const { a, b: bb } = inputs;
  const dtype = a.dtype === 'int32' ? 'int32' : F32;
  if (!allDtype([a, bb], dtype) || !nonEmpty([a, bb])) return null;
  const shape = backend_util.assertAndGetBroadcastShape(a.shape, bb.shape);
  if (dtype === F32) {
    if (!backend.supports(['div']) || !supportsToInt32(backend)) return null;
    return backend.runGraph('FloorDiv', [{ info: a }, { info: bb }], (b, [x, y]) => toInt32(b, b.floor(b.div(x, y))),
      [{ shape, dtype: 'int32' }])?.[0];
  }
  if (!backend.supports(['div', 'mul', 'sub', 'lesser', 'notEqual', 'cast'], 'int32') || !backend.supports(['logicalXor', 'logicalAnd'], 'bool')) return null;
  return backend.runGraph('FloorDiv', [{ info: a }, { info: bb }], (b, [x, y]) => {
    const zero = b.constant('int32', 0);
    const q = b.div(x, y);
    const r = b.sub(x, b.mul(q, y));
    const signsDiffer = b.logicalXor(b.lesser(r, zero), b.lesser(y, zero));
    const adjust = b.logicalAnd(b.logicalAnd(b.notEqual(r, zero), b.notEqual(y, zero)), signsDiffer);
    return b.sub(q, b.cast(adjust, 'int32'));
  }, [{ shape, dtype }])?.[0];
};

KERNELS.SquaredDifference = (backend, { inputs }) => {
  const { a, b: bb } = inputs;
  if (!allDtype([a, bb]) || !nonEmpty([a, bb]) || !backend.supports(['sub', 'mul'])) return null;
  const shape = backend_util.assertAndGetBroadcastShape(a.shape, bb.shape);
  return backend.runGraph('SquaredDifference', [{ info: a }, { info: bb }],
    (b, [x, y]) => { const d = b.sub(x, y); return b.mul(d, d); }, [{ shape, dtype: F32 }])?.[0];
};

KERNELS.AddN = (backend, { inputs }) => {
  const list = Object.values(inputs);
  if (list.length < 2 || !allDtype(list) || !nonEmpty(list) || !backend.supports(['add'])) return null;
  if (!list.every((t) => util.arraysEqual(t.shape, list[0].shape))) return null;
  return backend.runGraph('AddN', list.map((info) => ({ info })),
    (b, ops) => ops.reduce((acc, o) => b.add(acc, o)), [{ shape: list[0].shape, dtype: F32 }])?.[0];
};

// -- elementwise unary --
// int32 inputs run on the engine for the kernels in INT32_UNARY (the same op on integers).
const INT32_UNARY = new Set(['Abs', 'Neg', 'Square', 'Relu']);
function unary(tfName, ops, build, attrsKey = () => '', boolOps = []) {
  KERNELS[tfName] = (backend, { inputs, attrs }) => {
    const { x } = inputs;
    const dtype = x.dtype === 'int32' && INT32_UNARY.has(tfName) ? 'int32' : F32;
    if (!allDtype([x], dtype) || !nonEmpty([x]) || !backend.supports(ops, dtype) || !backend.supports(boolOps, 'bool')) return null;
    return backend.runGraph(`${tfName}:${attrsKey(attrs)}`, [{ info: x }], (b, [a]) => build(b, a, attrs),
      [{ shape: x.shape, dtype }])?.[0];
  };
}
unary('Relu', ['relu'], (b, x) => b.relu(x));
unary('Relu6', ['clamp'], (b, x) => b.clamp(x, { minValue: 0, maxValue: 6 }));
unary('Elu', ['elu'], (b, x) => b.elu(x));
// selu = scale * elu(x, alpha) with TF.js's constants (its CPU kernel multiplies by scale * alpha).
unary('Selu', ['elu', 'mul'], (b, x) => b.mul(b.elu(x, { alpha: backend_util.SELU_SCALEALPHA / backend_util.SELU_SCALE }),
  b.constant(F32, backend_util.SELU_SCALE)));
// step(x, alpha): 1 where x > 0, else alpha; NaN stays NaN.
unary('Step', ['greater', 'isNaN'], (b, x, a) =>
  b.where(b.isNaN(x), x, b.where(b.greater(x, b.constant(F32, 0)), b.constant(F32, 1), b.constant(F32, a.alpha))),
(a) => a.alpha, ['where']);
unary('Sigmoid', ['sigmoid'], (b, x) => b.sigmoid(x));
unary('Tanh', ['tanh'], (b, x) => b.tanh(x));
unary('Softplus', ['softplus'], (b, x) => b.softplus(x));
unary('LeakyRelu', ['leakyRelu'], (b, x, a) => b.leakyRelu(x, { alpha: a.alpha }), (a) => a.alpha);
unary('ClipByValue', ['clamp'], (b, x, a) => b.clamp(x, { minValue: a.clipValueMin, maxValue: a.clipValueMax }),
  (a) => `${a.clipValueMin},${a.clipValueMax}`);
unary('Square', ['mul'], (b, x) => b.mul(x, x));
// Spec-named unary ops: used when the engine registers them.
const SIMPLE_UNARY = {
  Abs: 'abs', Ceil: 'ceil', Cos: 'cos', Exp: 'exp', Floor: 'floor', Log: 'log', Neg: 'neg',
  Reciprocal: 'reciprocal', Sin: 'sin', Sqrt: 'sqrt', Tan: 'tan', Erf: 'erf',
};
for (const [tfName, op] of Object.entries(SIMPLE_UNARY)) unary(tfName, [op], (b, x) => b[op](x));
unary('Rsqrt', ['sqrt', 'reciprocal'], (b, x) => b.reciprocal(b.sqrt(x)));
// TF.js's round is round-half-to-even, as WebNN's roundEven.
unary('Round', ['roundEven'], (b, x) => b.roundEven(x));
// TF.js: sign(NaN) = 0 (WebNN's sign keeps NaN) and sign(-0) = +0 (ours keeps -0: + 0 makes it +0).
unary('Sign', ['sign', 'isNaN', 'add'], (b, x) => {
  const zero = b.constant(F32, 0);
  return b.where(b.isNaN(x), zero, b.add(b.sign(x), zero));
}, () => '', ['where']);

// TF.js's max-style kernels (MaxPool, ArgMax) compare with `>`, so a NaN never wins; WebNN's
// propagate NaN. `x` with NaNs replaced by `fill` (-Infinity for max, +Infinity for min).
function nanAs(b, x, fill) {
  return b.where(b.isNaN(x), b.constant(F32, fill), x);
}

KERNELS.Prelu = (backend, { inputs }) => {
  const { x, alpha } = inputs;
  if (!allDtype([x, alpha]) || !nonEmpty([x, alpha])) return null;
  const shape = backend_util.assertAndGetBroadcastShape(x.shape, alpha.shape);
  if (backend.supports(['prelu'])) {
    return backend.runGraph('Prelu', [{ info: x }, { info: alpha }], (b, [a, s]) => b.prelu(a, s),
      [{ shape, dtype: F32 }])?.[0];
  }
  if (!backend.supports(['relu', 'min', 'mul', 'add'])) return null;
  // prelu(x, a) = relu(x) + a * min(x, 0)
  return backend.runGraph('Prelu~', [{ info: x }, { info: alpha }], (b, [a, s]) =>
    b.add(b.relu(a), b.mul(s, b.min(a, b.constant(F32, 0)))), [{ shape, dtype: F32 }])?.[0];
};

KERNELS.Softmax = (backend, { inputs, attrs }) => {
  const { logits } = inputs;
  const rank = logits.shape.length;
  const axis = attrs.dim === -1 || attrs.dim == null ? rank - 1 : (attrs.dim + rank) % rank;
  if (!allDtype([logits]) || !nonEmpty([logits]) || !backend.supports(['softmax'])) return null;
  return backend.runGraph(`Softmax:${axis}`, [{ info: logits }], (b, [x]) => b.softmax(x, axis),
    [{ shape: logits.shape, dtype: F32 }])?.[0];
};

// -- convolution --
function convKernel(name, depthwise, fused) {
  KERNELS[name] = (backend, { inputs, attrs }) => {
    const { x, filter, bias, preluActivationWeights } = inputs;
    const { strides, pad, dataFormat, dilations, dimRoundingMode, activation, leakyreluAlpha } = attrs;
    if (dataFormat && dataFormat !== 'NHWC') return null;
    const used = [x, filter, bias, preluActivationWeights].filter(Boolean);
    if (!allDtype(used) || !nonEmpty(used)) return null;
    const acts = activationOps(fused ? activation : 'linear');
    if (!acts || !backend.supports(['conv2d', ...acts])) return null;
    const info = backend_util.computeConv2DInfo(x.shape, filter.shape, strides, dilations ?? 1, pad,
      dimRoundingMode, depthwise, 'channelsLast');
    const [fh, fw, inC, outOrMult] = filter.shape;
    const outC = info.outChannels;
    const filterShape = depthwise ? [1, fh, fw, inC * outOrMult] : filter.shape;
    const ins = [
      { info: x },
      { info: filter, shape: filterShape, constant: backend.isWeight(filter) },
    ];
    // A bias of outC elements rides in conv2d's bias; any other broadcastable bias is added after.
    const biasInConv = bias && util.sizeFromShape(bias.shape) === outC;
    if (bias) ins.push({ info: bias, shape: biasInConv ? [outC] : bias.shape, constant: backend.isWeight(bias) });
    if (preluActivationWeights) ins.push({ info: preluActivationWeights, constant: backend.isWeight(preluActivationWeights) });
    if (bias && !biasInConv && !backend.supports(['add'])) return null;
    const key = `${name}:${info.strideHeight},${info.strideWidth},${info.dilationHeight},${info.dilationWidth},` +
      `${padding4(info.padInfo)},${fused ? activation : ''},${leakyreluAlpha ?? ''},${!!bias},${!!preluActivationWeights}`;
    const outShape = [info.batchSize, info.outHeight, info.outWidth, outC];
    return backend.runGraph(key, ins, (b, ops) => {
      const [xo, wo] = ops;
      const bo = bias ? ops[2] : undefined;
      const po = preluActivationWeights ? ops[bias ? 3 : 2] : undefined;
      const options = {
        padding: padding4(info.padInfo),
        strides: [info.strideHeight, info.strideWidth],
        dilations: [info.dilationHeight, info.dilationWidth],
        inputLayout: 'nhwc',
        filterLayout: depthwise ? 'ihwo' : 'hwio',
      };
      if (depthwise) options.groups = inC;
      if (biasInConv) options.bias = bo;
      let y = b.conv2d(xo, wo, options);
      if (bias && !biasInConv) y = b.add(y, bo);
      return applyActivation(b, y, fused ? activation : 'linear', leakyreluAlpha, po);
    }, [{ shape: outShape, dtype: F32 }])?.[0];
  };
}
convKernel('Conv2D', false, false);
convKernel('FusedConv2D', false, true);
convKernel('DepthwiseConv2dNative', true, false);
convKernel('FusedDepthwiseConv2D', true, true);

// conv2dTranspose's kernel (the gradient of conv2d with respect to its input): WebNN's
// convTranspose2d with the forward conv's padding and the forward input's size as outputSizes.
// TF.js's filter [fh, fw, outDepth, inDepth] is WebNN's 'hwoi' layout as it is.
KERNELS.Conv2DBackpropInput = (backend, { inputs, attrs }) => {
  const { dy, filter } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if ((dataFormat && dataFormat !== 'NHWC') || !allDtype([dy, filter]) || !nonEmpty([dy, filter])) return null;
  if (!backend.supports(['convTranspose2d'])) return null;
  const info = backend_util.computeConv2DInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const pads = padding4(info.padInfo);
  if (pads.some((p) => p < 0) || info.outHeight !== dy.shape[1] || info.outWidth !== dy.shape[2]) return null;
  const key = `Conv2DBackpropInput:${info.strideHeight},${info.strideWidth},${pads},${inputShape}`;
  return backend.runGraph(key, [{ info: dy }, { info: filter, constant: backend.isWeight(filter) }], (b, [d, w]) =>
    b.convTranspose2d(d, w, {
      padding: pads,
      strides: [info.strideHeight, info.strideWidth],
      outputSizes: [inputShape[1], inputShape[2]],
      inputLayout: 'nhwc',
      filterLayout: 'hwoi',
    }), [{ shape: inputShape, dtype: F32 }])?.[0];
};

// -- matmul --
function matMulKernel(name, fused) {
  KERNELS[name] = (backend, { inputs, attrs }) => {
    const { a, b: bm, bias, preluActivationWeights } = inputs;
    const { transposeA, transposeB, activation, leakyreluAlpha } = attrs;
    const used = [a, bm, bias, preluActivationWeights].filter(Boolean);
    if (!allDtype(used) || !nonEmpty(used)) return null;
    const acts = activationOps(fused ? activation : 'linear');
    if (!acts || !backend.supports([...acts])) return null;
    const ra = a.shape.length;
    const rb = bm.shape.length;
    const M = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const K = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const N = transposeB ? bm.shape[rb - 2] : bm.shape[rb - 1];
    const batchA = a.shape.slice(0, -2);
    const batchB = bm.shape.slice(0, -2);
    const batch = backend_util.assertAndGetBroadcastShape(batchA, batchB);
    const outShape = [...batch, M, N];
    const key = `${name}:${!!transposeA},${!!transposeB},${fused ? activation : ''},${leakyreluAlpha ?? ''},${!!bias},${!!preluActivationWeights}`;
    const single = util.sizeFromShape(batch) === 1;
    if (single && backend.supports(['gemm'])) {
      // One matrix: gemm with the transposes and a bias of N elements as c.
      const biasAsC = bias && util.sizeFromShape(bias.shape) === N;
      const ins = [
        { info: a, shape: transposeA ? [K, M] : [M, K] },
        { info: bm, shape: transposeB ? [N, K] : [K, N], constant: backend.isWeight(bm) },
      ];
      if (bias) ins.push({ info: bias, shape: biasAsC ? [N] : bias.shape, constant: backend.isWeight(bias) });
      if (preluActivationWeights) ins.push({ info: preluActivationWeights, constant: backend.isWeight(preluActivationWeights) });
      if (bias && !biasAsC && !backend.supports(['add'])) return null;
      return backend.runGraph(`${key}:gemm`, ins, (b, ops) => {
        const options = { aTranspose: !!transposeA, bTranspose: !!transposeB };
        if (biasAsC) options.c = ops[2];
        let y = b.gemm(ops[0], ops[1], options);
        if (bias && !biasAsC) y = b.reshape(b.add(y, ops[2]), outShape);
        const po = preluActivationWeights ? ops[bias ? 3 : 2] : undefined;
        return applyActivation(b, y, fused ? activation : 'linear', leakyreluAlpha, po);
      }, [{ shape: outShape, dtype: F32 }])?.[0];
    }
    if (!backend.supports(['matmul']) || ((transposeA || transposeB) && !backend.supports(['transpose']))) return null;
    if (bias && !backend.supports(['add'])) return null;
    const ins = [{ info: a }, { info: bm, constant: backend.isWeight(bm) }];
    if (bias) ins.push({ info: bias, constant: backend.isWeight(bias) });
    if (preluActivationWeights) ins.push({ info: preluActivationWeights, constant: backend.isWeight(preluActivationWeights) });
    const swap = (r) => [...Array(r - 2).keys(), r - 1, r - 2];
    return backend.runGraph(`${key}:matmul`, ins, (b, ops) => {
      const x = transposeA ? b.transpose(ops[0], { permutation: swap(ra) }) : ops[0];
      const w = transposeB ? b.transpose(ops[1], { permutation: swap(rb) }) : ops[1];
      let y = b.matmul(x, w);
      if (bias) y = b.add(y, ops[2]);
      const po = preluActivationWeights ? ops[bias ? 3 : 2] : undefined;
      return applyActivation(b, y, fused ? activation : 'linear', leakyreluAlpha, po);
    }, [{ shape: outShape, dtype: F32 }])?.[0];
  };
}
matMulKernel('BatchMatMul', false);
matMulKernel('_FusedMatMul', true);

// -- pooling --
function poolKernel(name, op) {
  // TF.js's maxPool skips NaNs (a window of only NaNs gives -Infinity); WebNN's propagates them.
  const ignoreNaN = op === 'maxPool2d';
  KERNELS[name] = (backend, { inputs, attrs }) => {
    const { x } = inputs;
    if (!allDtype([x]) || !nonEmpty([x]) || x.shape.length !== 4) return null;
    if (!backend.supports(ignoreNaN ? [op, 'isNaN'] : [op]) || (ignoreNaN && !backend.supports(['where'], 'bool'))) return null;
    const info = backend_util.computePool2DInfo(x.shape, attrs.filterSize, attrs.strides, 1, attrs.pad,
      attrs.dimRoundingMode);
    if (info.filterWidth === 1 && info.filterHeight === 1 && util.arraysEqual(info.inShape, info.outShape)) {
      return aliasOf(backend, x, x.shape);
    }
    const pads = padding4(info.padInfo);
    if (pads.some((p) => p < 0)) return null;
    const key = `${name}:${info.filterHeight},${info.filterWidth},${info.strideHeight},${info.strideWidth},${pads}`;
    return backend.runGraph(key, [{ info: x }], (b, [xo]) => b[op](ignoreNaN ? nanAs(b, xo, -Infinity) : xo, {
      windowDimensions: [info.filterHeight, info.filterWidth],
      padding: pads,
      strides: [info.strideHeight, info.strideWidth],
      layout: 'nhwc',
    }), [{ shape: info.outShape, dtype: F32 }])?.[0];
  };
}
poolKernel('AvgPool', 'averagePool2d');
poolKernel('MaxPool', 'maxPool2d');

// -- reductions --
const REDUCE = { Mean: 'reduceMean', Sum: 'reduceSum', Max: 'reduceMax', Min: 'reduceMin', Prod: 'reduceProduct' };
for (const [tfName, op] of Object.entries(REDUCE)) {
  KERNELS[tfName] = (backend, { inputs, attrs }) => {
    const { x } = inputs;
    // int32 sums, products and extrema stay int32 in TF.js (its mean casts to float32 first).
    const dtype = x.dtype === 'int32' && tfName !== 'Mean' ? 'int32' : F32;
    if (!allDtype([x], dtype) || !nonEmpty([x])) return null;
    const rank = x.shape.length;
    const axes = util.parseAxisParam(attrs.axis ?? attrs.reductionIndices, x.shape).sort((p, q) => p - q);
    const keepShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const outShape = attrs.keepDims ? keepShape : x.shape.filter((_, i) => !axes.includes(i));
    if (axes.length === 0) return aliasOf(backend, x, x.shape);
    if (backend.supports([op], dtype)) {
      return backend.runGraph(`${tfName}:${axes}`, [{ info: x }],
        (b, [xo]) => b[op](xo, { axes, keepDimensions: true }), [{ shape: outShape, dtype }])?.[0];
    }
    // Without reduce ops: the spatial reduction of NHWC images (global pooling) as a 2-D pool.
    if (dtype !== F32 || rank !== 4 || axes.length !== 2 || axes[0] !== 1 || axes[1] !== 2) return null;
    const pool = { Mean: 'averagePool2d', Sum: 'averagePool2d', Max: 'maxPool2d' }[tfName];
    if (!pool || !backend.supports(tfName === 'Sum' ? [pool, 'mul'] : [pool])) return null;
    const [, H, W] = x.shape;
    return backend.runGraph(`${tfName}:pool`, [{ info: x }], (b, [xo]) => {
      const y = b[pool](xo, { windowDimensions: [H, W], layout: 'nhwc' });
      return tfName === 'Sum' ? b.mul(y, b.constant(F32, H * W)) : y;
    }, [{ shape: outShape, dtype: F32 }])?.[0];
  };
}

// -- layout --
KERNELS.Transpose = (backend, { inputs, attrs }) => {
  const { x } = inputs;
  const { perm } = attrs;
  if (perm.every((p, i) => p === i)) return aliasOf(backend, x, x.shape);
  if (!dtypeOk([x]) || !nonEmpty([x]) || !backend.supports(['transpose'], x.dtype)) return null;
  return backend.runGraph(`Transpose:${perm}`, [{ info: x }], (b, [xo]) => b.transpose(xo, { permutation: perm }),
    [{ shape: perm.map((p) => x.shape[p]), dtype: x.dtype }])?.[0];
};

// DepthToSpace (NHWC, TF's DCR order): reshape [N, H, W, bs, bs, C'], transpose to
// [N, H, bs, W, bs, C'], reshape [N, H*bs, W*bs, C'].
KERNELS.DepthToSpace = (backend, { inputs, attrs }) => {
  const { x } = inputs;
  const { blockSize: bs, dataFormat } = attrs;
  if (dataFormat !== 'NHWC' || !dtypeOk([x]) || !nonEmpty([x]) || x.shape.length !== 4) return null;
  if (!backend.supports(['reshape', 'transpose'], x.dtype)) return null;
  const [N, H, W, C] = x.shape;
  const c = C / (bs * bs);
  if (!Number.isInteger(c)) return null;
  return backend.runGraph(`DepthToSpace:${bs}`, [{ info: x, shape: [N, H, W, bs, bs, c] }],
    (b, [xo]) => b.transpose(xo, { permutation: [0, 1, 3, 2, 4, 5] }),
    [{ shape: [N, H * bs, W * bs, c], dtype: x.dtype }])?.[0];
};

KERNELS.Concat = (backend, { inputs, attrs }) => {
  const all = Object.values(inputs);
  // TF.js's checks on every input, empty ones included (the CPU kernel's order).
  const axis0 = util.parseAxisParam(attrs.axis, all[0].shape)[0];
  backend_util.assertParamsConsistent(all.map((t) => t.shape), axis0);
  const list = all.filter((t) => util.sizeFromShape(t.shape) > 0);
  if (list.length === 0) return null;
  const axis = util.parseAxisParam(attrs.axis, list[0].shape)[0];
  const dtype = list[0].dtype;
  if (list.length === 1) return aliasOf(backend, list[0], list[0].shape);
  if (!dtypeOk(list) || !allDtype(list, dtype) || !backend.supports(['concat'], dtype)) return null;
  const outShape = backend_util.computeOutShape(list.map((t) => t.shape), axis);
  return backend.runGraph(`Concat:${axis}`, list.map((info) => ({ info })), (b, ops) => b.concat(ops, axis),
    [{ shape: outShape, dtype }])?.[0];
};

KERNELS.PadV2 = (backend, { inputs, attrs }) => {
  const { x } = inputs;
  const { paddings, constantValue } = attrs;
  if (!dtypeOk([x]) || !nonEmpty([x]) || !backend.supports(['pad'], x.dtype)) return null;
  // int32 and bool: a value the dtype holds (TF.js would store 1.5 in a bool tensor as 1, -2 as 254)
  if (x.dtype === 'int32' && !(Number.isInteger(constantValue) && Math.abs(constantValue) < 2 ** 31)) return null;
  if (x.dtype === 'bool' && constantValue !== 0 && constantValue !== 1) return null;
  const begin = paddings.map((p) => p[0]);
  const end = paddings.map((p) => p[1]);
  const outShape = x.shape.map((d, i) => d + begin[i] + end[i]);
  return backend.runGraph(`PadV2:${begin}:${end}:${constantValue}`, [{ info: x }],
    (b, [xo]) => b.pad(xo, begin, end, { mode: 'constant', value: constantValue }), [{ shape: outShape, dtype: x.dtype }])?.[0];
};

KERNELS.Slice = (backend, { inputs, attrs }) => {
  const { x } = inputs;
  if (!dtypeOk([x]) || !nonEmpty([x]) || !backend.supports(['slice'], x.dtype)) return null;
  const [begin, size] = sliceParams(x, attrs.begin, attrs.size);
  if (size.some((s) => s === 0)) return null;
  if (util.arraysEqual(size, x.shape)) return aliasOf(backend, x, x.shape);
  return backend.runGraph(`Slice:${begin}:${size}`, [{ info: x }], (b, [xo]) => b.slice(xo, begin, size),
    [{ shape: size, dtype: x.dtype }])?.[0];
};

function sliceParams(x, begin, size) {
  const rank = x.shape.length;
  const b = typeof begin === 'number' ? [begin, ...new Array(rank - 1).fill(0)] : begin.slice();
  while (b.length < rank) b.push(0);
  const s = size == null ? new Array(rank).fill(-1) : (typeof size === 'number' ? [size, ...new Array(rank - 1).fill(-1)] : size.slice());
  while (s.length < rank) s.push(-1);
  return [b, s.map((v, i) => (v === -1 ? x.shape[i] - b[i] : v))];
}

KERNELS.ResizeBilinear = (backend, { inputs, attrs }) => {
  const { images } = inputs;
  const { alignCorners, halfPixelCenters, size } = attrs;
  // WebNN's linear resample samples at half-pixel centers.
  if (alignCorners || !halfPixelCenters) return null;
  if (!allDtype([images]) || !nonEmpty([images]) || images.shape.length !== 4 || !backend.supports(['resample2d'])) return null;
  const [N, , , C] = images.shape;
  return backend.runGraph(`ResizeBilinear:${size}`, [{ info: images }],
    (b, [xo]) => b.resample2d(xo, { mode: 'linear', sizes: size, axes: [1, 2] }),
    [{ shape: [N, size[0], size[1], C], dtype: F32 }])?.[0];
};

// FusedBatchNorm: batchNormalization over the last axis when the engine has it; otherwise, with
// weights known in JS, x * a + b with a = scale / sqrt(var + eps), b = offset - mean * a.
KERNELS.FusedBatchNorm = (backend, { inputs, attrs }) => {
  const { x, mean, variance, offset, scale } = inputs;
  const eps = attrs.varianceEpsilon ?? 0.001;
  const used = [x, mean, variance, offset, scale].filter(Boolean);
  if (!allDtype(used) || !nonEmpty(used)) return null;
  const C = x.shape[x.shape.length - 1];
  const params = [mean, variance, offset, scale].filter(Boolean);
  const perChannel = params.every((t) => util.sizeFromShape(t.shape) === C);
  if (perChannel && backend.supports(['batchNormalization'])) {
    const ins = [{ info: x }, { info: mean, shape: [C], constant: backend.isWeight(mean) },
      { info: variance, shape: [C], constant: backend.isWeight(variance) }];
    if (scale) ins.push({ info: scale, shape: [C], constant: backend.isWeight(scale) });
    if (offset) ins.push({ info: offset, shape: [C], constant: backend.isWeight(offset) });
    return backend.runGraph(`FusedBatchNorm:${eps},${!!scale},${!!offset}`, ins, (b, ops) => {
      const options = { axis: x.shape.length - 1, epsilon: eps };
      let k = 3;
      if (scale) options.scale = ops[k++];
      if (offset) options.bias = ops[k++];
      return b.batchNormalization(ops[0], ops[1], ops[2], options);
    }, [{ shape: x.shape, dtype: F32 }])?.[0];
  }
  if (!perChannel) {
    // Parameters broadcast over x (layerNormalization passes tiled moments): tfjs-backend-cpu's
    // formula, offset + (x - mean) * scale / sqrt(variance + eps), elementwise.
    if (!backend.supports(['sub', 'mul', 'div', 'add', 'sqrt'])) return null;
    const shape = params.reduce((s, t) => backend_util.assertAndGetBroadcastShape(s, t.shape), x.shape);
    if (!util.arraysEqual(shape, x.shape)) return null;
    const ins = [{ info: x }, ...params.map((t) => ({ info: t }))];
    return backend.runGraph(`FusedBatchNorm/:${eps},${!!scale},${!!offset}`, ins, (b, ops) => {
      const [xo, mo, vo] = ops;
      let k = 3;
      const oo = offset ? ops[k++] : null;
      const so = scale ? ops[k++] : null;
      const centered = b.sub(xo, mo);
      const scaled = so ? b.mul(centered, so) : centered;
      const y = b.div(scaled, b.sqrt(b.add(vo, b.constant(F32, eps))));
      return oo ? b.add(oo, y) : y;
    }, [{ shape: x.shape, dtype: F32 }])?.[0];
  }
  if (!params.every((t) => backend.isWeight(t)) || !backend.supports(['mul', 'add'])) return null;
  // Folded once per set of weights (cached on the mean's data record).
  const m = backend.data.get(mean.dataId);
  const cacheKey = `${eps}|${params.map((t) => backend.data.get(t.dataId).serial)}`;
  if (!m.folded || m.folded.key !== cacheKey) {
    const mv = backend.valuesOf(m);
    const vv = backend.valuesOf(backend.data.get(variance.dataId));
    const sv = scale ? backend.valuesOf(backend.data.get(scale.dataId)) : null;
    const ov = offset ? backend.valuesOf(backend.data.get(offset.dataId)) : null;
    const a = new Float32Array(C);
    const c = new Float32Array(C);
    for (let i = 0; i < C; i++) {
      a[i] = (sv ? sv[i] : 1) / Math.sqrt(vv[i] + eps);
      c[i] = (ov ? ov[i] : 0) - mv[i] * a[i];
    }
    m.folded = { key: cacheKey, a, c };
  }
  const { a, c } = m.folded;
  return backend.runGraph(`FusedBatchNorm~:${cacheKey}`, [{ info: x }], (b, [xo]) =>
    b.add(b.mul(xo, b.constant({ dataType: F32, shape: [C] }, a)), b.constant({ dataType: F32, shape: [C] }, c)),
  [{ shape: x.shape, dtype: F32 }], params)?.[0];
};

// ---- data movement, comparisons, selection (ops the engine registers since ops-a/ops-b) ----

KERNELS.SplitV = (backend, { inputs, attrs }) => {
  const { x } = inputs;
  if (!dtypeOk([x]) || !nonEmpty([x]) || !backend.supports(['split'], x.dtype)) return null;
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
  const sizes = backend_util.prepareSplitSize(x, attrs.numOrSizeSplits, axis);
  if (sizes.some((s) => s <= 0)) return null;
  const outs = sizes.map((s) => ({ shape: x.shape.map((d, i) => (i === axis ? s : d)), dtype: x.dtype }));
  if (sizes.length === 1) return [aliasOf(backend, x, x.shape)];
  return backend.runGraph(`SplitV:${axis}:${sizes}`, [{ info: x }], (b, [xo]) => b.split(xo, sizes, { axis }), outs);
};

KERNELS.Unpack = (backend, { inputs, attrs }) => {
  const { value } = inputs;
  if (!dtypeOk([value]) || !nonEmpty([value]) || !backend.supports(['split'], value.dtype)) return null;
  const axis = util.parseAxisParam(attrs.axis ?? 0, value.shape)[0];
  const num = value.shape[axis];
  const outShape = value.shape.filter((_, i) => i !== axis);
  if (num === 1) return [aliasOf(backend, value, outShape)];
  return backend.runGraph(`Unpack:${axis}`, [{ info: value }], (b, [xo]) => b.split(xo, num, { axis }),
    new Array(num).fill(0).map(() => ({ shape: outShape, dtype: value.dtype })));
};

KERNELS.Pack = (backend, { inputs, attrs }) => {
  const list = Object.values(inputs);
  if (list.length === 0 || !dtypeOk(list) || !nonEmpty(list)) return null;
  const dtype = list[0].dtype;
  const shape = list[0].shape;
  if (!list.every((t) => t.dtype === dtype && util.arraysEqual(t.shape, shape))) return null;
  const axis = util.parseAxisParam(attrs.axis ?? 0, [...shape, 1])[0];
  const expanded = [...shape.slice(0, axis), 1, ...shape.slice(axis)];
  const outShape = [...shape.slice(0, axis), list.length, ...shape.slice(axis)];
  if (list.length === 1) return aliasOf(backend, list[0], outShape);
  if (!backend.supports(['concat'], dtype)) return null;
  return backend.runGraph(`Pack:${axis}`, list.map((info) => ({ info, shape: expanded })), (b, ops) => b.concat(ops, axis),
    [{ shape: outShape, dtype }])?.[0];
};

KERNELS.Tile = (backend, { inputs, attrs }) => {
  const { x } = inputs;
  if (!dtypeOk([x]) || !nonEmpty([x]) || !backend.supports(['tile'], x.dtype)) return null;
  const { reps } = attrs;
  return backend.runGraph(`Tile:${reps}`, [{ info: x }], (b, [xo]) => b.tile(xo, reps),
    [{ shape: x.shape.map((d, i) => d * reps[i]), dtype: x.dtype }])?.[0];
};

KERNELS.Reverse = (backend, { inputs, attrs }) => {
  const { x } = inputs;
  if (!dtypeOk([x]) || !nonEmpty([x]) || !backend.supports(['reverse'], x.dtype)) return null;
  const axes = util.parseAxisParam(attrs.dims, x.shape);
  if (axes.length === 0) return aliasOf(backend, x, x.shape);
  return backend.runGraph(`Reverse:${axes}`, [{ info: x }], (b, [xo]) => b.reverse(xo, { axes }),
    [{ shape: x.shape, dtype: x.dtype }])?.[0];
};

KERNELS.GatherV2 = (backend, { inputs, attrs }) => {
  const { x, indices } = inputs;
  if (!dtypeOk([x]) || indices.dtype !== 'int32' || !nonEmpty([x, indices]) || (attrs.batchDims ?? 0) !== 0) return null;
  if (!backend.supports(['gather'], x.dtype)) return null;
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
  // TF.js fails on out-of-range indices; WebNN clamps them. Keep TF.js's behaviour: check in JS
  // when the indices are already in JS (weights, shape arithmetic), else let the CPU kernel run.
  const d = backend.data.get(indices.dataId);
  if (!d.values) return null;
  const dim = x.shape[axis];
  for (const v of d.values) if (v < 0 || v >= dim) return null;
  const outShape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  return backend.runGraph(`GatherV2:${axis}`, [{ info: x }, { info: indices }], (b, [xo, io]) => b.gather(xo, io, { axis }),
    [{ shape: outShape, dtype: x.dtype }])?.[0];
};

// GatherNd: WebNN's gatherND is TF's gather_nd. As for GatherV2, TF.js fails on an out-of-range
// index where WebNN clamps: indices known in JS are checked, others go to the CPU kernel.
KERNELS.GatherNd = (backend, { inputs }) => {
  const { params, indices } = inputs;
  if (!dtypeOk([params]) || indices.dtype !== 'int32' || !nonEmpty([params, indices])) return null;
  if (!backend.supports(['gatherND'], params.dtype) || indices.shape.length < 1) return null;
  const depth = indices.shape[indices.shape.length - 1];
  if (depth < 1 || depth > params.shape.length) return null;
  const d = backend.data.get(indices.dataId);
  if (!d.values) return null;
  for (let i = 0; i < d.values.length; i++) {
    const v = d.values[i];
    if (v < 0 || v >= params.shape[i % depth]) return null;
  }
  const outShape = [...indices.shape.slice(0, -1), ...params.shape.slice(depth)];
  return backend.runGraph('GatherNd', [{ info: params }, { info: indices }], (b, [p, ix]) => b.gatherND(p, ix),
    [{ shape: outShape, dtype: params.dtype }])?.[0];
};

KERNELS.StridedSlice = (backend, { inputs, attrs }) => {
  const { x } = inputs;
  if (!dtypeOk([x]) || !nonEmpty([x]) || !backend.supports(['slice'], x.dtype)) return null;
  const { begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask } = attrs;
  const info = slice_util.sliceInfo(x.shape, begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask);
  if (info.isIdentity) return aliasOf(backend, x, info.finalShape);
  if (info.strides.some((s) => s <= 0) || info.finalShapeSparse.some((d) => d <= 0)) return null;
  const starts = info.begin;
  const sizes = info.end.map((e, i) => e - starts[i]);
  return backend.runGraph(`StridedSlice:${starts}:${sizes}:${info.strides}`, [{ info: x }],
    (b, [xo]) => b.slice(xo, starts, sizes, { strides: info.strides }), [{ shape: info.finalShape, dtype: x.dtype }])?.[0];
};

// reflect: WebNN's reflection. symmetric (the edge repeated): per padded axis, the edge slices
// reversed and concatenated around x.
KERNELS.MirrorPad = (backend, { inputs, attrs }) => {
  const { x } = inputs;
  const symmetric = attrs.mode === 'symmetric';
  if (!dtypeOk([x]) || !nonEmpty([x])) return null;
  if (!backend.supports(symmetric ? ['slice', 'reverse', 'concat'] : ['pad'], x.dtype)) return null;
  const begin = attrs.paddings.map((p) => p[0]);
  const end = attrs.paddings.map((p) => p[1]);
  const outShape = x.shape.map((d, i) => d + begin[i] + end[i]);
  if (util.arraysEqual(outShape, x.shape)) return aliasOf(backend, x, x.shape);
  return backend.runGraph(`MirrorPad:${attrs.mode}:${begin}:${end}`, [{ info: x }], (b, [xo]) => {
    if (!symmetric) return b.pad(xo, begin, end, { mode: 'reflection' });
    let y = xo;
    const shape = x.shape.slice();
    shape.forEach((d, axis) => {
      const edge = (start, size) => {
        const starts = shape.map(() => 0);
        const sizes = shape.slice();
        starts[axis] = start;
        sizes[axis] = size;
        return b.reverse(b.slice(y, starts, sizes), { axes: [axis] });
      };
      if (begin[axis] + end[axis] === 0) return;
      y = b.concat([...(begin[axis] ? [edge(0, begin[axis])] : []), y, ...(end[axis] ? [edge(d - end[axis], end[axis])] : [])], axis);
      shape[axis] = outShape[axis];
    });
    return y;
  }, [{ shape: outShape, dtype: x.dtype }])?.[0];
};

KERNELS.Cumsum = (backend, { inputs, attrs }) => {
  const { x } = inputs;
  if (!allDtype([x]) || !nonEmpty([x]) || !backend.supports(['cumulativeSum'])) return null;
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
  return backend.runGraph(`Cumsum:${axis},${!!attrs.exclusive},${!!attrs.reverse}`, [{ info: x }],
    (b, [xo]) => b.cumulativeSum(xo, axis, { exclusive: !!attrs.exclusive, reversed: !!attrs.reverse }),
    [{ shape: x.shape, dtype: F32 }])?.[0];
};

// TF.js's argMax/argMin (CPU kernel): start from the first element, move on a strict `>` (`<`), so a
// NaN never wins, except a NaN first element, which nothing beats (index 0). WebNN's propagate NaN.
// Here: NaNs become -Infinity (+Infinity), ties keep the first index (as WebNN's), and where the
// first element along the axis is NaN the answer is 0.
function argKernel(name, op) {
  const fill = op === 'argMax' ? -Infinity : Infinity;
  KERNELS[name] = (backend, { inputs, attrs }) => {
    const { x } = inputs;
    if (!allDtype([x]) || !nonEmpty([x]) || !backend.supports([op, 'isNaN', 'slice', 'reshape']) || !backend.supports(['where'], 'bool')) return null;
    const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
    const outShape = x.shape.filter((_, i) => i !== axis);
    return backend.runGraph(`${name}:${axis}`, [{ info: x }], (b, [xo]) => {
      const idx = b[op](nanAs(b, xo, fill), axis, { keepDimensions: false, outputDataType: 'int32' });
      const first = b.slice(xo, x.shape.map(() => 0), x.shape.map((d, i) => (i === axis ? 1 : d)));
      return b.where(b.reshape(b.isNaN(first), outShape), b.constant('int32', 0), idx);
    }, [{ shape: outShape, dtype: 'int32' }])?.[0];
  };
}
argKernel('ArgMax', 'argMax');
argKernel('ArgMin', 'argMin');

const COMPARE = {
  Equal: 'equal', NotEqual: 'notEqual', Greater: 'greater', GreaterEqual: 'greaterOrEqual',
  Less: 'lesser', LessEqual: 'lesserOrEqual', LogicalAnd: 'logicalAnd', LogicalOr: 'logicalOr',
};
for (const [tfName, op] of Object.entries(COMPARE)) {
  KERNELS[tfName] = (backend, { inputs }) => {
    const { a, b: bb } = inputs;
    if (!dtypeOk([a, bb]) || a.dtype !== bb.dtype || !nonEmpty([a, bb]) || !backend.supports([op], a.dtype)) return null;
    const shape = backend_util.assertAndGetBroadcastShape(a.shape, bb.shape);
    return backend.runGraph(tfName, [{ info: a }, { info: bb }], (b, [x, y]) => b[op](x, y), [{ shape, dtype: 'bool' }])?.[0];
  };
}

// IsNan, IsInf, IsFinite: float32 in, bool out.
const FLOAT_TESTS = {
  IsNan: [['isNaN'], (b, x) => b.isNaN(x)],
  IsInf: [['isInfinite'], (b, x) => b.isInfinite(x)],
  IsFinite: [['isNaN', 'isInfinite'], (b, x) => b.logicalNot(b.logicalOr(b.isNaN(x), b.isInfinite(x)))],
};
for (const [tfName, [ops, build]] of Object.entries(FLOAT_TESTS)) {
  KERNELS[tfName] = (backend, { inputs }) => {
    const { x } = inputs;
    if (!allDtype([x]) || !nonEmpty([x]) || !backend.supports(ops) || !backend.supports(['logicalNot', 'logicalOr'], 'bool')) return null;
    return backend.runGraph(tfName, [{ info: x }], (b, [xo]) => build(b, xo), [{ shape: x.shape, dtype: 'bool' }])?.[0];
  };
}

KERNELS.LogicalNot = (backend, { inputs }) => {
  const { x } = inputs;
  if (x.dtype !== 'bool' || !nonEmpty([x]) || !backend.supports(['logicalNot'], 'bool')) return null;
  return backend.runGraph('LogicalNot', [{ info: x }], (b, [xo]) => b.logicalNot(xo), [{ shape: x.shape, dtype: 'bool' }])?.[0];
};

KERNELS.Select = (backend, { inputs }) => {
  const { condition, t, e } = inputs;
  if (condition.dtype !== 'bool' || !dtypeOk([t, e]) || t.dtype !== e.dtype || !nonEmpty([condition, t, e])) return null;
  if (!backend.supports(['where'], 'bool')) return null;
  // TF.js: a 1-D condition selects whole rows of t/e; WebNN's where broadcasts from the right.
  let condShape = condition.shape;
  if (condition.shape.length === 1 && t.shape.length > 1) condShape = [condition.shape[0], ...new Array(t.shape.length - 1).fill(1)];
  const shape = backend_util.assertAndGetBroadcastShape(backend_util.assertAndGetBroadcastShape(condShape, t.shape), e.shape);
  return backend.runGraph('Select', [{ info: condition, shape: condShape }, { info: t }, { info: e }],
    (b, [c, x, y]) => b.where(c, x, y), [{ shape, dtype: t.dtype }])?.[0];
};
