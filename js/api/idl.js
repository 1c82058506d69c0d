// Web IDL conversions used by the API surface (the subset WebNN needs). Each throws a TypeError
// whose message names the place (`where`), e.g. "conv2d: options.strides".

export const DATA_TYPES = ['float32', 'float16', 'int32', 'uint32', 'int64', 'uint64', 'int8', 'uint8'];

export const BYTES_PER_ELEMENT = {
  float32: 4, float16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, int8: 1, uint8: 1,
};

// Names a value in a message without running its code: no getter (`constructor`,
// Symbol.toStringTag) or proxy trap of a caller's object is touched.
function describe(v) {
  if (v === null) return 'null';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') {
    try { return Array.isArray(v) ? 'an array' : 'an object'; } catch { return 'a revoked proxy'; }
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'symbol') return 'a symbol';
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

// sequence<T> from an iterable, as Web IDL creates it: @@iterator read once (`method`, when the
// caller's union conversion has already read it), its `next` read once, then next() / done / value
// per item, each item converted before the next step. Never a string.
export function toSequence(v, where, convertItem, method = undefined) {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
    throw new TypeError(`${where}: ${describe(v)} is not a sequence`);
  }
  if (method === undefined) method = v[Symbol.iterator];
  if (typeof method !== 'function') throw new TypeError(`${where}: ${describe(v)} is not iterable`);
  const iterator = Reflect.apply(method, v, []);
  if (iterator === null || (typeof iterator !== 'object' && typeof iterator !== 'function')) {
    throw new TypeError(`${where}: its iterator is not an object`);
  }
  const next = iterator.next;
  const out = [];
  for (let i = 0; ; i++) {
    const step = Reflect.apply(next, iterator, []);
    if (step === null || (typeof step !== 'object' && typeof step !== 'function')) {
      throw new TypeError(`${where}: its iterator returned a non-object`);
    }
    if (step.done) return out;
    out.push(convertItem(step.value, `${where}[${i}]`));
  }
}

// A union of T and sequence<T> (e.g. `unsigned long or sequence<unsigned long>`): an object with
// @@iterator is the sequence (the method read once), anything else converts as T.
export function toOneOrSequence(v, where, convertItem) {
  if (v !== null && (typeof v === 'object' || typeof v === 'function')) {
    const method = v[Symbol.iterator];
    if (method !== undefined && method !== null) return toSequence(v, where, convertItem, method);
  }
  return convertItem(v, where);
}

// Web IDL dictionary conversion (ES value -> IDL dictionary). `members` lists [name, convert,
// required] in the IDL's order: each inherited dictionary's members before the derived one's,
// each dictionary's members in lexicographic order (dictionaryMembers() sorts them).
// - undefined / null: the empty dictionary, and no property is read (so an omitted options
//   argument never picks up, e.g., a member someone put on Object.prototype);
// - an object: each member read once with [[Get]] (inherited properties included, as Web IDL's
//   Get does) and converted at once, before the next member is read; undefined means absent.
// Returns a null-prototype object holding the present members only.
export function toDictionary(v, where, members) {
  if (v !== undefined && v !== null && typeof v !== 'object' && typeof v !== 'function') {
    throw new TypeError(`${where}: ${describe(v)} is not an object`);
  }
  const out = Object.create(null);
  const omitted = v === undefined || v === null;
  for (const [name, convert, required] of members) {
    const value = omitted ? undefined : v[name];
    if (value === undefined) {
      if (required) throw new TypeError(`${where}: ${name} is required`);
      continue;
    }
    out[name] = convert(value, `${where}.${name}`);
  }
  return out;
}

// The member list of a dictionary for toDictionary(): `levels` from least to most derived, each
// an object { name: [convert, required?] } sorted by name.
export function dictionaryMembers(...levels) {
  const list = [];
  for (const level of levels) {
    const names = Object.keys(level).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) list.push([name, level[name][0], level[name][1] === true]);
  }
  return list;
}

const hasOwnProperty = Object.prototype.hasOwnProperty;

// Web IDL record<USVString, T> conversion: the object's own enumerable string keys, then for each
// key still there, one [[Get]], calling visit(arg, key as a USVString, value) before the next key
// is read. Inherited properties are never read. One deviation, for speed (Reflect.ownKeys plus a
// descriptor per key cost dispatch ~3 µs; Object.keys uses V8's enum cache): enumerability is
// taken for all keys up front (Object.keys), so a key made enumerable by an earlier getter is
// skipped, and a proxy sees its getOwnPropertyDescriptor trap for every key before the first get
// (then once more per key: the "still there?" check). Deletions by earlier getters are honoured.
export function forEachRecordEntry(v, where, visit, arg) {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
    throw new TypeError(`${where}: ${describe(v)} is not an object`);
  }
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (!hasOwnProperty.call(v, key)) continue;
    visit(arg, key.isWellFormed === undefined || key.isWellFormed() ? key : key.toWellFormed(), v[key]);
  }
}

// A record<USVString, T> as a Map of converted values.
export function toRecord(v, where, convertValue) {
  const out = new Map();
  forEachRecordEntry(v, where, (map, key, value) => map.set(key, convertValue(value, `${where}['${key}']`)), out);
  return out;
}

const MEMBER_DATA_TYPE = [toDataType, true];
const MEMBER_SHAPE = [(v, where) => toSequence(v, where, enforceRangeU32)];
// MLOperandDescriptor, plus the legacy `dimensions` member some clients still send (used when
// `shape` is absent).
export const OPERAND_DESCRIPTOR = { dataType: MEMBER_DATA_TYPE, dimensions: MEMBER_SHAPE, shape: MEMBER_SHAPE };
const OPERAND_DESCRIPTOR_MEMBERS = dictionaryMembers(OPERAND_DESCRIPTOR);

// A converted MLOperandDescriptor (from toDictionary) as { dataType, shape }.
export function operandDescriptorOf(d, where) {
  const shape = d.shape !== undefined ? d.shape : d.dimensions;
  if (shape === undefined) throw new TypeError(`${where}: shape is required`);
  return { dataType: d.dataType, shape };
}

export function toOperandDescriptor(v, where) {
  return operandDescriptorOf(toDictionary(v, where, OPERAND_DESCRIPTOR_MEMBERS), where);
}

// The buffer intrinsics, captured at load: brand checks and lengths that run none of a caller's
// code (an own `byteLength` getter on a view, a proxy, an object inheriting from
// ArrayBuffer.prototype are not buffers).
const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name)?.get;
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayBuffer = getter(TypedArrayPrototype, 'buffer');
const typedArrayByteOffset = getter(TypedArrayPrototype, 'byteOffset');
const typedArrayByteLength = getter(TypedArrayPrototype, 'byteLength');
const dataViewBuffer = getter(DataView.prototype, 'buffer');
const dataViewByteOffset = getter(DataView.prototype, 'byteOffset');
const dataViewByteLength = getter(DataView.prototype, 'byteLength');
const arrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength');
const arrayBufferResizable = getter(ArrayBuffer.prototype, 'resizable');
const SAB = typeof SharedArrayBuffer === 'undefined' ? null : SharedArrayBuffer;
const sharedByteLength = SAB && getter(SAB.prototype, 'byteLength');
const sharedGrowable = SAB && getter(SAB.prototype, 'growable');

// 'ArrayBuffer', 'SharedArrayBuffer' or null (neither), by brand check.
function bufferKind(v) {
  if (v === null || typeof v !== 'object') return null;
  try { Reflect.apply(arrayBufferByteLength, v, []); return 'ArrayBuffer'; } catch { /* not one */ }
  if (sharedByteLength) {
    try { Reflect.apply(sharedByteLength, v, []); return 'SharedArrayBuffer'; } catch { /* not one */ }
  }
  return null;
}

// Resizable ArrayBuffers and growable SharedArrayBuffers are only accepted where the IDL says
// [AllowResizable]; WebNN never does.
function isResizable(buffer, kind) {
  const flag = kind === 'ArrayBuffer' ? arrayBufferResizable : sharedGrowable;
  return flag ? Reflect.apply(flag, buffer, []) === true : false;
}

// AllowSharedBufferSource: an ArrayBuffer, a SharedArrayBuffer or any ArrayBufferView, not
// resizable. Returns a Uint8Array over exactly its bytes. Runs none of the caller's code.
export function toBytes(v, where) {
  let buffer, offset, length, kind;
  if (ArrayBuffer.isView(v)) {
    let dataView = false;
    try { buffer = Reflect.apply(typedArrayBuffer, v, []); } catch { dataView = true; }
    if (dataView) buffer = Reflect.apply(dataViewBuffer, v, []);
    kind = bufferKind(buffer);
    if (isResizable(buffer, kind)) throw new TypeError(`${where}: a view of a resizable ${kind} is not allowed`);
    try {
      offset = Reflect.apply(dataView ? dataViewByteOffset : typedArrayByteOffset, v, []);
      length = Reflect.apply(dataView ? dataViewByteLength : typedArrayByteLength, v, []);
      return new Uint8Array(buffer, offset, length);
    } catch (e) {
      // A view of a detached ArrayBuffer cannot be re-viewed: say so under the caller's name.
      throw new TypeError(`${where}: the buffer is detached or unusable (${e.message})`);
    }
  }
  kind = bufferKind(v);
  if (kind === null) throw new TypeError(`${where}: ${describe(v)} is not an ArrayBuffer or ArrayBufferView`);
  if (isResizable(v, kind)) throw new TypeError(`${where}: a resizable ${kind} is not allowed`);
  try {
    return new Uint8Array(v);
  } catch (e) {
    throw new TypeError(`${where}: the buffer is detached or unusable (${e.message})`);
  }
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
