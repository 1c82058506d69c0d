// The differential graph fuzzer (test/js/diff-fuzz-lib.mjs), fixed-seed batches of small and of
// large graphs: random DAGs built and dispatched three times on every compiler configuration (all
// passes on 2 threads splitting all work, all passes on 2 threads, each pass off), each result
// within tolerance of the plain-JS reference, every plan verified.
// `npm run fuzz:diff -- --count N --seed S --variant v [--large]` runs long campaigns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineAvailable } from './engine-available.mjs';
import { runDiffFuzz, makeContexts, formatFailure } from './diff-fuzz-lib.mjs';
import * as api from '../../js/index.js';

const COUNT = Number(process.env.WEBNN_DIFF_FUZZ_COUNT || 1500);
// Large graphs: 100 on the threaded build (the one whose split paths they reach), 50 on the others.
const LARGE_COUNT = Number(process.env.WEBNN_DIFF_FUZZ_LARGE_COUNT || (process.env.WEBNN_WASM_VARIANT === 'simd-threads' ? 100 : 50));
const SEED = Number(process.env.WEBNN_DIFF_FUZZ_SEED || 20261204);
const skip = !engineAvailable && 'no Wasm build in dist/';
if (engineAvailable && process.env.WEBNN_WASM_VARIANT) api.setVariant(process.env.WEBNN_WASM_VARIANT);

test('differential fuzzer: fixed-seed batch', { skip }, async (t) => {
  const configs = await makeContexts(api);
  const t0 = Date.now();
  const stats = await runDiffFuzz(api, { seed: SEED, count: COUNT, configs, maxFailures: 1 });
  const summary = `${stats.graphs} graphs, ${stats.nodes} nodes, ${stats.ops.size} ops, ` +
    `${configs.length} configurations, ${((Date.now() - t0) / 1000).toFixed(1)} s; graphs each pass changed: ` +
    Object.entries(stats.passes).map(([p, n]) => `${p} ${n}`).join(', ');
  t.diagnostic(summary);
  assert.equal(stats.failures.length, 0, `${summary}\n${stats.failures.map(formatFailure).join('\n')}`);
  // The batch must cover what it claims to: every op family the generator knows.
  for (const op of ['add', 'sub', 'mul', 'div', 'max', 'min', 'pow', 'relu', 'sigmoid', 'tanh', 'conv2d', 'matmul', 'gemm',
    'averagePool2d', 'maxPool2d', 'l2Pool2d', 'concat', 'slice', 'softmax', 'reduceSum', 'reshape', 'transpose', 'prelu',
    'batchNormalization', 'clamp', 'pad', 'isNaN', 'where', 'logicalNot', 'convTranspose2d', 'layerNormalization',
    'instanceNormalization', 'gather', 'gatherElements']) {
    assert.ok(stats.ops.has(op), `${op} never generated: ${summary}`);
  }
  // And every compiler pass must have had work to do (else switching it off tests nothing).
  for (const c of configs.filter((x) => x.disabledPasses.length > 0)) {
    const pass = c.disabledPasses[0];
    assert.ok((stats.passes[pass] ?? 0) >= COUNT / 100, `${pass} changed too few graphs: ${summary}`);
  }
  for (const c of configs) c.context.destroy();
});

// Large graphs: values of up to 64K elements, past the first tile of the kernels' blocked and
// threaded paths (im2col and GEMM blocks, Winograd tiles, work split by the kernels' own thresholds).
test('differential fuzzer: fixed-seed batch of large graphs', { skip }, async (t) => {
  const configs = await makeContexts(api);
  const t0 = Date.now();
  const stats = await runDiffFuzz(api, { seed: SEED, count: LARGE_COUNT, configs, large: true, maxFailures: 1 });
  const summary = `${stats.graphs} large graphs (${stats.beyondSmall} with values over 4096 elements), ${stats.nodes} nodes, ` +
    `${stats.ops.size} ops, ${configs.length} configurations, ${((Date.now() - t0) / 1000).toFixed(1)} s; graphs per ` +
    `kernel path: ${Object.entries(stats.kernels).map(([k, n]) => `${k} ${n}`).join(', ')}`;
  t.diagnostic(summary);
  assert.equal(stats.failures.length, 0, `${summary}\n${stats.failures.map(formatFailure).join('\n')}`);
  assert.ok(stats.beyondSmall >= LARGE_COUNT / 2, `too few graphs beyond a small graph's sizes: ${summary}`);
  for (const path of ['im2col', 'winograd F(4x4,3x3)', 'depthwise', '2x16']) {
    assert.ok((stats.kernels[path] ?? 0) >= LARGE_COUNT / 20, `kernel path ${path} too rare: ${summary}`);
  }
  for (const c of configs) c.context.destroy();
});

// The graph of issue #13: the element-wise chain pass fused add into pow(a)'s step, which ran
// before pow(c), its side operand, was computed.
test('differential fuzzer: the issue #13 graph on every configuration', { skip }, async () => {
  const configs = await makeContexts(api);
  for (const { name, context } of configs) {
    const b = new api.MLGraphBuilder(context);
    const d = { dataType: 'float32', shape: [4] };
    const a = b.input('a', d);
    const c = b.input('c', d);
    const two = b.constant({ dataType: 'float32', shape: [] }, new Float32Array([2]));
    const graph = await b.build({ y: b.add(b.pow(a, two), b.pow(c, two)) });
    const ta = await context.createTensor({ ...d, writable: true });
    const tc = await context.createTensor({ ...d, writable: true });
    const ty = await context.createTensor({ ...d, readable: true });
    for (const [av, want] of [[[1, 2, 3, 4], [2, 5, 10, 17]], [[4, 3, 2, 1], [17, 10, 5, 2]]]) {
      context.writeTensor(ta, new Float32Array(av));
      context.writeTensor(tc, new Float32Array([1, 1, 1, 1]));
      context.dispatch(graph, { a: ta, c: tc }, { y: ty });
      assert.deepEqual([...new Float32Array(await context.readTensor(ty))], want, name);
    }
    context.destroy();
  }
});

// The switches the fuzzer relies on (options of ours): unknown passes are TypeErrors naming the
// option; a disabled pass leaves no trace in the plan.
test('createContext compiler options (ours): disabledPasses, verifyPlans', { skip }, async () => {
  const context = await api.ml.createContext({ verifyPlans: true });
  assert.deepEqual(api.compilerPassNames(), ['gelu-recognition', 'shape-sinking', 'broadcast-folding', 'constant-folding', 'layernorm-recognition', 'pad-folding', 'batchnorm-folding', 'maxpool-skip-nan', 'fusion', 'residual-add', 'nchw-layout', 'elementwise-chains', 'memory-aliasing', 'winograd']);
  await assert.rejects(api.ml.createContext({ disabledPasses: ['fusion', 'no-such-pass'] }),
    (e) => e instanceof TypeError && /no-such-pass/.test(e.message));
  await assert.rejects(api.ml.createContext({ disabledPasses: 'fusion' }), TypeError);  // a string is not a sequence
  for (const disabledPasses of [[], ['elementwise-chains']]) {
    const ctx = await api.ml.createContext({ disabledPasses, verifyPlans: true });
    const b = new api.MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float32', shape: [2] });
    const one = b.constant({ dataType: 'float32', shape: [2] }, new Float32Array([1, 1]));
    const graph = await b.build({ y: b.relu(b.add(x, one)) });
    assert.equal(graph.debugPlan().includes('elementwise-chains:'), disabledPasses.length === 0);
    ctx.destroy();
  }
  context.destroy();
});
