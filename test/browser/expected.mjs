// The example's classifier run in Node (same code, same seed): what every page must show.
import '../../js/polyfill.js';
import { buildClassifier, makeImage, IMAGES } from '../../examples/web/classifier.js';

export async function expectedResults() {
  const context = await navigator.ml.createContext();
  try {
    const classifier = await buildClassifier(context);
    const results = {};
    for (const kind of IMAGES) results[kind] = Array.from(await classifier.classify(makeImage(kind)));
    return { results, backend: context.backend };
  } finally {
    context.destroy();
  }
}

// Same probabilities within float32 summation-order noise (threaded and SIMD kernels may add in
// another order than Node's build).
export function assertSameResults(assert, actual, expected, where) {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${where}: images`);
  for (const [kind, probs] of Object.entries(expected)) {
    const got = actual[kind];
    assert.equal(got.length, probs.length, `${where}: ${kind}`);
    for (let i = 0; i < probs.length; i++) {
      const tol = 1e-6 + 1e-4 * Math.abs(probs[i]);
      assert.ok(Math.abs(got[i] - probs[i]) <= tol, `${where}: ${kind}[${i}] = ${got[i]}, Node says ${probs[i]}`);
    }
  }
}
