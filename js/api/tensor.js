import { checkInternal } from './errors.js';
import { finalizer } from './engine.js';

let tensorState;

export class MLTensor {
  #s;
  #context; // keeps the MLContext reachable while this tensor is (see its finalizer)
  constructor(token, state, context) {
    checkInternal(token, 'MLTensor');
    // { ctx, native, ptr, byteLength, dataType, shape, readable, writable, constant, destroyed }
    this.#s = state;
    this.#context = context;
    finalizer.register(this, () => { destroyTensorState(state); state.ctx.tensors.delete(state); }, state);
  }
  get dataType() { return this.#s.dataType; }
  get shape() { return this.#s.shape; }
  get readable() { return this.#s.readable; }
  get writable() { return this.#s.writable; }
  get constant() { return this.#s.constant; }
  destroy() {
    const s = this.#s;
    if (s.destroyed) return;
    destroyTensorState(s);
    s.ctx.tensors.delete(s);
  }
  static {
    tensorState = (t) => (t !== null && typeof t === 'object' && #s in t ? t.#s : null);
  }
}
Object.defineProperty(MLTensor.prototype, Symbol.toStringTag, { value: 'MLTensor', configurable: true });

// Frees the engine memory; the JS object stays, marked destroyed.
export function destroyTensorState(s) {
  if (s.destroyed) return;
  s.destroyed = true;
  finalizer.unregister(s);
  s.native.delete();
  s.native = null;
}

export { tensorState };
