// Web IDL conversions used by the API surface (the subset WebNN needs). Each throws a TypeError
// whose message names the place (`where`), e.g. "conv2d: options.strides".

export const DATA_TYPES = ['float32', 'float16', 'int32', 'uint32', 'int64', 'uint64', 'int8', 'uint8'];

export const BYTES_PER_ELEMENT = {
  float32: 4, float16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, int8: 1, uint8: 1,
};

function describe(v) {
  if (v === null) return 'null';
  if (typeof v === 'object' || typeof v === 'function') return v.constructor?.name ?? typeof v;
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

// ToNumber that throws TypeError (not a raw BigInt/Symbol error) with a useful message.
function toNumber(v, where) {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' || typeof v === 'symbol') {
    throw new TypeError(`${where}: cannot convert ${typeof v} to a number`);
  }
  return convertWith(Number, v, where);
}

// ToNumber/ToString of an object run its valueOf/toString: a TypeError from there (e.g. a
// detached typed array's join) is re-thrown naming the argument; anything else propagates as IDL says.
function convertWith(fn, v, where) {
  try {
    return fn(v);
  } catch (e) {
    if (e instanceof TypeError) throw new TypeError(`${where}: ${e.message}`);
    throw e;
  }
}

// [EnforceRange] unsigned long: NaN/±Infinity and out-of-range values throw; fractions are
// truncated (Web IDL IntegerPart).
export function enforceRangeU32(v, where) {
  let x = toNumber(v, where);
  if (!Number.isFinite(x)) throw new TypeError(`${where}: ${describe(v)} is not a finite number`);
  x = Math.trunc(x);
  if (x < 0 || x > 0xffffffff) throw new TypeError(`${where}: ${describe(v)} is out of range for unsigned long`);
  return x === 0 ? 0 : x; // -0 -> 0
}

// [EnforceRange] long.
export function enforceRangeI32(v, where) {
  let x = toNumber(v, where);
  if (!Number.isFinite(x)) throw new TypeError(`${where}: ${describe(v)} is not a finite number`);
  x = Math.trunc(x);
  if (x < -0x80000000 || x > 0x7fffffff) throw new TypeError(`${where}: ${describe(v)} is out of range for long`);
  return x === 0 ? 0 : x;
}

// unsigned long without [EnforceRange]: modulo 2^32.
export function moduloU32(v, where) {
  const x = toNumber(v, where);
  if (!Number.isFinite(x)) return 0;
  return Math.trunc(x) >>> 0;
}

// double (restricted): non-finite values throw.
export function restrictedDouble(v, where) {
  const x = toNumber(v, where);
  if (!Number.isFinite(x)) throw new TypeError(`${where}: ${describe(v)} is not a finite number`);
  return x;
}

// float (restricted).
export function restrictedFloat(v, where) {
  const x = Math.fround(restrictedDouble(v, where));
  if (!Number.isFinite(x)) throw new TypeError(`${where}: ${describe(v)} is out of range for float`);
  return x;
}

// MLNumber = (bigint or unrestricted double).
export function mlNumber(v, where) {
  if (typeof v === 'bigint') return v;
  return toNumber(v, where);
}

export function toBoolean(v) {
  return Boolean(v);
}

export function toUSVString(v, where) {
  if (typeof v === 'symbol') throw new TypeError(`${where}: cannot convert a Symbol to a string`);
  const str = convertWith(String, v, where);
  return str.toWellFormed ? str.toWellFormed() : str;
}

export function toEnum(v, values, where) {
  const s = toUSVString(v, where);
  if (!values.includes(s)) {
    throw new TypeError(`${where}: '${s}' is not a valid value (expected one of ${values.map((x) => `'${x}'`).join(', ')})`);
  }
  return s;
}

export function toDataType(v, where) {
  return toEnum(v, DATA_TYPES, where);
}

// sequence<T>: any object with Symbol.iterator (arrays, typed arrays, ...), never a string.
export function toSequence(v, where, convertItem) {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
    throw new TypeError(`${where}: ${describe(v)} is not a sequence`);
  }
  const iter = v[Symbol.iterator];
  if (typeof iter !== 'function') throw new TypeError(`${where}: ${describe(v)} is not iterable`);
  const out = [];
  let i = 0;
  for (const item of v) {
    out.push(convertItem(item, `${where}[${i}]`));
    i++;
  }
  return out;
}

export function isSequenceLike(v) {
  return v !== null && typeof v === 'object' && typeof v[Symbol.iterator] === 'function';
}

// A dictionary argument: undefined/null mean {}; anything else must be an object.
export function toDictionaryObject(v, where) {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' && typeof v !== 'function') {
    throw new TypeError(`${where}: ${describe(v)} is not an object`);
  }
  return v;
}

// A record<USVString, T>: own enumerable string keys.
export function toRecord(v, where, convertValue) {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
    throw new TypeError(`${where}: ${describe(v)} is not an object`);
  }
  const out = new Map();
  for (const key of Reflect.ownKeys(v)) {
    if (typeof key !== 'string') continue;
    const desc = Reflect.getOwnPropertyDescriptor(v, key);
    if (!desc || !desc.enumerable) continue;
    out.set(key, convertValue(v[key], `${where}['${key}']`));
  }
  return out;
}

// MLOperandDescriptor (accepting the legacy `dimensions` member some clients still send).
export function toOperandDescriptor(v, where) {
  const d = toDictionaryObject(v, where);
  if (d.dataType === undefined) throw new TypeError(`${where}: dataType is required`);
  const dataType = toDataType(d.dataType, `${where}.dataType`);
  const rawShape = d.shape !== undefined ? d.shape : d.dimensions;
  if (rawShape === undefined) throw new TypeError(`${where}: shape is required`);
  const shape = toSequence(rawShape, `${where}.shape`, enforceRangeU32);
  return { dataType, shape };
}

// AllowSharedBufferSource: an ArrayBuffer, a SharedArrayBuffer or any ArrayBufferView.
// Returns a Uint8Array over exactly its bytes.
export function toBytes(v, where) {
  try {
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    if (v instanceof ArrayBuffer) return new Uint8Array(v);
    if (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer) return new Uint8Array(v);
  } catch (e) {
    // A view of a detached ArrayBuffer cannot be re-viewed: say so under the caller's name.
    throw new TypeError(`${where}: the buffer is detached or unusable (${e.message})`);
  }
  throw new TypeError(`${where}: ${describe(v)} is not an ArrayBuffer or ArrayBufferView`);
}

export function elementCount(shape) {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function byteLengthOf(dataType, shape) {
  return elementCount(shape) * BYTES_PER_ELEMENT[dataType];
}

// The spec's "validate buffer with descriptor": the byte length must be exactly the descriptor's.
// Any view type is accepted (as Chromium does: clients pass Uint16Array for float16 and Uint8Array
// for everything), so only the length is checked.
export function checkBufferLength(bytes, dataType, shape, where) {
  const expected = byteLengthOf(dataType, shape);
  if (bytes.byteLength !== expected) {
    throw new TypeError(`${where} has ${bytes.byteLength} bytes but ${formatDescriptor(dataType, shape)} needs ${expected}`);
  }
}

export function shapesEqual(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function formatDescriptor(dataType, shape) {
  return `${dataType}[${shape.join(',')}]`;
}
