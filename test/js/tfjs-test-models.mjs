// TF.js models built in code (tfjs-layers), with seeded weights so that two backends get the same
// ones: the tf.sequential CNN of issue #15 and a small Transformer encoder. Shared by
// test/js/tfjs-whole-graph.test.mjs and bench/tfjs-bench-models.mjs (the models of bench:tfjs).

export function seeded(n, seed, lo = -1, hi = 1) {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + (hi - lo) * (s / 4294967296);
  }
  return out;
}

// Replaces every weight with seeded values (variances positive, scales near 1), written from JS.
export function seedWeights(tf, model, seed) {
  const values = model.weights.map((w, i) => {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const name = w.originalName ?? w.name;
    let lo = -0.3;
    let hi = 0.3;
    if (/variance/.test(name)) [lo, hi] = [0.5, 1.5];
    else if (/gamma/.test(name)) [lo, hi] = [0.8, 1.2];
    return tf.tensor(seeded(n, seed + 7919 * i, lo, hi), w.shape);
  });
  model.setWeights(values); // the variables take their own references
  tf.dispose(values);
  return model;
}

// Issue #15's model: conv2d 3x3 16 relu same -> maxPooling2d -> depthwiseConv2d relu -> conv2d 32
// relu -> batchNormalization -> maxPooling2d -> conv2d 64 -> globalAveragePooling2d -> dense 32
// relu -> dense 10 softmax, on [N, 64, 64, 3].
export const SEQUENTIAL_INPUT = [64, 64, 3];
export function sequentialModel(tf, tfl) {
  const L = tfl.layers;
  const model = tfl.sequential({
    layers: [
      L.conv2d({ inputShape: SEQUENTIAL_INPUT, filters: 16, kernelSize: 3, activation: 'relu', padding: 'same' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.depthwiseConv2d({ kernelSize: 3, activation: 'relu', padding: 'same' }),
      L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', padding: 'same' }),
      L.batchNormalization({}),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 64, kernelSize: 3, padding: 'same' }),
      L.globalAveragePooling2d({}),
      L.dense({ units: 32, activation: 'relu' }),
      L.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  return seedWeights(tf, model, 1500);
}

// A small Transformer encoder from tf.layers: 2 blocks of multi-head self-attention (matMul,
// softmax; a custom layer, as tfjs-layers has none) + dense projection, residual add,
// layerNormalization, a GELU feed-forward; then mean over the sequence and a softmax head.
export const TRANSFORMER = { seq: 64, dim: 64, heads: 4, ffn: 256, blocks: 2 };
export const TRANSFORMER_INPUT = [TRANSFORMER.seq, TRANSFORMER.dim];

export function transformerModel(tf, tfl) {
  const { seq, dim, heads, ffn, blocks } = TRANSFORMER;
  class SelfAttention extends tfl.layers.Layer {
    static get className() { return 'SelfAttention'; }
    computeOutputShape(s) { return [s[0], s[1], s[2] / 3]; }
    call(inputs) {
      return tf.tidy(() => {
        const qkv = Array.isArray(inputs) ? inputs[0] : inputs; // [B, T, 3D]
        const [B, T, D3] = qkv.shape;
        const D = D3 / 3;
        const dh = D / heads;
        const [q, k, v] = tf.split(qkv, 3, 2);
        const split = (t) => tf.transpose(tf.reshape(t, [B, T, heads, dh]), [0, 2, 1, 3]); // [B, H, T, dh]
        const scores = tf.mul(tf.matMul(split(q), split(k), false, true), tf.scalar(1 / Math.sqrt(dh)));
        const o = tf.matMul(tf.softmax(scores), split(v)); // [B, H, T, dh]
        return tf.reshape(tf.transpose(o, [0, 2, 1, 3]), [B, T, D]);
      });
    }
  }
  const L = tfl.layers;
  const input = tfl.input({ shape: [seq, dim] });
  let x = input;
  for (let i = 0; i < blocks; i++) {
    const qkv = L.dense({ units: 3 * dim }).apply(x);
    const attended = L.dense({ units: dim }).apply(new SelfAttention({}).apply(qkv));
    x = L.layerNormalization({}).apply(L.add({}).apply([x, attended]));
    const ff = L.dense({ units: dim }).apply(L.dense({ units: ffn, activation: 'gelu' }).apply(x));
    x = L.layerNormalization({}).apply(L.add({}).apply([x, ff]));
  }
  const pooled = L.globalAveragePooling1d({}).apply(x);
  const output = L.dense({ units: 10, activation: 'softmax' }).apply(pooled);
  return seedWeights(tf, tfl.model({ inputs: input, outputs: output }), 2600);
}
