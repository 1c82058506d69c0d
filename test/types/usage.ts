// Compiled (not run) by test/package/pack.test.mjs against the installed package: the types resolve
// through the exports map and describe the API. The `@ts-expect-error` lines must stay errors: they
// show the types are precise, not `any`.
import 'webnn-wasm/polyfill';
import { ml, setWasmPaths, setVariant, loadedVariant, MLGraphBuilder as Builder } from 'webnn-wasm';
import type { MLOpSupportLimits, MLTensor, WasmVariant, WebnnWasmOpSupportLimits } from 'webnn-wasm';
import { BACKEND_NAME, PRIORITY, setBackendOptions, ENGINE_KERNELS, FALLBACK_KERNELS } from 'webnn-wasm/tfjs';
import type { WebNNWasmBackend } from 'webnn-wasm/tfjs';

setWasmPaths('/assets/webnn/');
setWasmPaths({ 'webnn-wasm-simd.wasm': new URL('https://cdn.example/x.wasm') });
setVariant(null);

// After `import 'webnn-wasm/polyfill'` the spec's types are global, as in a browser with WebNN.
const dataType: MLOperandDataType = 'float16';
const descriptor: MLOperandDescriptor = { dataType, shape: [2, 3] };
const tensorDescriptor: MLTensorDescriptor = { ...descriptor, readable: true, writable: false };
const convOptions: MLConv2dOptions = { padding: [1, 1, 1, 1], strides: [2, 2], inputLayout: 'nhwc', filterLayout: 'ohwi' };
// @ts-expect-error: not an MLOperandDataType
const badType: MLOperandDataType = 'float64';

// Per-op limits: the spec's dictionaries, each operand by name.
export function convInputTypes(limits: MLOpSupportLimits): MLOperandDataType[] {
  const conv: MLConv2dSupportLimits | undefined = limits.conv2d;
  const lstm: MLLstmSupportLimits | undefined = limits.lstm;
  const gather: MLGatherSupportLimits | undefined = limits.gather;
  const rank: number = (limits.gemm?.c.rankRange.max ?? 0) + (lstm?.output2.rankRange.min ?? 0);
  // @ts-expect-error: conv2d has no `a` operand
  limits.conv2d?.a;
  // @ts-expect-error: not an op
  limits.conv3d;
  console.log(rank, gather?.indices.dataTypes, limits.split?.outputs, limits.concat?.inputs, limits.where?.trueValue);
  return conv ? conv.input.dataTypes : [];
}

export async function run(): Promise<number> {
  const context = await navigator.ml.createContext({ numThreads: 2, powerPreference: 'default' });
  const same = await ml.createContext();
  same.destroy();
  const v: WasmVariant = context.variant;
  const limits: MLOpSupportLimits = context.opSupportLimits();
  // webnn-wasm's own limits have every op: no `?.` (the spec dictionary, above, needs one).
  const conv2dInput: MLTensorLimits = context.opSupportLimits().conv2d.input;
  const allLimits: WebnnWasmOpSupportLimits = context.opSupportLimits();
  const asSpec: MLOpSupportLimits = allLimits;
  const b = new MLGraphBuilder(context);
  const b2: Builder = b;
  const x = b2.input('x', { dataType: 'float32', shape: [1, 4] });
  const w = b.constant({ dataType: 'float32', shape: [4, 2] }, new Float32Array(8));
  const conv = b.conv2d(b.reshape(x, [1, 2, 2, 1]), b.constant('float32', 1), { ...convOptions, padding: [0, 0, 0, 0], strides: [1, 1], label: 'c' });
  const [s0, s1] = b.split(b.matmul(x, w), 2, { axis: 1 });
  const y = b.softmax(b.add(s0, s1), 1);
  const graph = await b.build({ y, conv });
  const t: MLTensor = await context.createTensor({ dataType: 'float32', shape: [1, 4], writable: true });
  const r: MLTensor = await context.createTensor(tensorDescriptor);
  context.writeTensor(t, new Float32Array(4));
  // Dispatch takes records of tensors by name.
  const inputs: MLNamedTensors = { x: t };
  context.dispatch(graph, inputs, { y: t, conv: r });
  // @ts-expect-error: an operand is not a tensor
  context.dispatch(graph, { x }, { y: t });
  const out = new Float32Array(await context.readTensor(t));
  console.log(v, limits.preferredInputLayout, conv2dInput.rankRange.max, asSpec.gemm?.a.dataTypes, convInputTypes(limits), loadedVariant(), context.backend, badType);
  return out[0];
}

// The TF.js entry.
setBackendOptions({ numThreads: 2, bakeWeights: false });
// @ts-expect-error: not an option
setBackendOptions({ threads: 2 });
export function backendSummary(backend: WebNNWasmBackend): string {
  const name: 'webnn-wasm' = BACKEND_NAME;
  return `${name}@${PRIORITY}: ${ENGINE_KERNELS.length}+${FALLBACK_KERNELS.length} kernels, ${backend.stats.dispatches} dispatches, conv2d=${backend.has('conv2d')}`;
}
