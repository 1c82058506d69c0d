// The TF.js backend's model fuzzer: random tf.layers models (Sequential stacks, or functional
// models that branch and merge (add, multiply, maximum, average, concatenate), of conv, pooling, normalization,
// dense, recurrent, reshaping and activation layers, weights seeded), built the same
// on 'webnn-wasm' and on tfjs-backend-cpu, and predicted as users predict: twice at one batch size
// (the second a cache hit), once at another, and once more after setWeights with new values,
// every output compared. Where the op fuzzer (tfjs-fuzz-lib.mjs) draws kernels, this draws what
// tf.layers makes of them: the patterns the engine's passes rewrite (gelu spelled out, layer
// normalization's moments and tiles, conv + bias + activation, zero padding before a conv, batch
// norm after it, residual adds) with the shapes layers give.
// With `heap` (holdHeap() of tfjs-fuzz-lib.mjs), ours builds and predicts each model on a heap held
// full but for 256 B to 16 MiB: it must give the CPU's outputs or throw out of memory, and leave no
// tensor, dataId, engine tensor or heap byte behind.
//   runModelFuzz(tf, tfl, { backendName, seed, count, log, maxFailures, heap })
//     -> { models, layers, kinds, outOfMemory, fallbackKernels, failures }
import { mulberry32 } from './reference.mjs';
import { isOutOfMemory } from '../../js/api/errors.js';
import { cleanedUp } from './tfjs-fuzz-lib.mjs';
import { seedWeights, seeded } from './tfjs-test-models.mjs';

const int = (rng, lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = (rng, list) => list[Math.floor(rng() * list.length)];

const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus', 'softsign', 'swish', 'gelu', 'hardSigmoid'];

// (tf.layers' default orthogonal initializer fails in tfjs-core 4.22's Node build: rMat.flatten;
// the weights are reseeded anyway)
const RNN = { recurrentInitializer: 'glorotUniform' };

// Layers by the rank of their input (without the batch dim): [kind, rng -> config].
const LAYERS = {
  3: [ // [H, W, C]
    ['conv2d', (r) => ({ filters: int(r, 1, 6), kernelSize: int(r, 1, 3), strides: int(r, 1, 2), padding: pick(r, ['same', 'valid']), activation: pick(r, ACTIVATIONS), useBias: r() < 0.8 })],
    ['depthwiseConv2d', (r) => ({ kernelSize: int(r, 1, 3), depthMultiplier: int(r, 1, 2), padding: pick(r, ['same', 'valid']), activation: pick(r, ACTIVATIONS) })],
    ['separableConv2d', (r) => ({ filters: int(r, 1, 5), kernelSize: int(r, 1, 3), padding: pick(r, ['same', 'valid']), activation: pick(r, ACTIVATIONS) })],
    ['conv2dTranspose', (r) => ({ filters: int(r, 1, 4), kernelSize: int(r, 1, 3), strides: int(r, 1, 2), padding: pick(r, ['same', 'valid']), activation: pick(r, ACTIVATIONS) })],
    ['maxPooling2d', (r) => ({ poolSize: int(r, 1, 2), strides: int(r, 1, 2), padding: pick(r, ['same', 'valid']) })],
    ['averagePooling2d', (r) => ({ poolSize: int(r, 1, 3), strides: int(r, 1, 2), padding: pick(r, ['same', 'valid']) })],
    ['batchNormalization', (r) => ({ epsilon: pick(r, [1e-3, 0.1]) })],
    ['zeroPadding2d', (r) => ({ padding: [[int(r, 0, 2), int(r, 0, 1)], [int(r, 0, 1), int(r, 0, 2)]] })],
    ['cropping2D', () => ({ cropping: [[1, 0], [0, 1]] })],
    ['globalAveragePooling2d', () => ({})],
    ['globalMaxPooling2d', () => ({})],
    ['flatten', () => ({})],
    ['activation', (r) => ({ activation: pick(r, ACTIVATIONS) })],
    ['reLU', (r) => ({ maxValue: r() < 0.5 ? 6 : undefined })],
    ['leakyReLU', (r) => ({ alpha: 0.05 + r() * 0.3 })],
    ['dropout', () => ({ rate: 0.5 })], // inactive in predict
  ],
  2: [ // [T, D]
    ['dense', (r) => ({ units: int(r, 1, 8), activation: pick(r, ACTIVATIONS), useBias: r() < 0.8 })],
    ['layerNormalization', (r) => ({ epsilon: pick(r, [1e-3, 1e-5]) })],
    ['conv1d', (r) => ({ filters: int(r, 1, 5), kernelSize: int(r, 1, 2), padding: pick(r, ['same', 'valid']), activation: pick(r, ACTIVATIONS) })],
    ['simpleRNN', (r) => ({ units: int(r, 1, 5), returnSequences: r() < 0.6, ...RNN })],
    ['gru', (r) => ({ units: int(r, 1, 5), returnSequences: r() < 0.6, ...RNN })],
    ['lstm', (r) => ({ units: int(r, 1, 5), returnSequences: r() < 0.6, ...RNN })],
    ['permute', () => ({ dims: [2, 1] })],
    ['globalAveragePooling1d', () => ({})],
    ['flatten', () => ({})],
    ['activation', (r) => ({ activation: pick(r, [...ACTIVATIONS, 'softmax']) })],
  ],
  1: [ // [D]
    ['dense', (r) => ({ units: int(r, 1, 8), activation: pick(r, [...ACTIVATIONS, 'softmax']), useBias: r() < 0.8 })],
    ['batchNormalization', (r) => ({ epsilon: pick(r, [1e-3, 0.1]) })],
    ['repeatVector', (r) => ({ n: int(r, 2, 4) })],
    ['activation', (r) => ({ activation: pick(r, ACTIVATIONS) })],
  ],
};

// A model spec: input shape and layer configs (the first layer carries inputShape).
export function generateModel(seed) {
  const rng = mulberry32(seed * 2246822519);
  const image = rng() < 0.6;
  const inputShape = image ? [int(rng, 4, 10), int(rng, 4, 10), int(rng, 1, 4)] : [int(rng, 2, 6), int(rng, 2, 8)];
  return { seed, inputShape, draws: int(rng, 2, 7), functional: rng() < 0.5, rng };
}

// Merge layers of the functional models: two tensors of one shape (concatenate: all but the last dim).
const MERGES = ['add', 'multiply', 'maximum', 'average', 'concatenate'];

const size = (shape) => shape.reduce((a, b) => a * b, 1);

// Builds the model of `spec` on the current backend: a Sequential stack, or (spec.functional) a
// tfl.model whose layers may branch and merge again (residual adds, concatenations). Layers that
// tf.layers rejects for the shape at hand (too small for a valid conv, ...) are skipped, the same
// way on every backend (the draws come from a stream of the seed's own, replayed).
export function buildModel(tf, tfl, spec) {
  const rng = mulberry32(spec.seed * 2246822519 + 1); // the layers' own stream
  const input = tfl.input({ shape: spec.inputShape });
  const nodes = [input];
  const drawn = []; // [layer, kind]
  for (let i = 0; i < spec.draws; i++) {
    const last = nodes[nodes.length - 1];
    if (spec.functional && nodes.length > 1 && rng() < 0.35) {
      const kind = pick(rng, MERGES);
      const fits = (n) => n !== last && (kind === 'concatenate'
        ? n.shape.length === last.shape.length && n.shape.slice(0, -1).join() === last.shape.slice(0, -1).join()
        : n.shape.join() === last.shape.join());
      const others = nodes.filter(fits);
      if (others.length === 0 || (kind === 'concatenate' && last.shape.length < 2)) continue;
      const layer = tfl.layers[kind]({});
      try {
        nodes.push(layer.apply([last, pick(rng, others)]));
      } catch (e) {
        if (isOutOfMemory(e)) throw e; // (building a layer's weights runs kernels)
        continue;
      }
      drawn.push([layer, kind]);
      continue;
    }
    // Sequential: the last tensor; functional: sometimes the one before (a branch).
    const base = spec.functional ? nodes[Math.max(0, nodes.length - 1 - int(rng, 0, 1))] : last;
    const [kind, configOf] = pick(rng, LAYERS[base.shape.length - 1]);
    const layer = tfl.layers[kind](configOf(rng));
    let out;
    try {
      out = layer.apply(base);
    } catch (e) {
      if (isOutOfMemory(e)) throw e;
      continue;
    }
    const shape = out.shape.slice(1);
    if (shape.some((d) => d <= 0) || size(shape) > 2048) continue; // (a symbolic apply gives negative sizes without throwing)
    nodes.push(out);
    drawn.push([layer, kind]);
  }
  if (nodes.length === 1) return null;
  const model = spec.functional ? tfl.model({ inputs: input, outputs: nodes[nodes.length - 1] }) : sequentialOf(tfl, spec, drawn);
  seedWeights(tf, model, spec.seed * 17);
  const kinds = drawn.filter(([layer]) => model.layers.includes(layer)).map(([, kind]) => kind);
  return { model, kinds };
}

// The Sequential form of a chain (each layer applied to the one before): tfl.sequential over the
// same layer objects.
function sequentialOf(tfl, spec, drawn) {
  const model = tfl.sequential();
  model.add(tfl.layers.inputLayer({ inputShape: spec.inputShape }));
  for (const [layer] of drawn) model.add(layer);
  return model;
}

function compare(label, got, want) {
  if (got.length !== want.length) return `${label}: ${got.length} values, the CPU ${want.length}`;
  let scale = 1;
  for (const v of want) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.length; i++) {
    const a = got[i], b = want[i];
    if (Object.is(a, b) || a === b) continue;
    if (Number.isNaN(a) || Number.isNaN(b) || !Number.isFinite(a) || !Number.isFinite(b) || Math.abs(a - b) > 1e-3 * Math.abs(b) + 1e-4 * scale) {
      return `${label} element ${i}: ${a}, the CPU ${b}`;
    }
  }
  return null;
}

// Predicts `model` on inputs of the runs' batch sizes (seeded), returns their outputs; a run with
// `reseed` first gives the model new weights (setWeights, as loading other weights does: a graph
// that baked the old ones must not be reused).
async function predictAll(tf, model, inputShape, runs) {
  const outs = [];
  for (const [batch, valueSeed, reseed] of runs) {
    if (reseed) seedWeights(tf, model, reseed);
    const shape = [batch, ...inputShape];
    const x = tf.tensor(seeded(shape.reduce((a, b) => a * b, 1), valueSeed, -2, 2), shape);
    const y = model.predict(x);
    outs.push(Array.from(await y.data()));
    tf.dispose([x, y]);
  }
  return outs;
}

export async function runModelFuzz(tf, tfl, { backendName, seed, count, log = () => {}, maxFailures = 5, heap = null }) {
  const stats = { models: 0, layers: 0, kinds: new Set(), outOfMemory: 0, fallbackKernels: new Map(), failures: [] };
  await tf.setBackend(backendName);
  const be = tf.backend();
  const before = new Map(be.stats.fallbackKernels);
  for (let m = 0; m < count && stats.failures.length < maxFailures; m++) {
    const spec = generateModel(seed + m);
    const b1 = int(spec.rng, 1, 3);
    const runs = [[b1, seed + m], [b1, seed + m + 1e6], [b1 === 1 ? 2 : 1, seed + m + 2e6], [b1, seed + m, (seed + m) * 17 + 5]];
    await tf.setBackend('cpu');
    const cpuTensors = tf.memory().numTensors;
    const ref = buildModel(tf, tfl, spec);
    if (!ref) continue;
    const want = await predictAll(tf, ref.model, spec.inputShape, runs);
    ref.model.dispose();
    // (tf.layers keeps a few scalars of its own per backend, e.g. gelu's: the CPU's count is the baseline)
    const cpuLeft = tf.memory().numTensors - cpuTensors;
    await tf.setBackend(backendName);
    const free = Math.round(2 ** (8 + mulberry32(seed + m)() * 16)); // heap pressure: 256 B to 16 MiB
    if (heap) heap.squeeze(be, free);
    const tensors = tf.memory().numTensors;
    const dataIds = be.numDataIds();
    let ours = null;
    let failure = null;
    const buildAndPredict = async () => {
      ours = buildModel(tf, tfl, spec);
      try {
        return await predictAll(tf, ours.model, spec.inputShape, runs);
      } finally {
        ours.model.dispose();
      }
    };
    try {
      const got = await (heap ? cleanedUp(tf, buildAndPredict) : buildAndPredict());
      for (let r = 0; r < runs.length && !failure; r++) failure = compare(`predict ${r + 1} (batch ${runs[r][0]})`, got[r], want[r]);
    } catch (e) {
      if (heap && isOutOfMemory(e)) stats.outOfMemory++;
      else failure = `threw ${e.stack ?? e}`;
    }
    if (heap) {
      const leak = await heap.restore(be, tf.memory().numTensors > tensors); // (always: it refills the heap)
      failure ??= leak && `${leak}, ${free} bytes free`;
    }
    if (!failure && tf.memory().numTensors - tensors > cpuLeft) failure = `${tf.memory().numTensors - tensors} tensors left after disposing the model, ${cpuLeft} on the CPU`;
    if (!failure && be.numDataIds() - dataIds > cpuLeft) failure = `${be.numDataIds() - dataIds} dataIds left after disposing the model`;
    stats.models++;
    if (ours) {
      stats.layers += ours.kinds.length;
      for (const k of ours.kinds) stats.kinds.add(k);
    }
    if (failure) {
      const f = { seed: seed + m, message: failure, model: ours ? describeModel(ours.model, spec) : `(not built) seed ${seed + m}` };
      stats.failures.push(f);
      log(formatModelFailure(f));
    }
  }
  for (const [k, n] of be.stats.fallbackKernels) if (n > (before.get(k) ?? 0)) stats.fallbackKernels.set(k, n - (before.get(k) ?? 0));
  return stats;
}

// A model's layers and their configs (initializers and names left out: the weights are seeded).
const NOT_SHOWN = new Set(['name', 'trainable', 'dtype', 'batchInputShape', 'kernelInitializer', 'biasInitializer',
  'recurrentInitializer', 'depthwiseInitializer', 'pointwiseInitializer', 'gammaInitializer', 'betaInitializer',
  'movingMeanInitializer', 'movingVarianceInitializer']);
function describeModel(model, spec) {
  const layers = model.layers.map((l) => `${l.getClassName()}(${JSON.stringify(l.getConfig(), (k, v) => (NOT_SHOWN.has(k) ? undefined : v))})`);
  return `${spec.functional ? 'functional' : 'sequential'}, input [${spec.inputShape}]: ${layers.join(' -> ')}`;
}

export function formatModelFailure(f) {
  return `tfjs model fuzz seed ${f.seed}: ${f.message}\n  ${f.model}`;
}

// Every layer kind the generator draws (the test checks that a batch builds them all).
export const LAYER_KINDS = Object.freeze([...new Set(Object.values(LAYERS).flat().map(([kind]) => kind)), ...MERGES]);
