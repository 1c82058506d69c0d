// Chromium with its own WebNN switched on (--enable-features=WebMachineLearningNeuralNetwork): on this
// machine (no backend for it) navigator.ml exists and every createContext() rejects with
// NotSupportedError. The example page, which imports 'webnn-wasm/polyfill', must run on webnn-wasm
// there, with Node's results; in a module worker too. The test first checks that the native ml
// really rejects: were Chromium to run WebNN here, it says so instead of passing for the wrong reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, runExamplePage } from './browsers.mjs';
import { expectedResults, assertSameResults } from './expected.mjs';

let browser;
let expected;
let server;

before(async () => {
  expected = (await expectedResults()).results;
  browser = await launch('chromium', { args: ['--enable-features=WebMachineLearningNeuralNetwork'] });
  server = await startServer({ coi: true, aliases: { '/node_modules/webnn-wasm/': '' } });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// Before the page's scripts: what the native navigator.ml does on its own.
function probeNativeMl() {
  window.nativeMl = navigator.ml;
  window.nativeProbe = !('ml' in navigator) ? Promise.resolve('no navigator.ml')
    : navigator.ml.createContext().then(() => 'resolved', (e) => `${e.name}: ${e.message}`);
}

test('Chromium with the WebNN flag: the native createContext() rejects, and the page runs on webnn-wasm', async () => {
  const { page, state, console: messages } = await runExamplePage(browser, `${server.url}/examples/web/?runs=5`, { init: probeNativeMl });
  assert.match(await page.evaluate(() => window.nativeProbe), /^NotSupportedError: .*WebNN is not supported on this platform/);
  assert.equal(state.error, null);
  assert.equal(state.variant, 'wasm-simd-threads');
  assertSameResults(assert, state.results, expected, 'Chromium with the WebNN flag');
  const check = await page.evaluate(() => ({
    nativeMlKept: navigator.ml === window.nativeMl,
    nativeToString: Object.prototype.toString.call(navigator.ml),
    ownCreateContext: Object.prototype.hasOwnProperty.call(navigator.ml, 'createContext'),
  }));
  assert.deepEqual(check, { nativeMlKept: true, nativeToString: '[object ML]', ownCreateContext: true });
  assert.equal(messages.filter((m) => m.text.includes('the native navigator.ml cannot create this context')).length, 1);
  assert.deepEqual(messages.filter((m) => m.type === 'error' || m.type === 'pageerror'), []);
  await page.close();
});

test('Chromium with the WebNN flag: a module worker (its own native navigator.ml) runs on webnn-wasm, threads included', async () => {
  const { page, state } = await runExamplePage(browser, `${server.url}/test/browser/fixtures/module-worker.html`);
  assert.equal(state.error, null);
  assert.equal(state.polyfillInstalled, false, 'the worker has a native navigator.ml');
  assert.equal(state.variant, 'wasm-simd-threads');
  assertSameResults(assert, state.results, expected, 'module worker with the WebNN flag');
  await page.close();
});
