// A real WebNN client on our navigator.ml: onnxruntime-web's WebNN execution provider
// (executionProviders: [{ name: 'webnn', deviceType: 'cpu' }]) runs the models of ort-models.mjs,
// and each output is compared with onnxruntime-web's own wasm EP on the same inputs.
//
// The WebNN EP must have placed the expected number of ONNX nodes on us (ORT's verbose log:
// "number of nodes supported by WebNN"), and our context must have seen the ops being built and
// dispatched: a run that silently fell back to ORT's CPU kernels fails. The nodes ORT kept, and its
// reasons, are printed as test diagnostics. docs/clients.md describes what this covers.
import v8 from 'node:v8';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineAvailable } from './engine-available.mjs';
import { ortModels } from './ort-models.mjs';

// onnxruntime-web's WebNN-enabled build (ort-wasm-simd-threaded.jsep.wasm, 28 MB) in Node 20: once
// it is instantiated, V8 keeps compiling it with TurboFan in background jobs, and Node's event loop
// waits for those (the main thread sits in NodePlatform::DrainTasks) — over 3 minutes on 2 busy
// cores, during which no timer or promise of this process runs. --no-wasm-tier-up is not enough;
// Liftoff only is, for this test process (our engine's Wasm included).
v8.setFlagsFromString('--liftoff-only');

const require = createRequire(import.meta.url);
let ortAvailable = true;
try { require.resolve('onnxruntime-web'); } catch { ortAvailable = false; }
const skip = !engineAvailable ? 'no Wasm build in dist/ (npm run build)'
  : !ortAvailable ? 'onnxruntime-web (a devDependency) is not installed' : false;

let ort = null;
const seen = { ops: new Map(), dispatches: 0 };
async function setup() {
  if (ort) return ort;
  await import('../../js/polyfill.js'); // honours WEBNN_WASM_VARIANT
  // Count what the client asks of us: builder ops (the methods exist once the engine is loaded)
  // and dispatches.
  const context = await navigator.ml.createContext({ deviceType: 'cpu' });
  const ops = Object.keys(context.opSupportLimits());
  context.destroy();
  for (const name of ops) {
    const method = MLGraphBuilder.prototype[name];
    if (typeof method !== 'function' || name === 'input' || name === 'constant') continue;
    MLGraphBuilder.prototype[name] = function counted(...args) {
      seen.ops.set(name, (seen.ops.get(name) || 0) + 1);
      return method.apply(this, args);
    };
  }
  const dispatch = MLContext.prototype.dispatch;
  MLContext.prototype.dispatch = function counted(...args) {
    seen.dispatches++;
    return dispatch.apply(this, args);
  };
  ort = await import('onnxruntime-web/all');
  ort.env.wasm.numThreads = 1; // no ORT workers: the process exits when the tests end
  ort.env.logLevel = 'error';
  return ort;
}

// ORT's native log goes to fd 2 through fs.writeSync (Emscripten's stderr); captured while `fn` runs.
const fs = require('node:fs');
async function withNativeLog(fn) {
  const writeSync = fs.writeSync;
  const chunks = [];
  fs.writeSync = function capture(fd, buffer, ...rest) {
    if (fd !== 1 && fd !== 2) return writeSync.call(this, fd, buffer, ...rest);
    const text = typeof buffer === 'string' ? buffer
      : Buffer.from(buffer.buffer, buffer.byteOffset + (rest[0] ?? 0), rest[1] ?? buffer.byteLength).toString();
    chunks.push(text);
    return typeof buffer === 'string' ? Buffer.byteLength(buffer) : (rest[1] ?? buffer.byteLength);
  };
  try {
    return { result: await fn(), log: chunks.join('') };
  } finally {
    fs.writeSync = writeSync;
  }
}

// What ORT's WebNN EP decided (its GetCapability and op-support lines).
function placement(log) {
  const totals = [...log.matchAll(/number of nodes in the graph: (\d+) number of nodes supported by WebNN: (\d+)/g)].at(-1);
  const kept = [...log.matchAll(/Operator type: \[(\w+)\] index: \[\d+\] name: \[([^\]]*)\] supported: \[0\]/g)]
    .map((m) => `${m[1]} (${m[2]})`);
  // The reasons: ORT's WebNN op builders and helpers log why an op is not supported.
  const reasons = [...log.matchAll(/\[V:onnxruntime:, (?!helper\.cc:\d+ GetSupportedNodes)[\w.]+:\d+ \w+\] (.*)/g)]
    .map((m) => m[1]).filter((line) => /WebNN|not supported|doesn't|only supports|unsupported/i.test(line) && !/placed on|WebNNExecutionProvider_/.test(line));
  return { nodes: totals ? Number(totals[1]) : -1, onWebnn: totals ? Number(totals[2]) : -1, kept, reasons: [...new Set(reasons)] };
}

function feedsOf(model) {
  const feeds = {};
  for (const [name, f] of Object.entries(model.feeds)) feeds[name] = new ort.Tensor(f.type, f.data, f.dims);
  return feeds;
}

async function runOn(model, ep, logSeverityLevel) {
  const session = await ort.InferenceSession.create(model.bytes, { executionProviders: [ep], logSeverityLevel });
  try {
    return await session.run(feedsOf(model));
  } finally {
    await session.release();
  }
}

// ONNX nodes each model puts on WebNN with onnxruntime-web 1.30.0 (all of them).
const expectedOnWebnn = { cnn: 13, transformer: 41, lstm: 2, gru: 2, audio: 14 };

for (const make of ortModels) {
  const model = make();
  test(`onnxruntime-web WebNN EP on navigator.ml: ${model.name}`, { skip }, async (t) => {
    await setup();
    const expected = await runOn(model, 'wasm', 3);
    const opsBefore = [...seen.ops.values()].reduce((a, b) => a + b, 0);
    const dispatchesBefore = seen.dispatches;
    const { result: actual, log } = await withNativeLog(() => runOn(model, { name: 'webnn', deviceType: 'cpu' }, 0));
    const opsBuilt = [...seen.ops.values()].reduce((a, b) => a + b, 0) - opsBefore;
    const p = placement(log);
    t.diagnostic(`${model.name}: ${p.onWebnn} of ${p.nodes} ONNX nodes on WebNN (${opsBuilt} WebNN ops built, ` +
      `${seen.dispatches - dispatchesBefore} dispatches)` + (p.kept.length ? `; ORT kept ${p.kept.join(', ')}` : ''));
    for (const r of p.reasons) t.diagnostic(`  ORT: ${r}`);

    assert.equal(p.onWebnn, expectedOnWebnn[model.name],
      `ORT placed ${p.onWebnn} of ${p.nodes} nodes on WebNN; kept ${p.kept.join(', ')}: ${p.reasons.join('; ')}`);
    assert.ok(opsBuilt >= p.onWebnn, `only ${opsBuilt} WebNN ops built for ${p.onWebnn} ONNX nodes`);
    assert.ok(seen.dispatches > dispatchesBefore, 'the WebNN EP never dispatched a graph on our context');

    for (const { name, atol, rtol } of model.outputs) {
      const a = actual[name], e = expected[name];
      assert.deepEqual(a.dims, e.dims, `${name}: dims`);
      assert.equal(a.type, e.type, `${name}: type`);
      let worst = 0, at = -1;
      for (let i = 0; i < e.data.length; i++) {
        const x = Number(a.data[i]), y = Number(e.data[i]); // int64 outputs are BigInt64Arrays
        const err = x === y ? 0 : Math.abs(x - y) / (atol + rtol * Math.abs(y));
        if (!(err <= worst)) { worst = err; at = i; }
      }
      assert.ok(worst <= 1, `${model.name} ${name}[${at}]: WebNN EP ${a.data[at]}, wasm EP ${e.data[at]} ` +
        `(atol ${atol}, rtol ${rtol})`);
    }
  });
}
