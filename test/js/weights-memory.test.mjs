// Weights held once (issue #20): after build() the engine holds each constant once, in the form the
// compiled graph reads (packed GEMM panels, packed conv weights), and packing frees each source
// constant as it goes, so the peak during build stays near the weights themselves. Checked through
// the JS API with the engine's malloc counter (heapStats().bytesInUse) and the build's own report
// of its peak (debugPlan()'s "memory:" line), on a model with over 100 MB of weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineAvailable } from './engine-available.mjs';
import * as api from '../../js/index.js';

const skip = !engineAvailable && 'no Wasm build in dist/';
if (process.env.WEBNN_WASM_VARIANT) api.setVariant(process.env.WEBNN_WASM_VARIANT);
const { ml, MLGraphBuilder, heapStats } = api;

const MiB = 2 ** 20;
const K = 2048;
const inUse = () => heapStats().bytesInUse;

// Deterministic values in [-scale, scale).
function randomArray(n, seed, scale) {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s / 2 ** 32 * 2 - 1) * scale;
  }
  return a;
}

// The build's "memory:" line in debugPlan(): weights held, peak bytes in use, arena (bytes).
function buildMemory(graph) {
  const m = /memory: .*\(bytes: (\d+) (\d+) (\d+)\)/.exec(graph.debugPlan());
  assert.ok(m, `no memory line in debugPlan():\n${graph.debugPlan()}`);
  return { weights: Number(m[1]), peak: Number(m[2]), arena: Number(m[3]) };
}

// y = x W (+ bias), W row-major [rows, cols] (or [cols, rows] with transposed), in float64.
function matVec(x, w, rows, cols, { transposed = false, alpha = 1, bias = null, relu = false } = {}) {
  const y = new Float64Array(cols);
  for (let k = 0; k < rows; k++) {
    const xk = x[k];
    if (!transposed) for (let j = 0; j < cols; j++) y[j] += xk * w[k * cols + j];
    else for (let j = 0; j < cols; j++) y[j] += xk * w[j * rows + k];
  }
  for (let j = 0; j < cols; j++) {
    y[j] = alpha * y[j] + (bias ? bias[j] : 0);
    if (relu && y[j] < 0) y[j] = 0;
  }
  return y;
}

// conv2d NCHW [1,C,H,W], filter OIHW [C,C,3,3], padding 1, + bias.
function conv3x3(x, f, bias, C, H, W) {
  const y = new Float64Array(C * H * W);
  for (let o = 0; o < C; o++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++) {
        let s = bias[o];
        for (let c = 0; c < C; c++)
          for (let di = 0; di < 3; di++)
            for (let dj = 0; dj < 3; dj++) {
              const ii = i + di - 1, jj = j + dj - 1;
              if (ii >= 0 && ii < H && jj >= 0 && jj < W) s += x[(c * H + ii) * W + jj] * f[((o * C + c) * 3 + di) * 3 + dj];
            }
        y[(o * H + i) * W + j] = s;
      }
  return y;
}

function assertClose(actual, expected, what) {
  let maxRef = 0;
  for (const v of expected) maxRef = Math.max(maxRef, Math.abs(v));
  for (let i = 0; i < expected.length; i++) {
    const tol = 1e-4 * maxRef + 1e-4 * Math.abs(expected[i]);
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) assert.fail(`${what}[${i}] = ${actual[i]}, expected ${expected[i]}`);
  }
}

async function run(ctx, graph, inputs, outputShape, OutArray = Float32Array) {
  const tensors = {};
  for (const [name, { desc, data }] of Object.entries(inputs)) {
    tensors[name] = await ctx.createTensor({ ...desc, writable: true });
    ctx.writeTensor(tensors[name], data);
  }
  const y = await ctx.createTensor({ dataType: OutArray === Float32Array ? 'float32' : 'float16', shape: outputShape, readable: true });
  ctx.dispatch(graph, tensors, { y });
  const out = new OutArray(await ctx.readTensor(y));
  for (const t of [...Object.values(tensors), y]) t.destroy();
  return out;
}

test('float32 weights (112 MB): held once after build, peak during build ≤ 1.25 × weights + arena', { skip }, async () => {
  const ctx = await ml.createContext();
  const base = inUse();
  const b = new MLGraphBuilder(ctx);
  const f32 = (shape) => ({ dataType: 'float32', shape });
  const x = b.input('x', f32([1, K]));
  const he = Math.sqrt(6 / K);
  // 6 x (matmul by a constant [2048, 2048] + relu): 96 MB.
  const mats = [];
  let h = x;
  for (let i = 0; i < 6; i++) {
    mats.push(randomArray(K * K, 11 + i, he));
    h = b.relu(b.matmul(h, b.constant(f32([K, K]), mats[i])));
  }
  // gemm with a transposed constant B, alpha and a constant bias row c: 16 MB.
  const gw = randomArray(K * K, 99, he), gc = randomArray(K, 98, 0.1);
  h = b.gemm(h, b.constant(f32([K, K]), gw), { c: b.constant(f32([K]), gc), alpha: 0.5, bTranspose: true });
  // conv2d 3x3 with a constant filter and bias, on the row seen as [1, 32, 8, 8].
  const C = 32, H = 8, W = 8;
  const cf = randomArray(C * C * 9, 97, Math.sqrt(2 / (C * 9))), cb = randomArray(C, 96, 0.1);
  h = b.reshape(b.conv2d(b.reshape(h, [1, C, H, W]), b.constant(f32([C, C, 3, 3]), cf), {
    padding: [1, 1, 1, 1], bias: b.constant(f32([C]), cb),
  }), [1, K]);
  const weightBytes = 7 * K * K * 4 + K * 4 + C * C * 9 * 4 + C * 4;
  assert.ok(weightBytes >= 100e6);

  // The builder holds the constants once (constant() keeps no JS-side or second engine copy).
  const afterConstants = inUse() - base;
  assert.ok(afterConstants <= 1.01 * weightBytes + MiB,
    `after constant(): ${(afterConstants / MiB).toFixed(1)} MiB in use for ${(weightBytes / MiB).toFixed(1)} MiB of weights`);

  const graph = await b.build({ y: h });
  const mem = buildMemory(graph);
  const afterBuild = inUse() - base;
  const report = `weights ${(weightBytes / MiB).toFixed(1)} MiB; after build ${(afterBuild / MiB).toFixed(1)} MiB in use; ` +
    `peak during build ${((mem.peak - base) / MiB).toFixed(1)} MiB; arena ${(mem.arena / MiB).toFixed(2)} MiB`;
  // Target 1: engine bytes in use after build() <= 1.05 x weights + arena + 1 MB.
  assert.ok(afterBuild <= 1.05 * weightBytes + mem.arena + 1e6, `target 1 missed: ${report}`);
  // Target 2: peak bytes in use during build() <= 1.25 x weights + arena.
  assert.ok(mem.peak - base <= 1.25 * weightBytes + mem.arena, `target 2 missed: ${report}`);
  // The peak counts at least the constants the builder held.
  assert.ok(mem.peak - base >= weightBytes, `the reported peak is below the weights: ${report}`);
  // The report's weights are the packed forms (panels are padded, so a little above the sources).
  assert.ok(mem.weights >= weightBytes && mem.weights <= 1.05 * weightBytes, `weights held ${mem.weights}: ${report}`);

  // The packed weights compute what the sources say.
  const xd = randomArray(K, 5, 1);
  const y = await run(ctx, graph, { x: { desc: f32([1, K]), data: xd } }, [1, K]);
  let ref = xd;
  for (const m of mats) ref = matVec(ref, m, K, K, { relu: true });
  ref = matVec(ref, gw, K, K, { transposed: true, alpha: 0.5, bias: gc });
  ref = conv3x3(ref, cf, cb, C, H, W);
  assertClose(y, ref, 'y');

  graph.destroy();
  assert.ok(inUse() - base <= 64 * 1024, `graph.destroy() left ${inUse() - base} bytes in use`);
  ctx.destroy();
});

test('float16 weights stay float16 until packed; no float32 copy is kept beside the packed one', { skip }, async () => {
  const ctx = await ml.createContext();
  const base = inUse();
  const b = new MLGraphBuilder(ctx);
  const f16 = (shape) => ({ dataType: 'float16', shape });
  const layers = 6;
  const x = b.input('x', f16([1, K]));
  const mats = [];
  let h = x;
  for (let i = 0; i < layers; i++) {
    const bits = randomFloat16Bits(K * K, 21 + i, 7, 10); // |w| in [2^-8, 2^-4)
    mats.push(decodeF16(bits));
    h = b.relu(b.matmul(h, b.constant(f16([K, K]), bits)));
  }
  const f16Bytes = layers * K * K * 2;
  assert.ok(inUse() - base <= 1.01 * f16Bytes + MiB, 'the builder holds the float16 bytes only');
  const graph = await b.build({ y: h });
  const mem = buildMemory(graph);
  const afterBuild = inUse() - base;
  const packedBytes = 2 * f16Bytes; // the GEMM panels are float32
  const report = `float16 weights ${(f16Bytes / MiB).toFixed(1)} MiB; after build ${(afterBuild / MiB).toFixed(1)} MiB; ` +
    `peak ${((mem.peak - base) / MiB).toFixed(1)} MiB; arena ${mem.arena}`;
  // Neither the float16 sources nor their float32 widening survive beside the packed panels.
  assert.ok(afterBuild <= 1.05 * packedBytes + mem.arena + 1e6, report);
  // One constant at a time is widened and packed: the peak is the panels plus one widened source.
  assert.ok(mem.peak - base <= packedBytes + 2 * (f16Bytes / layers) + mem.arena + MiB, report);

  const xbits = randomFloat16Bits(K, 7, 13, 15); // |x| in [2^-2, 2)
  const y = await run(ctx, graph, { x: { desc: f16([1, K]), data: xbits } }, [1, K], Uint16Array);
  // The layers compute in float32 (the float16 pass passes float32 between them); only the
  // output is rounded to float16 (relative error <= 2^-11).
  let ref = decodeF16(xbits);
  for (const m of mats) ref = matVec(ref, m, K, K, { relu: true });
  let maxRef = 0;
  for (const v of ref) maxRef = Math.max(maxRef, Math.abs(v));
  for (let j = 0; j < K; j++) {
    const got = fromF16(y[j]);
    assert.ok(Math.abs(got - ref[j]) <= 1e-4 * maxRef + 1e-3 * Math.abs(ref[j]), `y[${j}] = ${got}, expected ${ref[j]}`);
  }
  graph.destroy();
  ctx.destroy();
});

// float16 bit patterns with random sign and mantissa and a biased exponent in [eLo, eHi].
function randomFloat16Bits(n, seed, eLo, eHi) {
  const bits = new Uint16Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const e = eLo + (s >>> 8) % (eHi - eLo + 1);
    bits[i] = ((s >>> 31) << 15) | (e << 10) | ((s >>> 12) & 0x3ff);
  }
  return bits;
}
// Float16 bits to float32 values, through a table of all 65536 patterns.
function decodeF16(bits) {
  decodeF16.table ??= Float32Array.from({ length: 65536 }, (_, h) => fromF16(h));
  return Float32Array.from(bits, (h) => decodeF16.table[h]);
}
// The value of float16 bits (normal and subnormal numbers, infinities, NaN).
function fromF16(h) {
  const s = h & 0x8000 ? -1 : 1, e = (h >>> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}
