// Shared helpers for the ops-a JS tests: build one graph, run it through MLContext.dispatch, read
// the outputs back as typed arrays of their data type (int64 -> BigInt64Array).
import { engineAvailable } from './engine-available.mjs';
import { ml, MLGraphBuilder, setVariant } from '../../js/index.js';

export const skip = engineAvailable ? false : 'no Wasm build in dist/ (npm run build)';
if (engineAvailable && process.env.WEBNN_WASM_VARIANT) setVariant(process.env.WEBNN_WASM_VARIANT);

export const ARRAYS = {
  float32: Float32Array, float16: Uint16Array, int32: Int32Array, uint32: Uint32Array,
  int64: BigInt64Array, uint64: BigUint64Array, int8: Int8Array, uint8: Uint8Array,
};

export { ml, MLGraphBuilder };

// inputs: { name: { dataType, shape, data } }; build(builder, operands) returns an MLOperand or
// a record of them. Resolves to { name: typedArray } (one entry `y` for a single operand).
export async function run(context, inputs, build) {
  const b = new MLGraphBuilder(context);
  const operands = {};
  for (const [name, t] of Object.entries(inputs)) {
    operands[name] = t.constant
      ? b.constant({ dataType: t.dataType, shape: t.shape }, t.data)
      : b.input(name, { dataType: t.dataType, shape: t.shape });
  }
  let outs = build(b, operands);
  if (outs.dataType) outs = { y: outs };
  const graph = await b.build(outs);
  const tensors = {};
  for (const [name, t] of Object.entries(inputs)) {
    if (t.constant) continue;
    tensors[name] = await context.createTensor({ dataType: t.dataType, shape: t.shape, writable: true });
    context.writeTensor(tensors[name], t.data);
  }
  const outTensors = {};
  for (const [name, o] of Object.entries(outs))
    outTensors[name] = await context.createTensor({ dataType: o.dataType, shape: o.shape, readable: true });
  context.dispatch(graph, tensors, outTensors);
  const result = {};
  for (const [name, o] of Object.entries(outs)) result[name] = new ARRAYS[o.dataType](await context.readTensor(outTensors[name]));
  return result;
}

export function broadcastIndex(outShape, inShape, o) {
  let idx = 0, stride = 1;
  for (let i = 0; i < outShape.length; i++) {
    const d = outShape.length - 1 - i;
    const coord = o % outShape[d];
    o = Math.floor(o / outShape[d]);
    if (i < inShape.length) {
      const id = inShape.length - 1 - i;
      if (inShape[id] !== 1) idx += coord * stride;
      stride *= inShape[id];
    }
  }
  return idx;
}

export const ulpClose = (a, b, rel = 2e-6) => (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));
