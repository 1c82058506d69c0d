// Builds a one-off graph through navigator.ml-style API objects and runs it: typed inputs in,
// typed outputs (one per named output) back. Shared by the ops-*.test.mjs files.
import { ml, MLGraphBuilder, setVariant } from '../../js/index.js';
import { engineAvailable } from './engine-available.mjs';

export const skip = engineAvailable ? false : 'no Wasm build in dist/ (npm run build)';
if (engineAvailable && process.env.WEBNN_VARIANT) setVariant(process.env.WEBNN_VARIANT);

const ARRAYS = { float32: Float32Array, int32: Int32Array, uint32: Uint32Array, int8: Int8Array, uint8: Uint8Array,
  int64: BigInt64Array, uint64: BigUint64Array, float16: Uint16Array };

export function newContext() { return ml.createContext(); }

// inputs: { name: { dataType, shape, data } }; build(builder, operands) returns an operand or { name: operand }.
export async function runGraph(context, inputs, build) {
  const b = new MLGraphBuilder(context);
  const operands = {};
  for (const [name, t] of Object.entries(inputs)) operands[name] = b.input(name, { dataType: t.dataType ?? 'float32', shape: t.shape });
  let outs = build(b, operands);
  if (!outs.dataType && !Array.isArray(outs)) outs = { ...outs };
  else if (Array.isArray(outs)) outs = Object.fromEntries(outs.map((o, i) => [`out${i}`, o]));
  else outs = { out0: outs };
  const graph = await b.build(outs);
  const tensors = {};
  for (const [name, t] of Object.entries(inputs)) {
    tensors[name] = await context.createTensor({ dataType: t.dataType ?? 'float32', shape: t.shape, writable: true });
    context.writeTensor(tensors[name], t.data);
  }
  const outTensors = {};
  for (const [name, o] of Object.entries(outs)) {
    outTensors[name] = await context.createTensor({ dataType: o.dataType, shape: o.shape, readable: true });
  }
  context.dispatch(graph, tensors, outTensors);
  const results = {};
  for (const [name, o] of Object.entries(outs)) {
    results[name] = { shape: o.shape, data: new ARRAYS[o.dataType](await context.readTensor(outTensors[name])) };
  }
  return results;
}

export const size = (shape) => shape.reduce((a, b) => a * b, 1);

export function stridesOf(shape) {
  const s = new Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

// Calls f(coords, linearIndex) for every coordinate of shape in row-major order.
export function forEachCoord(shape, f) {
  const n = size(shape);
  const c = new Array(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    f(c, i);
    for (let d = shape.length - 1; d >= 0; d--) { if (++c[d] < shape[d]) break; c[d] = 0; }
  }
}

export function linear(shape, c) {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d] + c[d];
  return i;
}

export function close(actual, expected, atol = 1e-5, rtol = 1e-4) {
  if (actual.length !== expected.length) return `length ${actual.length} vs ${expected.length}`;
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]))) return `index ${i}: ${actual[i]} vs ${expected[i]}`;
  }
  return null;
}
