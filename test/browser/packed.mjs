// The package as a user installs it, for the browser tests that build or serve it: `npm pack`, then
// `npm install <tarball>` (offline: no dependencies) into a fresh project folder. The tools the tests
// run there (bundlers and their plugins) are this repository's node_modules, linked in one by one,
// so the project resolves them as if installed, without network.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './server.mjs';

// Under `npm test`, npm exports npm_config_local_prefix=<this repo> and friends: a child npm would
// take the repo for its project. The children get an environment without npm's variables.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD'));

// Returns { dir, pkgDir, tarball, close() }: dir is the project, pkgDir its node_modules/webnn-wasm.
export function packedProject(prefix) {
  for (const f of ['dist/webnn-wasm-simd-threads.wasm', 'dist/webnn-wasm-simd.wasm', 'dist/webnn-wasm-scalar.wasm', 'dist/webnn-wasm.bundle.min.mjs']) {
    if (!fs.existsSync(path.join(repoRoot, f))) throw new Error(`${f} missing: npm run build`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv });
  const info = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir, repoRoot]))[0];
  const tarball = path.join(dir, info.filename);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball]);
  const modules = path.join(dir, 'node_modules');
  const repoModules = path.join(repoRoot, 'node_modules');
  for (const name of fs.readdirSync(repoModules)) {
    // Not the dot folders: .bin is not needed, and caches (.vite, .cache) must stay in the project.
    if (name === 'webnn-wasm' || name.startsWith('.') || fs.existsSync(path.join(modules, name))) continue;
    fs.symlinkSync(path.join(repoModules, name), path.join(modules, name));
  }
  return { dir, pkgDir: path.join(modules, 'webnn-wasm'), tarball, close: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
