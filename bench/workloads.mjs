// Benchmark workloads, described once as a small WebNN-like graph IR that each
// library (tfjs, onnxruntime-web, ours) translates into its own graph.
//
// Conventions (chosen to map 1:1 onto WebNN):
//  * activations are NHWC (WebNN inputLayout 'nhwc');
//  * conv filters are stored OIHW, i.e. [out, in/groups, kh, kw]
//    (WebNN filterLayout 'oihw', ONNX Conv weight layout);
//  * padding is explicit [top, bottom, left, right] (WebNN order),
//    computed with TF/WebNN "same-upper" semantics;
//  * matmul constants are [K, N]; gemm is x[M,K] * W[K,N] + b[N].
//
// A workload is { name, title, inputs: [{name, shape}], outputs: [name],
// ops: [...], flops, perOp?: number, makeInputs(): {name: Float32Array} }.
// Ops (each writes `out`):
//   {op:'conv2d', x, w:{shape,data}, b?:{shape,data}, strides:[sh,sw],
//    pads:[t,b,l,r], groups, act:null|'relu'|'relu6'}
//   {op:'matmul', a, b:{shape,data}}            (b constant)
//   {op:'gemm',   a, b:{shape,data}, c:{shape,data}}
//   {op:'add',    a, b:<name>|{shape,data}}     (constant broadcasts over last dim)
//   {op:'relu', x} | {op:'clamp', x, min, max}
//   {op:'globalAvgPool', x}                      (NHWC -> [N, C])
// Transformer ops (rank 2-3 tensors only, batch 1 implied, so no library treats them as images):
//   {op:'matmul', a, b:<name>}                   (both activations; batched over leading dims)
//   {op:'mul', a, b:number}                      (times a scalar constant)
//   {op:'addConst', a, b:{shape,data}}           (a given constant, broadcast over trailing dims: bias, mask)
//   {op:'reshape', x, shape} | {op:'transpose', x, perm}
//   {op:'concat', inputs:[names], axis}
//   {op:'softmax', x}                            (over the last axis)
//   {op:'layerNorm', x, scale:{shape,data}, bias:{shape,data}, eps}  (over the last axis)
//   {op:'gelu', x}                               (0.5 x (1 + erf(x / sqrt 2)), the exact form)

// ------------------------------------------------------------ seeded random
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export function randomArray(rng, n, scale = 1) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rng() * 2 - 1) * scale;
  return a;
}
const prod = (s) => s.reduce((a, b) => a * b, 1);

// --------------------------------------------------------------- IR builder
class IR {
  constructor(seed) { this.rng = mulberry32(seed); this.ops = []; this.shapes = {}; this.flops = 0; this.n = 0; this.inputs = []; }
  input(name, shape) { this.inputs.push({ name, shape }); this.shapes[name] = shape; return name; }
  fresh(p) { return `${p}${this.n++}`; }
  constant(shape, scale = 1) { return { shape, data: randomArray(this.rng, prod(shape), scale) }; }
  conv2d(x, cout, { k = 3, stride = 1, groups = 1, padding = 'same', bias = true, act = null } = {}) {
    const [n, h, w, cin] = this.shapes[x];
    const kh = k, kw = k;
    let oh, ow, pads;
    if (padding === 'same') {
      oh = Math.ceil(h / stride); ow = Math.ceil(w / stride);
      const ph = Math.max((oh - 1) * stride + kh - h, 0), pw = Math.max((ow - 1) * stride + kw - w, 0);
      pads = [Math.floor(ph / 2), ph - Math.floor(ph / 2), Math.floor(pw / 2), pw - Math.floor(pw / 2)];
    } else {
      oh = Math.floor((h - kh) / stride) + 1; ow = Math.floor((w - kw) / stride) + 1; pads = [0, 0, 0, 0];
    }
    const fanIn = (cin / groups) * kh * kw;
    const wt = this.constant([cout, cin / groups, kh, kw], Math.sqrt(3 / fanIn));
    const b = bias ? this.constant([cout], 0.1) : undefined;
    const out = this.fresh('conv');
    this.ops.push({ op: 'conv2d', x, w: wt, b, strides: [stride, stride], pads, groups, act, out });
    this.shapes[out] = [n, oh, ow, cout];
    this.flops += 2 * n * oh * ow * cout * (cin / groups) * kh * kw;
    return out;
  }
  matmul(a, n) {
    const [m, k] = this.shapes[a];
    const out = this.fresh('mm');
    this.ops.push({ op: 'matmul', a, b: this.constant([k, n], Math.sqrt(3 / k)), out });
    this.shapes[out] = [m, n];
    this.flops += 2 * m * k * n;
    return out;
  }
  gemm(a, n) {
    const [m, k] = this.shapes[a];
    const out = this.fresh('gemm');
    this.ops.push({ op: 'gemm', a, b: this.constant([k, n], Math.sqrt(3 / k)), c: this.constant([n], 0.1), out });
    this.shapes[out] = [m, n];
    this.flops += 2 * m * k * n;
    return out;
  }
  add(a, b) {
    const out = this.fresh('add');
    if (typeof b === 'string') this.ops.push({ op: 'add', a, b, out });
    else {
      const shape = this.shapes[a];
      this.ops.push({ op: 'add', a, b: this.constant([shape[shape.length - 1]], 0.5), out });
    }
    this.shapes[out] = this.shapes[a];
    this.flops += prod(this.shapes[a]);
    return out;
  }
  // Linear layer x[M,K] * W[K,N] + b[N] as matmul + bias add (the form exported transformer graphs have).
  linear(a, n) {
    return this.addConst(this.matmul(a, n), this.constant([n], 0.1));
  }
  matmulAct(a, b) {
    const sa = this.shapes[a], sb = this.shapes[b];
    const out = this.fresh('bmm');
    this.ops.push({ op: 'matmul', a, b, out });
    this.shapes[out] = [...sa.slice(0, -1), sb[sb.length - 1]];
    this.flops += 2 * prod(sa) * sb[sb.length - 1];
    return out;
  }
  unary(op, x, extra = {}) {
    const out = this.fresh(op);
    this.ops.push({ op, x, ...extra, out });
    this.shapes[out] = this.shapes[x];
    return out;
  }
  mul(a, scalar) { const out = this.fresh('mul'); this.ops.push({ op: 'mul', a, b: scalar, out }); this.shapes[out] = this.shapes[a]; return out; }
  addConst(a, c) {
    const out = this.fresh('addc');
    this.ops.push({ op: 'addConst', a, b: c, out });
    this.shapes[out] = this.shapes[a];
    return out;
  }
  reshape(x, shape) { const out = this.fresh('reshape'); this.ops.push({ op: 'reshape', x, shape, out }); this.shapes[out] = shape; return out; }
  transpose(x, perm) {
    const out = this.fresh('transpose');
    this.ops.push({ op: 'transpose', x, perm, out });
    this.shapes[out] = perm.map((p) => this.shapes[x][p]);
    return out;
  }
  concat(inputs, axis) {
    const out = this.fresh('concat');
    this.ops.push({ op: 'concat', inputs, axis, out });
    const shape = [...this.shapes[inputs[0]]];
    shape[axis] = inputs.reduce((s, i) => s + this.shapes[i][axis], 0);
    this.shapes[out] = shape;
    return out;
  }
  layerNorm(x) {
    const c = this.shapes[x][this.shapes[x].length - 1];
    const scale = { shape: [c], data: Float32Array.from(randomArray(this.rng, c, 0.2), (v) => 1 + v) };
    return this.unary('layerNorm', x, { scale, bias: this.constant([c], 0.1), eps: 1e-5 });
  }
  relu(x) { const out = this.fresh('relu'); this.ops.push({ op: 'relu', x, out }); this.shapes[out] = this.shapes[x]; return out; }
  clamp(x, min, max) { const out = this.fresh('clamp'); this.ops.push({ op: 'clamp', x, min, max, out }); this.shapes[out] = this.shapes[x]; return out; }
  globalAvgPool(x) {
    const [n, h, w, c] = this.shapes[x];
    const out = this.fresh('gap');
    this.ops.push({ op: 'globalAvgPool', x, out });
    this.shapes[out] = [n, c];
    this.flops += n * h * w * c;
    return out;
  }
  finish(meta, outs) {
    const inputs = this.inputs;
    const seed = meta.seed ?? 1;
    return {
      ...meta,
      inputs,
      ops: this.ops,
      outputs: outs.map((name) => ({ name, shape: this.shapes[name] })),
      flops: this.flops,
      // Deterministic input data (same bytes for every library).
      makeInputs() {
        const rng = mulberry32(seed * 7919 + 17);
        const r = {};
        for (const i of inputs) r[i.name] = randomArray(rng, prod(i.shape));
        return r;
      },
    };
  }
}

// ---------------------------------------------------------------- workloads
function conv2dBig() {
  const g = new IR(101);
  const x = g.input('x', [1, 100, 100, 100]);
  const y = g.conv2d(x, 100, { k: 3, act: 'relu' });
  return g.finish({ name: 'conv2d', title: 'conv2d 3x3 100->100 [1,100,100,100] +bias+relu' }, [y]);
}

function matmul(name, m, k, n) {
  const g = new IR(200 + m);
  const a = g.input('a', [m, k]);
  const y = g.matmul(a, n);
  return g.finish({ name, title: `matmul [${m}x${k}]x[${k}x${n}]` }, [y]);
}

function depthwise() {
  const g = new IR(301);
  const x = g.input('x', [1, 112, 112, 32]);
  const y = g.conv2d(x, 32, { k: 3, groups: 32, bias: true });
  return g.finish({ name: 'depthwise', title: 'depthwise 3x3 [1,112,112,32] +bias' }, [y]);
}

function pointwise() {
  const g = new IR(302);
  const x = g.input('x', [1, 56, 56, 64]);
  const y = g.conv2d(x, 128, { k: 1, bias: true });
  return g.finish({ name: 'conv1x1', title: 'conv 1x1 [1,56,56,64]->128 +bias' }, [y]);
}

// MobileNetV2 1.0 / 224 with batch-norm folded into conv bias.
function mobilenetV2() {
  const g = new IR(401);
  let x = g.input('x', [1, 224, 224, 3]);
  x = g.conv2d(x, 32, { k: 3, stride: 2, act: 'relu6' });
  let cin = 32;
  const settings = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]];
  for (const [t, c, n, s] of settings) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const inp = x;
      let h = x;
      if (t !== 1) h = g.conv2d(h, cin * t, { k: 1, act: 'relu6' });
      h = g.conv2d(h, cin * t, { k: 3, stride, groups: cin * t, act: 'relu6' });
      h = g.conv2d(h, c, { k: 1, act: null });
      if (stride === 1 && cin === c) h = g.add(h, inp);
      x = h; cin = c;
    }
  }
  x = g.conv2d(x, 1280, { k: 1, act: 'relu6' });
  x = g.globalAvgPool(x);
  x = g.gemm(x, 1000);
  return g.finish({ name: 'mobilenetv2', title: 'MobileNetV2 1.0 224 (BN folded, random weights)' }, [x]);
}

function convChain() {
  const g = new IR(501);
  let x = g.input('x', [1, 56, 56, 32]);
  for (let i = 0; i < 10; i++) {
    x = g.conv2d(x, 32, { k: 3, bias: false });
    x = g.add(x, null);
    x = g.relu(x);
  }
  return g.finish({ name: 'convchain', title: '10 x (conv3x3 32->32 [1,56,56,32] + add(const) + relu)' }, [x]);
}

function addChain() {
  const g = new IR(601);
  let x = g.input('x', [1, 16]);
  for (let i = 0; i < 100; i++) x = g.add(x, null);
  return g.finish({ name: 'addchain', title: '100 x add([1,16], const[16])', perOp: 100 }, [x]);
}

// ------------------------------------------------------------ transformers
// One BERT-base encoder layer (post-LN): QKV projections, 12-head scaled dot-product attention with an
// additive padding mask and softmax, output projection, residual + layerNormalization, FFN 768->3072
// with exact (erf) GELU ->768, residual + layerNormalization. x is [seq, 768] (batch 1).
const HIDDEN = 768, HEADS = 12, HEAD = 64, FFN = 3072;

// The attention output projection, residuals, layer norms and FFN shared by encoder and decoder.
function transformerTail(g, x, ctx) {
  const h1 = g.layerNorm(g.add(g.linear(ctx, HIDDEN), x));
  const f = g.unary('gelu', g.linear(h1, FFN));
  return g.layerNorm(g.add(g.linear(f, HIDDEN), h1));
}

// An additive mask over `keys` positions: the last eighth masked out (-10000, as BERT does for padding).
function paddingMask(keys) {
  const data = new Float32Array(keys);
  for (let i = keys - Math.max(1, Math.floor(keys / 8)); i < keys; i++) data[i] = -10000;
  return { shape: [keys], data };
}

function bertEncoder(name, seq) {
  const g = new IR(700 + seq);
  const x = g.input('x', [seq, HIDDEN]);
  const heads = (t, perm) => g.transpose(g.reshape(t, [seq, HEADS, HEAD]), perm);
  const q = heads(g.linear(x, HIDDEN), [1, 0, 2]);  // [12, seq, 64]
  const kT = heads(g.linear(x, HIDDEN), [1, 2, 0]); // [12, 64, seq]
  const v = heads(g.linear(x, HIDDEN), [1, 0, 2]);  // [12, seq, 64]
  const scores = g.addConst(g.mul(g.matmulAct(q, kT), 1 / Math.sqrt(HEAD)), paddingMask(seq));
  const ctx = g.matmulAct(g.unary('softmax', scores), v); // [12, seq, 64]
  const merged = g.reshape(g.transpose(ctx, [1, 0, 2]), [seq, HIDDEN]);
  const y = transformerTail(g, x, merged);
  return g.finish({ name, title: `BERT-base encoder layer, seq ${seq} (12 heads, erf GELU, mask)` }, [y]);
}

// One decoder step at batch 1: the new token's q/k/v (GEMVs), its k and v appended to a KV cache of
// `cache` earlier positions (inputs: K cache kept transposed [12, 64, cache], V cache [12, cache, 64]),
// attention of the one query over cache + 1 keys, then the same tail as the encoder (M = 1 throughout).
function decoderStep(name, cache) {
  const g = new IR(800 + cache);
  const x = g.input('x', [1, HIDDEN]);
  const kCache = g.input('kCacheT', [HEADS, HEAD, cache]);
  const vCache = g.input('vCache', [HEADS, cache, HEAD]);
  const q = g.reshape(g.linear(x, HIDDEN), [HEADS, 1, HEAD]);
  const kT = g.concat([kCache, g.reshape(g.linear(x, HIDDEN), [HEADS, HEAD, 1])], 2); // [12, 64, cache+1]
  const v = g.concat([vCache, g.reshape(g.linear(x, HIDDEN), [HEADS, 1, HEAD])], 1);  // [12, cache+1, 64]
  const scores = g.mul(g.matmulAct(q, kT), 1 / Math.sqrt(HEAD));                       // [12, 1, cache+1]
  const ctx = g.matmulAct(g.unary('softmax', scores), v);                               // [12, 1, 64]
  const y = transformerTail(g, x, g.reshape(ctx, [1, HIDDEN]));
  return g.finish({ name, title: `decoder step, batch 1, hidden 768, KV cache ${cache} (GEMV-bound)` }, [y]);
}

const builders = {
  conv2d: conv2dBig,
  'matmul-1024': () => matmul('matmul-1024', 1024, 1024, 1024),
  'matmul-gemv': () => matmul('matmul-gemv', 1, 1024, 1000),
  'matmul-bert': () => matmul('matmul-bert', 128, 768, 3072),
  depthwise,
  conv1x1: pointwise,
  mobilenetv2: mobilenetV2,
  convchain: convChain,
  addchain: addChain,
  'bert-encoder-128': () => bertEncoder('bert-encoder-128', 128),
  'bert-encoder-16': () => bertEncoder('bert-encoder-16', 16),
  'decoder-step': () => decoderStep('decoder-step', 128),
};

export const workloadNames = Object.keys(builders);
export function getWorkload(name) {
  const b = builders[name];
  if (!b) throw new Error(`unknown workload ${name}; known: ${workloadNames.join(', ')}`);
  return b();
}
