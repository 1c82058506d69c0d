import { checkInternal } from './errors.js';

// An MLOperand is a handle on one value of one builder's graph: the engine's operand id plus
// the descriptor the engine inferred for it.
let operandState;

export class MLOperand {
  #s;
  constructor(token, state) {
    checkInternal(token, 'MLOperand');
    this.#s = state; // { builder, id, dataType, shape (frozen), kind: 'input' | 'constant' | 'output' }
  }
  get dataType() { return this.#s.dataType; }
  get shape() { return this.#s.shape; }
  static {
    operandState = (o) => (o !== null && typeof o === 'object' && #s in o ? o.#s : null);
  }
}
Object.defineProperty(MLOperand.prototype, Symbol.toStringTag, { value: 'MLOperand', configurable: true });

export { operandState };
