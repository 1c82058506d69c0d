// Arena scratch sizes never wrap in 32-bit Wasm: a workspace larger than the address space makes
// build() fail with an OperationError, the spec's error for a graph that cannot be built (and the
// context keeps working), where a wrapped size used to
// plan a tiny buffer that the dispatch would then overrun. The tensors here are small; only the
// scratch is huge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skip, ml, MLGraphBuilder } from './ops-helpers.mjs';
import { healthCheck } from './fuzz-lib.mjs';
import * as api from '../../js/index.js';

const f32 = (shape) => ({ dataType: 'float32', shape });
const operationError = (e) => e instanceof DOMException && e.name === 'OperationError' && /build/.test(e.message);

test('a scratch buffer beyond the address space fails the build cleanly', { skip }, async () => {
  const context = await ml.createContext({ numThreads: 1 });
  // convTranspose2d's columns: H*W x KH*KW*O floats = 65536 x 262144 x 4 bytes = 2^36 (wrapped to 0).
  let b = new MLGraphBuilder(context);
  const y = b.convTranspose2d(b.input('x', f32([1, 1, 256, 256])), b.input('w', f32([1, 64, 64, 64])));
  await assert.rejects(b.build({ y }), operationError);
  // gru's input projections: steps x 3 x hidden floats = 43691 x 24576 x 4 bytes = 2^32 + 32 KiB.
  b = new MLGraphBuilder(context);
  const [h] = b.gru(b.input('x', f32([43691, 1, 1])), b.input('w', f32([1, 24576, 1])),
    b.input('r', f32([1, 24576, 8192])), 43691, 8192);
  await assert.rejects(b.build({ h }), operationError);
  await healthCheck(api, context);
  context.destroy();
});
