// A deterministic, seeded graph fuzzer over the public WebNN API (no test cases here: fuzz.test.mjs
// runs a short batch in `npm test`, scripts/fuzz.mjs runs long batches).
//
// Each case builds a random graph from the ops the engine registers (context.opSupportLimits()),
// mostly valid, often not: wrong shapes, data types, ranks, option values, labels, and arguments of
// the wrong kind (strings, NaN, negative or huge numbers, null, plain objects, operands of another
// builder, detached ArrayBuffers). Valid graphs are built, bound to tensors, written, dispatched
// and read. The invariant, checked on every call:
//   - it succeeds, or throws (rejects with) a TypeError or a DOMException whose message names the
//     call (the op's name for op methods); never a RangeError, a Wasm RuntimeError (trap or abort),
//     a plain Error, nor a hang (each case has a time budget);
//   - afterwards the context still builds and runs a small graph correctly.
// A failure is reported with the case's seed, which replays it alone: runFuzz({seed, count: 1}).

import { DICTIONARIES } from '../../js/op-signatures.js';
import { mulberry32 } from '../../bench/workloads.mjs';  // the benchmarks' seeded generator

const TYPED = {
  float32: Float32Array, float16: Uint16Array, int32: Int32Array, uint32: Uint32Array,
  int64: BigInt64Array, uint64: BigUint64Array, int8: Int8Array, uint8: Uint8Array,
};
const ALL_TYPES = Object.keys(TYPED);

// The natural length of a few sequence members (others get a random length).
const SEQ_LENGTH = {
  padding: 4, strides: 2, dilations: 2, windowDimensions: 2, outputSizes: 2, outputPadding: 2,
  beginningPadding: 'rank', endingPadding: 'rank', starts: 'rank', sizes: 'rank', permutation: 'rank',
  newShape: 'rank', axes: 'rank', repetitions: 'rank', scales: 2,
};

// Largest tensor (elements) a case binds and dispatches; bigger graphs are only built.
const MAX_DISPATCH_ELEMENTS = 1 << 16;
// Largest operand (bytes) a case builds at all: keeps the Wasm heap (which never shrinks) small.
const MAX_BUILD_BYTES = 1 << 24;
const BYTES = { float32: 4, float16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, int8: 1, uint8: 1 };
const bytesOf = (o) => o.shape.reduce((n, d) => n * d, 1) * (BYTES[o.dataType] || 1);

export class InvariantError extends Error {}

function describeError(e) {
  return e && e.constructor ? `${e.constructor.name}${e.name && e.name !== e.constructor.name ? `(${e.name})` : ''}: ${e.message}` : String(e);
}

// Runs `count` cases from `seed` on one context. Returns { cases, calls, errors, built, dispatched, failures }.
export async function runFuzz(api, { seed = 1, count = 100, context = null, caseBudgetMs = 10000, log = null } = {}) {
  const { ml, MLGraphBuilder } = api;
  const ctx = context || await ml.createContext();
  const limits = ctx.opSupportLimits();
  const ops = Object.keys(api.opSignatures).filter((name) => limits[name] && typeof MLGraphBuilder.prototype[name] === 'function').sort();
  const stats = { cases: 0, calls: 0, errors: 0, built: 0, dispatched: 0, failures: [] };
  const otherBuilder = new MLGraphBuilder(ctx);
  const foreign = otherBuilder.input('foreign', { dataType: 'float32', shape: [2] });

  for (let i = 0; i < count; i++) {
    const caseSeed = (seed + Math.imul(i, 0x9e3779b1)) >>> 0;
    const t0 = Date.now();
    let failure = null;
    try {
      await runCase(api, ctx, limits, ops, caseSeed, foreign, stats);
    } catch (e) {
      failure = e instanceof InvariantError ? e.message : `unexpected ${describeError(e)}\n${e && e.stack}`;
    }
    const ms = Date.now() - t0;
    if (!failure && ms > caseBudgetMs) failure = `case took ${ms} ms (budget ${caseBudgetMs} ms): a hang?`;
    if (!failure) {
      try {
        await healthCheck(api, ctx);
      } catch (e) {
        failure = `the context no longer works after the case: ${describeError(e)}`;
      }
    }
    stats.cases++;
    if (failure) {
      stats.failures.push({ seed: caseSeed, failure });
      if (log) log(`case seed ${caseSeed}: ${failure}`);
      if (ctx.lost && (await Promise.race([ctx.lost.then(() => true), Promise.resolve(false)]))) break;
    }
  }
  return stats;
}

// x -> relu(x + c) on a fresh builder: must build and compute exactly.
export async function healthCheck(api, ctx) {
  const b = new api.MLGraphBuilder(ctx);
  const x = b.input('x', { dataType: 'float32', shape: [2, 2] });
  const c = b.constant({ dataType: 'float32', shape: [2, 2] }, new Float32Array([1, -5, 0.5, 2]));
  const g = await b.build({ y: b.relu(b.add(x, c)) });
  const xt = await ctx.createTensor({ dataType: 'float32', shape: [2, 2], writable: true });
  const yt = await ctx.createTensor({ dataType: 'float32', shape: [2, 2], readable: true });
  ctx.writeTensor(xt, new Float32Array([1, 2, -3, 4]));
  ctx.dispatch(g, { x: xt }, { y: yt });
  const y = new Float32Array(await ctx.readTensor(yt));
  g.destroy(); xt.destroy(); yt.destroy();
  const want = [2, 0, 0, 6];
  for (let i = 0; i < 4; i++) if (y[i] !== want[i]) throw new Error(`health check graph computed [${y}] instead of [${want}]`);
}

async function runCase(api, ctx, limits, ops, caseSeed, foreign, stats) {
  const rnd = mulberry32(caseSeed);
  const R = {
    f: rnd,
    int: (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(rnd() * arr.length)],
    chance: (p) => rnd() < p,
  };
  const { MLGraphBuilder } = api;
  const builder = new MLGraphBuilder(ctx);
  const operands = []; // { op: MLOperand, dataType, shape, kind }
  const inputs = new Map(); // name -> { dataType, shape }
  const cleanup = [];

  // Every call goes through here: errors are checked, then swallowed.
  async function call(where, fn) {
    stats.calls++;
    try {
      return { ok: true, value: await fn() };
    } catch (e) {
      stats.errors++;
      const okKind = e instanceof TypeError || (typeof DOMException !== 'undefined' && e instanceof DOMException);
      if (!okKind) throw new InvariantError(`${where}: threw ${describeError(e)}\n${e && e.stack}`);
      // build() reports a failing op's lowering under the op's name.
      const named = String(e.message).includes(where) || (where === 'build' && ops.some((op) => String(e.message).startsWith(op)));
      if (!named) throw new InvariantError(`${where}: the error does not name it: ${describeError(e)}\n${e && e.stack}`);
      return { ok: false, error: e };
    }
  }

  const dims = () => (R.chance(0.9) ? R.int(1, 4) : R.pick([0, -1, 2 ** 32, 1.5, NaN, 'x', 65536, 2 ** 31, 100000]));
  const randomShape = (rank) => Array.from({ length: rank }, () => (R.chance(0.97) ? R.int(1, 4) : dims()));
  const dataTypeFor = (lim) => (lim && lim.dataTypes && lim.dataTypes.length && R.chance(0.85) ? R.pick(lim.dataTypes) : R.pick(ALL_TYPES));
  const rankFor = (lim) => (lim && lim.rankRange && R.chance(0.9) ? R.int(lim.rankRange.min, Math.min(lim.rankRange.max, 4)) : R.int(0, 5));

  function randomDescriptor(dataType, shape) {
    if (R.chance(0.95)) return { dataType, shape };
    return R.pick([
      { dataType: 'float64', shape }, { shape }, { dataType }, { dataType, shape: 'abc' }, null, 'float32',
      { dataType, shape: [65536, 65536] }, { dataType, shape: [16384, 16384, 4] }, { dataType, shape: [-1] },
      { dataType, shape: [NaN] }, { dataType, shape: [2 ** 32] }, { dataType, dimensions: shape },
    ]);
  }

  function randomData(dataType, n) {
    const T = TYPED[dataType] || Float32Array;
    const a = new T(n);
    for (let k = 0; k < n; k++) {
      if (T === BigInt64Array || T === BigUint64Array) a[k] = BigInt(R.int(0, 5));
      else if (T === Float32Array) a[k] = R.chance(0.05) ? R.pick([NaN, Infinity, -Infinity, 1e-40, -0, 3e38]) : R.f() * 4 - 2;
      else if (T === Uint16Array && dataType === 'float16') a[k] = R.chance(0.05) ? R.pick([0x7e00, 0x7c00, 0x0001]) : 0x3c00;
      else a[k] = R.int(-3, 200);
    }
    return a;
  }

  function detached() {
    const buf = new ArrayBuffer(16);
    const view = new Float32Array(buf);
    structuredClone(buf, { transfer: [buf] });
    return R.chance(0.5) ? buf : view;
  }

  async function addInput(dataType, shape) {
    const name = R.chance(0.97) ? `in${inputs.size}` : R.pick(['', 'in0', 'ü\u{1F600}', 17]);
    const r = await call('input', () => builder.input(name, randomDescriptor(dataType, shape)));
    if (r.ok) {
      const o = { op: r.value, dataType: r.value.dataType, shape: [...r.value.shape], kind: 'input' };
      operands.push(o);
      inputs.set(String(name), o);
      return o;
    }
    return null;
  }

  async function addConstant(dataType, shape) {
    const n = shape.every((d) => Number.isInteger(d) && d > 0 && d < 1e6) ? shape.reduce((a, b) => a * b, 1) : 1;
    if (n > 1 << 16) return null;
    let data = randomData(dataType, n);
    if (R.chance(0.05)) data = R.pick([detached(), new Float32Array(n + 1), 'data', null, new DataView(new ArrayBuffer(n * 4))]);
    const r = R.chance(0.1)
      ? await call('constant', () => builder.constant(dataType, R.pick([1, -1, NaN, 2 ** 40, 3n, 'x'])))
      : await call('constant', () => builder.constant(randomDescriptor(dataType, shape), data));
    if (r.ok) {
      const o = { op: r.value, dataType: r.value.dataType, shape: [...r.value.shape], kind: 'constant' };
      operands.push(o);
      return o;
    }
    return null;
  }

  // A fresh operand for an op argument with these limits (an input or a constant), or an existing one.
  async function operandFor(lim, like) {
    if (operands.length && R.chance(0.45)) {
      const outs = operands.filter((o) => o.kind === 'output');
      return R.pick(outs.length && R.chance(0.6) ? outs : operands);
    }
    const dataType = like && R.chance(0.8) ? like.dataType : dataTypeFor(lim);
    const shape = like && R.chance(0.7) ? like.shape.slice() : randomShape(rankFor(lim));
    return R.chance(0.7) ? addInput(dataType, shape) : addConstant(dataType, shape);
  }

  function wrongKind() {
    return R.pick(['input', 3, NaN, null, undefined, {}, [], foreign, Symbol('s'), 10n, () => 1]);
  }

  function numberFor(kind, member, rank) {
    if (R.chance(0.08)) return R.pick([-1, NaN, Infinity, 2 ** 32, 2 ** 31, 1.5, 'x', null, {}, -0, 1e300, 10n]);
    switch (kind) {
      case 'u32': return member === 'axis' ? R.int(0, Math.max(rank - 1, 0)) : member === 'groups' ? R.pick([1, 1, 2, 3]) : R.int(0, 4);
      case 'i32': return R.int(-3, 3);
      case 'double': return R.pick([0, 1, 0.5, -2, 1e-5, 3]);
      case 'number': return R.pick([0, 1, -1, 6, 0.5, NaN, Infinity, -Infinity, 2n]);
      default: return 0;
    }
  }

  function sequenceFor(kind, member, rank) {
    if (R.chance(0.05)) return R.pick(['1,2', 5, null, { length: 2 }, [NaN, 1], [-1, 1], [2 ** 32, 1]]);
    const hint = SEQ_LENGTH[member];
    const len = hint === 'rank' ? rank : hint !== undefined && R.chance(0.85) ? hint : R.int(0, 4);
    const huge = R.chance(0.04);
    return Array.from({ length: len }, (_, k) => {
      if (huge) return R.pick([2 ** 31, 2 ** 32 - 1, 1e9, 65536]);
      if (member === 'permutation') return (rank - 1 - k + (R.chance(0.1) ? 1 : 0));
      if (member === 'strides' || member === 'dilations' || member === 'windowDimensions') return R.int(1, 3);
      if (kind === 'float[]') return R.pick([1, 2, 0.5]);
      return member === 'padding' ? R.int(0, 2) : R.int(0, 4);
    });
  }

  async function argValue(kind, member, lim, first) {
    const rank = first ? first.shape.length : 2;
    if (kind === 'operand') {
      if (R.chance(0.07)) return wrongKind();
      const o = await operandFor(lim, first);
      return o ? o.op : wrongKind();
    }
    if (kind === 'operand[]') {
      if (R.chance(0.07)) return R.pick([[], wrongKind(), [wrongKind()]]);
      const list = [];
      for (let k = R.int(1, 3); k > 0; k--) {
        const o = await operandFor(lim, first);
        if (o) list.push(o.op);
      }
      return list;
    }
    if (typeof kind === 'object') {
      if (R.chance(0.08)) return R.pick(['bogus', 3, null]);
      if (kind.enum) return R.pick(kind.enum);
      return Array.from({ length: R.int(1, 2) }, () => R.pick(kind.enumSeq));
    }
    switch (kind) {
      case 'u32': case 'i32': case 'double': case 'number': return numberFor(kind, member, rank);
      case 'u32[]': case 'u32mod[]': case 'float[]': return sequenceFor(kind, member, rank);
      case 'u32|u32[]': return R.chance(0.5) ? R.int(1, 3) : sequenceFor('u32[]', member, rank);
      case 'dataType': return R.chance(0.9) ? R.pick(ALL_TYPES) : 'float64';
      case 'boolean': return R.chance(0.5);
      default: return undefined;
    }
  }

  // Op-specific shapes that make valid graphs likely for the few ops with coupled shapes.
  async function coupledOperand(name, argName, first) {
    if (!first || first.shape.length === 0) return undefined;
    const s = first.shape;
    if (name === 'conv2d' && argName === 'filter' && s.length === 4) {
      return addConstant(first.dataType, [R.int(1, 3), s[1], R.int(1, Math.min(2, s[2])), R.int(1, Math.min(2, s[3]))]);
    }
    if ((name === 'matmul' || name === 'gemm') && argName === 'b' && s.length >= 2) {
      const b = s.slice(0, -2).concat([s[s.length - 1], R.int(1, 4)]);
      return R.chance(0.5) ? addConstant(first.dataType, b) : addInput(first.dataType, b);
    }
    return undefined;
  }

  async function addOp() {
    const name = R.pick(ops);
    const sig = api.opSignatures[name];
    const lim = limits[name] || {};
    const args = [];
    let first = null;
    for (const [argName, kind] of sig.args) {
      let v;
      const coupled = kind === 'operand' && first && R.chance(0.8) ? await coupledOperand(name, argName, first) : undefined;
      if (coupled) v = coupled.op;
      else v = await argValue(kind, argName, lim[argName], first);
      if (kind === 'operand' && !first) first = operands.find((o) => o.op === v) || null;
      if (kind === 'operand[]' && !first && Array.isArray(v)) first = operands.find((o) => o.op === v[0]) || null;
      args.push(v);
    }
    const options = {};
    const dict = sig.options;
    if (R.chance(0.6)) {
      const members = dictionaryMembers(api, dict);
      for (const [member, kind] of members) {
        if (!R.chance(0.3)) continue;
        options[member] = await argValue(kind, member, lim[member], first);
      }
    }
    if (R.chance(0.3)) options.label = R.pick(['L1', 'my op', '', 'ünïcødé', 42]);
    let opts = options;
    if (R.chance(0.03)) opts = R.pick(['options', 7, [1]]);
    if (R.chance(0.03)) args.pop();
    const r = await call(name, () => builder[name](...args, opts));
    if (r.ok) {
      const outs = Array.isArray(r.value) ? r.value : [r.value];
      for (const o of outs) operands.push({ op: o, dataType: o.dataType, shape: [...o.shape], kind: 'output' });
    }
  }

  // --- the case: inputs, ops, build, dispatch ---
  for (let k = R.int(0, 2); k > 0; k--) {
    const t = R.pick(ALL_TYPES);
    await addInput(t, randomShape(R.int(0, 4)));
  }
  for (let k = R.int(1, 5); k > 0; k--) await addOp();

  const outs = operands.filter((o) => o.kind === 'output');
  const tooBig = operands.some((o) => bytesOf(o) > MAX_BUILD_BYTES);
  const named = {};
  for (const o of outs) if (R.chance(0.6)) named[`out${Object.keys(named).length}`] = o.op;
  if (outs.length && Object.keys(named).length === 0) named.out0 = outs[outs.length - 1].op;
  if (R.chance(0.05)) named.bad = R.pick([operands.length ? operands[0].op : null, foreign, 'x', null]);
  let built = null;
  if (!tooBig) {
    const r = await call('build', () => builder.build(R.chance(0.03) ? R.pick([null, 'x', {}]) : named));
    if (r.ok) { built = r.value; stats.built++; }
    if (R.chance(0.1)) await call('build', () => builder.build(named)); // a builder builds once
    if (R.chance(0.05)) await call('input', () => builder.input('late', { dataType: 'float32', shape: [1] }));
  }
  if (built) {
    const outNames = Object.keys(named);
    const small = [...inputs.values()].concat(outNames.map((n) => operands.find((o) => o.op === named[n]))).every(
      (o) => o && o.shape.reduce((a, b) => a * b, 1) <= MAX_DISPATCH_ELEMENTS);
    if (small) await dispatchCase(built, outNames, named);
    if (R.chance(0.9)) built.destroy();
    if (R.chance(0.1)) await call('dispatch', () => ctx.dispatch(built, {}, {}));
  }
  for (const t of cleanup) t.destroy();

  async function dispatchCase(graph, outNames, named) {
    const inT = {};
    const outT = {};
    // Only the inputs the graph uses are its inputs: bind those reachable; a missing or extra one
    // is a TypeError naming dispatch, which is fine either way.
    for (const [name, o] of inputs) {
      const r = await call('createTensor', () => ctx.createTensor({ dataType: o.dataType, shape: o.shape, writable: true, readable: R.chance(0.3) }));
      if (!r.ok) return;
      cleanup.push(r.value);
      inT[name] = r.value;
      const n = o.shape.reduce((a, b) => a * b, 1);
      const data = R.chance(0.04) ? R.pick([detached(), new Uint8Array(3), 'x']) : randomData(o.dataType, n);
      await call('writeTensor', () => ctx.writeTensor(r.value, data));
    }
    for (const name of outNames) {
      const o = operands.find((x) => x.op === named[name]);
      const r = await call('createTensor', () => ctx.createTensor({ dataType: o.dataType, shape: o.shape, readable: true }));
      if (!r.ok) return;
      cleanup.push(r.value);
      outT[name] = r.value;
    }
    if (R.chance(0.05) && outNames.length) outT[outNames[0]] = R.pick([cleanup[0], 'x', null]);
    if (R.chance(0.03) && cleanup.length) cleanup[R.int(0, cleanup.length - 1)].destroy();
    // Drop inputs the graph does not use (the engine reports which it has via a failed dispatch).
    let r = await call('dispatch', () => ctx.dispatch(graph, inT, outT));
    for (let k = 0; k < 8 && !r.ok; k++) {
      const m = /inputs\['(.*)'\] is not a graph input/.exec(r.error.message);
      if (!m) break;
      delete inT[m[1]];
      r = await call('dispatch', () => ctx.dispatch(graph, inT, outT));
    }
    if (r.ok) stats.dispatched++;
    for (const name of outNames) {
      if (!outT[name] || typeof outT[name] !== 'object') continue;
      const rr = await call('readTensor', () => ctx.readTensor(outT[name]));
      if (rr.ok && r.ok) {
        const o = operands.find((x) => x.op === named[name]);
        const want = bytesOf(o);
        if (rr.value.byteLength !== want) throw new InvariantError(`readTensor: ${rr.value.byteLength} bytes, expected ${want}`);
      }
    }
  }
}

function dictionaryMembers(api, dictName) {
  return DICTIONARIES[dictName] ? Object.entries(DICTIONARIES[dictName]) : [];
}
