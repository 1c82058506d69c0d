// Error helpers: the spec throws TypeError for argument/graph errors and DOMExceptions
// (InvalidStateError, NotSupportedError, OperationError, ...) for state and runtime failures.

export function typeError(message) {
  return new TypeError(message);
}

export function domError(message, name) {
  return new DOMException(message, name);
}

export function invalidState(message) {
  return new DOMException(message, 'InvalidStateError');
}

// The engine never throws across the boundary; the failing object's errorKind()/errorMessage()
// say what happened. Map it to the exception the spec names.
export function engineError(obj, fallback = 'engine call failed') {
  let kind = 'UnknownError';
  let message = fallback;
  try {
    kind = obj.errorKind() || kind;
    message = obj.errorMessage() || message;
  } catch {
    // An object without error accessors: keep the fallback.
  }
  if (kind === 'TypeError') return new TypeError(message);
  return new DOMException(message, kind);
}

// The engine names its own entry point in out-of-memory messages (`addOperation: out of memory
// ...`, `createTensor: ...`): the same error naming the API call instead (`conv2d: ...`).
export function renameCall(e, from, to) {
  if (from === to || !e.message.startsWith(`${from}:`)) return e;
  const message = to + e.message.slice(from.length);
  return e instanceof TypeError ? new TypeError(message) : new DOMException(message, e.name);
}

// Illegal-constructor guard for interfaces that script cannot construct.
export const INTERNAL = Symbol('webnn-internal');
export function checkInternal(token, name) {
  if (token !== INTERNAL) throw new TypeError(`Illegal constructor: ${name}`);
}
