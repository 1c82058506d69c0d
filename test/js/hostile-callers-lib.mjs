// A seeded fuzzer of hostile *callers* (no test cases here: hostile-callers.test.mjs runs a short
// batch in `npm test`, scripts/fuzz-callers.mjs runs long ones: `npm run fuzz:callers`).
//
// Each case takes a fresh context and calls one API entry point (dispatch, writeTensor, readTensor,
// createTensor, createConstantTensor, createContext, input, constant, build, op methods) with
// arguments whose getters, proxy traps, valueOf/toString or iterators act while the call converts
// them: destroy a tensor, the graph or the context, create tensors, grow the Wasm memory by 64 MiB,
// re-enter dispatch/writeTensor/readTensor/builder methods, spend the builder, or throw. The invariants:
//   - the call succeeds, throws the caller's own exception unchanged, or throws a TypeError or a
//     DOMException whose message names the call;
//   - a call that succeeded used only live objects (nothing it was given had been destroyed by the
//     time it returned) and, for dispatch, computed the right values from what its inputs held;
//   - writeTensor/readTensor run none of the caller's code (their arguments have none to run);
//   - afterwards the context still computes correctly, and once it is destroyed the engine heap is
//     back to its baseline (nothing leaked, nothing freed twice).
// A failure is reported with its case seed, which replays it: runCallerFuzz(api, {seed, count: 1}).

import { mulberry32 } from '../../bench/workloads.mjs';

const F32 = 'float32';

class Rand {
  constructor(seed) { this.next = mulberry32(seed); }
  int(n) { return Math.floor(this.next() * n); }
  chance(p) { return this.next() < p; }
  pick(list) { return list[this.int(list.length)]; }
}

class Caught extends Error {} // what a hostile callback throws on purpose: must come back unchanged

// A small graph run on a context to check it computes: y = relu(2x - 1).
export async function checkHealth(api, context = null) {
  const ctx = context || await api.ml.createContext({ numThreads: 1 });
  const b = new api.MLGraphBuilder(ctx);
  const x = b.input('x', { dataType: F32, shape: [8] });
  const y = b.relu(b.sub(b.mul(x, b.constant(F32, 2)), b.constant(F32, 1)));
  const g = await b.build({ y });
  const xt = await ctx.createTensor({ dataType: F32, shape: [8], writable: true });
  const yt = await ctx.createTensor({ dataType: F32, shape: [8], readable: true });
  const data = Float32Array.from({ length: 8 }, (_, i) => i - 3);
  ctx.writeTensor(xt, data);
  ctx.dispatch(g, { x: xt }, { y: yt });
  const got = new Float32Array(await ctx.readTensor(yt));
  g.destroy(); xt.destroy(); yt.destroy();
  if (!context) ctx.destroy();
  for (let i = 0; i < 8; i++) {
    const want = Math.max(0, 2 * data[i] - 1);
    if (got[i] !== want) throw new Error(`health check: y[${i}] = ${got[i]}, expected ${want}`);
  }
}

// One case's world: a context, tensors with known contents, a graph y = a + b, z = a * b, a builder.
async function makeWorld(api, R, variant) {
  // Some worlds run on 2 threads that split even these 4-element ops (splitAllWork): the workers of
  // earlier contexts are loaded and kept, so after the first such world they start at once.
  const threads = variant === 'simd-threads' && R.chance(0.2) ? 2 : 1;
  const ctx = await api.ml.createContext({ numThreads: threads, splitAllWork: threads > 1 });
  const w = { api, ctx, R, tensors: [], contents: new Map(), pending: [], extraContexts: [], hostileRuns: 0, probes: 0 };
  for (let i = 0; i < 5; i++) await addTensor(w);
  const b = new api.MLGraphBuilder(ctx);
  const a = b.input('a', { dataType: F32, shape: [4] });
  const bb = b.input('b', { dataType: F32, shape: [4] });
  w.graph = await b.build({ y: b.add(a, bb), z: b.mul(a, bb) });
  w.builder = new api.MLGraphBuilder(ctx);
  w.x = w.builder.input('x', { dataType: F32, shape: [1, 1, 4, 4] });
  w.v = w.builder.input('v', { dataType: F32, shape: [4] });
  return w;
}

async function addTensor(w) {
  const t = await w.ctx.createTensor({ dataType: F32, shape: [4], readable: true, writable: true });
  const data = Float32Array.from({ length: 4 }, () => w.R.int(19) - 9);
  w.ctx.writeTensor(t, data);
  w.tensors.push(t);
  w.contents.set(t, data);
  return t;
}

const live = (w, t) => w.contents.has(t);
// Runs f, keeping only the errors the API may throw (a hostile action's own call can fail too).
function attempt(w, f) {
  try {
    const r = f();
    if (r && typeof r.then === 'function') w.pending.push(r.then(() => {}, () => {}));
  } catch (e) {
    checkError(e, null);
  }
}

// What a hostile callback does. Creating calls return promises that settle later: kept in
// w.pending, awaited before the case ends.
const ACTIONS = {
  destroyTensor(w) {
    const t = w.R.pick(w.tensors);
    t.destroy();
    w.contents.delete(t);
  },
  destroyGraph(w) { w.graph.destroy(); },
  destroyContext(w) { w.ctx.destroy(); w.contextDestroyed = true; },
  createTensor(w) { attempt(w, () => w.ctx.createTensor({ dataType: F32, shape: [4] })); },
  growMemory(w) { attempt(w, () => w.ctx.createTensor({ dataType: F32, shape: [16 * 2 ** 20] })); },
  reenterDispatch(w) {
    const [a, b, y, z] = [0, 1, 2, 3].map((i) => w.tensors[i]);
    attempt(w, () => {
      w.ctx.dispatch(w.graph, { a, b }, { y, z });
      // Reached only if it succeeded: its results are now what y and z hold.
      w.contents.set(y, w.contents.get(a).map((v, i) => v + w.contents.get(b)[i]));
      w.contents.set(z, w.contents.get(a).map((v, i) => v * w.contents.get(b)[i]));
    });
  },
  reenterWrite(w) {
    const t = w.R.pick(w.tensors);
    const data = new Float32Array([7, 7, 7, 7]);
    attempt(w, () => { w.ctx.writeTensor(t, data); w.contents.set(t, data); });
  },
  spendBuilder(w) { attempt(w, () => w.builder.build({ o: w.builder.relu(w.v) })); },
  reenterBuilder(w) { attempt(w, () => w.builder.add(w.v, w.v, { label: 'inner' })); },
  reenterRead(w) { attempt(w, () => w.ctx.readTensor(w.R.pick(w.tensors))); },
  throwError() { throw new Caught('thrown by the caller'); },
};
const ACTION_NAMES = Object.keys(ACTIONS);
// Actions that leave the world usable are likelier than ones that end the case's context.
const WEIGHTS = { destroyContext: 0.2, throwError: 0.5, growMemory: 0.5 };

function act(w) {
  let name;
  do name = w.R.pick(ACTION_NAMES); while ((WEIGHTS[name] ?? 1) < w.R.next());
  w.hostileRuns++;
  ACTIONS[name](w);
}

// Hostile forms of a value.
function hostileValue(w, value) {
  const R = w.R;
  if (typeof value === 'number' && R.chance(0.5)) return { valueOf() { act(w); return value; } };
  if (typeof value === 'string' && R.chance(0.5)) return { toString() { act(w); return value; } };
  if (Array.isArray(value) && R.chance(0.5)) {
    return { [Symbol.iterator]() { act(w); return value.map((v) => hostileValue(w, v))[Symbol.iterator](); } };
  }
  return value;
}

// A record or dictionary whose members act when read: getters, or a proxy whose traps act.
function hostileObject(w, members) {
  const R = w.R;
  if (R.chance(0.3)) {
    const trap = () => { if (R.chance(0.3)) act(w); };
    return new Proxy({ ...members }, {
      get(t, k, r) { trap(); return hostileValue(w, Reflect.get(t, k, r)); },
      ownKeys(t) { trap(); return Reflect.ownKeys(t); },
      getOwnPropertyDescriptor(t, k) { trap(); return Reflect.getOwnPropertyDescriptor(t, k); },
      has(t, k) { trap(); return Reflect.has(t, k); },
    });
  }
  const o = {};
  for (const [k, v] of Object.entries(members)) {
    if (R.chance(0.5)) Object.defineProperty(o, k, { get() { act(w); return v; }, enumerable: true });
    else o[k] = hostileValue(w, v);
  }
  return o;
}

// Entry points, one per function (its name names the case): each returns { run: () => result,
// check(result) (what a success must have done), noCallerCode (the call may run none of the
// caller's code), contextFree (it may succeed on a destroyed context), calls (the API names its
// messages may start with, default the function's name) }.
const ENTRIES = [
  function dispatch(w) {
    const [a, b, y, z] = [0, 1, 2, 3].map((i) => w.tensors[i]);
    const ins = { a, b }, outs = { y, z };
    if (w.R.chance(0.7)) ACTIONS.reenterDispatch(w); // binds these tensors once: what the call binds again
    return {
      run: () => {
        const before = { a: w.contents.get(a), b: w.contents.get(b) };
        w.ctx.dispatch(w.graph, hostileObject(w, ins), hostileObject(w, outs));
        return before;
      },
      check: async (before) => {
        for (const t of [a, b, y, z]) if (!live(w, t)) throw new Error('dispatch succeeded with a destroyed tensor');
        if (w.graphDestroyed()) throw new Error('dispatch succeeded with a destroyed graph');
        // The inputs as they were when the call converted its arguments (a re-entrant write may
        // have changed them before the run: the run sees those writes, as the timeline says).
        const A = w.contents.get(a), B = w.contents.get(b);
        const Y = new Float32Array(await w.ctx.readTensor(y));
        const Z = new Float32Array(await w.ctx.readTensor(z));
        for (let i = 0; i < 4; i++) {
          if (Y[i] !== A[i] + B[i] || Z[i] !== A[i] * B[i]) {
            throw new Error(`dispatch computed y=${Y} z=${Z} from a=${A} b=${B} (before the call a=${before.a} b=${before.b})`);
          }
        }
        w.contents.set(y, Y); w.contents.set(z, Z);
      },
    };
  },
  function writeTensor(w) {
    const t = w.tensors[0];
    const data = new Float32Array([1, 2, 3, 4]);
    Object.defineProperty(data, 'byteLength', { get() { act(w); return 16; } });
    return { run: () => w.ctx.writeTensor(t, data), noCallerCode: true, check: () => { w.contents.set(t, new Float32Array([1, 2, 3, 4])); } };
  },
  function readTensor(w) {
    const t = w.tensors[1];
    const out = new Float32Array(4);
    Object.defineProperty(out, 'buffer', { get() { act(w); return new ArrayBuffer(16); } });
    return {
      run: () => w.ctx.readTensor(t, out),
      noCallerCode: true,
      check: () => { if (String(out) !== String(w.contents.get(t))) throw new Error(`readTensor gave ${out}, expected ${w.contents.get(t)}`); },
    };
  },
  function createTensor(w) {
    return { run: () => w.ctx.createTensor(hostileObject(w, { dataType: F32, shape: [2, 2], readable: true, writable: w.R.chance(0.5) })) };
  },
  function createConstantTensor(w) {
    return { run: () => w.ctx.createConstantTensor(hostileObject(w, { dataType: F32, shape: [2, 2] }), new Float32Array(4)) };
  },
  function createContext(w) {
    return {
      run: async () => {
        const c = await w.api.ml.createContext(hostileObject(w, { numThreads: 1, powerPreference: 'default' }));
        w.extraContexts.push(c);
        return c;
      },
      contextFree: true,
    };
  },
  function input(w) {
    return { run: () => w.builder.input(hostileValue(w, `in${w.R.int(1000)}`), hostileObject(w, { dataType: F32, shape: [2, 3] })) };
  },
  function constant(w) {
    if (w.R.chance(0.5)) return { run: () => w.builder.constant(hostileValue(w, F32), hostileValue(w, 1.5)) };
    return { run: () => w.builder.constant(hostileObject(w, { dataType: F32, shape: [2] }), new Float32Array(2)) };
  },
  function build(w) {
    const y = w.builder.relu(w.v);
    return { run: () => w.builder.build(hostileObject(w, { y })) };
  },
  function conv2d(w) {
    const f = w.builder.constant({ dataType: F32, shape: [1, 1, 2, 2] }, new Float32Array(4).fill(1));
    return { run: () => w.builder.conv2d(w.x, f, hostileObject(w, { padding: [1, 1, 0, 0], strides: [1, 1], groups: 1, label: 'c' })) };
  },
  function maxPool2d(w) {
    return { run: () => w.builder.maxPool2d(w.x, hostileObject(w, { windowDimensions: [2, 2], layout: 'nchw', label: 'p' })) };
  },
  function reshape(w) {
    return { run: () => w.builder.reshape(w.v, hostileValue(w, [2, 2]), hostileObject(w, { label: 'r' })) };
  },
  function concat(w) {
    return { run: () => w.builder.concat(hostileValue(w, [w.v, w.v]), hostileValue(w, 0)) };
  },
  function clamp(w) {
    return { run: () => w.builder.clamp(w.v, hostileObject(w, { minValue: 0, maxValue: 2 })) };
  },
  function transpose(w) {
    return { run: () => w.builder.transpose(w.x, hostileObject(w, { permutation: [3, 2, 1, 0] })) };
  },
  function split(w) { // unsigned long or sequence<unsigned long>
    const splits = w.R.chance(0.5) ? 2 : [1, 3];
    return { run: () => w.builder.split(w.v, hostileValue(w, splits), hostileObject(w, { axis: 0 })) };
  },
  function gemm(w) { // an operand member (c), numbers, booleans
    const m = w.builder.reshape(w.v, [2, 2]);
    return { run: () => w.builder.gemm(m, m, hostileObject(w, { c: m, alpha: 2, bTranspose: true, label: 'g' })) };
  },
  function resample2d(w) { // sequence<float>
    return { run: () => w.builder.resample2d(w.x, hostileObject(w, { scales: [2, 2], mode: 'linear' })) };
  },
  function constantTensor(w) { // constant(MLTensor), its tensor made by createConstantTensor
    return {
      run: async () => {
        const t = await w.ctx.createConstantTensor(hostileObject(w, { dataType: F32, shape: [2] }), new Float32Array(2));
        return w.builder.constant(t);
      },
      calls: ['createConstantTensor', 'constant'],
    };
  },
];

// An exception the API may throw: a TypeError or DOMException naming the call (one of `calls`),
// or the caller's own.
function checkError(e, calls) {
  if (e instanceof Caught) return;
  const ok = e instanceof TypeError || (e instanceof DOMException && e.name && e.name !== 'Error');
  if (!ok) throw new Error(`threw ${e && e.constructor && e.constructor.name}: ${e && e.message}`);
  if (calls && !calls.some((c) => String(e.message).includes(c))) throw new Error(`the message does not name ${calls}: ${e.message}`);
}

async function runCase(api, seed, variant, stats, where) {
  const R = new Rand(seed);
  const w = await makeWorld(api, R, variant);
  let graphDestroyed = false;
  const destroyGraph = w.graph.destroy.bind(w.graph);
  w.graph.destroy = () => { graphDestroyed = true; destroyGraph(); };
  w.graphDestroyed = () => graphDestroyed;
  try {
    await runEntry(api, R, w, stats, where);
  } finally {
    if (!w.contextDestroyed) w.ctx.destroy();
    for (const c of w.extraContexts) c.destroy();
  }
}

async function runEntry(api, R, w, stats, where) {
  const entryFn = R.pick(ENTRIES);
  const name = entryFn.name;
  where.entry = name;
  const entry = entryFn(w);
  const runsBefore = w.hostileRuns;
  stats.calls++;
  let ok = false;
  let result;
  try {
    result = await entry.run();
    ok = true;
    stats.succeeded++;
  } catch (e) {
    stats.errors++;
    checkError(e, entry.calls || [name]);
  }
  if (entry.noCallerCode && w.hostileRuns !== runsBefore) throw new Error(`${name} ran the caller's code`);
  if (ok) {
    if (!entry.contextFree && w.contextDestroyed) throw new Error(`${name} succeeded on a destroyed context`);
    if (BUILDER_ENTRIES.has(name) && builderSpent(w)) throw new Error(`${name} succeeded on a builder that had built its graph`);
    if (entry.check) await entry.check(result);
  }
  await Promise.all(w.pending);
  stats.hostileRuns += w.hostileRuns;
  if (!w.contextDestroyed) {
    // Every live tensor holds what it should, then the context still computes.
    for (const [t, data] of w.contents) {
      const got = new Float32Array(await w.ctx.readTensor(t));
      if (String(got) !== String(data)) throw new Error(`tensor holds ${got}, expected ${data}`);
    }
    await checkHealth(api, w.ctx);
  }
}

// The builder methods other than build(): succeeding on a spent builder is a bug.
const BUILDER_ENTRIES = new Set(['input', 'constant', 'conv2d', 'maxPool2d', 'reshape', 'concat', 'clamp', 'transpose',
  'split', 'gemm', 'resample2d', 'constantTensor']);
function builderSpent(w) {
  try {
    w.builder.input(`probe${w.probes++}`, { dataType: F32, shape: [1] });
    return false;
  } catch (e) {
    return /already built/.test(e.message);
  }
}

// The engine heap once it is back at `baseline`, or after `ms`. A destroyed context's threads that
// had not started yet (destroy() does not wait for them) exit once they start, and the main thread
// frees their stacks when it handles their exit: that takes a few turns of the event loop.
async function heapSettled(api, baseline, ms = 2000) {
  const t0 = Date.now();
  while (api.heapStats().bytesInUse > baseline && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 1));
  return api.heapStats().bytesInUse;
}

export async function runCallerFuzz(api, { seed = 1, count = 100, gc = null, variant = null } = {}) {
  const v = variant || (await api.ml.createContext({ numThreads: 1 }).then((c) => { c.destroy(); return c.variant; }));
  await checkHealth(api);
  if (gc) gc();
  let baseline = api.heapStats().bytesInUse;
  const next = mulberry32(seed);
  const stats = { cases: 0, calls: 0, errors: 0, succeeded: 0, hostileRuns: 0, failures: [] };
  for (let i = 0; i < count; i++) {
    const caseSeed = (count === 1 ? seed : Math.floor(next() * 2 ** 32)) >>> 0;
    stats.cases++;
    const where = { entry: '' };
    try {
      await runCase(api, caseSeed, v, stats, where);
      const now = await heapSettled(api, baseline);
      if (now > baseline) {
        const grown = now - baseline;
        baseline = now; // report each leak once
        throw new Error(`the case left ${grown} bytes on the engine heap`);
      }
    } catch (e) {
      baseline = api.heapStats().bytesInUse; // a failed case may not have cleaned up
      const failure = e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : String(e);
      stats.failures.push({ seed: caseSeed, entry: where.entry, failure: `${where.entry}: ${failure}` });
    }
  }
  return stats;
}
