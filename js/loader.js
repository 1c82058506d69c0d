// Finds, picks and instantiates the engine's Wasm build, once, lazily.
//
// Variants, best first: 'simd-threads' (SIMD128 + pthreads), 'simd', 'scalar'. A variant is a
// candidate when the platform can run it: SIMD when a tiny SIMD module validates, threads when
// SharedArrayBuffer exists and (in a browser) the page is crossOriginIsolated. In Node the files
// are read with fs and compiled here (Emscripten 3.1.6 would fetch() a path and fail);
// in a browser the files are found next to this package unless setWasmPaths() says otherwise, and
// the glue is imported as an ES module (dist/*.mjs), which works in pages and in classic and module
// workers alike.

export const VARIANTS = ['simd-threads', 'simd', 'scalar'];

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

let wasmPaths = null; // a URL prefix string, or a map { 'webnn-wasm-scalar.wasm': url, ... }
let loading = null; // Promise<{ module, variant }>
let loaded = null; // { module, variant }
// In Node, WEBNN_WASM_VARIANT=scalar|simd|simd-threads forces a variant (tests run each one).
let forcedVariant = (typeof process === 'object' && process.env && process.env.WEBNN_WASM_VARIANT) || null;
let platformParallelism = 0;

// Logical processors: navigator.hardwareConcurrency, or Node's os.availableParallelism().
export function hardwareThreads() {
  return globalThis.navigator?.hardwareConcurrency || platformParallelism || 4;
}

// (func (result v128) v128.const i32x4 0 0 0 0)
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, // code section: v128.const ...
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0x0b,
]);

export function simdSupported() {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

export function threadsSupported() {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  if (!isNode && globalThis.crossOriginIsolated !== true) return false;
  try {
    // Shared memories need both SharedArrayBuffer and the threads proposal.
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

let warnedIsolation = false;
function warnNotIsolated() {
  if (warnedIsolation || isNode) return;
  warnedIsolation = true;
  if (typeof SharedArrayBuffer === 'undefined' || globalThis.crossOriginIsolated !== true) {
    console.warn('webnn-wasm: the page is not cross-origin isolated; using a single-threaded build. ' +
      'Serve with COOP/COEP headers to enable threads.');
  }
}

// The variants this platform can run, best first.
export function candidateVariants() {
  const simd = simdSupported();
  const threads = threadsSupported();
  if (!threads) warnNotIsolated();
  return VARIANTS.filter((v) => (v.includes('simd') ? simd : true) && (v.includes('threads') ? threads : true));
}

// Override where the .js/.wasm files are found: a prefix ("https://cdn/x/dist/") or a map from
// file name to URL. Must be called before the first createContext().
export function setWasmPaths(prefixOrMap) {
  if (loading) throw new DOMException('setWasmPaths() must be called before the engine loads', 'InvalidStateError');
  if (prefixOrMap !== null && typeof prefixOrMap !== 'string' && typeof prefixOrMap !== 'object') {
    throw new TypeError('setWasmPaths: expected a URL prefix string or a map of file names to URLs');
  }
  wasmPaths = prefixOrMap;
}

// For tests and benchmarks: force one variant (must exist), before the engine loads.
export function setVariant(variant) {
  if (loading) throw new DOMException('setVariant() must be called before the engine loads', 'InvalidStateError');
  if (variant !== null && !VARIANTS.includes(variant)) throw new TypeError(`setVariant: unknown variant '${variant}'`);
  forcedVariant = variant;
}

export function loadedVariant() {
  return loaded ? loaded.variant : null;
}

export function loadedModule() {
  return loaded ? loaded.module : null;
}

// Only literal `new URL('…', import.meta.url)`s, one per file: what bundlers recognise and copy into
// the build. A template (`../dist/${file}`) would make webpack pull in all of dist/ and
// @web/rollup-plugin-import-meta-assets refuse to build.
function defaultUrl(file) {
  switch (file) {
    case 'webnn-wasm-simd-threads.mjs': return new URL('../dist/webnn-wasm-simd-threads.mjs', import.meta.url);
    case 'webnn-wasm-simd.mjs': return new URL('../dist/webnn-wasm-simd.mjs', import.meta.url);
    case 'webnn-wasm-scalar.mjs': return new URL('../dist/webnn-wasm-scalar.mjs', import.meta.url);
    case 'webnn-wasm-simd-threads.js': return new URL('../dist/webnn-wasm-simd-threads.js', import.meta.url);
    case 'webnn-wasm-simd-threads.wasm': return new URL('../dist/webnn-wasm-simd-threads.wasm', import.meta.url);
    case 'webnn-wasm-simd-threads.worker.js': return new URL('../dist/webnn-wasm-simd-threads.worker.js', import.meta.url);
    case 'webnn-wasm-simd.js': return new URL('../dist/webnn-wasm-simd.js', import.meta.url);
    case 'webnn-wasm-simd.wasm': return new URL('../dist/webnn-wasm-simd.wasm', import.meta.url);
    case 'webnn-wasm-scalar.js': return new URL('../dist/webnn-wasm-scalar.js', import.meta.url);
    case 'webnn-wasm-scalar.wasm': return new URL('../dist/webnn-wasm-scalar.wasm', import.meta.url);
    default: throw new TypeError(`webnn-wasm: no engine file named '${file}'`);
  }
}

function urlOf(file) {
  if (wasmPaths && typeof wasmPaths === 'object' && wasmPaths[file]) return new URL(wasmPaths[file], baseHref());
  if (typeof wasmPaths === 'string') return new URL(file, new URL(wasmPaths.endsWith('/') ? wasmPaths : `${wasmPaths}/`, baseHref()));
  return outOfDependencyCache(defaultUrl(file), file);
}

// A dev server's dependency cache (Vite 7 pre-bundles dependencies into node_modules/.vite/deps/)
// serves this file away from the package, so '../dist/<file>' from here lands in the cache folder,
// where no package file ever is. The package's own files are where the same server serves installed
// packages: node_modules/webnn-wasm/dist/, beside the cache. Only the last node_modules/ counts:
// pnpm's store (node_modules/.pnpm/<pkg>/node_modules/webnn-wasm/) is the package itself.
const DEPENDENCY_CACHE = /^(.*\/node_modules\/)\.[^/]+\/(?!.*\/node_modules\/)/;
function outOfDependencyCache(url, file) {
  if (!/^https?:$/.test(url.protocol)) return url;
  const cache = DEPENDENCY_CACHE.exec(url.pathname);
  return cache ? new URL(`${cache[1]}webnn-wasm/dist/${file}`, url) : url;
}

function baseHref() {
  if (typeof location !== 'undefined' && location.href) return location.href;
  return import.meta.url;
}

// Idle pthread workers keep Node's event loop alive; let the process exit without destroy().
export function unrefWorkers(Module) {
  const pt = Module && Module.PThread;
  if (!pt) return;
  for (const w of [...(pt.unusedWorkers || []), ...(pt.runningWorkers || [])]) {
    if (w && typeof w.unref === 'function') w.unref();
  }
}

// Idle pthread workers trimIdleWorkers() keeps for later contexts: as many as the first context's
// threads use (see poolSize()).
let keptWorkers = 0;

// The most threads a context runs (ThreadPool::kMaxThreads).
const MAX_THREADS = 16;

// The workers the first context uses: numThreads - 1 (its default is the hardware's), none for a
// 1-thread context.
function poolSize(firstContextThreads) {
  const threads = firstContextThreads || hardwareThreads();
  return Math.max(0, Math.min(threads, MAX_THREADS) - 1);
}

// The glue could start workers before it compiles the module (-sPTHREAD_POOL_SIZE=Module.webnnPoolSize,
// loaded in the background: -sPTHREAD_POOL_DELAY_LOAD). We start none there: each worker is a thread
// that boots (in Node, a whole Node environment), evaluates the glue and instantiates the module,
// and on a busy machine that work slowed the engine's own start ~2x (docs/tfjs.md, "Backend init
// time"). The context's pthread_create starts its workers instead, once the engine is up; its
// threads join as their workers load.
const GLUE_POOL_SIZE = 0;

// Ends the idle workers beyond keptWorkers: a context that ran more threads than the first one made
// Emscripten start workers that would otherwise idle for the life of the page.
export function trimIdleWorkers(Module) {
  const idle = Module && Module.PThread && Module.PThread.unusedWorkers;
  if (!idle) return;
  while (idle.length > keptWorkers) idle.pop().terminate();
}

// A thread of a destroyed context that had not started yet (destroy() does not wait for it) exits
// once it starts, and only then gives its worker back: trim the pool then too.
function trimWorkersOnReturn(Module) {
  const pt = Module.PThread;
  if (!pt || typeof pt.returnWorkerToPool !== 'function') return;
  const returnWorkerToPool = pt.returnWorkerToPool;
  pt.returnWorkerToPool = function (worker) {
    returnWorkerToPool.call(this, worker);
    trimIdleWorkers(Module);
  };
}

// Puts the idle workers that have loaded the module where pthread_create takes workers from (the
// end of the list), so a new context's threads start in them first. A context does not wait for
// workers: one whose worker is still loading starts when it has loaded (the main thread handles
// that message), and until then the context's other threads do its work (ThreadPool never waits
// for a worker, only for tasks).
export function preferLoadedWorkers(Module) {
  const idle = Module && Module.PThread && Module.PThread.unusedWorkers;
  if (idle) idle.sort((a, b) => Number(!!a.loaded) - Number(!!b.loaded)); // stable: loaded ones last
}

// Sends each new thread's start message to its worker now, behind the worker's load message, instead
// of when the main thread handles the worker's 'loaded' reply (what Emscripten 3.1.6 waits for): that
// needs this thread's event loop, so a program that computes synchronously after createContext() (a
// loop of dispatches, TF.js predict + dataSync) never got its context's other threads. A worker
// handles its messages in order and loads synchronously, so 'run' finds it loaded.
export function startThreadsNow(Module) {
  for (const w of (Module && Module.PThread && Module.PThread.runningWorkers) || []) {
    if (w && typeof w.runPthread === 'function') {
      w.runPthread();
      delete w.runPthread;
    }
  }
}

async function instantiateNode(variant, firstContextThreads) {
  // Specifiers in variables: keep Node built-ins out of browser bundles.
  const modName = 'node:module';
  const fsName = 'node:fs';
  const urlName = 'node:url';
  const { createRequire } = await import(/* @vite-ignore */ /* webpackIgnore: true */ modName);
  const fs = await import(/* @vite-ignore */ /* webpackIgnore: true */ fsName);
  const { fileURLToPath } = await import(/* @vite-ignore */ /* webpackIgnore: true */ urlName);
  const osName = 'node:os';
  const os = await import(/* @vite-ignore */ /* webpackIgnore: true */ osName);
  platformParallelism = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  const jsUrl = urlOf(`webnn-wasm-${variant}.js`);
  const wasmUrl = urlOf(`webnn-wasm-${variant}.wasm`);
  const jsPath = fileURLToPath(jsUrl);
  const wasmPath = fileURLToPath(wasmUrl);
  if (!fs.existsSync(jsPath) || !fs.existsSync(wasmPath)) {
    throw new Error(`webnn-wasm: ${variant} build not found (tried ${jsPath} and ${wasmPath})`);
  }
  // As in a browser (instantiateBrowser), V8 compiles the module on its background threads while
  // this thread evaluates the glue; the glue then instantiates the compiled module.
  const compiling = WebAssembly.compile(fs.readFileSync(wasmPath));
  // Its failure is reported through instantiateWasm below; should require() of the glue throw first,
  // this handler keeps that failed compile from becoming an unhandled rejection that ends the process.
  compiling.catch(() => {});
  const require = createRequire(import.meta.url);
  const factory = require(jsPath);
  let fail;
  const failed = new Promise((resolve, reject) => { fail = reject; });
  const ready = factory({
    webnnPoolSize: GLUE_POOL_SIZE,
    // The pthread worker script and any other file: next to the glue, or where setWasmPaths says.
    locateFile: (file) => fileURLToPath(urlOf(file)),
    instantiateWasm(imports, receive) {
      compiling.then((wasmModule) => WebAssembly.instantiate(wasmModule, imports).then((instance) => receive(instance, wasmModule)))
        .catch((e) => fail(new Error(`webnn-wasm: compiling or instantiating ${wasmPath} failed: ${e.message}`)));
      return {};
    },
  });
  return Promise.race([ready, failed]);
}

function isSameOrigin(url) {
  const here = globalThis.location;
  return !!here && /^https?:$/.test(url.protocol) && url.origin === here.origin;
}

// The browser glue: dist/webnn-wasm-<variant>.mjs is the Emscripten glue with `export default` added
// (scripts/build-wasm.sh), imported as a module: no <script> tag, no global, and it works in module
// workers, which have no importScripts. (The pthread workers still load the classic .js.)
async function importGlue(url) {
  let mod;
  try {
    mod = await import(/* @vite-ignore */ /* webpackIgnore: true */ url.href);
  } catch (e) {
    throw new Error(`webnn-wasm: failed to load ${url.href}: ${e.message}`);
  }
  // Parcel bundles the glue as an app script and drops its export; the glue also leaves the factory
  // under this symbol (scripts/build-wasm.sh), read right after the import that set it.
  const factory = typeof mod.default === 'function' ? mod.default : globalThis[Symbol.for('webnn-wasm.factory')];
  if (typeof factory !== 'function') throw new Error(`webnn-wasm: ${url.href} does not export the engine factory`);
  return factory;
}

// fetch() that reports the URL on a network error or an HTTP error status.
async function fetchOk(href) {
  let response;
  try {
    response = await fetch(href);
  } catch (e) {
    throw new Error(`webnn-wasm: failed to fetch ${href}: ${e.message}`);
  }
  if (!response.ok) throw new Error(`webnn-wasm: failed to fetch ${href}: HTTP ${response.status}`);
  return response;
}

// Like Promise.all, but waits for every promise and, when any failed, throws one error with every
// failure on its own line: a missing file is reported with all the URLs that were not there.
async function settleAll(promises) {
  const results = await Promise.allSettled(promises);
  const failures = results.filter((r) => r.status === 'rejected').map((r) => r.reason?.message ?? String(r.reason));
  if (failures.length) throw new Error(failures.join('\n'));
  return results.map((r) => r.value);
}

async function fetchText(url) {
  return (await fetchOk(url.href)).text();
}

async function checkFetchable(url) {
  (await fetchOk(url.href)).body?.cancel().catch(() => {});
}

// The files the pthread workers need. A Worker must be started from a same-origin URL; the worker
// script may be elsewhere: on a CDN, or inlined by a bundler as a data: URL (Vite inlines files under
// 4 KiB). Then it is fetched and started from a blob: URL, and the glue it loads is handed over as a
// Blob too. Same-origin files are checked first: a worker whose script is missing never reports back,
// and Emscripten would wait for it forever.
const scriptBlobUrl = (text) => URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));

async function threadScripts(jsUrl) {
  const workerUrl = urlOf('webnn-wasm-simd-threads.worker.js');
  const local = (url) => isSameOrigin(url) || url.protocol === 'blob:';
  const workerFromBlob = !local(workerUrl);
  const glueFromBlob = !local(jsUrl);
  const [worker, main] = await settleAll([
    workerFromBlob ? fetchText(workerUrl).then(scriptBlobUrl) : checkFetchable(workerUrl).then(() => workerUrl.href),
    glueFromBlob ? fetchText(jsUrl).then((t) => new Blob([t], { type: 'text/javascript' })) : checkFetchable(jsUrl).then(() => jsUrl.href),
    workerFromBlob || glueFromBlob ? probeBlobWorker(glueFromBlob) : null,
  ]);
  return { worker, main };
}

// A Content-Security-Policy without blob: in worker-src (or in script-src, for the glue a worker
// imports from a Blob) blocks the pthread workers, and a blocked worker never reports back:
// Emscripten 3.1.6 would wait for it forever (it did, in Chromium and Firefox). A probe worker started
// the same way answers at once, or fails (a SecurityError, an error event, or no answer in time), so
// the threaded build is given up before it starts and the next build loads.
const PROBE_TIMEOUT_MS = 10_000;
function probeBlobWorker(glueFromBlob) {
  const glue = glueFromBlob ? scriptBlobUrl('') : null;
  const code = `try { ${glue ? `importScripts(${JSON.stringify(glue)}); ` : ''}postMessage('ok'); } ` +
    'catch (e) { postMessage(String((e && e.message) || e)); }';
  // (When only the glue is a Blob, the real workers start from a same-origin URL; the probe still
  // starts from a blob: URL, so a policy that allows blob: scripts but not blob: workers costs threads.)
  const probe = scriptBlobUrl(code);
  const blocked = (why) => new Error(`webnn-wasm: a worker started from a blob: URL${glue ? ' importing a blob: URL' : ''} failed here (${why}): ` +
    `with its files on another origin, the threaded build needs blob: allowed in the Content-Security-Policy's worker-src${glue ? ' and script-src' : ''}`);
  return new Promise((resolve, reject) => {
    let worker;
    let timer;
    const done = (error) => {
      clearTimeout(timer);
      worker?.terminate();
      URL.revokeObjectURL(probe);
      if (glue) URL.revokeObjectURL(glue);
      if (error) reject(blocked(error)); else resolve();
    };
    try {
      worker = new Worker(probe);
    } catch (e) {
      done(`${e.name}: ${e.message}`);
      return;
    }
    timer = setTimeout(() => done(`no answer in ${PROBE_TIMEOUT_MS / 1000} s`), PROBE_TIMEOUT_MS);
    worker.onmessage = (e) => done(e.data === 'ok' ? null : String(e.data));
    worker.onerror = (e) => { e.preventDefault(); done(e.message || 'an error event'); };
  });
}

async function compileFrom(wasmUrl) {
  const response = await fetchOk(wasmUrl);
  const type = response.headers.get('content-type') || '';
  if (type.startsWith('application/wasm') && WebAssembly.compileStreaming) {
    return WebAssembly.compileStreaming(response);
  }
  // A bundler or server that mislabels the file (or an HTML 404 page): check the magic number.
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error(`webnn-wasm: ${wasmUrl} is not a wasm file (content-type '${type}')`);
  }
  return WebAssembly.compile(bytes);
}

async function instantiateBrowser(variant, firstContextThreads) {
  const glueUrl = urlOf(`webnn-wasm-${variant}.mjs`);
  const jsUrl = urlOf(`webnn-wasm-${variant}.js`); // the classic glue, for the pthread workers
  const wasmUrl = urlOf(`webnn-wasm-${variant}.wasm`).href;
  const threads = variant.includes('threads');
  // All at once; every failure is reported, with its URL (the .wasm fetch names the HTTP status,
  // where a failed import() in Firefox says nothing more than the URL).
  const [wasmModule, factory, scripts] = await settleAll([
    compileFrom(wasmUrl), importGlue(glueUrl), threads ? threadScripts(jsUrl) : null,
  ]);
  let fail;
  const failed = new Promise((resolve, reject) => { fail = reject; });
  const ready = factory({
    webnnPoolSize: GLUE_POOL_SIZE,
    locateFile: (file) => (scripts && file.endsWith('.worker.js') ? scripts.worker : urlOf(file).href),
    mainScriptUrlOrBlob: scripts ? scripts.main : jsUrl.href, // pthread workers load the glue from here
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(wasmModule, imports).then(
        (instance) => receive(instance, wasmModule),
        (e) => fail(new Error(`webnn-wasm: instantiating ${wasmUrl} failed: ${e.message}`)),
      );
      return {};
    },
  });
  return Promise.race([ready, failed]);
}

// For tests: use an already instantiated module (a fake engine) instead of loading one.
export function useModuleForTesting(module, variant) {
  loaded = { module, variant };
  loading = Promise.resolve(loaded);
}

// Vite 7's dev server pre-bundles dependencies into node_modules/.vite/deps/, away from dist/. The
// loader then looks in node_modules/webnn-wasm/dist/ (outOfDependencyCache); when the package is
// not there either (a workspace that hoists it to the root's node_modules/ while Vite's cache is in the
// app's own), this is the one setting that fixes it.
function bundlerHint() {
  if (!import.meta.url.includes('/node_modules/.vite/')) return '';
  return "\nVite's dependency pre-bundling moved webnn-wasm away from its files: add optimizeDeps: { exclude: ['webnn-wasm'] } to the Vite config.";
}

// Loads the engine once; later calls return the same promise. `firstContextThreads` (0: the
// default) sizes the worker pool the engine starts with.
export function loadEngine(firstContextThreads = 0) {
  if (!loading) {
    loading = (async () => {
      const variants = forcedVariant ? [forcedVariant] : candidateVariants();
      const errors = [];
      for (const variant of variants) {
        try {
          const module = isNode ? await instantiateNode(variant, firstContextThreads) : await instantiateBrowser(variant, firstContextThreads);
          unrefWorkers(module);
          keptWorkers = module.PThread ? poolSize(firstContextThreads) : 0;
          trimWorkersOnReturn(module);
          if (errors.length && !isNode) {
            console.warn(`webnn-wasm: using the ${variant} build; the better builds failed:\n  ${errors.join('\n  ')}`);
          }
          loaded = { module, variant };
          return loaded;
        } catch (e) {
          errors.push(...e.message.split('\n'));
        }
      }
      // Most often the files are not where the package expects them (a bundler or server that did
      // not copy dist/): name the setting that fixes it.
      throw new DOMException(`webnn-wasm: could not load any engine build:\n  ${errors.join('\n  ')}\n` +
        "If the engine files (webnn-wasm/dist/webnn-wasm-*) are served from elsewhere, call setWasmPaths('<URL of that folder>/') " +
        `from 'webnn-wasm' before the first createContext().${bundlerHint()}`, 'NotSupportedError');
    })();
    // A failed load can be retried (e.g. after setWasmPaths()).
    loading.catch(() => { loading = null; });
  }
  return loading;
}
