// The CDN build: a page whose only script is `import '<cdn>/…/dist/webnn-wasm.bundle.min.mjs'` (no
// import map, no bundler), with the packed package's dist/ folder — and nothing else of it — served
// by a "CDN": on another origin with CORS, and on the page's own origin. The bundle finds the engine
// files next to itself. In Chromium and Firefox ESR.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './server.mjs';
import { launch, BROWSERS } from './browsers.mjs';
import { cspFor, isCspReport } from './page-cases.mjs';
import { packedProject } from './packed.mjs';
import { SAMPLE_GRAPH_SOURCE } from './sample-graph.mjs';

const BUNDLE = 'webnn-wasm.bundle.min.mjs';
const CDN_PATH = '/npm/webnn-wasm@0.1.0/dist/';
let project;
let site;
const browsers = {};
const servers = [];

// The sample graph (sample-graph.mjs); the named exports come from the same file.
const pageHtml = (bundleUrl) => `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>webnn-wasm from a CDN</title></head>
<body><script type="module">
import { loadedVariant } from '${bundleUrl}';
try {
  ${SAMPLE_GRAPH_SOURCE}
  window.result = { out, variant: context.variant, loadedVariant: loadedVariant(), error: null };
  context.destroy();
} catch (e) {
  window.result = { error: e.name + ': ' + e.message };
}
</script></body></html>
`;

async function serve(options) {
  const requests = [];
  const s = await startServer({ ...options, log: (l) => requests.push(l) });
  servers.push(s);
  return { ...s, requests };
}

// Opens url in the browser, waits for window.result; returns it with the console messages.
async function runPage(browser, url) {
  const tab = await browser.newPage();
  const messages = [];
  tab.onConsole((m) => messages.push(m));
  try {
    await tab.goto(url);
    await tab.waitForFunction(() => !!window.result, 90_000);
    const result = await tab.evaluate(() => window.result);
    return { result, messages, errors: messages.filter((m) => m.type === 'error' || m.type === 'pageerror').map((m) => m.text) };
  } finally {
    await tab.close();
  }
}

before(async () => {
  project = packedProject('cdn-page-');
  // The site: the page, and the package's dist/ folder only (a link into the installed package).
  site = path.join(project.dir, 'site');
  fs.mkdirSync(site);
  fs.symlinkSync(path.join(project.pkgDir, 'dist'), path.join(site, 'cdn'), 'dir');
  for (const name of BROWSERS) browsers[name] = await launch(name);
});
after(async () => {
  for (const b of Object.values(browsers)) await b.close();
  for (const s of servers) await s.close();
  project?.close();
});

test('the bundle is one self-contained ES module: no static import, the engine files by literal URLs next to it', () => {
  const code = fs.readFileSync(path.join(project.pkgDir, 'dist', BUNDLE), 'utf8');
  assert.ok(!/(^|[;}\n])\s*import\s*[\w{*'"]/.test(code), 'no static import statement');
  assert.ok(!code.includes('../dist/'), 'no URL relative to js/');
  for (const v of ['simd-threads', 'simd', 'scalar']) {
    for (const ext of ['wasm', 'mjs', 'js']) assert.ok(code.includes(`new URL("./webnn-wasm-${v}.${ext}",import.meta.url)`), `${v}.${ext}`);
  }
  assert.ok(code.includes('new URL("./webnn-wasm-simd-threads.worker.js",import.meta.url)'));
});

for (const name of BROWSERS) {
  describe(name, () => {
    test(`${name}: a page on one origin, the bundle and dist/ on a CDN origin (CORS), cross-origin isolated: threads, [1, 3]`, async () => {
      const cdn = await serve({ root: project.pkgDir, cors: true, aliases: { [CDN_PATH]: 'dist/' } });
      fs.writeFileSync(path.join(site, 'index.html'), pageHtml(`${cdn.url}${CDN_PATH}${BUNDLE}`));
      const server = await serve({ root: site, coi: true });
      const { result, errors } = await runPage(browsers[name], `${server.url}/`);
      assert.equal(result.error, null, result.error);
      assert.deepEqual(result.out, [1, 3]);
      assert.equal(result.variant, 'simd-threads');
      assert.equal(result.loadedVariant, 'simd-threads');
      assert.deepEqual(errors, []);
      for (const f of [BUNDLE, 'webnn-wasm-simd-threads.mjs', 'webnn-wasm-simd-threads.wasm', 'webnn-wasm-simd-threads.worker.js', 'webnn-wasm-simd-threads.js']) {
        assert.ok(cdn.requests.includes(`GET ${CDN_PATH}${f} 200`), `${f} from the CDN: ${cdn.requests}`);
      }
      assert.ok(cdn.requests.every((r) => r.startsWith(`GET ${CDN_PATH}`)), `only dist/ is fetched: ${cdn.requests}`);
      assert.deepEqual(server.requests.filter((r) => !r.startsWith('GET / ')), [], 'nothing else from the page\'s origin');
    });

    test(`${name}: the bundle and dist/ on the page's own origin, not isolated: the SIMD build, [1, 3]`, async () => {
      fs.writeFileSync(path.join(site, 'index.html'), pageHtml(`/cdn/${BUNDLE}`));
      const server = await serve({ root: site });
      const { result, errors } = await runPage(browsers[name], `${server.url}/`);
      assert.equal(result.error, null, result.error);
      assert.deepEqual(result.out, [1, 3]);
      assert.equal(result.variant, 'simd');
      assert.deepEqual(errors, []);
      assert.ok(server.requests.includes('GET /cdn/webnn-wasm-simd.wasm 200'), server.requests.join('\n'));
      assert.ok(server.requests.every((r) => r.startsWith('GET / ') || r.startsWith('GET /cdn/')), server.requests.join('\n'));
    });

    // The same cross-origin page under a Content-Security-Policy whose worker-src lacks blob: (only
    // 'self'): the threaded build's workers would start from blob: URLs. This hung in Firefox; now the
    // loader gives threads up before starting them: the SIMD build, one warning naming the fix.
    test(`${name}: the CDN page under a strict CSP that forbids blob: workers: the SIMD build with one warning, [1, 3]`, async () => {
      const cdn = await serve({ root: project.pkgDir, cors: true, aliases: { [CDN_PATH]: 'dist/' } });
      const html = pageHtml(`${cdn.url}${CDN_PATH}${BUNDLE}`);
      fs.writeFileSync(path.join(site, 'index.html'), html);
      const server = await serve({ root: site, coi: true, headers: { 'Content-Security-Policy': cspFor(html, { cdn: cdn.url, blobWorkers: false }) } });
      const { result, messages, errors } = await runPage(browsers[name], `${server.url}/`);
      assert.equal(result.error, null, result.error);
      assert.deepEqual(result.out, [1, 3]);
      assert.equal(result.variant, 'simd');
      const warnings = messages.filter((m) => m.type === 'warning' && m.text.startsWith('webnn-wasm'));
      assert.equal(warnings.length, 1, JSON.stringify(messages));
      assert.ok(warnings[0].text.includes("needs blob: allowed in the Content-Security-Policy's worker-src"), warnings[0].text);
      assert.deepEqual(errors.filter((text) => !isCspReport({ text })), []);
    });
  });
}
