// Builds dist/webnn-wasm.bundle.min.mjs: the API, the loader and the polyfill in one ES module for a
// CDN `<script type="module">` (`import 'https://<cdn>/webnn-wasm@<version>'` via the unpkg/jsdelivr
// fields). It looks for the engine files next to itself: the loader's `new URL('../dist/<file>', …)`
// (relative to js/) become `new URL('./<file>', …)` (relative to dist/).
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = path.join(root, 'dist/webnn-wasm.bundle.min.mjs');

const nextToBundle = {
  name: 'engine-files-next-to-the-bundle',
  setup(b) {
    b.onLoad({ filter: /[\\/]js[\\/]loader\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const rewritten = source.replaceAll("new URL('../dist/", "new URL('./");
      // Every engine file must be found next to the bundle: fail the build if the loader changed shape.
      if (rewritten === source || /new URL\(\s*[`'"]\.\.\/dist\//.test(rewritten)) throw new Error(`${args.path}: expected only new URL('../dist/<file>', import.meta.url)`);
      return { contents: rewritten, loader: 'js' };
    });
  },
};

const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
await build({
  stdin: { contents: "import './polyfill.js';\nexport * from './index.js';\n", resolveDir: path.join(root, 'js'), sourcefile: 'webnn-wasm.bundle.mjs', loader: 'js' },
  bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, legalComments: 'none',
  banner: { js: `/*! webnn-wasm ${version} | Apache-2.0 | engine files: ./webnn-wasm-*.{mjs,js,wasm} */` },
  outfile, plugins: [nextToBundle], logLevel: 'warning',
});
console.log(`built ${path.relative(root, outfile)} (${fs.statSync(outfile).size} bytes)`);
