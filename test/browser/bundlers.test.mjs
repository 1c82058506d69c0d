// The bundler matrix: a fresh project with the packed package installed (test/browser/packed.mjs),
// one tiny page that imports 'webnn-wasm/polyfill' and runs a graph, built (or served) by each
// bundler exactly as the README says — no copy step or config, except the documented esbuild line —
// and run in Chromium under COOP/COEP: the threaded build, the right numbers, no
// console errors. Builds run one after another (2 cores).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './server.mjs';
import { launch } from './chromium.mjs';
import { packedProject } from './packed.mjs';
import { SAMPLE_GRAPH_SOURCE } from './sample-graph.mjs';

const TIMEOUT = 150_000;
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

const EXPECTED = [1, 3]; // relu([1+3, 2+4] - 3), the sample graph's answer
const MAIN_JS = `import 'webnn-wasm/polyfill';

async function run() {
  ${SAMPLE_GRAPH_SOURCE}
  const variant = context.variant;
  context.destroy();
  return { out, variant };
}

run().then(
  (r) => { document.body.textContent = JSON.stringify(r); window.result = { ...r, error: null }; },
  (e) => { document.body.textContent = e.message; window.result = { error: e.name + ': ' + e.message }; },
);
`;
const page = (src, type = 'module') => `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>webnn-wasm bundler page</title></head>
<body><script ${type ? `type="${type}" ` : ''}src="${src}"></script></body></html>
`;

// What the README tells esbuild users to run after bundling into www/.
export const ESBUILD_COPY = 'mkdir -p www/dist && cp node_modules/webnn-wasm/dist/webnn-wasm-* www/dist/';
let project;
let dir;
let browser;
let require;

before(async () => {
  project = packedProject('webnn-wasm-bundlers-');
  dir = project.dir;
  require = createRequire(path.join(dir, 'package.json')); // the bundlers as the project resolves them
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src/main.js'), MAIN_JS);
  fs.writeFileSync(path.join(dir, 'index.html'), page('./src/main.js'));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  project?.close();
});

// Opens url, waits for window.result; returns it with the console errors and uncaught exceptions.
async function runPage(url) {
  const tab = await browser.context.newPage();
  const errors = [];
  tab.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  tab.on('pageerror', (e) => errors.push(e.message));
  try {
    await tab.goto(url);
    await tab.waitForFunction(() => window.result, null, { timeout: 90_000 });
    return { result: await tab.evaluate(() => window.result), errors };
  } finally {
    await tab.close();
  }
}

// Serves a build folder under COOP/COEP and runs its index.html.
async function runBuilt(outDir) {
  const requests = [];
  const server = await startServer({ root: outDir, coi: true, log: (l) => requests.push(l) });
  try {
    return { ...(await runPage(`${server.url}/`)), requests, origin: server.url };
  } finally {
    await server.close();
  }
}

function assertRan({ result, errors }, where) {
  assert.equal(result.error, null, `${where}: ${result.error}`);
  assert.deepEqual(result.out, EXPECTED, where);
  assert.equal(result.variant, 'simd-threads', `${where}: the threaded build (COOP/COEP)`);
  assert.deepEqual(errors, [], `${where}: console errors`);
}

// The three builds' .wasm and .mjs glue are in the output (hashed names; webpack keeps no name), and
// nothing else of dist/ (a template `new URL` once made webpack copy the whole folder).
function assertEngineAssets(outDir, where) {
  const files = fs.readdirSync(outDir, { recursive: true }).map(String);
  assert.equal(files.filter((f) => f.endsWith('.wasm')).length, 3, `${where}: three .wasm in ${files}`);
  assert.equal(files.filter((f) => f.endsWith('.mjs')).length, 3, `${where}: three .mjs glue files in ${files}`);
  assert.ok(!files.some((f) => f.endsWith('.json')), `${where}: no .json from dist/ in ${files}`);
}

async function viteBuild(vite, outName) {
  const outDir = path.join(dir, outName);
  await vite.build({ root: dir, configFile: false, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  assertEngineAssets(outDir, outName);
  return outDir;
}

// A Vite dev server on the project (the COOP/COEP headers are the only setting, for threads).
async function viteDev(vite, extraConfig = {}, root = dir) {
  fs.rmSync(path.join(root, 'node_modules/.vite'), { recursive: true, force: true }); // a first start, as a new user's
  const requests = [];
  // Records every request the page makes (a configureServer hook runs before Vite's own middlewares).
  const logRequests = { name: 'log-requests', configureServer: (s) => { s.middlewares.use((req, res, next) => { requests.push(`${req.method} ${req.url}`); next(); }); } };
  const server = await vite.createServer({
    root, configFile: false, logLevel: 'error', server: { host: '127.0.0.1', port: 0, headers: ISOLATION }, plugins: [logRequests], ...extraConfig,
  });
  await server.listen();
  try {
    return { ...(await runPage(server.resolvedUrls.local[0])), requests };
  } finally {
    await server.close();
  }
}

test('Vite 7 build: no config', { timeout: TIMEOUT }, async () => {
  const vite = await import(require.resolve('vite'));
  assert.match(vite.version, /^7\./);
  assertRan(await runBuilt(await viteBuild(vite, 'out-vite7')), 'Vite 7 build');
});

// Vite 7 pre-bundles the package into node_modules/.vite/deps/ (esbuild), away from dist/: the loader
// finds the files in node_modules/webnn-wasm/dist/, where the dev server serves the installed package.
test('Vite 7 dev server: no config (the loader finds dist/ from the pre-bundled deps)', { timeout: TIMEOUT }, async () => {
  const vite = await import(require.resolve('vite'));
  const run = await viteDev(vite);
  assertRan(run, 'Vite 7 dev');
  assert.ok(run.requests.some((r) => /^GET \/node_modules\/\.vite\/deps\/webnn-wasm_polyfill\.js/.test(r)), `pre-bundled: ${run.requests}`);
  assert.ok(run.requests.includes('GET /node_modules/webnn-wasm/dist/webnn-wasm-simd-threads.wasm'), `dist/ of the installed package: ${run.requests}`);
});

// A workspace: the app is a package of its own (so Vite's cache is app/node_modules/.vite/), the
// package hoisted to the parent's node_modules/, which the dev server serves only through /@fs/
// paths the loader cannot guess. The error says what fixes it, and that fix works.
test('Vite 7 dev server, package hoisted out of the app\'s node_modules: the error names optimizeDeps.exclude, which then works', { timeout: TIMEOUT }, async (t) => {
  const vite = await import(require.resolve('vite'));
  const app = path.join(dir, 'app');
  fs.mkdirSync(path.join(app, 'src'), { recursive: true });
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  // The parent is the workspace root (Vite's server.fs.allow then includes its node_modules/).
  const rootJson = path.join(dir, 'package.json');
  const rootPkg = fs.readFileSync(rootJson, 'utf8');
  fs.writeFileSync(rootJson, JSON.stringify({ ...JSON.parse(rootPkg), workspaces: ['app'] }));
  t.after(() => fs.writeFileSync(rootJson, rootPkg));
  fs.writeFileSync(path.join(app, 'src/main.js'), MAIN_JS);
  fs.writeFileSync(path.join(app, 'index.html'), page('./src/main.js'));
  const without = await viteDev(vite, {}, app);
  assert.match(without.result.error, /^NotSupportedError: webnn-wasm: could not load any engine build/);
  assert.ok(without.result.error.includes('/node_modules/webnn-wasm/dist/webnn-wasm-simd-threads.wasm'), without.result.error);
  assert.ok(without.result.error.includes("add optimizeDeps: { exclude: ['webnn-wasm'] } to the Vite config"), without.result.error);
  assertRan(await viteDev(vite, { optimizeDeps: { exclude: ['webnn-wasm'] } }, app), 'Vite 7 dev, parent node_modules, optimizeDeps.exclude');
});

test('Vite 8 build: no config', { timeout: TIMEOUT }, async () => {
  const vite = await import(require.resolve('vite-8'));
  assert.match(vite.version, /^8\./);
  assertRan(await runBuilt(await viteBuild(vite, 'out-vite8')), 'Vite 8 build');
});

test('Vite 8 dev server: no config', { timeout: TIMEOUT }, async () => {
  const vite = await import(require.resolve('vite-8'));
  assertRan(await viteDev(vite), 'Vite 8 dev');
});

test('webpack 5 (production): no config', { timeout: TIMEOUT }, async () => {
  const webpack = require('webpack');
  assert.match(webpack.version, /^5\./);
  const outDir = path.join(dir, 'out-webpack');
  const stats = await new Promise((resolve, reject) => webpack({
    mode: 'production', context: dir, entry: './src/main.js', output: { path: outDir, filename: 'main.js' },
  }, (e, s) => (e ? reject(e) : resolve(s))));
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  assertEngineAssets(outDir, 'webpack');
  fs.writeFileSync(path.join(outDir, 'index.html'), page('./main.js', null));
  assertRan(await runBuilt(outDir), 'webpack build');
});

test('Rollup 4 + @rollup/plugin-node-resolve + @web/rollup-plugin-import-meta-assets: no config beyond the plugins', { timeout: TIMEOUT }, async () => {
  const { rollup, VERSION } = require('rollup');
  assert.match(VERSION, /^4\./);
  const { nodeResolve } = require('@rollup/plugin-node-resolve');
  const { importMetaAssets } = require('@web/rollup-plugin-import-meta-assets');
  const warnings = [];
  const bundle = await rollup({ input: path.join(dir, 'src/main.js'), plugins: [nodeResolve(), importMetaAssets()], onwarn: (w) => warnings.push(w.message) });
  const outDir = path.join(dir, 'out-rollup');
  await bundle.write({ dir: outDir, format: 'es' });
  await bundle.close();
  assert.deepEqual(warnings, []);
  assertEngineAssets(outDir, 'Rollup');
  fs.writeFileSync(path.join(outDir, 'index.html'), page('./main.js'));
  assertRan(await runBuilt(outDir), 'Rollup build');
});

test('esbuild: without the copy line the page fails with every URL tried and setWasmPaths; with it, it runs', { timeout: TIMEOUT }, async () => {
  const esbuild = require('esbuild');
  const outDir = path.join(dir, 'www');
  // The README's command: esbuild src/main.js --bundle --format=esm --outdir=www
  await esbuild.build({ entryPoints: [path.join(dir, 'src/main.js')], bundle: true, format: 'esm', outdir: outDir, logLevel: 'error' });
  fs.writeFileSync(path.join(outDir, 'index.html'), page('./main.js'));

  const missing = await runBuilt(outDir);
  assert.match(missing.result.error, /^NotSupportedError: webnn-wasm: could not load any engine build:\n/);
  const tried = [
    'simd-threads.wasm', 'simd-threads.mjs', 'simd-threads.worker.js', 'simd-threads.js',
    'simd.wasm', 'simd.mjs', 'scalar.wasm', 'scalar.mjs',
  ].map((f) => `${missing.origin}/dist/webnn-wasm-${f}`);
  for (const url of tried) {
    assert.ok(missing.result.error.includes(url), `the error names ${url}:\n${missing.result.error}`);
    assert.ok(missing.requests.includes(`GET ${new URL(url).pathname} 404`), `${url} was requested`);
  }
  assert.ok(missing.result.error.includes("call setWasmPaths('<URL of that folder>/') from 'webnn-wasm' before the first createContext()"), missing.result.error);

  execFileSync('sh', ['-c', ESBUILD_COPY], { cwd: dir });
  assertRan(await runBuilt(outDir), 'esbuild build + copy');
});

// No .parcelrc: Parcel's default config bundles the glue files as app code; the package makes that
// work (dist/package.json's "alias", and the glue's fallbacks for a wrapped file: scripts/build-wasm.sh).
test('Parcel 2: no config', { timeout: TIMEOUT }, async () => {
  fs.rmSync(path.join(dir, '.parcelrc'), { force: true });
  const { Parcel } = require('@parcel/core');
  const outDir = path.join(dir, 'out-parcel');
  const bundler = new Parcel({
    entries: path.join(dir, 'index.html'), defaultConfig: require.resolve('@parcel/config-default'), mode: 'production',
    shouldDisableCache: true, shouldAutoInstall: false, logLevel: 'error',
    defaultTargetOptions: { distDir: outDir, publicUrl: './' },
  });
  await bundler.run();
  // Parcel bundles each build's two glue files (module and classic) into hashed .js files.
  const files = fs.readdirSync(outDir).map(String);
  assert.equal(files.filter((f) => f.endsWith('.wasm')).length, 3, `three .wasm in ${files}`);
  assert.equal(files.filter((f) => /^webnn-wasm-(simd-threads|simd|scalar)\.[0-9a-f]+\.js$/.test(f)).length, 6, `two glue files per build in ${files}`);
  assertRan(await runBuilt(outDir), 'Parcel build');
});
