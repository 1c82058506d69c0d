// The same page as examples/web, bundled by Vite. 'webnn-wasm/polyfill' is imported untouched: the
// package finds its .wasm, glue and worker files with `new URL(..., import.meta.url)`, which Vite
// copies into the build as assets.
import 'webnn-wasm/polyfill';
import { setWasmPaths } from 'webnn-wasm';
import { runExample } from '../web/app.js';

runExample({ setWasmPaths });
