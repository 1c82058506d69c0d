// The out-of-memory matrix: fill the Wasm heap to its 4 GiB maximum (down to the last ~1 KiB),
// call every API entry point once, and check that each either works (the calls that allocate
// nothing in the heap) or fails with an UnknownError naming the call — never a RuntimeError
// (abort, or a trap from a write through a null pointer), a BindingError or a hang. Then free
// everything and check that the engine is whole again: the heap in use is back to where it was,
// and graphs build and compute correctly, with 4 MB labels and names too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineAvailable } from './engine-available.mjs';
import { fillHeap } from './fill-heap.mjs';
import * as api from '../../js/index.js';

const skip = !engineAvailable && 'no Wasm build in dist/';
if (process.env.WEBNN_WASM_VARIANT) api.setVariant(process.env.WEBNN_WASM_VARIANT);
const { ml, MLGraphBuilder, heapStats } = api;
const f32 = (shape) => ({ dataType: 'float32', shape });
const HUGE = 'n'.repeat(4 << 20); // 4 MB: a label / input name the full heap cannot take


// A small graph (y = relu(x) * 2 + c) and its check, used before and after the heap was full.
async function addReluGraph(ctx, { label = '', inputName = 'x' } = {}) {
  const b = new MLGraphBuilder(ctx);
  const x = b.input(inputName, f32([4]));
  const c = b.constant(f32([4]), new Float32Array([1, 2, 3, 4]));
  const y = b.add(b.mul(b.relu(x, { label }), b.constant('float32', 2)), c);
  return b.build({ y });
}
async function checkComputes(ctx, g, inputName = 'x') {
  const xt = await ctx.createTensor({ ...f32([4]), writable: true });
  const yt = await ctx.createTensor({ ...f32([4]), readable: true });
  ctx.writeTensor(xt, new Float32Array([-1, 1, -2, 2]));
  ctx.dispatch(g, { [inputName]: xt }, { y: yt });
  assert.deepEqual(Array.from(new Float32Array(await ctx.readTensor(yt))), [1, 4, 3, 8]);
  xt.destroy();
  yt.destroy();
}

// Runs fn; it must succeed or throw an UnknownError (a DOMException) naming `call` and saying "out of memory".
async function worksOrUnknownError(name, call, fn, outcomes) {
  try {
    const made = await fn();
    if (made && typeof made.destroy === 'function') made.destroy();
    outcomes.push(`${name}: ok`);
  } catch (e) {
    assert.ok(e instanceof DOMException, `${name}: ${e && e.constructor.name}: ${e && e.message}`);
    assert.equal(e.name, 'UnknownError', `${name}: ${e.message}`);
    assert.match(e.message, new RegExp(`^${call}\\b`), `${name}: the message names the call`);
    assert.match(e.message, /\bout of memory\b/, `${name}: the message says so (isOutOfMemory() in js/api/errors.js reads it)`);
    outcomes.push(`${name}: UnknownError`);
  }
}

async function callEveryEntryPoint(ctx, o, outcomes) {
  const e = (name, call, fn) => worksOrUnknownError(name, call, fn, outcomes);
  await e('ml.createContext', 'createContext', () => ml.createContext());
  await e('ml.createContext({numThreads: 4})', 'createContext', () => ml.createContext({ numThreads: 4 }));
  await e('createTensor(uint8[1024])', 'createTensor', () => ctx.createTensor({ dataType: 'uint8', shape: [1024] }));
  await e('createTensor(float32[4])', 'createTensor', () => ctx.createTensor(f32([4])));
  await e('createConstantTensor', 'createConstantTensor', () => ctx.createConstantTensor(f32([256]), new Float32Array(256)));
  await e('new MLGraphBuilder + input', '(MLGraphBuilder|input)', () => new MLGraphBuilder(ctx).input('x', f32([4])));
  await e('input (4 MB name)', 'input', () => o.openBuilder.input(HUGE, f32([4])));
  await e('constant', 'constant', () => o.openBuilder.constant(f32([256]), new Float32Array(256)));
  await e('constant(scalar)', 'constant', () => o.openBuilder.constant('float32', 1));
  await e('constant(tensor)', 'constant', () => o.openBuilder.constant(o.constantTensor));
  await e('relu (4 MB label)', 'relu', () => o.openBuilder.relu(o.openX, { label: HUGE }));
  await e('conv2d', 'conv2d', () => o.openBuilder.conv2d(o.convInput, o.convFilter));
  await e('a graph of a new builder', '(MLGraphBuilder|input|constant|relu|mul|add|build)', () => addReluGraph(ctx));
  await e('debugPlan', 'debugPlan', () => o.g.debugPlan());
  // Calls that allocate nothing in the heap keep working.
  ctx.writeTensor(o.xt, new Float32Array([-1, 1, -2, 2]));
  ctx.dispatch(o.g, { x: o.xt }, { y: o.yt });
  assert.deepEqual(Array.from(new Float32Array(await ctx.readTensor(o.yt))), [1, 4, 3, 8]);
  const out = new Float32Array(4);
  await ctx.readTensor(o.yt, out);
  assert.deepEqual(Array.from(out), [1, 4, 3, 8]);
  assert.ok(ctx.opSupportLimits().relu);
  // Last: a failed build spends the builder.
  await e('build', 'build', () => o.openBuilder.build({ y: o.openY }));
}

test('out of memory: every entry point fails cleanly, and the engine is whole after freeing', { skip, timeout: 120000 }, async () => {
  const ctx = await ml.createContext();
  // Objects made before the heap fills, for the calls that use existing objects.
  const g = await addReluGraph(ctx);
  const xt = await ctx.createTensor({ ...f32([4]), writable: true, readable: true });
  const yt = await ctx.createTensor({ ...f32([4]), readable: true });
  const constantTensor = await ctx.createConstantTensor(f32([4]), new Float32Array(4));
  // A builder with operands for each round (a failed build spends it).
  const openBuilders = [0, 1].map(() => {
    const openBuilder = new MLGraphBuilder(ctx);
    const openX = openBuilder.input('x', f32([4]));
    return {
      g, xt, yt, constantTensor, openBuilder, openX, openY: openBuilder.relu(openX),
      convInput: openBuilder.input('i', f32([1, 1, 8, 8])),
      convFilter: openBuilder.constant(f32([1, 1, 3, 3]), new Float32Array(9)),
    };
  });
  await checkComputes(ctx, g);
  const before = heapStats().bytesInUse;

  const t0 = performance.now();
  const held = [];
  await fillHeap(ctx, held, 1024);
  const fillSeconds = (performance.now() - t0) / 1000;
  const full = heapStats();
  assert.ok(full.heapBytes > 4 * 2 ** 30 - 2 ** 20 * 64, `the heap grew to ${full.heapBytes} bytes`);

  // Every entry point, at 1 KiB below full and then with not a byte left.
  const rounds = [];
  for (const [round, smallest] of [1024, 1].entries()) {
    await fillHeap(ctx, held, smallest);
    const outcomes = [];
    await callEveryEntryPoint(ctx, openBuilders[round], outcomes);
    rounds.push(`${smallest === 1 ? 'nothing' : '< 1 KiB'} free: ${outcomes.join(', ')}`);
  }
  console.log(`out of memory matrix (${ctx.variant}): filled ${(full.heapBytes / 2 ** 30).toFixed(2)} GiB ` +
    `in ${fillSeconds.toFixed(1)} s\n  ${rounds.join('\n  ')}`);
  const lateBuilder = new MLGraphBuilder(ctx); // its engine object is made at its first call

  // Free everything: the heap in use is back where it was, and everything works again.
  for (const t of held) t.destroy();
  // (builders whose first calls worked keep their few hundred bytes until collected or destroyed)
  const after = heapStats().bytesInUse;
  assert.ok(after - before <= 16384, `${after - before} bytes taken while the heap was full did not come back`);
  await checkComputes(ctx, g);
  await checkComputes(ctx, await addReluGraph(ctx, { label: HUGE, inputName: HUGE }), HUGE);
  const x2 = lateBuilder.input('x', f32([4]));
  assert.ok(await lateBuilder.build({ y: lateBuilder.relu(x2) }));
  const ctx2 = await ml.createContext({ numThreads: 4 });
  await checkComputes(ctx2, await addReluGraph(ctx2));
  ctx2.destroy();
  ctx.destroy();
});
