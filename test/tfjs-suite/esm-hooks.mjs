// Node module hooks that let tfjs-core's published test suite run in Node against this package.
//
// `@tensorflow/tfjs-core/dist/tests.js` and the modules it imports are ES modules with extensionless
// relative imports in a package that Node treats as CommonJS, and a few call `require()`. The Node
// entry points (tf-core.node.js, tf-backend-cpu.node.js) are separate CommonJS bundles, i.e. a second
// copy of the engine and kernel registry. So, for tfjs-core and tfjs-backend-cpu only:
//   - the bare names resolve to their ESM `dist/index.js`, for the suite and for js/tfjs alike, so
//     there is one tfjs-core instance (one kernel registry, one ENGINE);
//   - extensionless relative specifiers get `.js` (or `/index.js`);
//   - their files load as ES modules, with a `require` made by createRequire where they use one;
//   - their `import * as seedrandom` gets seedrandom's named exports (./seedrandom.mjs).
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const PACKAGES = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu'];
const DIST = Object.fromEntries(PACKAGES.map((p) =>
  [p, pathToFileURL(require.resolve(`${p}/package.json`).replace(/package\.json$/, 'dist/')).href]));
const DIST_URLS = Object.values(DIST);

const isFile = (p) => existsSync(p) && statSync(p).isFile();

// A module path without extension -> an existing file URL, or null.
function withExtension(url) {
  const p = fileURLToPath(url);
  if (isFile(p)) return url;
  if (isFile(`${p}.js`)) return `${url}.js`;
  if (isFile(`${p}/index.js`)) return `${url}/index.js`;
  return null;
}

export async function resolve(specifier, context, next) {
  for (const pkg of PACKAGES) {
    if (specifier === pkg) return { url: `${DIST[pkg]}index.js`, format: 'module', shortCircuit: true };
    if (specifier.startsWith(`${pkg}/dist/`)) {
      const url = withExtension(DIST[pkg] + specifier.slice(pkg.length + '/dist/'.length));
      if (url) return { url, format: 'module', shortCircuit: true };
    }
  }
  const parent = context.parentURL ?? '';
  if (specifier === 'seedrandom' && DIST_URLS.some((d) => parent.startsWith(d))) {
    return { url: new URL('./seedrandom.mjs', import.meta.url).href, format: 'module', shortCircuit: true };
  }
  if (specifier.startsWith('.') && DIST_URLS.some((d) => parent.startsWith(d))) {
    const url = withExtension(new URL(specifier, parent).href);
    if (url) return { url, format: 'module', shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!DIST_URLS.some((d) => url.startsWith(d)) || !url.endsWith('.js')) return next(url, context);
  const result = await next(url, { ...context, format: 'module' });
  let source = String(result.source);
  if (/\brequire\s*\(/.test(source)) {
    source = `import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);\n${source}`;
  }
  return { format: 'module', source, shortCircuit: true };
}
