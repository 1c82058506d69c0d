// Engine limits that a hostile or careless caller can reach: destroy() right after creating a
// context with more threads than the pre-started workers (it waited forever for workers that could
// only start once the event loop turned), absurd numThreads values (an abort, or 10 GB of workers),
// and graphs of 100k nodes (build() was quadratic: 30 s of blocked main thread).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECK_MATMUL_SOURCE, runModuleChild } from './child-process.mjs';
import { engineAvailable } from './engine-available.mjs';
import * as api from '../../js/index.js';

const skip = !engineAvailable && 'no Wasm build in dist/';
const variant = process.env.WEBNN_WASM_VARIANT;
if (variant) api.setVariant(variant);
const { ml, MLGraphBuilder } = api;
const f32 = (shape) => ({ dataType: 'float32', shape });
const MAX_THREADS = 16; // ThreadPool::kMaxThreads (README, docs/reliability.md)

// A deadlock would hang this process, so the scenarios run in a child with a deadline.
function runChild(source, timeout = 20000) {
  const indexUrl = new URL('../../js/index.js', import.meta.url).href;
  const prologue = `import * as api from ${JSON.stringify(indexUrl)};\n` +
    (variant ? `api.setVariant(${JSON.stringify(variant)});\n` : '') +
    'const { ml, MLGraphBuilder } = api;\n' + CHECK_MATMUL_SOURCE;
  return runModuleChild(prologue, source, timeout);
}

test('destroy() right after createContext with more threads than pre-started workers returns', { skip }, () => {
  const r = runChild(`
    for (const numThreads of [6, 8, 16, undefined]) {
      const ctx = await ml.createContext(numThreads === undefined ? {} : { numThreads });
      ctx.destroy(); // no event-loop turn in between: the extra workers have not started
      console.log('destroyed', numThreads);
    }
    // Only microtasks between creation and destroy(): build, dispatch, await readTensor.
    const ctx = await ml.createContext({ numThreads: 6 });
    await checkMatmul(ctx, 64, 1);
    ctx.destroy();
    console.log('destroyed after dispatch');
  `);
  assert.ok(!r.timedOut, `destroy() did not return within 20 s:\n${r.out}`);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /destroyed after dispatch/);
});

test(`numThreads is clamped to ${MAX_THREADS}; the clamped context computes correctly`, { skip }, async () => {
  const r = runChild(`
    for (const n of [2 ** 32 - 1, 100000]) {
      const ctx = await ml.createContext({ numThreads: n });
      console.log('numThreads', n, '->', ctx.numThreads);
      if (n === 2 ** 32 - 1) await checkMatmul(ctx, 128, 0.5);
      ctx.destroy();
    }
  `);
  assert.ok(!r.timedOut, `did not return within 20 s:\n${r.out}`);
  assert.equal(r.status, 0, r.out);
  const ctx = await ml.createContext({ numThreads: 1 });
  const expected = ctx.variant.includes('threads') ? MAX_THREADS : 1;
  ctx.destroy();
  for (const n of [2 ** 32 - 1, 100000]) assert.match(r.out, new RegExp(`numThreads ${n} -> ${expected}\\b`));
});

// CPU seconds of build() (not wall time: CI machines are busy; the context has no worker threads)
// for a graph of n nodes from makeGraph(builder, n) -> outputs.
async function buildSeconds(ctx, n, makeGraph) {
  const b = new MLGraphBuilder(ctx);
  const outputs = makeGraph(b, n);
  const t0 = process.cpuUsage();
  const g = await b.build(outputs);
  const { user, system } = process.cpuUsage(t0);
  return { g, seconds: (user + system) / 1e6 };
}

// The case through the whole API (most of the time goes to the 100k JS op calls). The other
// passes are timed natively on 100k-node graphs (test/native/api/engine_limits.cpp: transposes
// for the memory plan, folded constants, fusions).
test('build() of a 100k-node relu chain is linear (was 30+ s)', { skip }, async () => {
  const ctx = await ml.createContext({ numThreads: 1 });
  const N = 100000;
  // One fused element-wise chain of 100k ops: soleConsumer scanned every node per link.
  const relu = await buildSeconds(ctx, N, (b, n) => {
    let x = b.input('x', f32([4]));
    for (let i = 0; i < n; i++) x = b.relu(x);
    return { y: x };
  });
  console.log(`build of ${N} relus: ${relu.seconds.toFixed(2)} s`);
  // Well under 1 s on an idle machine; the limits leave room for a busy CI.
  assert.ok(relu.seconds < 4, `relu chain: build took ${relu.seconds.toFixed(2)} s`);
  // And it computes: relu^n(x) = relu(x).
  const run = async (g, shape, data) => {
    const xt = await ctx.createTensor({ ...f32(shape), writable: true });
    const yt = await ctx.createTensor({ ...f32(shape), readable: true });
    ctx.writeTensor(xt, new Float32Array(data));
    ctx.dispatch(g, { x: xt }, { y: yt });
    return Array.from(new Float32Array(await ctx.readTensor(yt)));
  };
  assert.deepEqual(await run(relu.g, [4], [-1, 2, -3, 4]), [0, 2, 0, 4]);
  ctx.destroy();
});
