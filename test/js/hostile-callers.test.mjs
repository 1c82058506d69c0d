// Hostile callers (issue #19, the JS side): arguments whose getters, valueOf, iterators or proxy
// traps destroy, create, grow the Wasm memory or re-enter while the call converts them. Each attack
// of the issue has a regression test here; the seeded caller fuzzer (test/js/hostile-callers-lib.mjs)
// then tries such callers on every entry point. After each, the context must compute correctly and
// the engine heap must be back to its baseline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { engineAvailable } from './engine-available.mjs';
import { runCallerFuzz, checkHealth } from './hostile-callers-lib.mjs';
import * as api from '../../js/index.js';
import { engine } from '../../js/api/engine.js';

const skip = !engineAvailable && 'no Wasm build in dist/';
if (process.env.WEBNN_WASM_VARIANT) api.setVariant(process.env.WEBNN_WASM_VARIANT);
const { ml, MLGraphBuilder } = api;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const f32 = (shape, extra) => ({ dataType: 'float32', shape, ...extra });
const isType = (re) => (e) => e instanceof TypeError && (!re || re.test(e.message));
const isDom = (name, re) => (e) => e instanceof DOMException && e.name === name && (!re || re.test(e.message));
const read = async (ctx, t) => Array.from(new Float32Array(await ctx.readTensor(t)));
const inUse = () => api.heapStats().bytesInUse;

async function tensorOf(ctx, shape, data) {
  const t = await ctx.createTensor(f32(shape, { readable: true, writable: true }));
  if (data) ctx.writeTensor(t, new Float32Array(data));
  return t;
}

// y1 = x + x, y2 = x * x
async function twoOutputGraph(ctx) {
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', f32([4]));
  return b.build({ y1: b.add(x, x), y2: b.mul(x, x) });
}

test('dispatch: an outputs getter that destroys an earlier output is a TypeError, nothing is written (#19.1)', { skip }, async () => {
  const ctx = await ml.createContext({ numThreads: 2 });
  const base = inUse();
  const g = await twoOutputGraph(ctx);
  const x = await tensorOf(ctx, [4], [1, 2, 3, 4]);
  const y1 = await tensorOf(ctx, [4]);
  const y2 = await tensorOf(ctx, [4]);
  ctx.dispatch(g, { x }, { y1, y2 }); // primes the per-slot cache
  let reads = 0;
  assert.throws(() => ctx.dispatch(g, { x }, { y1, get y2() { reads++; y1.destroy(); return y2; } }),
    isType(/dispatch: outputs\['y1'\] is destroyed/));
  assert.equal(reads, 1, 'the getter ran once');
  // y1's freed block is reused as is: a new tensor holds zeros, not the dispatch's result.
  for (let i = 0; i < 4; i++) assert.deepEqual(await read(ctx, await tensorOf(ctx, [4])), [0, 0, 0, 0]);
  const y3 = await tensorOf(ctx, [4]);
  ctx.dispatch(g, { x }, { y1: y3, y2 });
  assert.deepEqual(await read(ctx, y3), [2, 4, 6, 8]);
  assert.deepEqual(await read(ctx, y2), [1, 4, 9, 16]);
  g.destroy();
  for (const t of [x, y2, y3]) t.destroy();
  ctx.destroy();
  await checkHealth(api);
  assert.ok(inUse() <= base, 'engine heap back to its baseline');
});

test('dispatch: a getter that destroys the graph is an InvalidStateError (#19.1)', { skip }, async () => {
  const ctx = await ml.createContext({ numThreads: 1 });
  const g = await twoOutputGraph(ctx);
  const x = await tensorOf(ctx, [4], [1, 2, 3, 4]);
  const y1 = await tensorOf(ctx, [4]);
  const y2 = await tensorOf(ctx, [4]);
  ctx.dispatch(g, { x }, { y1, y2 });
  assert.throws(() => ctx.dispatch(g, { x }, { y1, get y2() { g.destroy(); return y2; } }),
    isDom('InvalidStateError', /dispatch: the graph is destroyed/));
  // ... and one that destroys the context.
  const g2 = await twoOutputGraph(ctx);
  ctx.dispatch(g2, { x }, { y1, y2 });
  assert.throws(() => ctx.dispatch(g2, { get x() { ctx.destroy(); return x; } }, { y1, y2 }),
    isDom('InvalidStateError', /dispatch: the context is destroyed/));
  await checkHealth(api);
});

test('dispatch: a getter that grows the memory and re-enters dispatch does not change what is bound (#19.2)', { skip }, async () => {
  const ctx = await ml.createContext({ numThreads: 2 });
  const base = inUse();
  const b = new MLGraphBuilder(ctx);
  const g = await b.build({ y: b.sub(b.input('a', f32([4])), b.input('b', f32([4]))) });
  const ta = await tensorOf(ctx, [4], [10, 20, 30, 40]);
  const tb = await tensorOf(ctx, [4], [1, 2, 3, 4]);
  const tx = await tensorOf(ctx, [4], [100, 100, 100, 100]);
  const y = await tensorOf(ctx, [4]);
  ctx.dispatch(g, { a: ta, b: tb }, { y });
  const heapBefore = api.heapStats().heapBytes;
  let big = null;
  let reads = 0;
  ctx.dispatch(g, {
    a: ta,
    get b() {
      reads++;
      // 256 MiB: the Wasm memory grows, so every heap view taken before is stale (S, SC: detached).
      big = ctx.createTensor(f32([64 * 2 ** 20]));
      ctx.dispatch(g, { a: tx, b: tb }, { y });
      return tb;
    },
  }, { y });
  assert.equal(reads, 1);
  assert.ok(api.heapStats().heapBytes > heapBefore, 'the memory grew');
  assert.deepEqual(await read(ctx, y), [9, 18, 27, 36], 'the outer dispatch ran on its own inputs');
  (await big).destroy();
  // A plain dispatch after the growth binds the fresh heap.
  ctx.dispatch(g, { a: tx, b: ta }, { y });
  assert.deepEqual(await read(ctx, y), [90, 80, 70, 60]);
  for (const t of [ta, tb, tx, y]) t.destroy();
  g.destroy();
  ctx.destroy();
  assert.ok(inUse() <= base, 'engine heap back to its baseline');
});

// Creates contexts in a frame of its own, so no dead local of the test keeps one reachable.
async function createAndDrop(count, lost) {
  for (let i = 0; i < count; i++) {
    const ctx = await ml.createContext({ numThreads: 2 });
    lost.push(ctx.lost);
    await ctx.createTensor(f32([256 * 1024])); // 1 MiB the context owns
    const b = new MLGraphBuilder(ctx);
    b.constant(f32([1024]), new Float32Array(1024)); // an unbuilt builder's constant
  }
}

// The engine heap in use once a 2-thread context has come and gone (pools and caches warm).
// The heap in use once earlier contexts are gone. A destroyed context's thread that had not started
// yet exits (and gives its stack and worker back) only once it starts: wait for every thread.
async function warmBaseline() {
  (await ml.createContext({ numThreads: 2 })).destroy();
  const pt = engine.M.PThread;
  for (const t0 = Date.now(); pt && pt.runningWorkers.length && Date.now() - t0 < 2000;) {
    await new Promise((r) => setTimeout(r, 1));
  }
  gc();
  return inUse();
}

// Collects garbage until the engine heap is back to `base` or `ms` have passed.
async function collectUntil(base, ms) {
  const t0 = Date.now();
  do { gc(); await new Promise((r) => setTimeout(r, 10)); } while (inUse() > base && Date.now() - t0 < ms);
}

test('dropped contexts are reclaimed: engine memory freed, threads stopped (#19.7)', { skip }, async () => {
  const base = await warmBaseline();
  const pt = engine.M.PThread;
  const lost = [];
  for (let round = 0; round < 10; round++) {
    await createAndDrop(4, lost);
    await collectUntil(base, 5000);
    assert.ok(inUse() <= base, `round ${round}: ${4 * (round + 1)} dropped contexts left ${inUse() - base} bytes of engine heap`);
    if (pt) assert.equal(pt.runningWorkers.length, 0, `round ${round}: threads of dropped contexts still run`);
  }
  // Each dropped context is lost, with a message that says why.
  const messages = await Promise.race([Promise.all(lost), new Promise((r) => setTimeout(r, 1000, null))]);
  assert.ok(messages, 'the lost promises of dropped contexts settle');
  assert.equal(messages.length, 40);
  assert.match(messages[0].message, /garbage-collected/);
  await checkHealth(api);
});

test('a burst of dropped contexts beyond the worker pool: reclaimed, extra workers ended (#19.7)', { skip }, async () => {
  const base = await warmBaseline();
  const pt = engine.M.PThread;
  const pool = pt ? pt.unusedWorkers.length : 0;
  await createAndDrop(12, []); // 12 live at once: 12 threads, more than the preloaded workers
  if (pt) assert.ok(pt.runningWorkers.length >= 12);
  await collectUntil(base, 10000);
  assert.ok(inUse() <= base, `12 dropped contexts left ${inUse() - base} bytes of engine heap`);
  if (pt) {
    assert.equal(pt.runningWorkers.length, 0, 'threads of dropped contexts still run');
    assert.equal(pt.unusedWorkers.length, pool, 'idle workers beyond the preloaded pool were kept');
  }
  await checkHealth(api);
});

test('objects of a context keep it alive: a kept builder, graph or tensor still works after gc', { skip }, async () => {
  const keep = await (async () => {
    const ctx = await ml.createContext({ numThreads: 1 });
    const b = new MLGraphBuilder(ctx);
    return { b, x: b.input('x', f32([2])), lost: ctx.lost };
  })();
  let settled = false;
  keep.lost.then(() => { settled = true; });
  for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => setTimeout(r, 10)); }
  assert.equal(settled, false, 'the context was collected while its builder was reachable');
  const g = await keep.b.build({ y: keep.b.relu(keep.x) });
  assert.match(g.debugPlan(), /steps/);
});

test('an omitted options dictionary reads nothing from Object.prototype (#19.9)', { skip }, async () => {
  const ctx = await ml.createContext({ numThreads: 1 });
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', f32([1, 1, 3, 3]));
  const w = b.constant(f32([1, 1, 2, 2]), new Float32Array([1, 1, 1, 1]));
  Object.prototype.padding = [1, 1, 1, 1];
  Object.prototype.numThreads = 3;
  Object.prototype.readable = true;
  try {
    assert.deepEqual([...b.conv2d(x, w).shape], [1, 1, 2, 2], 'omitted options: no padding');
    assert.deepEqual([...b.conv2d(x, w, undefined).shape], [1, 1, 2, 2]);
    // A given dictionary object is read with [[Get]], inherited members included (Web IDL).
    assert.deepEqual([...b.conv2d(x, w, {}).shape], [1, 1, 4, 4]);
    const c = await ml.createContext();
    assert.notEqual(c.numThreads, 3, 'createContext(): numThreads not taken from Object.prototype');
    c.destroy();
  } finally {
    delete Object.prototype.padding;
    delete Object.prototype.numThreads;
    delete Object.prototype.readable;
  }
  ctx.destroy();
});

test('every dictionary member and the label are read once, in Web IDL order (#19.10)', { skip }, async () => {
  const ctx = await ml.createContext({ numThreads: 1 });
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', f32([1, 1, 3, 3]));
  const w = b.constant(f32([1, 1, 2, 2]), new Float32Array([1, 1, 1, 1]));
  const log = [];
  const traced = (values) => new Proxy(values, {
    get(target, key, receiver) {
      if (typeof key === 'string') log.push(key);
      return Reflect.get(target, key, receiver);
    },
  });
  b.conv2d(x, w, traced({ label: 'c', strides: [1, 1], padding: [0, 0, 0, 0], groups: 1 }));
  // MLOperatorOptions' label first, then MLConv2dOptions' members in lexicographic order.
  assert.deepEqual(log, ['label', 'bias', 'dilations', 'filterLayout', 'groups', 'inputLayout', 'padding', 'strides']);
  log.length = 0;
  let labelReads = 0;
  b.relu(x, { get label() { labelReads++; return 'r'; } });
  assert.equal(labelReads, 1);
  // The label still names the op in messages (read before the op's own members).
  assert.throws(() => b.conv2d(x, w, { label: 'mine', strides: [0] }), isType(/conv2d \[mine\]/));
  await ctx.createTensor(traced(f32([2], { readable: true })));
  assert.deepEqual(log, ['dataType', 'dimensions', 'shape', 'readable', 'writable']);
  log.length = 0;
  // A sequence's @@iterator is read once.
  let iteratorReads = 0;
  const shape = { get [Symbol.iterator]() { iteratorReads++; return [][Symbol.iterator].bind([2, 2]); } };
  await ctx.createTensor({ dataType: 'float32', shape });
  assert.equal(iteratorReads, 1);
  ctx.destroy();
});

test('resizable and growable buffers are TypeErrors where the IDL has no [AllowResizable] (#19.10)', { skip }, async () => {
  const ctx = await ml.createContext({ numThreads: 1 });
  const t = await tensorOf(ctx, [2]);
  const resizable = new ArrayBuffer(8, { maxByteLength: 64 });
  const bad = [resizable, new Float32Array(resizable), new DataView(resizable)];
  if (typeof SharedArrayBuffer === 'function') bad.push(new Float32Array(new SharedArrayBuffer(8, { maxByteLength: 64 })));
  const b = new MLGraphBuilder(ctx);
  for (const data of bad) {
    assert.throws(() => ctx.writeTensor(t, data), isType(/writeTensor: .*(resizable|growable)/));
    await assert.rejects(ctx.readTensor(t, data), isType(/readTensor: .*resizable/));
    await assert.rejects(ctx.createConstantTensor(f32([2]), data), isType(/resizable/));
    assert.throws(() => b.constant(f32([2]), data), isType(/constant: .*resizable/));
  }
  // Fixed-length buffers (shared ones too) still work.
  ctx.writeTensor(t, new Float32Array([3, 4]));
  if (typeof SharedArrayBuffer === 'function') {
    const out = new Float32Array(new SharedArrayBuffer(8));
    await ctx.readTensor(t, out);
    assert.deepEqual(Array.from(out), [3, 4]);
  }
  ctx.destroy();
});

test('buffers are recognized by brand, without running the caller\'s code', { skip }, async () => {
  const ctx = await ml.createContext({ numThreads: 1 });
  const t = await tensorOf(ctx, [2]);
  // An own byteLength getter on a view neither runs nor is believed.
  const view = new Float32Array([5, 6]);
  let ran = false;
  Object.defineProperty(view, 'byteLength', { get() { ran = true; return 4; } });
  ctx.writeTensor(t, view);
  assert.equal(ran, false);
  assert.deepEqual(await read(ctx, t), [5, 6]);
  // Objects that only look like buffers are TypeErrors, and their code does not run.
  const fake = Object.create(ArrayBuffer.prototype, { length: { get() { ran = true; return 8; } } });
  assert.throws(() => ctx.writeTensor(t, fake), isType(/writeTensor: inputData: an object is not an ArrayBuffer/));
  const proxy = new Proxy(new ArrayBuffer(8), { get() { ran = true; }, getPrototypeOf() { ran = true; return ArrayBuffer.prototype; } });
  assert.throws(() => ctx.writeTensor(t, proxy), isType(/not an ArrayBuffer/));
  assert.equal(ran, false);
  ctx.destroy();
});

test('seeded caller fuzzer: hostile records and dictionaries on every entry point', { skip }, async () => {
  const count = Number(process.env.WEBNN_CALLER_FUZZ_COUNT || 1000);
  const seed = Number(process.env.WEBNN_CALLER_FUZZ_SEED || 20261204);
  const stats = await runCallerFuzz(api, { seed, count, gc });
  const summary = `${stats.cases} cases, ${stats.calls} calls, ${stats.hostileRuns} hostile callbacks run, ` +
    `${stats.errors} errors thrown, ${stats.succeeded} calls succeeded`;
  const failures = stats.failures.slice(0, 5).map((f) => `seed ${f.seed}: ${f.failure}`).join('\n');
  assert.equal(stats.failures.length, 0, `${summary}\n${failures}`);
  assert.ok(stats.hostileRuns > count && stats.errors > count / 4 && stats.succeeded > count / 4, `too tame: ${summary}`);
});
