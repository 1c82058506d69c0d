// The package as users get it: `npm pack`, `npm install ./webnn-wasm-*.tgz` into an empty folder
// (offline: the package has no dependencies), then use it from there — Node, TypeScript, a browser bundle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
let dir;
let tarball;

// Under `npm test`, npm exports npm_config_local_prefix=<this repo> and friends: a child npm would
// take the repo for its project. The children get an environment without npm's variables.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD'));
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv, ...opts });

before(() => {
  for (const v of ['simd-threads', 'simd', 'scalar']) {
    assert.ok(fs.existsSync(path.join(root, `dist/webnn-wasm-${v}.wasm`)), `dist/webnn-wasm-${v}.wasm missing: npm run build`);
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webnn-wasm-pack-'));
  const out = run('npm', ['pack', '--json', '--pack-destination', dir, root], { cwd: root });
  const info = JSON.parse(out)[0];
  tarball = { file: path.join(dir, info.filename), files: info.files.map((f) => f.path), size: info.size };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball.file]);
});

after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('the tarball holds the engine, the JS, the types, and nothing of the sources or tests', () => {
  const files = new Set(tarball.files);
  for (const f of [
    'package.json', 'README.md', 'js/index.js', 'js/polyfill.js', 'js/loader.js', 'js/package.json',
    'types/index.d.ts', 'types/polyfill.d.ts', 'types/tfjs.d.ts', 'dist/package.json',
    'dist/webnn-wasm-simd-threads.js', 'dist/webnn-wasm-simd-threads.wasm', 'dist/webnn-wasm-simd-threads.worker.js',
    'dist/webnn-wasm-simd.js', 'dist/webnn-wasm-simd.wasm', 'dist/webnn-wasm-scalar.js', 'dist/webnn-wasm-scalar.wasm',
    'dist/webnn-wasm-simd-threads.mjs', 'dist/webnn-wasm-simd.mjs', 'dist/webnn-wasm-scalar.mjs',
  ]) assert.ok(files.has(f), `${f} is not in the package`);
  for (const f of files) {
    assert.ok(!/^(src|test|bench|bindings|build|examples|scripts|node_modules)\//.test(f), `${f} should not be in the package`);
  }
  assert.ok(tarball.size < 2_000_000, `package is ${tarball.size} bytes`);
});

test('every exports target exists in the installed package', () => {
  const pkgDir = path.join(dir, 'node_modules', 'webnn-wasm');
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const targets = [];
  for (const [sub, t] of Object.entries(pkg.exports)) {
    if (typeof t === 'string') { targets.push([sub, t]); continue; }
    const keys = Object.keys(t);
    assert.equal(keys[0], 'types', `${sub}: types must come first`);
    assert.equal(keys[keys.length - 1], 'default', `${sub}: default must come last`);
    for (const v of Object.values(t)) targets.push([sub, v]);
  }
  for (const [sub, t] of targets) {
    if (sub === './tfjs' && !fs.existsSync(path.join(root, 'js/tfjs/index.js'))) continue; // lands with the tfjs branch
    assert.ok(fs.existsSync(path.join(pkgDir, t)), `exports['${sub}'] -> ${t} is missing`);
  }
});

const script = `
import 'webnn-wasm/polyfill';
import { loadedVariant } from 'webnn-wasm';
const context = await navigator.ml.createContext();
const b = new MLGraphBuilder(context);
const x = b.input('x', { dataType: 'float32', shape: [1, 4] });
const w = b.constant({ dataType: 'float32', shape: [4, 2] }, new Float32Array([1, 0, 0, 1, 1, 0, 0, 1]));
const y = b.relu(b.sub(b.matmul(x, w), b.constant('float32', 3)));
const graph = await b.build({ y });
const xt = await context.createTensor({ dataType: 'float32', shape: [1, 4], writable: true });
const yt = await context.createTensor({ dataType: 'float32', shape: [1, 2], readable: true });
context.writeTensor(xt, new Float32Array([1, 2, 3, 4]));
context.dispatch(graph, { x: xt }, { y: yt });
const out = Array.from(new Float32Array(await context.readTensor(yt)));
console.log(JSON.stringify({ out, variant: loadedVariant(), backend: context.backend, url: import.meta.resolve('webnn-wasm/dist/webnn-wasm-simd.wasm') }));
context.destroy();
`;

for (const variant of ['', 'scalar']) {
  test(`a Node script in the consumer folder imports webnn-wasm/polyfill and runs a graph${variant ? ` (${variant})` : ''}`, () => {
    fs.writeFileSync(path.join(dir, 'use.mjs'), script);
    const env = { ...cleanEnv };
    delete env.WEBNN_WASM_VARIANT;
    if (variant) env.WEBNN_WASM_VARIANT = variant;
    const res = JSON.parse(run(process.execPath, ['use.mjs'], { env, timeout: 60_000 }).trim().split('\n').pop());
    assert.deepEqual(res.out, [1, 3]); // relu([1+3, 2+4] - 3)
    assert.equal(res.variant, variant || 'simd-threads');
    assert.ok(res.url.includes('/node_modules/webnn-wasm/dist/webnn-wasm-simd.wasm'), res.url);
  });
}

test('the types resolve through the exports map (moduleResolution bundler and nodenext)', () => {
  fs.copyFileSync(path.join(root, 'test/types/usage.ts'), path.join(dir, 'usage.ts'));
  const common = ['--ignoreConfig', '--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,dom', '--types', '', 'usage.ts'];
  run(bin('tsc'), ['--module', 'preserve', '--moduleResolution', 'bundler', ...common], { timeout: 120_000 });
  run(bin('tsc'), ['--module', 'nodenext', '--moduleResolution', 'nodenext', ...common], { timeout: 120_000 });
});

test('a browser bundle of webnn-wasm/polyfill reaches no Node built-in', () => {
  fs.writeFileSync(path.join(dir, 'page.js'), "import 'webnn-wasm/polyfill';\nconsole.log(navigator.ml);\n");
  // esbuild fails the build on a static import of a Node built-in when bundling for the browser.
  run(bin('esbuild'), ['page.js', '--bundle', '--platform=browser', '--format=esm', '--outfile=out/page.js', '--log-level=error'], { timeout: 60_000 });
  const code = fs.readFileSync(path.join(dir, 'out/page.js'), 'utf8');
  assert.ok(!/\brequire\(["'](node:)?(fs|module|os|url|path|worker_threads)["']\)/.test(code), 'the bundle requires a Node built-in');
  assert.ok(!/from ["']node:/.test(code), 'the bundle imports a Node built-in');
});
