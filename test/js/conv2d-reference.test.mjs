// conv2d NHWC [1,100,100,100] 3x3 100->100 'same' + bias + relu against the plain-JS reference,
// plus smaller cases over layouts and groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineAvailable } from './engine-available.mjs';
import * as R from './reference.mjs';
import { ml, MLGraphBuilder, setVariant } from '../../js/index.js';

const skip = engineAvailable ? false : 'no Wasm build in dist/ (npm run build)';
if (engineAvailable && process.env.WEBNN_WASM_VARIANT) setVariant(process.env.WEBNN_WASM_VARIANT);

async function run(context, build, inputs, outShape) {
  const b = new MLGraphBuilder(context);
  const operands = {};
  for (const [name, t] of Object.entries(inputs)) operands[name] = b.input(name, { dataType: 'float32', shape: t.shape });
  const graph = await b.build({ y: build(b, operands) });
  const tensors = {};
  for (const [name, t] of Object.entries(inputs)) {
    tensors[name] = await context.createTensor({ dataType: 'float32', shape: t.shape, writable: true });
    context.writeTensor(tensors[name], t.data);
  }
  const y = await context.createTensor({ dataType: 'float32', shape: outShape, readable: true });
  context.dispatch(graph, tensors, { y });
  return new Float32Array(await context.readTensor(y));
}

test('conv2d NHWC [1,100,100,100] 3x3 100->100 + bias + relu matches the reference', { skip }, async () => {
  const context = await ml.createContext();
  const rnd = R.random(42);
  const x = R.tensor([1, 100, 100, 100], rnd(1e6));
  const w = R.tensor([100, 3, 3, 100], rnd(90000, -0.1, 0.1)); // ohwi
  const bias = R.tensor([100], rnd(100));
  const opts = { inputLayout: 'nhwc', filterLayout: 'ohwi', padding: [1, 1, 1, 1] };
  const expected = R.relu(R.conv2d(x, w, { ...opts, bias }));
  const actual = await run(context, (b, { x: xi }) => b.relu(b.conv2d(xi,
    b.constant({ dataType: 'float32', shape: w.shape }, w.data),
    { ...opts, bias: b.constant({ dataType: 'float32', shape: [100] }, bias.data) })), { x }, expected.shape);
  const r = R.compare(actual, expected.data, { atol: 1e-4, rtol: 1e-4 });
  assert.ok(r.ok, `worst error ${r.worst} at ${r.at}: ${actual[r.at]} vs ${expected.data[r.at]}`);
  context.destroy();
});

test('conv2d small cases: layouts, groups, strides, dilations, padding', { skip }, async () => {
  const context = await ml.createContext();
  const rnd = R.random(7);
  const x = R.tensor([2, 4, 7, 6], rnd(2 * 4 * 7 * 6));
  const w = R.tensor([6, 2, 3, 3], rnd(6 * 2 * 9));
  const base = { groups: 2, padding: [1, 0, 2, 1], strides: [2, 1], dilations: [1, 2] };
  const perms = { oihw: [0, 1, 2, 3], hwio: [2, 3, 1, 0], ohwi: [0, 2, 3, 1], ihwo: [1, 2, 3, 0] };
  for (const inputLayout of ['nchw', 'nhwc']) {
    for (const [filterLayout, perm] of Object.entries(perms)) {
      const xi = inputLayout === 'nhwc' ? R.transpose(x, [0, 2, 3, 1]) : x;
      const wi = R.transpose(w, perm);
      const opts = { ...base, inputLayout, filterLayout };
      const expected = R.conv2d(xi, wi, opts);
      let actual;
      try {
        actual = await run(context, (b, o) => b.conv2d(o.x, b.constant({ dataType: 'float32', shape: wi.shape }, wi.data), opts),
          { x: xi }, expected.shape);
      } catch (e) {
        assert.fail(`${inputLayout}/${filterLayout}: ${e.name}: ${e.message}`);
      }
      const r = R.compare(actual, expected.data);
      assert.ok(r.ok, `${inputLayout}/${filterLayout}: worst ${r.worst} at ${r.at}`);
    }
  }
  context.destroy();
});
