// What onnxruntime-web's WebNN execution provider sends, through the plain WebNN API: one test per
// finding of the ORT client test (ort-webnn-ep.test.mjs), each against a naive JS reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, run, skip } from './ops-helpers.mjs';
import * as ref from './reference.mjs';

const f32 = (shape, data) => ({ dataType: 'float32', shape, data: Float32Array.from(data) });
const randomData = (n, seed) => ref.random(seed)(n);
function assertClose(actual, expected, tolerance) {
  const r = ref.compare(actual, expected, tolerance);
  assert.ok(r.ok, `element ${r.at}: got ${actual[r.at]}, expected ${expected[r.at]} (${actual.length} vs ${expected.length} elements)`);
}

// A graph that still builds and runs after a failure: the context is healthy.
async function assertHealthy(context) {
  const { y } = await run(context, { x: f32([3], [-1, 0, 2]) }, (b, { x }) => b.relu(x));
  assert.deepEqual(Array.from(y), [0, 0, 2]);
}

test('pooling: roundingType (the older name of outputShapeRounding) is honoured', { skip }, async () => {
  const context = await ml.createContext();
  const x = randomData(25, 1);
  const input = { x: f32([1, 1, 5, 5], x) };
  const window = { windowDimensions: [2, 2], strides: [2, 2] };
  for (const op of ['maxPool2d', 'averagePool2d', 'l2Pool2d']) {
    const b = new MLGraphBuilder(context);
    const xo = b.input('x', { dataType: 'float32', shape: [1, 1, 5, 5] });
    assert.deepEqual(b[op](xo, { ...window, roundingType: 'ceil' }).shape, [1, 1, 3, 3], op);
    assert.deepEqual(b[op](xo, { ...window, roundingType: 'floor' }).shape, [1, 1, 2, 2], op);
    // Both names: the spec's member wins.
    assert.deepEqual(b[op](xo, { ...window, roundingType: 'floor', outputShapeRounding: 'ceil' }).shape, [1, 1, 3, 3], op);
    assert.throws(() => b[op](xo, { ...window, roundingType: 'round' }), TypeError, op);

    const { y } = await run(context, input, (bb, { x: xi }) => bb[op](xi, { ...window, roundingType: 'ceil' }));
    const expected = ref[op]({ shape: [1, 1, 5, 5], data: x }, { ...window, outputShapeRounding: 'ceil' });
    assert.deepEqual(expected.shape, [1, 1, 3, 3]);
    assertClose(y, expected.data, { atol: 1e-6, rtol: 1e-6 });
  }
  await assertHealthy(context);
});

test('opSupportLimits: recurrent results under the IDL names output0..2 and the single key outputs', { skip }, async () => {
  const context = await ml.createContext();
  const limits = context.opSupportLimits();
  const ranks = (l) => [l.rankRange.min, l.rankRange.max];
  // gru: output0 the last hidden state [numDirections, batch, hiddenSize]; output1 the sequence.
  assert.deepEqual(ranks(limits.gru.output0), [3, 3]);
  assert.deepEqual(ranks(limits.gru.output1), [4, 4]);
  assert.deepEqual(ranks(limits.gru.outputs), [3, 4]);
  // lstm: output0 hidden and output1 cell state [numDirections, batch, hiddenSize]; output2 the sequence.
  assert.deepEqual(ranks(limits.lstm.output0), [3, 3]);
  assert.deepEqual(ranks(limits.lstm.output1), [3, 3]);
  assert.deepEqual(ranks(limits.lstm.output2), [4, 4]);
  assert.deepEqual(ranks(limits.lstm.outputs), [3, 4]);
  // lstmCell: output0 hidden and output1 cell state [batch, hiddenSize]; gruCell: output.
  assert.deepEqual(ranks(limits.lstmCell.output0), [2, 2]);
  assert.deepEqual(ranks(limits.lstmCell.output1), [2, 2]);
  assert.deepEqual(ranks(limits.lstmCell.outputs), [2, 2]);
  assert.deepEqual(ranks(limits.gruCell.output), [2, 2]);
  for (const op of ['gru', 'lstm', 'lstmCell']) {
    for (const key of Object.keys(limits[op]).filter((k) => k.startsWith('output'))) {
      assert.deepEqual(limits[op][key].dataTypes, limits[op].input.dataTypes, `${op}.${key}`);
    }
  }
  // What the limits say runs: an lstm returning all three results builds with the ranks above.
  const b = new MLGraphBuilder(context);
  const x = b.input('x', { dataType: 'float32', shape: [2, 1, 3] });
  const w = b.constant({ dataType: 'float32', shape: [1, 8, 3] }, randomData(24, 2));
  const r = b.constant({ dataType: 'float32', shape: [1, 8, 2] }, randomData(16, 3));
  const outs = b.lstm(x, w, r, 2, 2, { returnSequence: true });
  assert.deepEqual(outs.map((o) => o.shape.length), [3, 3, 4]);
});

// add(pow(x, 2), pow(relu(x), 2)): the element-wise chain fusion ran pow#1 + add at pow#1's
// place, before the node computing add's other operand (the second pow) had run.
test('element-wise chains: a later link reading a value computed after the chain head', { skip }, async () => {
  const context = await ml.createContext();
  const n = 40;
  const x = randomData(n, 4);
  const { y } = await run(context, { x: f32([n], x) }, (b, { x: xo }) => {
    const two = b.constant({ dataType: 'float32', shape: [] }, Float32Array.from([2]));
    return b.add(b.pow(xo, two), b.pow(b.relu(xo), two));
  });
  const expected = Float32Array.from(x, (v) => v * v + Math.max(v, 0) ** 2);
  assertClose(y, expected, { atol: 1e-6, rtol: 1e-6 });

  // The audio front-end's shape: two branches from one input, each conv -> pow, joined by add.
  const { z } = await run(context, { x: f32([1, 1, 16, 1], randomData(16, 5)) }, (b, { x: xo }) => {
    const two = b.constant({ dataType: 'float32', shape: [] }, Float32Array.from([2]));
    const branch = (seed) => b.pow(b.conv2d(xo, b.constant({ dataType: 'float32', shape: [3, 1, 4, 1] }, randomData(12, seed)),
      { strides: [2, 1] }), two);
    return { z: b.add(branch(6), branch(7)) };
  });
  const xin = { shape: [1, 1, 16, 1], data: randomData(16, 5) };
  const conv = (seed) => ref.conv2d(xin, { shape: [3, 1, 4, 1], data: randomData(12, seed) }, { strides: [2, 1] });
  const sq = (t) => ref.mul(t, t);
  assertClose(z, ref.add(sq(conv(6)), sq(conv(7))).data, { atol: 1e-5, rtol: 1e-5 });
});
