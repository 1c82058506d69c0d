// Issue #14, the spec sweep: rules of index.bs that webnn-wasm skipped or got wrong, each through the
// JS API against an independent reference (plain JS loops, float64 math, the spec's casting rules).
// Bad input expects the spec's error and checks that the context still works afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MLGraphBuilder } from '../../js/index.js';
import { skip, newContext, runGraph, forEachCoord, linear } from './op-runner.mjs';

const ARRAYS = {
  float32: Float32Array, float16: Uint16Array, int32: Int32Array, uint32: Uint32Array,
  int64: BigInt64Array, uint64: BigUint64Array, int8: Int8Array, uint8: Uint8Array,
};
const iota = (n, start = 0) => Array.from({ length: n }, (_, i) => i + start);

// The context still builds and runs a graph (after a rejected call).
async function stillWorks(ctx) {
  const r = await runGraph(ctx, { x: { shape: [2], data: Float32Array.from([-1, 2]) } }, (b, o) => b.relu(o.x));
  assert.deepEqual(Array.from(r.out0.data), [0, 2]);
}

const throwsType = (fn, re) => assert.throws(fn, (e) => e instanceof TypeError && (!re || re.test(e.message)));

// Distance in float32 units in the last place between a float32 result and a float64 reference.
function ulpDistance(actual, expected) {
  const key = (x) => {
    const i = new Int32Array(new Float32Array([x]).buffer)[0];
    return i < 0 ? -(i & 0x7fffffff) : i;
  };
  return Math.abs(key(actual) - key(Math.fround(expected)));
}

// ---- maxPool2d on integer types (the spec's "any" data type) ----

// Max over the window's taps inside the input, NCHW.
function maxPoolReference(x, [N, C, H, W], { window: [KH, KW], strides: [SH, SW] = [1, 1], padding = [0, 0, 0, 0] }, [OH, OW]) {
  const out = [];
  forEachCoord([N, C, OH, OW], ([n, c, oh, ow]) => {
    let m = null;
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const ih = oh * SH + kh - padding[0], iw = ow * SW + kw - padding[2];
        if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
        const v = x[linear([N, C, H, W], [n, c, ih, iw])];
        if (m === null || v > m) m = v;
      }
    }
    out.push(m);
  });
  return out;
}

test('maxPool2d runs on int8, uint8, int32, uint32 (and int64, uint64) in both layouts', { skip }, async () => {
  const ctx = await newContext();
  const limits = ctx.opSupportLimits().maxPool2d.input.dataTypes;
  const shape = [1, 2, 4, 5];
  const raw = iota(40).map((i) => ((i * 37) % 23) - 11);
  const cases = {
    int8: raw, uint8: raw.map((v) => v + 11), int32: raw.map((v) => v * 100000), uint32: raw.map((v) => (v + 11) * 200000000),
    int64: raw.map((v) => BigInt(v) * 10n ** 15n), uint64: raw.map((v) => BigInt(v + 11) * 10n ** 17n),
  };
  const opts = { windowDimensions: [2, 3], strides: [2, 1], padding: [1, 0, 0, 1] };
  for (const [dataType, values] of Object.entries(cases)) {
    assert.ok(limits.includes(dataType), `opSupportLimits advertises maxPool2d on ${dataType}`);
    const data = ARRAYS[dataType].from(values);
    const r = await runGraph(ctx, { x: { dataType, shape, data } }, (b, o) => [
      b.maxPool2d(o.x, opts),
      b.transpose(b.maxPool2d(b.transpose(o.x, { permutation: [0, 2, 3, 1] }), { ...opts, layout: 'nhwc' }), { permutation: [0, 3, 1, 2] }),
    ]);
    const want = maxPoolReference(values, shape, { window: opts.windowDimensions, strides: opts.strides, padding: opts.padding }, [2, 4]);
    assert.deepEqual(r.out0.shape, [1, 2, 2, 4], dataType);
    assert.deepEqual(Array.from(r.out0.data), want, `${dataType} nchw`);
    assert.deepEqual(Array.from(r.out1.data), want, `${dataType} nhwc`);
  }
  // averagePool2d and l2Pool2d stay float-only.
  const b = new MLGraphBuilder(ctx);
  throwsType(() => b.averagePool2d(b.input('x', { dataType: 'int32', shape })), /averagePool2d/);
  await stillWorks(ctx);
  ctx.destroy();
});

// ---- pooling output sizes ----

test('pooling outputSizes must be both floor or both ceil sizes; a window over the padded input works with ceil', { skip }, async () => {
  const ctx = await newContext();
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', { dataType: 'float32', shape: [1, 1, 5, 5] });
  // 5x5, window 2, stride 2: floor 2, ceil 3 in each dimension.
  assert.deepEqual(b.maxPool2d(x, { windowDimensions: [2, 2], strides: [2, 2], outputSizes: [2, 2] }).shape, [1, 1, 2, 2]);
  assert.deepEqual(b.averagePool2d(x, { windowDimensions: [2, 2], strides: [2, 2], outputSizes: [3, 3] }).shape, [1, 1, 3, 3]);
  throwsType(() => b.maxPool2d(x, { windowDimensions: [2, 2], strides: [2, 2], outputSizes: [2, 3], label: 'mix' }), /maxPool2d \[mix\]/);
  throwsType(() => b.l2Pool2d(x, { windowDimensions: [2, 2], strides: [2, 2], outputSizes: [3, 2] }));

  // A 5x5 window, stride 2, on 4x4: floor(1 + (4 - 5) / 2) = 0 (invalid), ceil = 1.
  const data = Float32Array.from(iota(16, 1));
  const r = await runGraph(ctx, { x: { shape: [1, 1, 4, 4], data } }, (bb, o) => [
    bb.maxPool2d(o.x, { windowDimensions: [5, 5], strides: [2, 2], outputShapeRounding: 'ceil' }),
    bb.averagePool2d(o.x, { windowDimensions: [5, 5], strides: [2, 2], outputShapeRounding: 'ceil' }),
    bb.maxPool2d(o.x, { windowDimensions: [5, 5], strides: [2, 2], outputSizes: [1, 1] }),
  ]);
  assert.deepEqual(r.out0.shape, [1, 1, 1, 1]);
  assert.deepEqual(Array.from(r.out0.data), [16]);
  assert.deepEqual(Array.from(r.out1.data), [8.5]); // padding is never part of a window
  assert.deepEqual(Array.from(r.out2.data), [16]);
  const b2 = new MLGraphBuilder(ctx);
  const x2 = b2.input('x', { dataType: 'float32', shape: [1, 1, 4, 4] });
  throwsType(() => b2.maxPool2d(x2, { windowDimensions: [5, 5], strides: [2, 2] }), /maxPool2d/); // floor: 0
  throwsType(() => b2.maxPool2d(x2, { windowDimensions: [6, 6], strides: [2, 2], outputShapeRounding: 'ceil' })); // ceil: 0
  throwsType(() => b2.conv2d(x2, b2.constant({ dataType: 'float32', shape: [1, 1, 5, 5] }, new Float32Array(25))));
  await stillWorks(ctx);
  ctx.destroy();
});

// ---- clamp with NaN bounds ----

test('clamp: a NaN bound of a float clamp is no bound; an integer clamp casts NaN to 0', { skip }, async () => {
  const ctx = await newContext();
  const x = Float32Array.from([-Infinity, -5, -0.5, 0, 2.5, 7, Infinity]);
  const r = await runGraph(ctx, { x: { shape: [7], data: x } }, (b, o) => [
    b.clamp(o.x, { minValue: NaN, maxValue: 3 }),
    b.clamp(o.x, { minValue: -1, maxValue: NaN }),
    b.clamp(o.x, { minValue: NaN, maxValue: NaN }),
  ]);
  assert.deepEqual(Array.from(r.out0.data), [-Infinity, -5, -0.5, 0, 2.5, 3, 3]);
  assert.deepEqual(Array.from(r.out1.data), [-1, -1, -0.5, 0, 2.5, 7, Infinity]);
  assert.deepEqual(Array.from(r.out2.data), Array.from(x));
  const xi = Int32Array.from([-7, -1, 0, 4, 9]);
  const ri = await runGraph(ctx, { x: { dataType: 'int32', shape: [5], data: xi } }, (b, o) => [
    b.clamp(o.x, { minValue: NaN }), // [0, +inf)
    b.clamp(o.x, { minValue: -3, maxValue: NaN }), // [-3, 0]
  ]);
  assert.deepEqual(Array.from(ri.out0.data), [0, 0, 0, 4, 9]);
  assert.deepEqual(Array.from(ri.out1.data), [-3, -1, 0, 0, 0]);
  // An integer max of NaN (0) below the min is still the spec's TypeError.
  const b = new MLGraphBuilder(ctx);
  throwsType(() => b.clamp(b.input('x', { dataType: 'int32', shape: [2] }), { minValue: 1, maxValue: NaN }), /clamp/);
  await stillWorks(ctx);
  ctx.destroy();
});

// ---- batchNormalization precision ----

test('batchNormalization is within 6 ULP of float64 where x is close to the mean', { skip }, async () => {
  const ctx = await newContext();
  // [2, 12], axis 1: per channel, inputs within +-0.16 of the mean (where x * a + (bias - mean * a)
  // cancels: up to 250 ULP off), no bias so every output is the product of the spec's terms.
  const C = 12;
  const mean = Float32Array.from(iota(C), (c) => c * 0.77 - 4);
  const variance = Float32Array.from(iota(C), (c) => 0.5 + c * 0.3);
  const scale = Float32Array.from(iota(C), (c) => 1.5 - c * 0.21);
  const x = Float32Array.from(iota(2 * C), (i) => mean[i % C] + (i < C ? 1 : -1) * 0.013 * ((i % 7) + 1));
  const epsilon = 1e-5;
  const vec = (data) => ({ shape: [C], data });
  const r = await runGraph(ctx, { x: { shape: [2, C], data: x }, m: vec(mean), v: vec(variance), s: vec(scale) }, (b, o) => {
    const c = (data) => b.constant({ dataType: 'float32', shape: [C] }, data);
    return [
      b.batchNormalization(o.x, c(mean), c(variance), { scale: c(scale), epsilon }), // parameters gathered at build
      b.batchNormalization(o.x, o.m, o.v, { scale: o.s, epsilon }), // at each dispatch
    ];
  });
  for (const out of ['out0', 'out1']) {
    for (let i = 0; i < 2 * C; i++) {
      const c = i % C;
      const want = (x[i] - mean[c]) / Math.sqrt(variance[c] + epsilon) * scale[c];
      const d = ulpDistance(r[out].data[i], want);
      assert.ok(d <= 6, `${out}[${i}]: ${r[out].data[i]} is ${d} ULP from ${want}`);
    }
  }
  ctx.destroy();
});

// ---- integer casting (§casting) of constant(type, value) and pad's value ----

test('constant(dataType, value) casts as the spec: clamp, round half to even, NaN -> 0, BigInt exact', { skip }, async () => {
  const ctx = await newContext();
  const cases = [
    ['int8', 300, 127], ['int8', -300, -128], ['int8', 2.5, 2], ['int8', -3.5, -4], ['int8', NaN, 0],
    ['uint8', -1, 0], ['uint8', 255.5, 255], ['uint8', 1.5, 2], ['uint8', Infinity, 255],
    ['int32', 3.5, 4], ['int32', 4.5, 4], ['int32', -2.5, -2], ['int32', 1e10, 2147483647], ['int32', -Infinity, -2147483648],
    ['uint32', -5, 0], ['uint32', 5e9, 4294967295], ['uint32', 0.5, 0],
    ['int64', 9007199254740993n, 9007199254740993n], ['int64', 2n ** 70n, 2n ** 63n - 1n], ['int64', 1e300, 2n ** 63n - 1n],
    ['int64', -7.5, -8n], ['uint64', -1n, 0n], ['uint64', 18446744073709551615n, 18446744073709551615n], ['uint64', NaN, 0n],
    ['float32', 3.5, 3.5], ['int32', 7n, 7],
    // float16 bits, rounded once from the double (not through float32 first):
    ['float16', 1 + 2 ** -11 + 2 ** -30, 0x3c01], ['float16', 65519.99, 0x7bff], ['float16', 65520, 0x7c00],
    ['float16', -1e-300, 0x8000], ['float16', 2 ** -25, 0], ['float16', 3 * 2 ** -26, 1],
  ];
  const r = await runGraph(ctx, {}, (b) => cases.map(([dataType, value]) => b.identity(b.constant(dataType, value))));
  cases.forEach(([dataType, value, want], i) => {
    assert.deepEqual(r[`out${i}`].data[0], want, `constant('${dataType}', ${value})`);
  });
  ctx.destroy();
});

test("pad's value is cast to the input's data type; reflection padding must be less than the dimension", { skip }, async () => {
  const ctx = await newContext();
  const r = await runGraph(ctx, {
    i8: { dataType: 'int8', shape: [2], data: Int8Array.from([1, 2]) },
    u8: { dataType: 'uint8', shape: [2], data: Uint8Array.from([1, 2]) },
    i32: { dataType: 'int32', shape: [2], data: Int32Array.from([1, 2]) },
    f16: { dataType: 'float16', shape: [1], data: Uint16Array.from([0x3c00]) },
  }, (b, o) => [
    b.pad(o.i8, [1], [1], { value: 300 }),
    b.pad(o.u8, [1], [0], { value: -1 }),
    b.pad(o.i32, [0], [2], { value: 2.5 }),
    b.pad(o.i32, [1], [0], { value: 3.5 }),
    b.pad(o.i8, [1], [1], { mode: 'reflection' }), // padding 1 < dimension 2: fine
    b.pad(o.f16, [1], [0], { value: 1 + 2 ** -11 + 2 ** -30 }), // rounded once to float16
  ]);
  assert.deepEqual(Array.from(r.out0.data), [127, 1, 2, 127]);
  assert.deepEqual(Array.from(r.out1.data), [0, 1, 2]);
  assert.deepEqual(Array.from(r.out2.data), [1, 2, 2, 2]);
  assert.deepEqual(Array.from(r.out3.data), [4, 1, 2]);
  assert.deepEqual(Array.from(r.out4.data), [2, 1, 2, 1]);
  assert.deepEqual(Array.from(r.out5.data), [0x3c01, 0x3c00]);

  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', { dataType: 'float32', shape: [2, 3] });
  throwsType(() => b.pad(x, [0, 3], [0, 0], { mode: 'reflection', label: 'refl' }), /pad \[refl\]/);
  throwsType(() => b.pad(x, [0, 0], [2, 0], { mode: 'reflection' }));
  throwsType(() => b.pad(b.input('y', { dataType: 'float32', shape: [1, 3] }), [1, 0], [0, 0], { mode: 'reflection' }));
  assert.deepEqual(b.pad(x, [1, 2], [1, 2], { mode: 'reflection' }).shape, [4, 7]);
  assert.deepEqual(b.pad(x, [5, 5], [5, 5], { mode: 'edge' }).shape, [12, 13]); // only reflection is bounded
  await stillWorks(ctx);
  ctx.destroy();
});

// ---- cumulativeSum's data types ----

test('cumulativeSum rejects int8 and uint8 and does not advertise them', { skip }, async () => {
  const ctx = await newContext();
  const types = ctx.opSupportLimits().cumulativeSum.input.dataTypes;
  assert.deepEqual([...types].sort(), ['float16', 'float32', 'int32', 'int64', 'uint32', 'uint64']);
  const b = new MLGraphBuilder(ctx);
  for (const dataType of ['int8', 'uint8']) throwsType(() => b.cumulativeSum(b.input(dataType, { dataType, shape: [3] }), 0), /cumulativeSum/);
  const r = await runGraph(ctx, { x: { dataType: 'uint32', shape: [4], data: Uint32Array.from([1, 2, 3, 4]) } },
    (bb, o) => bb.cumulativeSum(o.x, 0, { exclusive: true }));
  assert.deepEqual(Array.from(r.out0.data), [0, 1, 3, 6]);
  ctx.destroy();
});

// ---- readTensor / writeTensor: the buffer check, and a destroyed context ----

test('readTensor and writeTensor take exactly the byte length (any view type), and a TypeError after destroy()', { skip }, async () => {
  const ctx = await newContext();
  const t = await ctx.createTensor({ dataType: 'float16', shape: [2, 2], readable: true, writable: true });
  ctx.writeTensor(t, Uint16Array.from([0x3c00, 0x4000, 0x4200, 0x4400])); // clients pass Uint16Array for float16
  const out = new Uint16Array(4);
  await ctx.readTensor(t, out);
  assert.deepEqual(Array.from(out), [0x3c00, 0x4000, 0x4200, 0x4400]);
  const bytes = new Uint8Array(8);
  await ctx.readTensor(t, bytes.buffer);
  assert.deepEqual(Array.from(new Uint16Array(bytes.buffer)), [0x3c00, 0x4000, 0x4200, 0x4400]);

  const larger = new Uint16Array(6).fill(7);
  await assert.rejects(ctx.readTensor(t, larger), TypeError);
  assert.deepEqual(Array.from(larger), [7, 7, 7, 7, 7, 7]); // not partly filled
  await assert.rejects(ctx.readTensor(t, new Uint16Array(3)), TypeError);
  throwsType(() => ctx.writeTensor(t, new Uint16Array(5)));
  throwsType(() => ctx.writeTensor(t, new Uint16Array(3)));
  assert.deepEqual(new Uint16Array(await ctx.readTensor(t)), Uint16Array.from([0x3c00, 0x4000, 0x4200, 0x4400]));

  ctx.destroy();
  await assert.rejects(ctx.readTensor(t), TypeError);
  await assert.rejects(ctx.readTensor(t, new Uint16Array(4)), TypeError);
  throwsType(() => ctx.writeTensor(t, new Uint16Array(4)), /destroyed/);
  // Other calls on the destroyed context keep the spec's InvalidStateError.
  await assert.rejects(ctx.createTensor({ dataType: 'float32', shape: [1] }), (e) => e.name === 'InvalidStateError');
});

// ---- MLContext.accelerated ----

test('MLContext.accelerated mirrors the option (default true)', { skip }, async () => {
  for (const [options, want] of [[undefined, true], [{}, true], [{ accelerated: true }, true], [{ accelerated: false }, false], [{ accelerated: 0 }, false]]) {
    const ctx = await newContextWith(options);
    assert.equal(ctx.accelerated, want, JSON.stringify(options));
    ctx.destroy();
  }
});

async function newContextWith(options) {
  const { ml } = await import('../../js/index.js');
  return options === undefined ? ml.createContext() : ml.createContext(options);
}

// ---- ranks above opSupportLimits() ----

test('ranks above the declared maximum (8) are rejected by input(), constant() and every op', { skip }, async () => {
  const ctx = await newContext();
  const limits = ctx.opSupportLimits();
  assert.equal(limits.input.rankRange.max, 8);
  assert.equal(limits.constant.rankRange.max, 8);
  const nine = [1, 1, 1, 1, 1, 1, 1, 1, 2];
  const b = new MLGraphBuilder(ctx);
  throwsType(() => b.input('x9', { dataType: 'float32', shape: nine }), /rank/);
  throwsType(() => b.constant({ dataType: 'float32', shape: nine }, new Float32Array(2)), /rank/);
  const x8 = b.input('x8', { dataType: 'float32', shape: nine.slice(1) });
  throwsType(() => b.reshape(x8, nine), /reshape.*rank/);
  throwsType(() => b.expand(x8, nine), /expand.*rank/);
  throwsType(() => b.add(x8, b.constant({ dataType: 'float32', shape: [1, 1, 1, 1, 1, 1, 1, 1, 1] }, new Float32Array(1))));
  assert.deepEqual(b.reshape(x8, [2, 1, 1, 1, 1, 1, 1, 1]).shape, [2, 1, 1, 1, 1, 1, 1, 1]);
  await stillWorks(ctx);
  ctx.destroy();
});

// ---- the builder's methods exist before any context ----

test('MLGraphBuilder.prototype has the op methods as soon as the module is imported', () => {
  const index = fileURLToPath(new URL('../../js/index.js', import.meta.url));
  const script = `import(${JSON.stringify(index)}).then(({ MLGraphBuilder }) => {
    const names = ['conv2d', 'matmul', 'relu', 'maxPool2d', 'gru', 'cumulativeSum', 'gatherElements'];
    process.stdout.write(JSON.stringify(names.map((n) => n in MLGraphBuilder.prototype && typeof MLGraphBuilder.prototype[n] === 'function')));
  });`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [true, true, true, true, true, true, true]);
});

// ---- labels in error messages ----

test('labels in error messages escape bidi and control characters', { skip }, async () => {
  const ctx = await newContext();
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', { dataType: 'float32', shape: [2, 3] });
  const label = 'evil\u202Eli\u2066fe\u0000\n\u009b';
  const escaped = 'evil\\u{202e}li\\u{2066}fe\\u{0000}\\u{000a}\\u{009b}';
  const check = (fn) => assert.throws(fn, (e) => {
    assert.ok(e instanceof TypeError);
    assert.ok(e.message.includes(escaped), e.message);
    assert.ok(!/[\u202e\u2066\u0000\n\u009b]/.test(e.message), 'no raw control character');
    return true;
  });
  check(() => b.reshape(x, [7], { label })); // the engine's message
  // A message of the JS layer, after the options are converted (an argument that fails its own IDL
  // conversion is reported before the label is read, so it has none).
  const other = new MLGraphBuilder(ctx).input('x', { dataType: 'float32', shape: [2, 3] });
  check(() => b.relu(other, { label }));
  check(() => b.transpose(x, { permutation: [0, 0], label }));
  await stillWorks(ctx);
  ctx.destroy();
});

// ---- findings of the line-by-line sweep ----

test('a dimension must be a valid dimension (a long): a uint8 dimension of 2^31 is a TypeError', { skip }, async () => {
  const ctx = await newContext();
  const b = new MLGraphBuilder(ctx);
  throwsType(() => b.input('x', { dataType: 'uint8', shape: [2 ** 31] }), /dimension/);
  throwsType(() => b.reshape(b.input('y', { dataType: 'uint8', shape: [2 ** 16, 2 ** 15] }), [2 ** 31]), /reshape/);
  assert.deepEqual(b.input('z', { dataType: 'uint8', shape: [2 ** 31 - 1] }).shape, [2 ** 31 - 1]);
  await stillWorks(ctx);
  ctx.destroy();
});

test('concat takes 1 to 8192 inputs and split makes 1 to 8192 outputs (a valid tensor count)', { skip }, async () => {
  const ctx = await newContext();
  const b = new MLGraphBuilder(ctx);
  const one = b.input('one', { dataType: 'float32', shape: [1] });
  throwsType(() => b.concat(new Array(8193).fill(one), 0, { label: 'cat' }), /concat \[cat\]/);
  assert.deepEqual(b.concat(new Array(8192).fill(one), 0).shape, [8192]);
  const long = b.input('long', { dataType: 'float32', shape: [8193] });
  throwsType(() => b.split(long, 8193), /split/);
  throwsType(() => b.split(long, new Array(8193).fill(1)), /split/);
  assert.equal(b.split(b.input('l2', { dataType: 'float32', shape: [8192] }), 8192).length, 8192);
  await stillWorks(ctx);
  ctx.destroy();
});
