// The API suite against the real Wasm engine (WEBNN_WASM_VARIANT=scalar|simd|simd-threads to pick one).
import { test } from 'node:test';
import { engineAvailable } from './engine-available.mjs';
import { apiSuite } from './api-suite.mjs';
import * as api from '../../js/index.js';

if (!engineAvailable) {
  test('API against the real engine', { skip: 'no Wasm build in dist/ (npm run build)' }, () => {});
} else {
  if (process.env.WEBNN_WASM_VARIANT) api.setVariant(process.env.WEBNN_WASM_VARIANT);
  apiSuite(api);
}
