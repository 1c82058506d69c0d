// The loaded engine module and the few heap helpers every API class needs.
import { loadEngine } from '../loader.js';

export const engine = {
  M: null, // the Emscripten module
  variant: null, // 'simd-threads' | 'simd' | 'scalar'
  limits: null, // parsed opSupportLimitsJson()
};

// `firstContextThreads`: the threads of the context that loads the engine (0: the default), which
// size the engine's starting worker pool.
export async function ensureEngine(firstContextThreads = 0) {
  if (engine.M) return engine;
  const { module, variant } = await loadEngine(firstContextThreads);
  if (!engine.M) {
    engine.M = module;
    engine.variant = variant;
    engine.limits = JSON.parse(module.opSupportLimitsJson());
  }
  return engine;
}

// Heap views, re-taken whenever the memory has grown (the buffer object changes).
let viewBuffer = null;
let u8 = null;
let u32 = null;
function memoryBuffer() {
  const M = engine.M;
  const mem = M.wasmMemory || (M.asm && M.asm.memory);
  return mem ? mem.buffer : M.HEAPU8.buffer;
}
export function heapU8() {
  const buf = memoryBuffer();
  if (buf !== viewBuffer || u8.byteLength !== buf.byteLength) {
    viewBuffer = buf;
    u8 = new Uint8Array(buf);
    u32 = new Uint32Array(buf);
  }
  return u8;
}
export function heapU32() {
  heapU8();
  return u32;
}
// Hot paths (dispatch, writeTensor, readTensor): the current views when they cover byte `end`.
// Memory only grows: a view of a detached buffer has length 0, and a shared buffer's old view
// still maps the bytes below its length, so only an access past the view re-takes them (reading
// memory.buffer costs ~0.2-0.7 µs on a shared memory).
export function heapU8Covering(end) {
  if (u8 === null || end > u8.byteLength) heapU8();
  return u8;
}
export function heapU32Covering(end) {
  if (u8 === null || end > u8.byteLength) heapU8();
  return u32;
}

// `where` names the API call in the UnknownError thrown when the heap is full.
export function malloc(n, where = 'webnn-wasm') {
  // >>> 0: a Wasm export returns a signed i32, and the heap may grow past 2 GiB (MAXIMUM_MEMORY=4GB).
  const p = engine.M._malloc(Math.max(n, 1)) >>> 0;
  if (!p) throw new DOMException(`${where}: out of memory allocating ${n} bytes`, 'UnknownError');
  return p;
}
export function free(p) {
  if (p) engine.M._free(p);
}

// Frees engine objects whose JS wrappers were dropped without destroy(). The held value is a
// cleanup closure over the wrapper's internal state (never the wrapper itself).
export const finalizer = new FinalizationRegistry((cleanup) => {
  try { cleanup(); } catch { /* the engine is gone or the object already freed */ }
});

// (ours) The names of the engine's optimising passes, in the order they run (for the
// createContext option disabledPasses); null before the engine is loaded.
export function compilerPassNames() {
  return engine.M ? engine.M.compilerPassNames() : null;
}

// (ours) The engine's heap, for leak checks and diagnostics: the Wasm memory's size and the bytes
// malloc has handed out and not had back (null before the engine is loaded).
export function heapStats() {
  const M = engine.M;
  if (!M) return null;
  return {
    heapBytes: memoryBuffer().byteLength,
    bytesInUse: typeof M.heapBytesInUse === 'function' ? M.heapBytesInUse() : NaN,
  };
}
