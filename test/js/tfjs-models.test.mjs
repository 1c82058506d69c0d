// Real models, real weights: nsfwjs's bundled MobileNetV2 and InceptionV3 (Keras layers models,
// loaded from the npm package, no download) on seeded synthetic images, under the 'webnn-wasm'
// backend and under tfjs-backend-cpu. The class probabilities must agree to 1e-4, with the same
// top-1. InceptionV3 on the CPU backend is slow: one image, and only on the default variant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { BACKEND_NAME } from '../../js/tfjs/index.js';
import { loadNsfwModel, syntheticImages, NSFW_MODELS, NSFW_CLASSES } from './tfjs-nsfwjs-models.mjs';

const variant = process.env.WEBNN_WASM_VARIANT || 'simd-threads';
const fullRun = variant === 'simd-threads';

async function predict(backend, name, images, count) {
  await tf.setBackend(backend);
  const model = await loadNsfwModel(name, { io: tf.io, loadLayersModel, loadGraphModel });
  const size = NSFW_MODELS[name].size;
  const x = tf.tensor4d(images, [count, size, size, 3]);
  const y = model.predict(x);
  const probs = await y.data();
  const shape = y.shape;
  tf.dispose([x, y]);
  model.dispose();
  return { probs, shape };
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
  t.diagnostic(`${name} x${count} (${variant}): max |p_ours - p_cpu| = ${maxDiff.toExponential(2)}; ` +
    `top-1 ${Array.from({ length: count }, (_, r) => NSFW_CLASSES[top1(ours.probs, r, k)]).join(',')}; ` +
    `CPU fallbacks: ${fallbacks.join(', ') || 'none'}`);
  assert.ok(maxDiff <= 1e-4, `max abs diff ${maxDiff}`);
}

test('nsfwjs MobileNetV2 agrees with tfjs-backend-cpu', async (t) => {
  await compareModel(t, 'MobileNetV2', fullRun ? 3 : 1);
});

test('nsfwjs InceptionV3 agrees with tfjs-backend-cpu', { skip: fullRun ? false : `slow on the CPU reference; runs on the simd-threads variant` }, async (t) => {
  await compareModel(t, 'InceptionV3', 1);
});
