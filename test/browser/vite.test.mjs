// examples/vite: Vite 7 bundles a page that imports 'webnn-wasm/polyfill' untouched (the package is
// linked into examples/vite/node_modules as `npm install` of "file:../.." does). The built page runs in
// Chromium: threads under COOP/COEP, SIMD without, and Node's results either way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, createServer, createLogger } from 'vite';
import { startServer, repoRoot } from './server.mjs';
import { launch, runExamplePage } from './chromium.mjs';
import { expectedResults, assertSameResults } from './expected.mjs';

const exampleDir = path.join(repoRoot, 'examples/vite');
let outDir;
let browser;
let expected;
const servers = [];

before(async () => {
  const link = path.join(exampleDir, 'node_modules/webnn-wasm');
  if (!fs.existsSync(path.join(link, 'package.json'))) {
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.rmSync(link, { force: true });
    fs.symlinkSync('../../..', link, 'dir');
  }
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'webnn-wasm-vite-'));
  await build({ root: exampleDir, configFile: path.join(exampleDir, 'vite.config.js'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
  expected = (await expectedResults()).results;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

test('the Vite build carries the three engine builds as assets', () => {
  const assets = fs.readdirSync(path.join(outDir, 'assets'));
  for (const v of ['simd-threads', 'simd', 'scalar']) {
    assert.ok(assets.some((f) => f.startsWith(`webnn-wasm-${v}-`) && f.endsWith('.wasm')), `${v}.wasm in ${assets}`);
    assert.ok(assets.some((f) => f.startsWith(`webnn-wasm-${v}-`) && f.endsWith('.js')), `${v}.js in ${assets}`);
  }
});

for (const coi of [true, false]) {
  test(`the Vite-built page ${coi ? 'with COOP/COEP runs the threaded build' : 'without COOP/COEP runs the SIMD build'}, with Node's results`, async () => {
    const server = await startServer({ root: outDir, coi });
    servers.push(server);
    const { page, state, console: messages } = await runExamplePage(browser, `${server.url}/?runs=5`);
    assert.equal(state.error, null);
    assert.equal(state.variant, coi ? 'wasm-simd-threads' : 'wasm-simd');
    assertSameResults(assert, state.results, expected, 'Vite page');
    assert.deepEqual(messages.filter((m) => m.type === 'error' || m.type === 'pageerror'), []);
    await page.close();
  });
}

test('the Vite dev server (no optimizeDeps setting: the package is pre-bundled, its dist/ found in node_modules/webnn-wasm/), threads included, no warnings', async () => {
  const warnings = [];
  const logger = createLogger('warn');
  logger.warn = (msg) => warnings.push(msg);
  logger.warnOnce = (msg) => warnings.push(msg);
  const server = await createServer({
    root: exampleDir, configFile: path.join(exampleDir, 'vite.config.js'), customLogger: logger,
    server: { host: '127.0.0.1', port: 0 },
  });
  await server.listen();
  try {
    const url = server.resolvedUrls.local[0];
    const { page, state } = await runExamplePage(browser, `${url}?runs=3`);
    assert.equal(state.error, null);
    assert.equal(state.variant, 'wasm-simd-threads');
    assertSameResults(assert, state.results, expected, 'Vite dev page');
    await page.close();
  } finally {
    await server.close();
  }
  assert.deepEqual(warnings, []);
});
