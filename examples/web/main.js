// examples/web without a bundler: the import map in index.html resolves 'webnn-wasm'.
import 'webnn-wasm/polyfill';
import { setWasmPaths } from 'webnn-wasm';
import { runExample } from './app.js';

runExample({ setWasmPaths });
