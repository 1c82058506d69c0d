// Fills the Wasm heap through the WebNN API: uint8 tensors (pushed to `held`) until createTensor
// fails, from 1 GiB chunks (one allocation cannot pass 2 GiB) down to `smallest` bytes; then less
// than that (plus malloc's bookkeeping) is left in any free block, and the memory cannot grow further.
import assert from 'node:assert/strict';

export async function fillHeap(ctx, held, smallest) {
  for (let size = 1 << 30; size >= smallest;) {
    try {
      held.push(await ctx.createTensor({ dataType: 'uint8', shape: [size] }));
    } catch (e) {
      assert.equal(e.name, 'UnknownError', `filling the heap: ${e.constructor.name}: ${e.message}`);
      size >>= 1;
    }
  }
}
