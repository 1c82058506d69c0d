// Real models, real weights: nsfwjs's bundled MobileNetV2 and InceptionV3 (Keras layers models,
// loaded from the npm package, no download) on seeded synthetic images, under the 'webnn-wasm'
// backend and under tfjs-backend-cpu. The class probabilities must agree to 1e-4, with the same
// top-1; so must the convolutional features before the classifier head (average pool + flatten:
// 1280 / 2048 values per image, not squashed by a softmax), to 1e-4 relative to their largest
// magnitude. InceptionV3 on the CPU backend is slow: one image, and only on the default variant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, model as layersModel } from '@tensorflow/tfjs-layers';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { BACKEND_NAME } from '../../js/tfjs/index.js';
import { loadNsfwModel, syntheticImages, NSFW_MODELS, NSFW_CLASSES } from './tfjs-nsfwjs-models.mjs';

const variant = process.env.WEBNN_WASM_VARIANT || 'simd-threads';
const fullRun = variant === 'simd-threads';

async function predict(backend, name, images, count) {
  await tf.setBackend(backend);
  const net = await loadNsfwModel(name, { io: tf.io, loadLayersModel, loadGraphModel });
  const size = NSFW_MODELS[name].size;
  const x = tf.tensor4d(images, [count, size, size, 3]);
  let f = null;
  let y;
  if (NSFW_MODELS[name].type === 'layers') {
    // The same network with a second output: the flattened features after the last average pool.
    const pool = net.layers.filter((l) => l.getClassName() === 'Flatten').pop();
    const both = layersModel({ inputs: net.inputs, outputs: [pool.output, net.outputs[0]] });
    [f, y] = both.predict(x);
  } else {
    y = net.predict(x);
  }
  const features = f ? await f.data() : null;
  const probs = await y.data();
  const shape = y.shape;
  tf.dispose([x, f, y].filter(Boolean));
  net.dispose();
  return { probs, shape, features };
}

function top1(probs, row, k) {
  let best = 0;
  for (let j = 1; j < k; j++) if (probs[row * k + j] > probs[row * k + best]) best = j;
  return best;
}

async function compareModel(t, name, count) {
  const size = NSFW_MODELS[name].size;
  const images = syntheticImages(count, size, 2024);
  const be = await tf.setBackend(BACKEND_NAME) && tf.backend();
  const fb0 = new Map(be.stats.fallbackKernels);
  const dispatches0 = be.stats.dispatches;
  const ours = await predict(BACKEND_NAME, name, images, count);
  const fallbacks = [...be.stats.fallbackKernels].filter(([k, n]) => n > (fb0.get(k) || 0)).map(([k]) => k);
  const ref = await predict('cpu', name, images, count);
  const k = NSFW_CLASSES.length;
  assert.deepEqual(ours.shape, [count, k]);
  assert.deepEqual(ref.shape, [count, k]);
  let maxDiff = 0;
  for (let i = 0; i < ref.probs.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours.probs[i] - ref.probs[i]));
  for (let r = 0; r < count; r++) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += ours.probs[r * k + j];
    assert.ok(Math.abs(sum - 1) < 1e-4, `row ${r} sums to ${sum}`);
    assert.equal(NSFW_CLASSES[top1(ours.probs, r, k)], NSFW_CLASSES[top1(ref.probs, r, k)], `top-1 of image ${r}`);
  }
  let fDiff = 0;
  let fMax = 0;
  for (let i = 0; i < (ref.features?.length ?? 0); i++) {
    fDiff = Math.max(fDiff, Math.abs(ours.features[i] - ref.features[i]));
    fMax = Math.max(fMax, Math.abs(ref.features[i]));
  }
  t.diagnostic(`${name} x${count} (${variant}): max |p_ours - p_cpu| = ${maxDiff.toExponential(2)}; ` +
    (ref.features ? `features (${ref.features.length / count}/image): max diff ${fDiff.toExponential(2)} of max |f| ${fMax.toFixed(3)}; ` : '') +
    `top-1 ${Array.from({ length: count }, (_, r) => NSFW_CLASSES[top1(ours.probs, r, k)]).join(',')}; ` +
    `CPU fallbacks: ${fallbacks.join(', ') || 'none'}`);
  assert.ok(maxDiff <= 1e-4, `max abs diff ${maxDiff}`);
  // The network ran on the engine as one graph (loading, predict and reading both outputs: one
  // dispatch), and none of its compute kernels went to the CPU (only ones that depend on optional
  // engine ops may; each of those splits the graph).
  if (fallbacks.length === 0) assert.equal(be.stats.dispatches - dispatches0, 1, 'one dispatch for the whole model');
  const optional = new Set(['PadV2', 'Slice', 'Cast', 'ResizeBilinear']);
  assert.deepEqual(fallbacks.filter((k) => !optional.has(k)), []);
  for (const k of fallbacks) {
    const op = { PadV2: 'pad', Slice: 'slice', Cast: 'cast', ResizeBilinear: 'resample2d' }[k];
    assert.ok(!be.has(op), `${k} fell back although the engine has ${op}`);
  }
  if (ref.features) {
    assert.equal(ours.features.length, ref.features.length);
    assert.ok(fMax > 0 && fDiff <= 1e-4 * fMax, `features: max diff ${fDiff} vs max |f| ${fMax}`);
  }
}

test('nsfwjs MobileNetV2 agrees with tfjs-backend-cpu', async (t) => {
  await compareModel(t, 'MobileNetV2', fullRun ? 3 : 1);
});

test('nsfwjs InceptionV3 agrees with tfjs-backend-cpu', { skip: fullRun ? false : `slow on the CPU reference; runs on the simd-threads variant` }, async (t) => {
  await compareModel(t, 'InceptionV3', 1);
});

test('nsfwjs MobileNetV2Mid (a tfjs-converter graph model) agrees with tfjs-backend-cpu', { skip: fullRun ? false : `runs on the simd-threads variant` }, async (t) => {
  await compareModel(t, 'MobileNetV2Mid', 1);
});
