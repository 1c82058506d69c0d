// conv2d NHWC [1,100,100,100] 3x3 100->100 'same' + bias + relu against the plain-JS reference,
// plus smaller cases over layouts and groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineAvailable } from './engine-available.mjs';
import * as R from './reference.mjs';
import { createRunningContext } from './threads.mjs';
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

// Winograd F(4x4,3x3) (kernels/conv/winograd.cpp): taken for 3x3 stride-1 convs with enough channels,
// named in debugPlan, off with disabledPasses: ['winograd']. Odd sizes, asymmetric padding, both input
// layouts, every filter layout, with and without bias, relu / clamp / none, 1 and 2 threads.
test('conv2d Winograd path: layouts, padding, bias and activations match the reference; debugPlan names it', { skip }, async () => {
  const rnd = R.random(11);
  const [N, C, H, W, O] = [2, 24, 13, 11, 20];
  const x = R.tensor([N, C, H, W], rnd(N * C * H * W, -3, 3));
  const w = R.tensor([O, C, 3, 3], rnd(O * C * 9));
  const bias = R.tensor([O], rnd(O));
  const perms = { oihw: [0, 1, 2, 3], hwio: [2, 3, 1, 0], ohwi: [0, 2, 3, 1], ihwo: [1, 2, 3, 0] };
  const configs = [{ numThreads: 1 }, { numThreads: 2 }, { numThreads: 1, disabledPasses: ['winograd'] }];
  for (const config of configs) {
    const context = await createRunningContext(config);
    const winograd = !config.disabledPasses;
    let k = 0;
    for (const inputLayout of ['nchw', 'nhwc']) {
      for (const [filterLayout, perm] of Object.entries(perms)) {
        const act = ['relu', 'clamp', 'none'][k % 3];
        const withBias = k % 2 === 0;
        k++;
        const xi = inputLayout === 'nhwc' ? R.transpose(x, [0, 2, 3, 1]) : x;
        const wi = R.transpose(w, perm);
        const opts = { inputLayout, filterLayout, padding: [1, 2, 0, 1] };
        let expected = R.conv2d(xi, wi, withBias ? { ...opts, bias } : opts);
        const lo = act === 'relu' ? 0 : act === 'clamp' ? -1 : -Infinity, hi = act === 'clamp' ? 2 : Infinity;
        expected = Float32Array.from(expected.data, (v) => Math.min(Math.max(v, lo), hi));
        const b = new MLGraphBuilder(context);
        const xo = b.input('x', { dataType: 'float32', shape: xi.shape });
        const conv = b.conv2d(xo, b.constant({ dataType: 'float32', shape: wi.shape }, wi.data),
          withBias ? { ...opts, bias: b.constant({ dataType: 'float32', shape: [O] }, bias.data) } : opts);
        const y = act === 'relu' ? b.relu(conv) : act === 'clamp' ? b.clamp(conv, { minValue: lo, maxValue: hi }) : conv;
        const graph = await b.build({ y });
        const plan = graph.debugPlan();
        const where = `${JSON.stringify(config)} ${inputLayout}/${filterLayout} ${act} bias=${withBias}`;
        assert.equal(plan.includes('[winograd F(4x4,3x3)]'), winograd, `${where}:\n${plan}`);
        assert.equal(/\n {2}winograd: conv2d#\d+ 24->20 on 14x10\n/.test(plan), winograd, `${where}:\n${plan}`);
        if (!winograd) assert.ok(plan.includes('[im2col]'), `${where}:\n${plan}`);
        const xt = await context.createTensor({ dataType: 'float32', shape: xi.shape, writable: true });
        const yt = await context.createTensor({ dataType: 'float32', shape: y.shape, readable: true });
        context.writeTensor(xt, xi.data);
        context.dispatch(graph, { x: xt }, { y: yt });
        const actual = new Float32Array(await context.readTensor(yt));
        // conv2d's bound in test/native/kernels/conv.cpp and winograd.cpp: 1e-5 x sum |x w| (about 160 here).
        const r = R.compare(actual, expected, { atol: 1.6e-3, rtol: 0 });
        assert.ok(r.ok, `${where}: worst ${r.worst} at ${r.at}: ${actual[r.at]} vs ${expected[r.at]}`);
      }
    }
    context.destroy();
  }
});

// An Inf or NaN input stays where direct convolution puts it (the Winograd transforms would spread
// it over whole 4x4 tiles; such tiles are recomputed directly): same non-finite outputs as im2col.
test('conv2d Winograd path: Inf and NaN inputs give the outputs im2col gives', { skip }, async () => {
  const rnd = R.random(12);
  const [H, W, C, O] = [12, 13, 16, 12];
  const x = rnd(H * W * C);
  x[(5 * W + 6) * C + 3] = Infinity;
  x[(9 * W + 2) * C + 0] = NaN;
  x[(0 * W + 12) * C + 15] = -Infinity;
  const w = rnd(O * 9 * C);
  const outs = [];
  for (const disabledPasses of [[], ['winograd']]) {
    const context = await ml.createContext({ disabledPasses });
    const b = new MLGraphBuilder(context);
    const xo = b.input('x', { dataType: 'float32', shape: [1, H, W, C] });
    const y = b.conv2d(xo, b.constant({ dataType: 'float32', shape: [O, 3, 3, C] }, w),
      { inputLayout: 'nhwc', filterLayout: 'ohwi', padding: [1, 1, 1, 1] });
    const graph = await b.build({ y });
    assert.equal(graph.debugPlan().includes('[winograd'), disabledPasses.length === 0);
    const xt = await context.createTensor({ dataType: 'float32', shape: [1, H, W, C], writable: true });
    const yt = await context.createTensor({ dataType: 'float32', shape: y.shape, readable: true });
    context.writeTensor(xt, x);
    context.dispatch(graph, { x: xt }, { y: yt });
    outs.push(new Float32Array(await context.readTensor(yt)));
    context.destroy();
  }
  let nonFinite = 0;
  for (let i = 0; i < outs[1].length; i++) {
    const [a, d] = [outs[0][i], outs[1][i]];
    if (!Number.isFinite(d)) nonFinite++;
    const same = Number.isFinite(d) ? Math.abs(a - d) <= 1e-3 : Number.isNaN(d) ? Number.isNaN(a) : a === d;
    assert.ok(same, `y[${i}] = ${a}, im2col ${d}`);
  }
  assert.ok(nonFinite > 0 && nonFinite < outs[1].length / 4, `${nonFinite} non-finite outputs`);
});
