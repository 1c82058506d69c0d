// Compiled (not run) by test/package/pack.test.mjs against the installed package: the types resolve
// through the exports map and describe the API.
import 'webnn-wasm/polyfill';
import { ml, setWasmPaths, setVariant, loadedVariant, MLGraphBuilder as Builder } from 'webnn-wasm';
import type { MLOpSupportLimits, MLTensor, WasmVariant } from 'webnn-wasm';

setWasmPaths('/assets/webnn/');
setWasmPaths({ 'webnn-wasm-simd.wasm': new URL('https://cdn.example/x.wasm') });
setVariant(null);

export async function run(): Promise<number> {
  const context = await navigator.ml.createContext({ numThreads: 2, powerPreference: 'default' });
  const same = await ml.createContext();
  same.destroy();
  const v: WasmVariant = context.variant;
  const limits: MLOpSupportLimits = context.opSupportLimits();
  const b = new MLGraphBuilder(context);
  const b2: Builder = b;
  const x = b2.input('x', { dataType: 'float32', shape: [1, 4] });
  const w = b.constant({ dataType: 'float32', shape: [4, 2] }, new Float32Array(8));
  const conv = b.conv2d(b.reshape(x, [1, 2, 2, 1]), b.constant('float32', 1), { inputLayout: 'nhwc', filterLayout: 'ohwi', label: 'c' });
  const [s0, s1] = b.split(b.matmul(x, w), 2, { axis: 1 });
  const y = b.softmax(b.add(s0, s1), 1);
  const graph = await b.build({ y, conv });
  const t: MLTensor = await context.createTensor({ dataType: 'float32', shape: [1, 4], writable: true });
  context.writeTensor(t, new Float32Array(4));
  context.dispatch(graph, { x: t }, { y: t });
  const out = new Float32Array(await context.readTensor(t));
  console.log(v, limits.preferredInputLayout, loadedVariant(), context.backend);
  return out[0];
}
