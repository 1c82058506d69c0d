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

// An error from a full Wasm heap: every out-of-memory failure of the engine and of these bindings is
// a DOMException (UnknownError, or OperationError from build()) whose message says "out of memory"
// (test/js/out-of-memory.test.mjs holds every entry point to that).
export function isOutOfMemory(e) {
  return e instanceof DOMException && /\bout of memory\b/.test(e.message);
}

// Illegal-constructor guard for interfaces that script cannot construct.
export const INTERNAL = Symbol('webnn-internal');
export function checkInternal(token, name) {
  if (token !== INTERNAL) throw new TypeError(`Illegal constructor: ${name}`);
}

// A developer's label as error messages (and the engine's plan and profile reports) show it: control
// characters (C0, DEL, C1) and bidi controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069)
// become \u{XXXX}, as the spec advises against bidi and source-code spoofing (UTR36, UTS55).
const UNSAFE_LABEL_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
export function escapeLabel(label) {
  return label.replace(UNSAFE_LABEL_CHARS, (c) => `\\u{${c.charCodeAt(0).toString(16).padStart(4, '0')}}`);
}
