// Makes the threaded-SIMD build of @tensorflow/tfjs-backend-wasm 4.22 work in Node.
//
// Why tfjs never uses threads in Node out of the box (tf-backend-wasm.node.js):
//  1. The flag WASM_HAS_MULTITHREAD_SUPPORT is hard-wired to `false` when
//     IS_NODE (TODO referencing tensorflow/tfjs#3830), so the plain SIMD
//     binary is always chosen. (`crossOriginIsolated` is not consulted; in a
//     browser the SharedArrayBuffer/MessageChannel probe is what needs it.)
//  2. Even with the flag forced on, the Emscripten pthread pool cannot start:
//     the pthread worker script is handed to Emscripten as a `blob:` URL
//     (URL.createObjectURL(new Blob([wasmWorkerContents]))), and Node's
//     worker_threads.Worker only accepts file paths / file: / data: URLs.
//  3. The main script is passed to each worker as `mainScriptUrlOrBlob`, a
//     Blob holding `wasmFactoryThreadedSimd.toString()`. The worker turns it
//     into a blob: URL and `importScripts` it, which in Node is
//     fs.readFileSync(url) -> fails. The stringified factory also refers to
//     bundle-level variables (require$$0, commonjsGlobal, ...) that do not
//     exist in the worker.
//
// The shim (installed before tf.setBackend('wasm')):
//  * wraps globalThis.Blob so that Blobs built from strings remember their text;
//  * writes the factory Blob to a temp .cjs file, prefixed with the bundle
//    variables it needs;
//  * patches URL.createObjectURL so that the worker-script Blob becomes a temp
//    .cjs file path (which worker_threads accepts), with its blob-import branch
//    rewritten to importScripts() the factory file;
// and the caller sets tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true).
//
// A 4th, platform-independent limit: backend.cc caps the XNNPACK pool at
// emscripten_num_logical_cores() / 2 ("2 threads per core"), i.e.
// os.cpus().length / 2 in Node (navigator.hardwareConcurrency / 2 in a
// browser). On a 2-vCPU machine tfjs therefore uses 1 thread whatever
// setThreadsCount() says. withReportedCores() makes os.cpus() report more
// CPUs only while the backend initialises, so setThreadsCount(n) is honoured.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let installed = null;

export function installTfjsNodeThreadShim() {
  if (installed) return installed;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-wasm-threads-'));
  process.on('exit', () => { try { fs.rmSync(dir, { recursive: true, force: true }); } catch {} });
  const state = { dir, factoryFile: null, workerFile: null };

  const OrigBlob = globalThis.Blob;
  class TextBlob extends OrigBlob {
    constructor(parts = [], opts) {
      super(parts, opts);
      if (parts.every((p) => typeof p === 'string')) {
        const text = parts.join('');
        this.__text = text;
        if (text.startsWith('var WasmBackendModuleThreadedSimd =')) {
          const prelude =
            "var require$$0=require('fs'),require$$1=require('path'),require$$3=require('perf_hooks'),require$$4=require('os');" +
            'var commonjsGlobal=globalThis;' +
            `var _scriptDir=${JSON.stringify(path.join(dir, 'factory.cjs'))};\n`;
          state.factoryFile = path.join(dir, 'factory.cjs');
          fs.writeFileSync(state.factoryFile, prelude + text);
        }
      }
    }
  }
  globalThis.Blob = TextBlob;

  const origCreate = URL.createObjectURL;
  URL.createObjectURL = function (blob) {
    const text = blob && blob.__text;
    if (typeof text === 'string' && text.includes('WasmBackendModuleThreadedSimd(Module)')) {
      if (!state.factoryFile) throw new Error('tfjs thread shim: factory blob not seen before worker blob');
      const blobImport = 'var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)';
      if (!text.includes(blobImport)) throw new Error('tfjs thread shim: unexpected worker script (tfjs version changed?)');
      // The Blob text has literal "\n" escapes (tfjs escapes newlines for Blob);
      // eval-ing it inside a JS string literal is what the browser would do.
      const src = text.replace(blobImport, `importScripts(${JSON.stringify(state.factoryFile)})`);
      state.workerFile = path.join(dir, 'worker.cjs');
      fs.writeFileSync(state.workerFile, src);
      return state.workerFile;
    }
    return origCreate.call(this, blob);
  };
  installed = state;
  return state;
}

// Runs fn() (async) while os.cpus() reports at least `n` CPUs.
export async function withReportedCores(n, fn) {
  const orig = os.cpus;
  os.cpus = function () {
    const c = orig.call(os);
    const out = c.slice();
    while (out.length < n) out.push(c[out.length % c.length]);
    return out;
  };
  try { return await fn(); } finally { os.cpus = orig; }
}
