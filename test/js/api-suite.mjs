// WebNN API behaviour, end to end. Run against the real engine (api.test.mjs) and against a JS
// fake of the bindings (api-fake.test.mjs). Uses ops every engine has: add, mul, relu.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const f32 = (buf) => Array.from(new Float32Array(buf));
const desc = (shape, extra = {}) => ({ dataType: 'float32', shape, ...extra });
const io = { readable: true, writable: true };

async function rejects(promise, name) {
  await assert.rejects(promise, (e) => { assert.equal(e.name, name, e.message); return true; });
}
function throws(fn, name) {
  assert.throws(fn, (e) => { assert.equal(e.name, name, e.message); return true; });
}

export function apiSuite(api) {
  const { ml, MLGraphBuilder, MLTensor, MLOperand, MLGraph, MLContext } = api;

  async function addGraph(context, shape = [2, 2]) {
    const b = new MLGraphBuilder(context);
    const x = b.input('x', desc(shape));
    const y = b.input('y', desc(shape));
    return b.build({ z: b.relu(b.add(x, y)) });
  }

  test('createContext: options, ours, GPUDevice rejected, bad enum rejected', async () => {
    const c = await ml.createContext({ deviceType: 'cpu', powerPreference: 'low-power', numThreads: 2 });
    assert.ok(c instanceof MLContext);
    assert.equal(c.accelerated, true); // the option's default (spec-sweep.test.mjs checks false)
    assert.match(c.backend, /^wasm-(simd-threads|simd|scalar)$/);
    assert.equal(c.backend, `wasm-${c.variant}`);
    assert.ok(c.numThreads >= 1);
    await rejects(ml.createContext({ powerPreference: 'fast' }), 'TypeError');
    await rejects(ml.createContext({ numThreads: -1 }), 'TypeError');
    await rejects(ml.createContext({ queue: {}, createBuffer() {} }), 'NotSupportedError');
    await rejects(ml.createContext(5), 'TypeError');
    c.destroy();
  });

  test('interfaces cannot be constructed by script', () => {
    for (const C of [MLTensor, MLOperand, MLGraph, MLContext]) throws(() => new C(), 'TypeError');
  });

  test('tensors round trip; both readTensor overloads; any view type', async () => {
    const c = await ml.createContext();
    const t = await c.createTensor(desc([2, 3], io));
    assert.ok(t instanceof MLTensor);
    assert.deepEqual([t.dataType, [...t.shape], t.readable, t.writable, t.constant], ['float32', [2, 3], true, true, false]);
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    c.writeTensor(t, data);
    assert.deepEqual(f32(await c.readTensor(t)), [1, 2, 3, 4, 5, 6]);
    c.writeTensor(t, new Uint8Array(data.buffer).slice()); // any view of the right byte length
    const out = new Int8Array(24);
    assert.equal(await c.readTensor(t, out), undefined);
    assert.deepEqual(f32(out.buffer), [1, 2, 3, 4, 5, 6]);
    c.writeTensor(t, new Float32Array([6, 5, 4, 3, 2, 1]).buffer); // an ArrayBuffer
    assert.deepEqual(f32(await c.readTensor(t)), [6, 5, 4, 3, 2, 1]);
    // Legacy `dimensions`.
    const t2 = await c.createTensor({ dataType: 'float32', dimensions: [4], readable: true });
    assert.deepEqual([...t2.shape], [4]);
    c.destroy();
  });

  test('tensor errors: not readable/writable, wrong byte length, bad descriptor, destroyed', async () => {
    const c = await ml.createContext();
    const ro = await c.createTensor(desc([2], { readable: true }));
    const wo = await c.createTensor(desc([2], { writable: true }));
    throws(() => c.writeTensor(ro, new Float32Array(2)), 'TypeError');
    await rejects(c.readTensor(wo), 'TypeError');
    throws(() => c.writeTensor(wo, new Float32Array(3)), 'TypeError');
    throws(() => c.writeTensor(wo, [1, 2]), 'TypeError');
    await rejects(c.readTensor(ro, new Float32Array(1)), 'TypeError');
    await rejects(c.readTensor({}), 'TypeError');
    await rejects(c.createTensor(desc([2, -1])), 'TypeError');
    await rejects(c.createTensor(desc([2, NaN])), 'TypeError');
    await rejects(c.createTensor(desc([2 ** 32])), 'TypeError');
    await rejects(c.createTensor({ dataType: 'float64', shape: [2] }), 'TypeError');
    await rejects(c.createTensor({ dataType: 'float32' }), 'TypeError');
    await rejects(c.createTensor(desc('12')), 'TypeError');
    wo.destroy();
    wo.destroy(); // idempotent
    throws(() => c.writeTensor(wo, new Float32Array(2)), 'TypeError');
    const c2 = await ml.createContext();
    throws(() => c2.writeTensor(ro, new Float32Array(2)), 'TypeError');
    await rejects(c2.readTensor(ro), 'TypeError');
    // The context keeps working.
    c.writeTensor(await c.createTensor(desc([1], { writable: true })), new Float32Array(1));
    c.destroy();
    c2.destroy();
  });

  test('constant tensors', async () => {
    const c = await ml.createContext();
    const k = await c.createConstantTensor(desc([2, 2]), new Float32Array([1, -1, 1, -1]));
    assert.equal(k.constant, true);
    assert.equal(k.readable, false);
    await rejects(c.createConstantTensor(desc([2, 2]), new Float32Array(3)), 'TypeError');
    throws(() => c.writeTensor(k, new Float32Array(4)), 'TypeError');
    const b = new MLGraphBuilder(c);
    const x = b.input('x', desc([2, 2]));
    const g = await b.build({ y: b.add(x, b.constant(k)) });
    k.destroy(); // the graph owns its copy
    const xt = await c.createTensor(desc([2, 2], { writable: true }));
    const yt = await c.createTensor(desc([2, 2], { readable: true }));
    c.writeTensor(xt, new Float32Array([1, 2, 3, 4]));
    c.dispatch(g, { x: xt }, { y: yt });
    assert.deepEqual(f32(await c.readTensor(yt)), [2, 1, 4, 3]);
    throws(() => new MLGraphBuilder(c).constant(k), 'TypeError'); // destroyed
    const nk = await c.createTensor(desc([2, 2], io));
    throws(() => new MLGraphBuilder(c).constant(nk), 'TypeError'); // not constant
    const kx = await c.createConstantTensor(desc([2, 2]), new Float32Array(4));
    throws(() => c.dispatch(g, { x: kx }, { y: yt }), 'TypeError');
    c.destroy();
  });

  test('dispatch: results, reuse across dispatches, chained graphs, timeline order', async () => {
    const c = await ml.createContext();
    const g = await addGraph(c);
    const [x, y, z] = await Promise.all([c.createTensor(desc([2, 2], io)), c.createTensor(desc([2, 2], io)), c.createTensor(desc([2, 2], io))]);
    c.writeTensor(x, new Float32Array([1, -2, 3, -4]));
    c.writeTensor(y, new Float32Array([1, 1, 1, 1]));
    c.dispatch(g, { x, y }, { z });
    const first = c.readTensor(z); // sees the dispatch before it ...
    c.writeTensor(y, new Float32Array([10, 10, 10, 10])); // ... and not this write
    c.dispatch(g, { x, y }, { z });
    assert.deepEqual(f32(await first), [2, 0, 4, 0]);
    assert.deepEqual(f32(await c.readTensor(z)), [11, 8, 13, 6]);
    // Chained: z feeds the next dispatch as an input.
    const w = await c.createTensor(desc([2, 2], io));
    c.dispatch(g, { x: z, y }, { z: w });
    assert.deepEqual(f32(await c.readTensor(w)), [21, 18, 23, 16]);
    for (let i = 0; i < 50; i++) c.dispatch(g, { x, y }, { z });
    assert.deepEqual(f32(await c.readTensor(z)), [11, 8, 13, 6]);
    c.destroy();
  });

  test('dispatch validation: every bad binding is a TypeError and the context keeps working', async () => {
    const c = await ml.createContext();
    const g = await addGraph(c);
    const t = async (shape = [2, 2], dataType = 'float32') => c.createTensor({ dataType, shape, readable: true, writable: true });
    const [x, y, z] = [await t(), await t(), await t()];
    const bad = [
      [{ x, y }, {}], // missing output
      [{ x }, { z }], // missing input
      [{ x, y, q: await t() }, { z }], // unknown input name
      [{ x, y }, { z, extra: await t() }], // unknown output name
      [{ x, y: await t([4]) }, { z }], // wrong shape (same size)
      [{ x, y: await t([2, 3]) }, { z }], // wrong shape
      [{ x, y: await t([2, 2], 'int32') }, { z }], // wrong data type
      [{ x, y }, { z: await t([1, 2, 2]) }], // wrong rank
      [{ x, y: x }, { z }], // same tensor twice
      [{ x, y }, { z: x }], // input used as output
      [{ x, y: {} }, { z }], // not a tensor
      [null, { z }],
    ];
    for (const [ins, outs] of bad) throws(() => c.dispatch(g, ins, outs), 'TypeError');
    throws(() => c.dispatch({}, { x, y }, { z }), 'TypeError');
    // Tensors and graphs from another context.
    const c2 = await ml.createContext();
    const x2 = await c2.createTensor(desc([2, 2], io));
    throws(() => c.dispatch(g, { x: x2, y }, { z }), 'TypeError');
    throws(() => c2.dispatch(g, { x: x2, y }, { z }), 'TypeError');
    // Destroyed tensor: TypeError; destroyed graph: InvalidStateError.
    const d = await t();
    d.destroy();
    throws(() => c.dispatch(g, { x: d, y }, { z }), 'TypeError');
    c.writeTensor(x, new Float32Array([1, 1, 1, 1]));
    c.writeTensor(y, new Float32Array([1, 2, 3, 4]));
    c.dispatch(g, { x, y }, { z });
    assert.deepEqual(f32(await c.readTensor(z)), [2, 3, 4, 5]);
    g.destroy();
    throws(() => c.dispatch(g, { x, y }, { z }), 'InvalidStateError');
    c.destroy();
    c2.destroy();
  });

  test('dispatch fast path: after good dispatches, every bad binding is still caught', async () => {
    const c = await ml.createContext();
    const g = await addGraph(c);
    const t = async (shape = [2, 2], dataType = 'float32') => c.createTensor({ dataType, shape, readable: true, writable: true });
    const [x, y, z, w] = [await t(), await t(), await t(), await t()];
    c.writeTensor(x, new Float32Array([1, 2, 3, 4]));
    c.writeTensor(y, new Float32Array([1, 1, 1, 1]));
    c.writeTensor(w, new Float32Array([5, 5, 5, 5]));
    for (let i = 0; i < 3; i++) c.dispatch(g, { x, y }, { z }); // primes the per-slot cache
    // Swapped slots, tensors seen in other slots: still bound by name.
    c.dispatch(g, { x: y, y: x }, { z });
    assert.deepEqual(f32(await c.readTensor(z)), [2, 3, 4, 5]);
    c.dispatch(g, { y: w, x }, { z });
    assert.deepEqual(f32(await c.readTensor(z)), [6, 7, 8, 9]);
    const bad = [
      [{ x, y }, {}], [{ x }, { z }], [{ x, y, q: w }, { z }], [{ x, y }, { z, extra: w }],
      [{ x, y: await t([4]) }, { z }], [{ x, y: await t([2, 2], 'int32') }, { z }],
      [{ x, y: x }, { z }], [{ x, y }, { z: x }], [{ x, y }, { z: y }], [{ x, y: {} }, { z }],
      [{ x, y }, null], [{ x, y }, { z: undefined }],
    ];
    for (const [ins, outs] of bad) throws(() => c.dispatch(g, ins, outs), 'TypeError');
    // A record with a prototype, or symbol keys: general path, same meaning.
    const proto = Object.create({ inherited: 1 });
    proto.x = x; proto.y = y;
    c.dispatch(g, proto, { z, [Symbol('s')]: w });
    assert.deepEqual(f32(await c.readTensor(z)), [2, 3, 4, 5]);
    // A cached tensor destroyed later, a constant tensor: caught.
    c.dispatch(g, { x, y: w }, { z });
    w.destroy();
    throws(() => c.dispatch(g, { x, y: w }, { z }), 'TypeError');
    const k = await c.createConstantTensor(desc([2, 2]), new Float32Array(4));
    throws(() => c.dispatch(g, { x, y: k }, { z }), 'TypeError');
    c.dispatch(g, { x, y }, { z });
    assert.deepEqual(f32(await c.readTensor(z)), [2, 3, 4, 5]);
    c.destroy();
    throws(() => c.dispatch(g, { x, y }, { z }), 'InvalidStateError');
  });

  test('MLGraph.debugPlan (ours): the compiled plan as text', async () => {
    const c = await ml.createContext();
    const g = await addGraph(c);
    const plan = g.debugPlan();
    assert.equal(typeof plan, 'string');
    assert.ok(plan.length > 0);
    g.destroy();
    throws(() => g.debugPlan(), 'InvalidStateError');
    c.destroy();
  });

  test('MLGraph.debugProfile (ours): per-step times of the dispatches while on', async () => {
    const c = await ml.createContext();
    const g = await addGraph(c);
    const t = () => c.createTensor({ ...desc([2, 2]), writable: true, readable: true });
    const [x, y, z] = [await t(), await t(), await t()];
    assert.match(g.debugProfile(true), /^dispatches: 0,/);
    for (let i = 0; i < 3; i++) c.dispatch(g, { x, y }, { z });
    const report = g.debugProfile(false);
    assert.match(report, /^dispatches: 3, mean [0-9.]+ us per dispatch, threads running: [1-9]\d* of [1-9]\d*\n/);
    assert.match(report, /\n +0: +[0-9.]+ us +[0-9.]+% +\S/);  // one line per step, with its name
    c.dispatch(g, { x, y }, { z });                   // off: not counted, the report stays
    assert.match(g.debugProfile(), /^dispatches: 3,/);
    g.destroy();
    throws(() => g.debugProfile(), 'InvalidStateError');
    c.destroy();
  });

  test('builder: operands, build once, errors', async () => {
    const c = await ml.createContext();
    const b = new MLGraphBuilder(c);
    const x = b.input('x', desc([2, 2]));
    assert.ok(x instanceof MLOperand);
    assert.equal(x.dataType, 'float32');
    assert.deepEqual([...x.shape], [2, 2]);
    throws(() => b.input('x', desc([2, 2])), 'TypeError'); // duplicate name
    throws(() => b.input('', desc([2, 2])), 'TypeError');
    throws(() => b.input('n', desc([2.5, NaN])), 'TypeError');
    throws(() => b.input('n', { dataType: 'bogus', shape: [1] }), 'TypeError');
    throws(() => b.relu({}), 'TypeError');
    throws(() => b.relu(), 'TypeError');
    throws(() => b.add(x), 'TypeError');
    throws(() => b.add(x, 'y'), 'TypeError');
    throws(() => b.relu(x, 5), 'TypeError'); // options not a dictionary
    const other = new MLGraphBuilder(c);
    const o = other.input('o', desc([2, 2]));
    throws(() => b.add(x, o), 'TypeError'); // operand from another builder
    // Engine validation errors (in a builder not built below: unused inputs are engine-defined).
    const eb = new MLGraphBuilder(c);
    const ex = eb.input('x', desc([2, 2]));
    throws(() => eb.add(ex, eb.input('i', { dataType: 'int32', shape: [2, 2] })), 'TypeError'); // data type mismatch
    const err = (() => { try { eb.add(ex, eb.input('s', desc([3, 3])), { label: 'my-add' }); } catch (e) { return e; } })();
    assert.equal(err.name, 'TypeError');
    assert.match(err.message, /my-add/); // the label names the op in messages
    // Scalar constant overload and buffer constant.
    const k = b.constant(desc([2, 2]), new Float32Array([1, 2, 3, 4]));
    throws(() => b.constant(desc([2, 2]), new Float32Array(3)), 'TypeError');
    throws(() => b.constant(desc([2, 2])), 'TypeError');
    assert.deepEqual([...b.constant('float32', 3).shape], []);
    await rejects(b.build({}), 'TypeError');
    await rejects(b.build({ x }), 'TypeError'); // an input is not an output
    await rejects(b.build({ k }), 'TypeError'); // neither is a constant
    await rejects(b.build({ o: other.relu(o) }), 'TypeError');
    const y = b.mul(b.relu(x), k);
    const g = await b.build({ y });
    assert.ok(g instanceof MLGraph);
    // After build: InvalidStateError for everything.
    await rejects(b.build({ y }), 'InvalidStateError');
    throws(() => b.relu(x), 'InvalidStateError');
    throws(() => b.input('z', desc([1])), 'InvalidStateError');
    throws(() => b.constant(desc([1]), new Float32Array(1)), 'InvalidStateError');
    const xt = await c.createTensor(desc([2, 2], io));
    const yt = await c.createTensor(desc([2, 2], io));
    c.writeTensor(xt, new Float32Array([-1, 1, -2, 2]));
    c.dispatch(g, { x: xt }, { y: yt });
    assert.deepEqual(f32(await c.readTensor(yt)), [0, 2, 0, 8]);
    c.destroy();
  });

  test('every op of the IDL is a method (whatever the engine registers); methods are table-driven', async () => {
    const c = await ml.createContext();
    const limits = c.opSupportLimits();
    for (const name of Object.keys(api.opSignatures)) {
      assert.equal(typeof MLGraphBuilder.prototype[name], 'function', name);
    }
    assert.ok(['nchw', 'nhwc'].includes(limits.preferredInputLayout));
    assert.ok(limits.maxTensorByteLength > 0);
    for (const k of ['input', 'constant', 'output']) {
      assert.ok(Array.isArray(limits[k].dataTypes) && limits[k].rankRange.max >= limits[k].rankRange.min);
    }
    assert.deepEqual(Object.keys(limits.add).sort(), ['a', 'b', 'output']);
    limits.add.a.dataTypes.push('bogus'); // a copy: does not change the next answer
    assert.ok(!c.opSupportLimits().add.a.dataTypes.includes('bogus'));
    c.destroy();
  });

  test('sequence-returning op (split) returns an array', { skip: false }, async (t) => {
    const c = await ml.createContext();
    if (!MLGraphBuilder.prototype.split) { t.skip('engine has no split'); c.destroy(); return; }
    const b = new MLGraphBuilder(c);
    const x = b.input('x', desc([4, 2]));
    const parts = b.split(x, 2);
    assert.ok(Array.isArray(parts) && parts.length === 2);
    assert.deepEqual([...parts[0].shape], [2, 2]);
    throws(() => b.split(x, 'two'), 'TypeError');
    throws(() => b.split(x, [1.5, NaN]), 'TypeError');
    c.destroy();
  });

  test('destroyed context: InvalidStateError (TypeError for its destroyed tensors), lost resolves', async () => {
    const c = await ml.createContext();
    const g = await addGraph(c);
    const t = await c.createTensor(desc([2, 2], io));
    const b = new MLGraphBuilder(c);
    const x = b.input('x', desc([2, 2]));
    c.destroy();
    const info = await c.lost;
    assert.equal(typeof info.message, 'string');
    c.destroy(); // idempotent
    await rejects(c.createTensor(desc([2], io)), 'InvalidStateError');
    await rejects(c.createConstantTensor(desc([1]), new Float32Array(1)), 'InvalidStateError');
    // destroy() destroyed the context's tensors: the spec's readTensor/writeTensor steps say TypeError.
    await rejects(c.readTensor(t), 'TypeError');
    throws(() => c.writeTensor(t, new Float32Array(4)), 'TypeError');
    throws(() => c.dispatch(g, { x: t, y: t }, { z: t }), 'InvalidStateError');
    throws(() => new MLGraphBuilder(c), 'InvalidStateError');
    throws(() => b.relu(x), 'InvalidStateError');
    await rejects(b.build({ x }), 'InvalidStateError');
    // Other contexts are unaffected.
    const c2 = await ml.createContext();
    const g2 = await addGraph(c2);
    const [a, bb, z] = [await c2.createTensor(desc([2, 2], io)), await c2.createTensor(desc([2, 2], io)), await c2.createTensor(desc([2, 2], io))];
    c2.writeTensor(a, new Float32Array([1, 2, 3, 4]));
    c2.writeTensor(bb, new Float32Array([1, 2, 3, 4]));
    c2.dispatch(g2, { x: a, y: bb }, { z });
    assert.deepEqual(f32(await c2.readTensor(z)), [2, 4, 6, 8]);
    c2.destroy();
  });

  test('many build/dispatch/destroy cycles', async () => {
    const c = await ml.createContext();
    for (let i = 0; i < 200; i++) {
      const g = await addGraph(c, [8, 8]);
      const [x, y, z] = [await c.createTensor(desc([8, 8], io)), await c.createTensor(desc([8, 8], io)), await c.createTensor(desc([8, 8], io))];
      c.writeTensor(x, new Float32Array(64).fill(i));
      c.writeTensor(y, new Float32Array(64).fill(1));
      c.dispatch(g, { x, y }, { z });
      assert.equal(new Float32Array(await c.readTensor(z))[63], i + 1);
      g.destroy(); x.destroy(); y.destroy(); z.destroy();
    }
    c.destroy();
  });
}
