// The page tests, one list run in each browser (page.test.mjs: Chromium, firefox.test.mjs: Firefox
// ESR): examples/web served by a local server gets the variant each kind of page should get and the
// same results as Node; setWasmPaths (same origin and a CDN-like other origin); the error for a wrong
// path; a strict CSP; module workers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { startServer, repoRoot } from './server.mjs';
import { launch, runExamplePage } from './browsers.mjs';
import { expectedResults, assertSameResults } from './expected.mjs';
import { fakeNativeThatRejects, fakeNativeThatWorks } from './fake-native-ml.mjs';

const PAGE = '/examples/web/?runs=5';
const WORKER_PAGE = '/test/browser/fixtures/module-worker.html';
const NATIVE_ML_PAGE = '/test/browser/fixtures/native-ml.html';
// Where a page without a bundler finds an npm-installed package: the tests serve the repository there.
const NPM_INSTALL = { '/node_modules/webnn-wasm/': '' };

// A Content-Security-Policy without 'unsafe-eval' for `htmlFile`: its inline scripts (the import
// map, a module script) are allowed by their hashes, Wasm by 'wasm-unsafe-eval'.
// `cdn`: an origin also allowed for scripts and fetches; `blobWorkers: false` leaves blob: out of
// worker-src (workers from the page's origin only).
export function strictCsp(htmlFile, { cdn = null, blobWorkers = true } = {}) {
  const html = fs.readFileSync(path.join(repoRoot, htmlFile), 'utf8');
  return cspFor(html, { cdn, blobWorkers });
}

export function cspFor(html, { cdn = null, blobWorkers = true } = {}) {
  const hashes = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => `'sha256-${crypto.createHash('sha256').update(m[1]).digest('base64')}'`);
  const self = cdn ? `'self' ${cdn}` : "'self'";
  return [
    `default-src ${self}`, `script-src ${self} 'wasm-unsafe-eval' ${hashes.join(' ')}`, `worker-src 'self'${blobWorkers ? ' blob:' : ''}`,
    "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  ].join('; ');
}

// The browser's own report of a blocked resource (Chromium logs it as a console error).
export const isCspReport = (m) => /Content[- ]Security[- ]Policy/i.test(m.text);

// Records Content-Security-Policy violations into window.cspViolations (an init script).
function recordCspViolations() {
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
}

const errorsIn = (messages) => messages.filter((m) => m.type === 'error' || m.type === 'pageerror');

export function pageTests(browserName) {
  let browser;
  let expected;
  const servers = [];
  async function serve(options) {
    const requests = [];
    const s = await startServer({ ...options, log: (l) => requests.push(l) });
    servers.push(s);
    return { ...s, requests };
  }
  const name = (title) => `${browserName}: ${title}`;

  before(async () => {
    expected = (await expectedResults()).results;
    browser = await launch(browserName);
  });
  after(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
  });

  test(name('a cross-origin-isolated page (COOP/COEP) gets the threaded build, with Node\'s results'), async () => {
    const server = await serve({ coi: true });
    const { page, state, console: messages } = await runExamplePage(browser, server.url + PAGE);
    assert.equal(state.error, null);
    assert.equal(state.crossOriginIsolated, true);
    assert.equal(state.variant, 'wasm-simd-threads');
    assert.ok(state.numThreads >= 1);
    assertSameResults(assert, state.results, expected, 'COOP/COEP page');
    assert.deepEqual(errorsIn(messages), []);
    assert.ok(server.requests.some((r) => r.startsWith('GET /dist/webnn-wasm-simd-threads.worker.js 200')), 'worker script served');
    // Both threads of a new 2-thread context run while the page computes, yielding only briefly every
    // 200 ms. (A browser starts a new Worker only once the page's event loop turns: a page that never
    // yields after createContext() keeps one thread; one that yields ~50 ms once gets the second
    // while it computes, as each thread's start message is sent at once: js/loader.js startThreadsNow.)
    const threads = await page.evaluate(async () => {
      const ctx = await navigator.ml.createContext({ numThreads: 2 });
      const b = new MLGraphBuilder(ctx);
      const graph = await b.build({ y: b.relu(b.input('x', { dataType: 'float32', shape: [4] })) });
      const x = await ctx.createTensor({ dataType: 'float32', shape: [4], writable: true });
      const y = await ctx.createTensor({ dataType: 'float32', shape: [4], readable: true });
      const t0 = performance.now();
      let report = '';
      for (let slice = performance.now(); ; ) {
        graph.debugProfile(true);
        ctx.dispatch(graph, { x }, { y });
        report = graph.debugProfile(false);
        if (report.includes('threads running: 2 of 2') || performance.now() - t0 > 20000) break;
        if (performance.now() - slice > 200) {
          await new Promise((r) => setTimeout(r, 10));
          slice = performance.now();
        }
      }
      ctx.destroy();
      return /threads running: \d+ of \d+/.exec(report)[0];
    });
    assert.equal(threads, 'threads running: 2 of 2');
    // For a look (not committed): build/screenshots/example-web-<browser>.png
    fs.mkdirSync(path.join(repoRoot, 'build/screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, `build/screenshots/example-web-${browserName}.png`) });
    await page.close();
  });

  test(name('a page without COOP/COEP falls back to the SIMD build, warns once, same results'), async () => {
    const server = await serve({ coi: false });
    const { page, state, console: messages } = await runExamplePage(browser, server.url + PAGE);
    assert.equal(state.error, null);
    assert.equal(state.crossOriginIsolated, false);
    assert.equal(state.variant, 'wasm-simd');
    assert.equal(state.numThreads, 1);
    assertSameResults(assert, state.results, expected, 'plain page');
    assert.equal(messages.filter((m) => m.type === 'warning' && m.text.includes('not cross-origin isolated')).length, 1);
    assert.ok(!server.requests.some((r) => r.includes('simd-threads')), 'nothing of the threaded build is fetched');
    await page.close();
  });

  test(name('without WebAssembly SIMD the scalar build loads (feature detection)'), async () => {
    const server = await serve({ coi: true });
    // Every module fails validation: the SIMD probe says no. (The engine itself is compiled, not validated.)
    const init = () => { WebAssembly.validate = () => false; };
    const { page, state } = await runExamplePage(browser, server.url + PAGE, { init });
    assert.equal(state.error, null);
    assert.equal(state.variant, 'wasm-scalar');
    assertSameResults(assert, state.results, expected, 'no-SIMD page');
    await page.close();
  });

  test(name('setWasmPaths: files served from another path of the same origin'), async () => {
    const server = await serve({ coi: true, aliases: { '/cdn/webnn/': 'dist/' } });
    const { page, state } = await runExamplePage(browser, `${server.url}${PAGE}&wasmPaths=/cdn/webnn/`);
    assert.equal(state.error, null);
    assert.equal(state.variant, 'wasm-simd-threads');
    assertSameResults(assert, state.results, expected, 'setWasmPaths page');
    for (const f of ['webnn-wasm-simd-threads.mjs', 'webnn-wasm-simd-threads.js', 'webnn-wasm-simd-threads.wasm', 'webnn-wasm-simd-threads.worker.js']) {
      assert.ok(server.requests.includes(`GET /cdn/webnn/${f} 200`), `${f} from /cdn/webnn/`);
    }
    assert.ok(!server.requests.some((r) => r.startsWith('GET /dist/')), 'nothing from the default location');
    await page.close();
  });

  test(name('setWasmPaths: files on another origin (a CDN with CORS) in an isolated page, threads included'), async () => {
    const server = await serve({ coi: true });
    const cdn = await serve({ cors: true, aliases: { '/webnn-wasm@0.1.0/dist/': 'dist/' } });
    const { page, state } = await runExamplePage(browser, `${server.url}${PAGE}&wasmPaths=${encodeURIComponent(`${cdn.url}/webnn-wasm@0.1.0/dist/`)}`);
    assert.equal(state.error, null);
    assert.equal(state.variant, 'wasm-simd-threads');
    assertSameResults(assert, state.results, expected, 'CDN page');
    assert.ok(cdn.requests.includes('GET /webnn-wasm@0.1.0/dist/webnn-wasm-simd-threads.worker.js 200'));
    assert.ok(!server.requests.some((r) => r.startsWith('GET /dist/')), 'nothing from the default location');
    await page.close();
  });

  test(name('a wrong wasm path fails with an error that names the URL'), async () => {
    const server = await serve({ coi: false });
    const { page, state } = await runExamplePage(browser, `${server.url}${PAGE}&wasmPaths=/nowhere/`);
    assert.equal(state.variant, null);
    assert.match(state.error, /^NotSupportedError: webnn-wasm: could not load any engine build/);
    assert.ok(state.error.includes(`${server.url}/nowhere/webnn-wasm-simd.wasm: HTTP 404`), state.error);
    assert.ok(state.error.includes(`${server.url}/nowhere/webnn-wasm-scalar.wasm: HTTP 404`), state.error);
    assert.ok(state.error.includes("call setWasmPaths('<URL of that folder>/')"), state.error);
    // What the user sees on the page.
    assert.ok((await page.textContent('#error')).includes('/nowhere/webnn-wasm-simd.wasm'));
    await page.close();
  });

  test(name('a strict Content-Security-Policy (no eval) does not stop the threaded build'), async () => {
    const csp = strictCsp('examples/web/index.html');
    const server = await serve({ coi: true, headers: { 'Content-Security-Policy': csp } });
    const { page, state, console: messages } = await runExamplePage(browser, server.url + PAGE, { init: recordCspViolations });
    assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
    assert.equal(state.error, null);
    assert.equal(state.variant, 'wasm-simd-threads');
    assertSameResults(assert, state.results, expected, 'CSP page');
    assert.deepEqual(errorsIn(messages), []);
    await page.close();
  });

  // Engine files on another origin start their workers from blob: URLs; a policy without blob: in
  // worker-src blocks them. A blocked worker never reports back (this hung in Firefox): the loader
  // gives the threaded build up before starting it, the SIMD build runs, one warning says why.
  test(name('a strict CSP without blob: workers and the files on another origin: the SIMD build, one warning, same results'), async () => {
    const cdn = await serve({ cors: true, aliases: { '/webnn-wasm@0.1.0/dist/': 'dist/' } });
    const csp = strictCsp('examples/web/index.html', { cdn: cdn.url, blobWorkers: false });
    const server = await serve({ coi: true, headers: { 'Content-Security-Policy': csp } });
    const { page, state, console: messages } = await runExamplePage(browser, `${server.url}${PAGE}&wasmPaths=${encodeURIComponent(`${cdn.url}/webnn-wasm@0.1.0/dist/`)}`);
    assert.equal(state.error, null);
    assert.equal(state.variant, 'wasm-simd');
    assertSameResults(assert, state.results, expected, 'CSP page without blob: workers');
    const warnings = messages.filter((m) => m.type === 'warning' && m.text.startsWith('webnn-wasm'));
    assert.equal(warnings.length, 1, JSON.stringify(messages));
    assert.ok(warnings[0].text.includes("needs blob: allowed in the Content-Security-Policy's worker-src"), warnings[0].text);
    assert.deepEqual(errorsIn(messages).filter((m) => !isCspReport(m)), []);
    await page.close();
  });

  // A module worker imports the package by URL (import maps do not reach workers); in an isolated
  // page its engine starts its own pthread workers. Also under the strict CSP (the worker's script
  // is served with it too): threads still, no violation, no error.
  for (const { coi, csp } of [{ coi: true, csp: false }, { coi: false, csp: false }, { coi: true, csp: true }]) {
    const title = `in a module worker${coi ? ' of an isolated page: the threaded build' : ': the SIMD build'}${csp ? ', under a strict CSP' : ''}, same results`;
    test(name(title), async () => {
      const headers = csp ? { 'Content-Security-Policy': strictCsp(WORKER_PAGE) } : {};
      const server = await serve({ coi, headers, aliases: NPM_INSTALL });
      const { page, state, console: messages } = await runExamplePage(browser, server.url + WORKER_PAGE, { init: recordCspViolations });
      assert.equal(state.error, null);
      assert.equal(state.crossOriginIsolated, coi);
      assert.equal(state.polyfillInstalled, true);
      assert.equal(state.variant, coi ? 'wasm-simd-threads' : 'wasm-simd');
      if (coi) assert.ok(state.numThreads >= 1);
      assertSameResults(assert, state.results, expected, 'module worker');
      assert.ok(server.requests.includes('GET /node_modules/webnn-wasm/js/polyfill.js 200'), 'the worker imports the package by URL');
      assert.ok(server.requests.some((r) => r.startsWith(`GET /node_modules/webnn-wasm/dist/webnn-wasm-${coi ? 'simd-threads' : 'simd'}.wasm 200`)),
        'the engine found next to the package');
      assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
      assert.deepEqual(errorsIn(messages), []);
      await page.close();
    });
  }

  // A native navigator.ml that cannot run (as Chromium's with the WebNN flag and no backend): the
  // polyfill keeps it and serves the context itself; the page's code (new MLGraphBuilder(context),
  // instanceof) works unchanged, with Node's results.
  test(name('a native navigator.ml whose createContext() rejects with NotSupportedError: webnn-wasm serves the context'), async () => {
    const server = await serve({ coi: true });
    const { page, state, console: messages } = await runExamplePage(browser, server.url + PAGE, { init: fakeNativeThatRejects });
    assert.equal(state.error, null);
    assert.equal(state.variant, 'wasm-simd-threads');
    assertSameResults(assert, state.results, expected, 'page with a failing native navigator.ml');
    assert.deepEqual(await page.evaluate(() => ({
      nativeMlKept: navigator.ml === window.fake.ml,
      builderGlobalDispatches: MLGraphBuilder !== window.fake.MLGraphBuilder && MLGraphBuilder.prototype === window.fake.MLGraphBuilder.prototype,
    })), { nativeMlKept: true, builderGlobalDispatches: true });
    assert.equal(messages.filter((m) => m.text.includes('the native navigator.ml cannot create this context')).length, 1, JSON.stringify(messages));
    assert.deepEqual(errorsIn(messages), []);
    await page.close();
  });

  test(name('a native navigator.ml that works is not replaced: its context, its MLGraphBuilder'), async () => {
    const server = await serve({ coi: true, aliases: NPM_INSTALL });
    const { page, state, console: messages } = await runExamplePage(browser, server.url + NATIVE_ML_PAGE, { init: fakeNativeThatWorks });
    assert.deepEqual(state, {
      error: null, installed: false, fallbacks: 0, variant: null,
      nativeMlKept: true, nativeContext: true, globalsKept: true, nativeBuilder: true,
    });
    assert.ok(!server.requests.some((r) => r.includes('/dist/')), 'the engine is not even loaded');
    assert.deepEqual(errorsIn(messages), []);
    await page.close();
  });

  test(name('a missing pthread worker script: the SIMD build loads instead, and a warning names the URL'), async () => {
    const server = await serve({ coi: true });
    const map = JSON.stringify({ 'webnn-wasm-simd-threads.worker.js': '/nowhere/worker.js' });
    const { page, state, console: messages } = await runExamplePage(browser, `${server.url}${PAGE}&wasmPaths=${encodeURIComponent(map)}`);
    assert.equal(state.error, null);
    assert.equal(state.variant, 'wasm-simd');
    assertSameResults(assert, state.results, expected, 'no-worker page');
    const warning = messages.find((m) => m.type === 'warning' && m.text.includes('better builds failed'));
    assert.ok(warning, JSON.stringify(messages));
    assert.ok(warning.text.includes(`${server.url}/nowhere/worker.js: HTTP 404`), warning.text);
    await page.close();
  });
}
