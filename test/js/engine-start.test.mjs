// How the threaded engine starts (issue #15, item 3: the TF.js backend's init time): loading the
// engine starts no pthread worker; a context starts the numThreads - 1 workers it needs (none for
// 1 thread), and createContext() does not wait for them to load: the context computes at once on
// its calling thread, and its other threads join when their workers have loaded. Each scenario needs a fresh
// engine, so it runs in a child process; always on the simd-threads build (the only one with
// workers), whichever variant the rest of the run tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { CHECK_MATMUL_SOURCE, runModuleChild } from './child-process.mjs';
import { builtVariants } from './engine-available.mjs';

const skip = !builtVariants.includes('simd-threads') && 'no simd-threads build in dist/';

function runChild(source, timeout = 30000) {
  const indexUrl = new URL('../../js/index.js', import.meta.url).href;
  const engineUrl = new URL('../../js/api/engine.js', import.meta.url).href;
  const loaderUrl = new URL('../../js/loader.js', import.meta.url).href;
  const prologue = `import * as api from ${JSON.stringify(indexUrl)};
import { engine } from ${JSON.stringify(engineUrl)};
import { loadEngine } from ${JSON.stringify(loaderUrl)};
api.setVariant('simd-threads');
const { ml, MLGraphBuilder } = api;
const workers = () => ({ idle: engine.M.PThread.unusedWorkers.length, running: engine.M.PThread.runningWorkers.length });
${CHECK_MATMUL_SOURCE}`;
  return runModuleChild(prologue, source, timeout);
}

function lineOf(out, key) {
  const line = out.split('\n').find((l) => l.startsWith(`${key} `));
  assert.ok(line, `no '${key}' line in:\n${out}`);
  return JSON.parse(line.slice(key.length + 1));
}

test('loading the engine starts no worker; a 1-thread context starts none either', { skip }, () => {
  const r = runChild(`
    const { module } = await loadEngine(4);
    const pt = module.PThread;
    console.log('loaded', JSON.stringify({ idle: pt.unusedWorkers.length, running: pt.runningWorkers.length }));
    const ctx = await ml.createContext({ numThreads: 1 });
    await checkMatmul(ctx, 32, 1);
    console.log('workers', JSON.stringify({ ...workers(), numThreads: ctx.numThreads }));
  `);
  assert.ok(!r.timedOut && r.status === 0, r.out);
  assert.deepEqual(lineOf(r.out, 'loaded'), { idle: 0, running: 0 });
  assert.deepEqual(lineOf(r.out, 'workers'), { idle: 0, running: 0, numThreads: 1 });
});

test('a context starts numThreads - 1 workers and does not wait for them to load; they are kept when it is destroyed', { skip }, () => {
  const r = runChild(`
    const ctx = await ml.createContext({ numThreads: 3 });
    const pt = engine.M.PThread;
    // Resolved with only microtasks since the engine loaded: a worker's "loaded" message (a task)
    // cannot have been handled yet, so none of the context's threads runs.
    const atCreate = { ...workers(), loaded: pt.runningWorkers.filter((w) => w.loaded).length, numThreads: ctx.numThreads };
    await checkMatmul(ctx, 64, 1); // computes before its workers are up
    for (const t0 = Date.now(); pt.runningWorkers.some((w) => !w.loaded) && Date.now() - t0 < 20000;) {
      await new Promise((res) => setTimeout(res, 5));
    }
    const later = { ...workers(), loaded: pt.runningWorkers.filter((w) => w.loaded).length };
    await checkMatmul(ctx, 96, 0.5); // and with them
    const base = api.heapStats().bytesInUse;
    ctx.destroy();
    console.log('atCreate', JSON.stringify(atCreate));
    console.log('later', JSON.stringify(later));
    console.log('afterDestroy', JSON.stringify({ ...workers(), heapFreed: api.heapStats().bytesInUse < base }));
  `);
  assert.ok(!r.timedOut && r.status === 0, r.out);
  assert.deepEqual(lineOf(r.out, 'atCreate'), { idle: 0, running: 2, loaded: 0, numThreads: 3 });
  assert.deepEqual(lineOf(r.out, 'later'), { idle: 0, running: 2, loaded: 2 });
  // destroy() joined both threads (their workers are back in the pool) and freed their stacks.
  assert.deepEqual(lineOf(r.out, 'afterDestroy'), { idle: 2, running: 0, heapFreed: true });
});

// Emscripten 3.1.6 sends a thread its start message when the main thread handles its worker's
// "loaded" reply, a task: a caller that computed synchronously after createContext() never got its
// other threads (a TF.js predict + dataSync loop ran on one). The loader sends it at once instead.
test('a context\'s threads start while its caller computes synchronously, without an event-loop turn', { skip }, () => {
  const r = runChild(`
    const n = 128;
    const ctx = await ml.createContext({ numThreads: 2 });
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float32', shape: [n, n] });
    const g = await b.build({ y: b.matmul(x, x) });
    const xt = await ctx.createTensor({ dataType: 'float32', shape: [n, n], writable: true });
    const yt = await ctx.createTensor({ dataType: 'float32', shape: [n, n], readable: true });
    ctx.writeTensor(xt, new Float32Array(n * n).fill(1));
    // Only microtasks so far: the worker's "loaded" reply has not been handled.
    const loadedHandled = engine.M.PThread.runningWorkers.filter((w) => w.loaded).length;
    // From here synchronous (no await) until both threads run or 20 s have passed.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const t0 = Date.now();
    let running;
    do {
      g.debugProfile(true);
      ctx.dispatch(g, { x: xt }, { y: yt });
      running = /threads running: (\\d+) of (\\d+)/.exec(g.debugProfile(false)).slice(1).map(Number);
      if (running[0] === 2) break;
      Atomics.wait(pause, 0, 0, 5);
    } while (Date.now() - t0 < 20000);
    const ms = Date.now() - t0;
    const y = new Float32Array(await ctx.readTensor(yt));
    console.log('sync', JSON.stringify({ loadedHandled, running, within20s: ms < 20000, correct: y.every((v) => v === n) }));
  `);
  assert.ok(!r.timedOut && r.status === 0, r.out);
  assert.deepEqual(lineOf(r.out, 'sync'), { loadedHandled: 0, running: [2, 2], within20s: true, correct: true });
});

test('by default a context starts a worker per hardware thread but one (at most 15)', { skip }, () => {
  const r = runChild(`
    const ctx = await ml.createContext();
    console.log('workers', JSON.stringify({ ...workers(), numThreads: ctx.numThreads }));
  `);
  assert.ok(!r.timedOut && r.status === 0, r.out);
  const threads = Math.min(os.availableParallelism(), 16);
  assert.deepEqual(lineOf(r.out, 'workers'), { idle: 0, running: threads - 1, numThreads: threads });
});

// The Node loader compiles the .wasm while the glue evaluates and instantiates it through the glue's
// instantiateWasm hook: a file that is not a Wasm module must reject createContext() (naming the
// file), not hang or crash the process with an unhandled rejection, and a later load from the right
// files must work.
test('a corrupt .wasm (or a glue that throws) rejects createContext() with the reason; the engine loads after setWasmPaths(null)', { skip: !builtVariants.includes('simd') && 'no simd build in dist/' }, () => {
  const indexUrl = new URL('../../js/index.js', import.meta.url).href;
  const prologue = `import * as api from ${JSON.stringify(indexUrl)};
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
const { ml, MLGraphBuilder } = api;
${CHECK_MATMUL_SOURCE}`;
  const r = runModuleChild(prologue, `
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'webnn-corrupt-')), 'webnn-wasm-simd.wasm');
    fs.writeFileSync(bad, 'this is not a wasm module');
    api.setVariant('simd');
    api.setWasmPaths({ 'webnn-wasm-simd.wasm': 'file://' + bad });
    const error = await ml.createContext().then(() => null, (e) => e);
    console.log('rejected', JSON.stringify({ name: error?.name, namesFile: !!error?.message.includes(bad), says: /compiling or instantiating/.test(error?.message) }));
    // A glue that throws while the corrupt module compiles: the glue's error, and no unhandled
    // rejection from the compile (Node would end the process on one).
    const badGlue = path.join(path.dirname(bad), 'webnn-wasm-simd.js');
    fs.writeFileSync(badGlue, 'throw new Error("glue exploded");');
    api.setWasmPaths({ 'webnn-wasm-simd.wasm': 'file://' + bad, 'webnn-wasm-simd.js': 'file://' + badGlue });
    const glueError = await ml.createContext().then(() => null, (e) => e);
    await new Promise((resolve) => setTimeout(resolve, 200));   // let the compile fail
    console.log('glue', JSON.stringify({ name: glueError?.name, says: !!glueError?.message.includes('glue exploded') }));
    api.setWasmPaths(null);
    const ctx = await ml.createContext({ numThreads: 1 });
    await checkMatmul(ctx, 16, 1);
    console.log('recovered', JSON.stringify({ variant: ctx.variant }));
  `, 30000);
  assert.ok(!r.timedOut && r.status === 0, r.out);
  assert.deepEqual(lineOf(r.out, 'rejected'), { name: 'NotSupportedError', namesFile: true, says: true });
  assert.deepEqual(lineOf(r.out, 'glue'), { name: 'NotSupportedError', says: true });
  assert.deepEqual(lineOf(r.out, 'recovered'), { variant: 'simd' });
});
