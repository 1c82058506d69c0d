// The models of `npm run bench:tfjs` (bench/tfjs-models.mjs) and bench/tfjs-profile.mjs: issue #15's
// tf.sequential CNN and a small tf.layers Transformer (test/js/tfjs-test-models.mjs), and nsfwjs's
// MobileNetV2, MobileNetV2Mid and InceptionV3 with their real weights (test/js/tfjs-nsfwjs-models.mjs).
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
