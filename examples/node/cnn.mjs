// A small CNN built with MLGraphBuilder, run with navigator.ml, checked against plain JS.
//   conv 3x3 (3->8) -> relu -> maxPool 2x2 -> conv 3x3 (8->16) -> relu -> averagePool 2x2
//   -> reshape -> gemm (256->10) -> softmax
// Usage: node examples/node/cnn.mjs [iterations]
import '../../js/polyfill.js';
import * as R from '../../test/js/reference.mjs';

const iterations = Number(process.argv[2] ?? 200);
const rnd = R.random(2024);
const f32 = (shape) => ({ dataType: 'float32', shape });

// Seeded weights (NHWC activations, OHWI filters).
const x = R.tensor([1, 16, 16, 3], rnd(16 * 16 * 3, 0, 1));
const w1 = R.tensor([8, 3, 3, 3], rnd(8 * 9 * 3, -0.5, 0.5));
const b1 = R.tensor([8], rnd(8, -0.1, 0.1));
const w2 = R.tensor([16, 3, 3, 8], rnd(16 * 9 * 8, -0.3, 0.3));
const b2 = R.tensor([16], rnd(16, -0.1, 0.1));
const w3 = R.tensor([256, 10], rnd(2560, -0.2, 0.2));
const b3 = R.tensor([10], rnd(10, -0.1, 0.1));

const context = await navigator.ml.createContext();
const builder = new MLGraphBuilder(context);
const conv = { inputLayout: 'nhwc', filterLayout: 'ohwi', padding: [1, 1, 1, 1] };
const pool = { windowDimensions: [2, 2], strides: [2, 2], layout: 'nhwc' };
const constant = (t) => builder.constant(f32(t.shape), t.data);

const input = builder.input('input', f32(x.shape));
let h = builder.relu(builder.conv2d(input, constant(w1), { ...conv, bias: constant(b1) }));
h = builder.maxPool2d(h, pool);
h = builder.relu(builder.conv2d(h, constant(w2), { ...conv, bias: constant(b2) }));
h = builder.averagePool2d(h, pool);
h = builder.reshape(h, [1, 256]);
h = builder.gemm(h, constant(w3), { c: constant(b3) });
const probs = builder.softmax(h, 1);
const graph = await builder.build({ probs });

const inputTensor = await context.createTensor({ ...f32(x.shape), writable: true });
const outputTensor = await context.createTensor({ ...f32([1, 10]), readable: true });
context.writeTensor(inputTensor, x.data);
context.dispatch(graph, { input: inputTensor }, { probs: outputTensor });
const result = new Float32Array(await context.readTensor(outputTensor));

// The same network in plain JS.
let r = R.relu(R.conv2d(x, w1, { ...conv, bias: b1 }));
r = R.maxPool2d(r, pool);
r = R.relu(R.conv2d(r, w2, { ...conv, bias: b2 }));
r = R.averagePool2d(r, pool);
r = R.reshape(r, [1, 256]);
r = R.gemm(r, w3, { c: b3 });
const expected = R.softmax(r, 1).data;

const cmp = R.compare(result, expected, { atol: 1e-5, rtol: 1e-3 });
console.log(`variant: ${context.backend} (${context.numThreads} thread${context.numThreads > 1 ? 's' : ''})`);
console.log('probabilities:', Array.from(result, (p) => p.toFixed(4)).join(' '));
console.log('reference:    ', Array.from(expected, (p) => p.toFixed(4)).join(' '));
console.log(`matches the JS reference: ${cmp.ok ? 'yes' : 'NO'} (worst relative error ${cmp.worst.toFixed(3)} of tolerance)`);

for (let i = 0; i < 10; i++) context.dispatch(graph, { input: inputTensor }, { probs: outputTensor });
await context.readTensor(outputTensor);
const t0 = performance.now();
for (let i = 0; i < iterations; i++) {
  context.dispatch(graph, { input: inputTensor }, { probs: outputTensor });
}
await context.readTensor(outputTensor);
const ms = (performance.now() - t0) / iterations;
console.log(`time per inference: ${(ms * 1000).toFixed(1)} µs (${iterations} runs)`);

context.destroy();
if (!cmp.ok) process.exitCode = 1;
