// The models of `npm run bench:tfjs` (bench/tfjs-models.mjs), bench/tfjs-profile.mjs and
// tfjs-split.mjs: issue #15's tf.sequential CNN and a small tf.layers Transformer
// (test/js/tfjs-test-models.mjs), and nsfwjs's MobileNetV2, MobileNetV2Mid and InceptionV3 with
// their real weights (test/js/tfjs-nsfwjs-models.mjs).
export const TFJS_BENCH_MODELS = ['sequential', 'MobileNetV2', 'MobileNetV2Mid', 'InceptionV3', 'transformer'];

// { net, inputShape (without the batch) } on tf's current backend.
export async function loadBenchModel(tf, model) {
  const tfl = await import('@tensorflow/tfjs-layers');
  if (model === 'sequential' || model === 'transformer') {
    const m = await import('../test/js/tfjs-test-models.mjs');
    return model === 'sequential'
      ? { net: m.sequentialModel(tf, tfl), inputShape: m.SEQUENTIAL_INPUT }
      : { net: m.transformerModel(tf, tfl), inputShape: m.TRANSFORMER_INPUT };
  }
  const { loadGraphModel } = await import('@tensorflow/tfjs-converter');
  const { loadNsfwModel, NSFW_MODELS } = await import('../test/js/tfjs-nsfwjs-models.mjs');
  if (!NSFW_MODELS[model]) throw new Error(`unknown model ${model} (${TFJS_BENCH_MODELS.join(', ')})`);
  const net = await loadNsfwModel(model, { io: tf.io, loadLayersModel: tfl.loadLayersModel, loadGraphModel });
  const size = NSFW_MODELS[model].size;
  return { net, inputShape: [size, size, 3] };
}

// bench/tfjs-profile.mjs and bench/tfjs-split.mjs: `model` on the webnn-wasm backend with `threads`
// engine threads, and infer() = one predict of a seeded [batch, ...inputShape] input + dataSync(),
// run twice already (graphs built, weights packed). { tf, backend, infer }.
export async function oursPredict({ model, batch, threads }) {
  const tf = await import('@tensorflow/tfjs-core');
  const { setBackendOptions } = await import('../js/tfjs/index.js');
  setBackendOptions({ numThreads: threads });
  if (!await tf.setBackend('webnn-wasm')) throw new Error('webnn-wasm backend failed');
  const { seeded } = await import('../test/js/tfjs-test-models.mjs');
  const { net, inputShape } = await loadBenchModel(tf, model);
  const x = tf.tensor(seeded(batch * inputShape.reduce((a, b) => a * b, 1), 42, 0, 1), [batch, ...inputShape]);
  const infer = () => { const y = net.predict(x); y.dataSync(); y.dispose(); };
  infer();
  infer();
  return { tf, backend: tf.backend(), infer };
}
