// The constant and index kernels of converted graph models (Fill, ZerosLike, OnesLike, Range,
// OneHot): graphs whose values come from attributes (or, for OneHot, from int32 indices in the
// heap), so the result is made in the heap where the next engine kernel reads it, with no copy of
// the input's data (ZerosLike/OnesLike read only its shape).
import { util } from '@tensorflow/tfjs-core';
import { KERNELS } from './kernels.js';

const ENGINE_TYPE = { float32: 'float32', int32: 'int32', bool: 'uint8' };

// A tensor of `shape` filled with `value`: expand of a scalar constant.
function filled(backend, shape, value, dtype) {
  if (!(dtype in ENGINE_TYPE) || util.sizeFromShape(shape) === 0 || !backend.supports(['expand'], dtype)) return null;
  const v = dtype === 'bool' ? Number(!!value) : Number(value);
  // No inputs: the key carries the shape (runGraph keys graphs by their inputs' shapes).
  return backend.runGraph(`Fill:${dtype}:${Object.is(v, -0) ? '-0' : v}:[${shape}]`, [],
    (b) => b.expand(b.constant(ENGINE_TYPE[dtype], v), shape), [{ shape, dtype }])?.[0];
}

KERNELS.Fill = (backend, { attrs }) => {
  const { shape, value, dtype } = attrs;
  if (typeof value === 'string') return null; // string tensors live on the CPU side
  return filled(backend, shape, value, dtype ?? util.inferDtype(value));
};

KERNELS.ZerosLike = (backend, { inputs }) => filled(backend, inputs.x.shape, 0, inputs.x.dtype);
KERNELS.OnesLike = (backend, { inputs }) => filled(backend, inputs.x.shape, 1, inputs.x.dtype);

// Range: TF.js adds `step` to the previous value (in float32 or int32), so the values are the
// running sum of [start, step, step, ...]: cumulativeSum of that, summed in the same order.
KERNELS.Range = (backend, { attrs }) => {
  const { start, stop, step, dtype } = attrs;
  if (!(dtype === 'float32' || dtype === 'int32')) return null;
  if (start === stop || step === 0 || (start < stop) !== (step > 0)) return null; // empty (or TF.js's error): CPU kernel
  const n = Math.ceil(Math.abs((stop - start) / step));
  if (!(n >= 1) || !Number.isFinite(n) || !backend.supports(['cumulativeSum', 'expand', 'concat'], dtype)) return null;
  const type = ENGINE_TYPE[dtype];
  if (n === 1) return filled(backend, [1], start, dtype);
  return backend.runGraph(`Range:${dtype}:${start}:${step}:${n}`, [], (b) => {
    const steps = b.concat([b.constant({ dataType: type, shape: [1] }, dtype === 'int32' ? new Int32Array([start]) : new Float32Array([start])),
      b.expand(b.constant(type, step), [n - 1])], 0);
    return b.cumulativeSum(steps, 0);
  }, [{ shape: [n], dtype }])?.[0];
};

// OneHot: equal(indices[..., 1], [0, 1, ..., depth-1]) selects onValue, else offValue. An index out
// of [0, depth) matches nothing (a row of offValue), as in TF.js.
KERNELS.OneHot = (backend, { inputs, attrs }) => {
  const { indices } = inputs;
  const { depth, onValue = 1, offValue = 0, dtype = 'int32' } = attrs;
  if (indices.dtype !== 'int32' || !(dtype in ENGINE_TYPE) || depth < 1 || util.sizeFromShape(indices.shape) === 0) return null;
  if (!backend.supports(['equal'], 'int32') || !backend.supports(['where'], 'bool')) return null;
  const type = ENGINE_TYPE[dtype];
  const outShape = [...indices.shape, depth];
  const iota = new Int32Array(depth).map((_, i) => i);
  return backend.runGraph(`OneHot:${depth}:${onValue}:${offValue}:${dtype}`, [{ info: indices, shape: [...indices.shape, 1] }],
    (b, [ix]) => b.where(b.equal(ix, b.constant({ dataType: 'int32', shape: [depth] }, iota)),
      b.constant(type, dtype === 'bool' ? Number(!!onValue) : onValue), b.constant(type, dtype === 'bool' ? Number(!!offValue) : offValue)),
    [{ shape: outShape, dtype }])?.[0];
};
