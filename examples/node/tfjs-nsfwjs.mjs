// nsfwjs (TensorFlow.js models bundled in the npm package) on the 'webnn-wasm' TF.js backend.
//
//   npm install && npm run build
//   node examples/node/tfjs-nsfwjs.mjs [MobileNetV2|MobileNetV2Mid|InceptionV3]
//
// nsfwjs.load('<name>') reads the model and its weights from the package itself (no download).
// The image here is synthetic (a seeded colour field, no image decoder needed); a real one would be
// a [H, W, 3] int32 tensor from e.g. tf.node.decodeImage or a canvas.
import * as tf from '@tensorflow/tfjs';   // what nsfwjs uses (tfjs-core + layers + converter)
import * as nsfwjs from 'nsfwjs';
import '../../js/tfjs/index.js';          // = import 'webnn-wasm/tfjs': registers the backend
import { syntheticImages } from '../../test/js/tfjs-nsfwjs-models.mjs';

const name = process.argv[2] || 'MobileNetV2';
await tf.setBackend('webnn-wasm');
const backend = tf.backend();
console.log(`TF.js backend: ${tf.getBackend()} (engine ${backend.context.variant}, ${backend.context.numThreads} threads)`);

let t = performance.now();
const model = await nsfwjs.load(name); // also runs one warm-up prediction
console.log(`loaded ${name} in ${(performance.now() - t).toFixed(0)} ms`);

// A 256x256 RGB "photo" (0..255 ints); nsfwjs scales to [0, 1] and resizes to the model's size.
const size = 256;
const pixels = syntheticImages(1, size, 7).map((v) => Math.round(v * 255));
const img = tf.tensor3d(Int32Array.from(pixels), [size, size, 3], 'int32');

t = performance.now();
const predictions = await model.classify(img);
const ms = performance.now() - t;
for (const p of predictions) console.log(`  ${p.className.padEnd(8)} ${(100 * p.probability).toFixed(2)}%`);
console.log(`classify: ${ms.toFixed(0)} ms`);

// Same image on tfjs-backend-cpu, for comparison.
const ours = new Map(predictions.map((p) => [p.className, p.probability]));
await tf.setBackend('cpu');
const cpuModel = await nsfwjs.load(name);
const imgCpu = tf.tensor3d(Int32Array.from(pixels), [size, size, 3], 'int32');
const ref = await cpuModel.classify(imgCpu);
const diff = Math.max(...ref.map((p) => Math.abs(p.probability - ours.get(p.className))));
console.log(`tfjs-backend-cpu agrees: top-1 ${ref[0].className}, max |diff| ${diff.toExponential(2)}`);
const stats = backend.stats;
console.log(`webnn-wasm: ${stats.dispatches} graph dispatches, ${stats.graphBuilds} graphs built, ` +
  `CPU fallbacks: ${[...stats.fallbackKernels].map(([k, n]) => `${k} x${n}`).join(', ') || 'none'}`);
if (diff > 1e-4 || ref[0].className !== predictions[0].className) process.exitCode = 1;
