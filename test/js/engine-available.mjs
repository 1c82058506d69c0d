// Whether a Wasm build exists in dist/ (tests against the real engine skip without one).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const distDir = fileURLToPath(new URL('../../dist/', import.meta.url));
export const builtVariants = ['simd-threads', 'simd', 'scalar']
  .filter((v) => existsSync(`${distDir}webnn-wasm-${v}.js`) && existsSync(`${distDir}webnn-wasm-${v}.wasm`));
export const engineAvailable = builtVariants.length > 0;
