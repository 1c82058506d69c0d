// Loads the TF.js models bundled inside the nsfwjs npm package (no download): each model is a
// UMD module exporting model.json, and each weight shard a UMD module exporting its base64 bytes
// (nsfwjs/dist/models/<name>/). Shared by the tfjs tests, bench/tfjs-bench-models.mjs and the example.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const NSFW_MODELS = {
  MobileNetV2: { dir: 'mobilenet_v2', size: 224, type: 'layers' },
  MobileNetV2Mid: { dir: 'mobilenet_v2_mid', size: 224, type: 'graph' },
  InceptionV3: { dir: 'inception_v3', size: 299, type: 'layers' },
};
export const NSFW_CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'];

function modelsDir() {
  // nsfwjs's exports map hides dist/models; find it from the package entry.
  const entry = require.resolve('nsfwjs'); // .../nsfwjs/dist/cjs/index.js
  return path.join(path.dirname(entry), '..', 'models');
}

// { modelTopology, format, weightSpecs, weightData, ... } for tf.io.fromMemory.
export function nsfwModelArtifacts(name) {
  const spec = NSFW_MODELS[name];
  if (!spec) throw new Error(`unknown nsfwjs model ${name}`);
  const dir = path.join(modelsDir(), spec.dir);
  const json = require(path.join(dir, 'model.min.js'));
  const weightSpecs = [];
  const chunks = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) chunks.push(Buffer.from(require(path.join(dir, `${p}.min.js`)), 'base64'));
    weightSpecs.push(...group.weights);
  }
  const weightData = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) { weightData.set(c, off); off += c.length; }
  return {
    modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy,
    convertedBy: json.convertedBy, weightSpecs, weightData: weightData.buffer,
  };
}

// Loads a model with the given TF.js namespaces (tfjs-core's io, and tfjs-layers or tfjs-converter).
export async function loadNsfwModel(name, { io, loadLayersModel, loadGraphModel }) {
  const artifacts = nsfwModelArtifacts(name);
  const handler = io.fromMemory(artifacts);
  return NSFW_MODELS[name].type === 'graph' ? loadGraphModel(handler) : loadLayersModel(handler);
}

// Seeded synthetic "images": smooth colour fields plus noise, values in [0, 1], NHWC float32.
export function syntheticImages(count, size, seed = 1) {
  let s = seed >>> 0;
  const rand = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
  const data = new Float32Array(count * size * size * 3);
  let i = 0;
  for (let n = 0; n < count; n++) {
    const f = [1 + 4 * rand(), 1 + 4 * rand(), 1 + 4 * rand()];
    const ph = [6.3 * rand(), 6.3 * rand(), 6.3 * rand()];
    const amp = 0.1 + 0.3 * rand();
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < 3; c++) {
          const v = 0.5 + amp * Math.sin((f[c] * (x + 0.7 * y)) / size * 6.283 + ph[c]) + 0.15 * (rand() - 0.5);
          data[i++] = Math.min(1, Math.max(0, v));
        }
      }
    }
  }
  return data;
}
