// A small image classifier built with the WebNN API: a CNN with seeded (untrained) weights.
// Shared by the page (examples/web/main.js) and the browser tests, which run the same code in Node
// to get the expected output. Uses the globals the polyfill installs (MLGraphBuilder).
//
//   input [1,32,32,3] NHWC
//   conv 3x3 3->8 +bias relu -> maxPool 2x2 -> conv 3x3 8->16 +bias relu -> maxPool 2x2
//   -> conv 3x3 16->32 +bias relu -> averagePool 8x8 -> reshape [1,32] -> gemm 32->10 +bias -> softmax

export const SIZE = 32;
export const CLASSES = ['sun', 'stripes', 'checkerboard', 'rings', 'gradient', 'dots', 'cross', 'diagonal', 'noise', 'blank'];
export const IMAGES = ['sun', 'stripes', 'checkerboard', 'rings'];

// Deterministic random numbers (mulberry32).
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uniform(rnd, n, limit) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rnd() * 2 - 1) * limit;
  return a;
}

// A generated test image: RGB in [0, 1], NHWC, computed (not drawn), so Node and the page agree.
export function makeImage(kind, size = SIZE) {
  const px = new Float32Array(size * size * 3);
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - c;
      const dy = y - c;
      const r = Math.hypot(dx, dy);
      let rgb;
      switch (kind) {
        case 'sun': rgb = r < size * 0.3 ? [1, 0.85, 0.2] : [0.35, 0.6, 0.95]; break;
        case 'stripes': rgb = Math.floor(x / 4) % 2 ? [0.9, 0.1, 0.1] : [1, 1, 1]; break;
        case 'checkerboard': rgb = (Math.floor(x / 8) + Math.floor(y / 8)) % 2 ? [0.1, 0.1, 0.1] : [0.95, 0.95, 0.95]; break;
        case 'rings': { const v = 0.5 + 0.5 * Math.cos(r * 0.9); rgb = [0.2 * v, 0.6 * v + 0.2, v]; break; }
        default: throw new TypeError(`makeImage: unknown kind '${kind}'`);
      }
      px.set(rgb, (y * size + x) * 3);
    }
  }
  return px;
}

// Builds the graph on `context` with weights from `seed`. Returns { graph, classify(pixels), destroy() }.
export async function buildClassifier(context, { seed = 42 } = {}) {
  const rnd = random(seed);
  const f32 = (shape) => ({ dataType: 'float32', shape });
  const builder = new MLGraphBuilder(context);
  const constant = (shape, data) => builder.constant(f32(shape), data);
  const he = (fanIn) => Math.sqrt(6 / fanIn);
  const convOpts = (bias) => ({ inputLayout: 'nhwc', filterLayout: 'ohwi', padding: [1, 1, 1, 1], bias });
  const conv = (x, cin, cout) => builder.relu(builder.conv2d(
    x, constant([cout, 3, 3, cin], uniform(rnd, cout * 9 * cin, he(9 * cin))),
    convOpts(constant([cout], uniform(rnd, cout, 0.1))),
  ));
  const pool = { windowDimensions: [2, 2], strides: [2, 2], layout: 'nhwc' };

  const input = builder.input('image', f32([1, SIZE, SIZE, 3]));
  let h = builder.maxPool2d(conv(input, 3, 8), pool);
  h = builder.maxPool2d(conv(h, 8, 16), pool);
  h = conv(h, 16, 32);
  h = builder.averagePool2d(h, { windowDimensions: [SIZE / 4, SIZE / 4], layout: 'nhwc' });
  h = builder.reshape(h, [1, 32]);
  h = builder.gemm(h, constant([32, CLASSES.length], uniform(rnd, 32 * CLASSES.length, he(32) * 2)),
    { c: constant([CLASSES.length], uniform(rnd, CLASSES.length, 0.1)) });
  const graph = await builder.build({ probs: builder.softmax(h, 1) });

  const inputTensor = await context.createTensor({ ...f32([1, SIZE, SIZE, 3]), writable: true });
  const outputTensor = await context.createTensor({ ...f32([1, CLASSES.length]), readable: true });
  return {
    graph,
    // Writes, dispatches, reads: one inference.
    async classify(pixels) {
      context.writeTensor(inputTensor, pixels);
      context.dispatch(graph, { image: inputTensor }, { probs: outputTensor });
      return new Float32Array(await context.readTensor(outputTensor));
    },
    destroy() {
      graph.destroy();
      inputTensor.destroy();
      outputTensor.destroy();
    },
  };
}

// The k most probable classes: [{ name, p }].
export function topClasses(probs, k = 3) {
  return Array.from(probs, (p, i) => ({ name: CLASSES[i], p })).sort((a, b) => b.p - a.p).slice(0, k);
}
