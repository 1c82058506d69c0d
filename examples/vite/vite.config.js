import { defineConfig } from 'vite';

// Threads need a cross-origin-isolated page: the dev server and `vite preview` send COOP/COEP.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // fs.allow: here webnn-wasm is linked from the repository root (file:../..), outside this folder,
  // and the dev server serves its engine files from there. An installed copy needs no such line.
  server: { headers: isolation, fs: { allow: ['../..'] } },
  preview: { headers: isolation },
  build: { target: 'es2022' },
});
