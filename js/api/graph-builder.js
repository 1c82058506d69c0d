import { OPS, DICTIONARIES, LEGACY_MEMBERS } from '../op-signatures.js';
import { INTERNAL, engineError, invalidState, escapeLabel } from './errors.js';
import { engine, heapU8, malloc, free, finalizer } from './engine.js';
import {
  BYTES_PER_ELEMENT, enforceRangeU32, enforceRangeI32, moduloU32, restrictedDouble, restrictedFloat,
  mlNumber, toBoolean, toUSVString, toEnum, toDataType, toSequence, toOneOrSequence, toDictionary,
  dictionaryMembers, toRecord, toOperandDescriptor, toBytes, checkBufferLength,
} from './idl.js';
import { MLOperand, operandState } from './operand.js';
import { tensorState } from './tensor.js';
import { MLGraph } from './graph.js';
import { contextState } from './context-state.js';
import { releaseBuilderNative } from './builder-native.js';
import { settleLater } from './pending.js';

let builderState;

// Construction is cheap (clients construct many builders for support checks): the engine's
// builder is created on first use.
export class MLGraphBuilder {
  #s;
  #context; // keeps the MLContext reachable while this builder is (see its finalizer)
  constructor(context) {
    if (arguments.length < 1) throw new TypeError('MLGraphBuilder: 1 argument required, but only 0 present');
    const ctx = contextState(context);
    if (!ctx) throw new TypeError('MLGraphBuilder: argument 1 is not an MLContext');
    if (ctx.lost) throw invalidState('MLGraphBuilder: the context is destroyed');
    this.#s = { ctx, native: null, built: false, inputNames: new Set() };
    this.#context = context;
  }

  input(name, descriptor) {
    const s = stateOf(this, 'input');
    if (arguments.length < 2) throw new TypeError(`input: 2 arguments required, but only ${arguments.length} present`);
    name = toUSVString(name, 'input: name');
    const desc = toOperandDescriptor(descriptor, `input('${name}'): descriptor`);
    checkCanBuild(s, 'input');
    if (name === '') throw new TypeError('input: the name is empty');
    if (s.inputNames.has(name)) throw new TypeError(`input: an input named '${name}' already exists`);
    const native = nativeOf(s, this);
    const id = native.input(name, desc.dataType, desc.shape);
    if (id < 0) throw engineError(native);
    s.inputNames.add(name);
    return wrapOperand(s, native, id, 'input');
  }

  // constant(descriptor, buffer) | constant(dataType, value) | constant(tensor)
  constant(a, b) {
    const s = stateOf(this, 'constant');
    if (arguments.length === 0) throw new TypeError('constant: 1 argument required, but only 0 present');
    if (arguments.length === 1) return constantFromTensor(s, this, a);
    if (typeof a === 'string' || (a !== null && a !== undefined && typeof a !== 'object')) {
      return constantScalar(s, this, a, b);
    }
    const desc = toOperandDescriptor(a, 'constant: descriptor');
    const bytes = toBytes(b, 'constant: buffer');
    checkCanBuild(s, 'constant');
    checkBufferLength(bytes, desc.dataType, desc.shape, 'constant: the buffer');
    return constantFromBytes(s, this, desc.dataType, desc.shape, bytes);
  }

  async build(outputs) {
    const s = stateOf(this, 'build');
    if (arguments.length < 1) throw new TypeError('build: 1 argument required, but only 0 present');
    const named = toRecord(outputs, 'build: outputs', (v, where) => {
      const os = operandState(v);
      if (!os) throw new TypeError(`build: ${where} is not an MLOperand`);
      return os;
    });
    checkCanBuild(s, 'build');
    if (named.size === 0) throw new TypeError('build: no outputs');
    const names = [];
    const ids = [];
    for (const [name, os] of named) {
      if (os.builder !== s) throw new TypeError(`build: output '${name}' was created by another MLGraphBuilder`);
      if (os.kind !== 'output') {
        throw new TypeError(`build: output '${name}' is an ${os.kind === 'input' ? 'input' : 'constant'} operand, not the output of an operation`);
      }
      names.push(name);
      ids.push(os.id);
    }
    s.built = true;
    const native = nativeOf(s, this);
    const g = native.build(names, ids);
    // The builder is done: free its graph description (the compiled graph owns what it needs).
    const err = g ? null : engineError(native, 'build failed');
    releaseBuilderNative(s);
    if (err) throw err;
    // Settles on a microtask: a context destroyed before then rejects it and frees the graph.
    const ctx = s.ctx;
    const context = this.#context;
    return settleLater(ctx, 'build', () => wrapGraph(ctx, context, g), () => g.delete());
  }

  static {
    builderState = (b) => (b !== null && typeof b === 'object' && #s in b ? b.#s : null);
  }
}
Object.defineProperty(MLGraphBuilder.prototype, Symbol.toStringTag, { value: 'MLGraphBuilder', configurable: true });

function stateOf(builder, method) {
  const s = builderState(builder);
  if (!s) throw new TypeError(`${method}: 'this' is not an MLGraphBuilder`);
  return s;
}

function checkCanBuild(s, where) {
  if (s.built) throw invalidState(`${where}: this MLGraphBuilder has already built a graph`);
  if (s.ctx.lost) throw invalidState(`${where}: the context is destroyed`);
}

function nativeOf(s, builder) {
  if (!s.native) {
    s.native = new engine.M.GraphBuilder(s.ctx.native);
    s.ctx.builders.add(s); // freed by build(), the context's destroy(), or the finalizer
    finalizer.register(builder, () => releaseBuilderNative(s), s);
  }
  return s.native;
}

function wrapOperand(s, native, id, kind) {
  const shape = Object.freeze(Array.from(native.operandShape(id)));
  return new MLOperand(INTERNAL, { builder: s, id, dataType: native.operandDataType(id), shape, kind });
}

function constantFromBytes(s, builder, dataType, shape, bytes) {
  const native = nativeOf(s, builder);
  const ptr = malloc(bytes.byteLength);
  try {
    heapU8().set(bytes, ptr);
    const id = native.constant(dataType, shape, ptr, bytes.byteLength);
    if (id < 0) throw engineError(native);
    return wrapOperand(s, native, id, 'constant');
  } finally {
    free(ptr);
  }
}

function constantFromTensor(s, builder, tensor) {
  const ts = tensorState(tensor);
  if (!ts) throw new TypeError('constant: argument 1 is not an MLTensor');
  checkCanBuild(s, 'constant');
  if (ts.ctx !== s.ctx) throw new TypeError('constant: the tensor belongs to another context');
  if (ts.destroyed) throw new TypeError('constant: the tensor is destroyed');
  if (!ts.constant) throw new TypeError('constant: the tensor is not a constant tensor (use createConstantTensor)');
  const native = nativeOf(s, builder);
  const id = native.constant(ts.dataType, ts.shape, ts.ptr, ts.byteLength);
  if (id < 0) throw engineError(native);
  return wrapOperand(s, native, id, 'constant');
}

// A scalar constant: the value cast to the data type (the spec's §casting).
function constantScalar(s, builder, dataType, value) {
  dataType = toDataType(dataType, 'constant: dataType');
  value = mlNumber(value, 'constant: value');
  checkCanBuild(s, 'constant');
  const bytes = new Uint8Array(BYTES_PER_ELEMENT[dataType]);
  const buf = bytes.buffer;
  const n = typeof value === 'bigint' ? Number(value) : value;
  switch (dataType) {
    case 'float32': new Float32Array(buf)[0] = n; break;
    case 'float16': new Uint16Array(buf)[0] = float16Bits(n); break;
    case 'int64': new BigInt64Array(buf)[0] = convertToInt(value, 64, true); break;
    case 'uint64': new BigUint64Array(buf)[0] = convertToInt(value, 64, false); break;
    case 'int32': new Int32Array(buf)[0] = Number(convertToInt(value, 32, true)); break;
    case 'uint32': new Uint32Array(buf)[0] = Number(convertToInt(value, 32, false)); break;
    case 'int8': new Int8Array(buf)[0] = Number(convertToInt(value, 8, true)); break;
    case 'uint8': new Uint8Array(buf)[0] = Number(convertToInt(value, 8, false)); break;
  }
  return constantFromBytes(s, builder, dataType, [], bytes);
}

// The spec's ConvertToInt(x, bits, signedness) as a BigInt: NaN -> 0, clamped to the type's range,
// rounded half to even. A BigInt stays exact (int64 / uint64 values beyond 2^53). The engine's
// convertToInt (src/kernels/elementwise/cast.h) casts the other MLNumber options the same way.
function convertToInt(x, bits, signed) {
  const lo = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const hi = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  if (typeof x !== 'bigint') {
    if (Number.isNaN(x)) return 0n;
    if (x <= Number(lo)) return lo;
    if (x >= Number(hi)) return hi;
    const floor = Math.floor(x);
    const diff = x - floor;
    // Round half to even (x - floor is exact for every double in range).
    x = BigInt(diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor);
  }
  return x < lo ? lo : x > hi ? hi : x;
}

// IEEE binary16 bits of a number with a single rounding to nearest even (the spec's
// ConvertToFloat(x, 16)): the number is first rounded toward zero to float32 with a sticky last bit
// (round-to-odd), which float32ToFloat16Bits then rounds correctly. (Math.fround first would round
// twice: 1 + 2^-11 + 2^-30 would become 1.) The engine's doubleToHalf does the same.
function float16Bits(x) {
  const f = new Float32Array([x]);
  if (Number.isFinite(x) && f[0] !== x) {
    const bits = new Uint32Array(f.buffer);
    if (Math.abs(f[0]) > Math.abs(x)) bits[0] -= 1; // toward zero: one float32 step less in magnitude
    bits[0] |= 1;
  }
  return float32ToFloat16Bits(f[0]);
}

// IEEE binary16 bits of a float32, round to nearest even.
export function float32ToFloat16Bits(x) {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  f[0] = x;
  const bits = u[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow -> Inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow -> 0
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++;
  return sign | half;
}

function wrapGraph(ctx, context, g) {
  const describe = (count, name, dataType, shape) => {
    const list = [];
    for (let i = 0; i < count; i++) {
      list.push({ name: name(i), dataType: dataType(i), shape: Array.from(shape(i)) });
    }
    return list;
  };
  const inputs = describe(g.inputCount(), (i) => g.inputName(i), (i) => g.inputDataType(i), (i) => g.inputShape(i));
  const outputs = describe(g.outputCount(), (i) => g.outputName(i), (i) => g.outputDataType(i), (i) => g.outputShape(i));
  const state = {
    ctx, native: g, inputs, outputs, destroyed: false,
    table: malloc(4 * (inputs.length + outputs.length)), // dispatch's pointer table, reused
    // For the plain dispatch export (0: use the Embind method).
    handle: typeof g.handle === 'function' && typeof engine.M._webnn_graph_dispatch === 'function' ? g.handle() : 0,
    inputIndex: new Map(inputs.map((d, i) => [d.name, i])),
    outputIndex: new Map(outputs.map((d, i) => [d.name, i])),
    // Per slot, the tensor whose data type and shape dispatch last checked (so it checks once).
    checkedIn: new Array(inputs.length).fill(null),
    checkedOut: new Array(outputs.length).fill(null),
    slots: null, // dispatch's scratch for converting its records (context.js)
  };
  ctx.graphs.add(state);
  return new MLGraph(INTERNAL, state, context);
}

// ---- The table-driven operator methods ----

// The MLOperand interface conversion: a brand check, no caller code.
function toOperand(v, where) {
  const os = operandState(v);
  if (!os) throw new TypeError(`${where} is not an MLOperand`);
  return os;
}

// Converts a non-operand argument or option to what the engine's attributes accept: booleans,
// numbers, strings or arrays of numbers.
function convertValue(kind, v, where) {
  if (typeof kind === 'object') {
    if (kind.enum) return toEnum(v, kind.enum, where);
    // sequence<enum>: crosses as a comma-joined string (attributes carry no string arrays).
    return toSequence(v, where, (x, w) => toEnum(x, kind.enumSeq, w)).join(',');
  }
  switch (kind) {
    case 'operand': return toOperand(v, where);
    case 'u32': return enforceRangeU32(v, where);
    case 'i32': return enforceRangeI32(v, where);
    case 'u32[]': return toSequence(v, where, enforceRangeU32);
    case 'u32mod[]': return toSequence(v, where, moduloU32);
    case 'u32|u32[]': return toOneOrSequence(v, where, enforceRangeU32);
    case 'dataType': return toDataType(v, where);
    case 'number': { const x = mlNumber(v, where); return typeof x === 'bigint' ? Number(x) : x; }
    case 'double': return restrictedDouble(v, where);
    case 'float[]': return toSequence(v, where, restrictedFloat);
    case 'boolean': return toBoolean(v);
    default: throw new Error(`webnn-wasm: unknown argument kind ${kind}`);
  }
}

// MLOperatorOptions, the base of every options dictionary: its `label` is read first.
const LABEL_MEMBERS = dictionaryMembers({ label: [toUSVString] });

function checkOwner(s, os, where) {
  if (os.builder !== s) throw new TypeError(`${where} was created by another MLGraphBuilder`);
}

// An op method. Web IDL order: the arguments converted one by one, then the options dictionary
// (label, then the op's own members in lexicographic order, each read once); only then is
// anything checked against the builder or handed to the engine, so a caller's getters, valueOf
// or iterators that destroy, build or re-enter cannot act between a check and its use. The label
// names the op in every message after it is read.
function makeOpMethod(name, sig) {
  const nargs = sig.args.length;
  const dict = DICTIONARIES[sig.options];
  const legacy = LEGACY_MEMBERS[sig.options] || {};
  // An old member name converts like its spec member (the IDL reads members in order, old ones too).
  const kinds = { ...dict };
  for (const [old, spec] of Object.entries(legacy)) kinds[old] = dict[spec];
  const members = dictionaryMembers(Object.fromEntries(Object.entries(kinds).map(
    ([member, kind]) => [member, [(v, where) => convertValue(kind, v, where)]])));
  const fn = {
    [name](...args) {
      const s = stateOf(this, name);
      if (args.length < nargs) {
        throw new TypeError(`${name}: ${nargs} arguments required, but only ${args.length} present`);
      }
      const inputNames = [];
      const inputs = []; // operand states, checked against the builder below
      const inputWheres = [];
      const attrs = {};
      for (let i = 0; i < nargs; i++) {
        const [argName, kind] = sig.args[i];
        const arg = `argument '${argName}'`;
        const where = `${name}: ${arg}`;
        if (kind === 'operand[]') {
          toSequence(args[i], where, toOperand).forEach((os, k) => {
            inputNames.push(argName);
            inputs.push(os);
            inputWheres.push(`${arg}[${k}]`);
          });
        } else if (kind === 'operand') {
          inputNames.push(argName);
          inputs.push(toOperand(args[i], where));
          inputWheres.push(arg);
        } else {
          attrs[argName] = convertValue(kind, args[i], where);
        }
      }
      const { label: rawLabel = '' } = toDictionary(args[nargs], `${name}: options`, LABEL_MEMBERS);
      // Messages and the engine's reports show the label escaped (control and bidi characters).
      const label = escapeLabel(rawLabel);
      const op = label ? `${name} [${label}]` : name;
      const options = toDictionary(args[nargs], `${op}: options`, members);
      for (const member in options) {
        if (kinds[member] === 'operand') {
          inputNames.push(member);
          inputs.push(options[member]);
          inputWheres.push(`options.${member}`);
        } else {
          attrs[member] = options[member];
        }
      }
      for (const [old, spec] of Object.entries(legacy)) {
        if (!(old in attrs)) continue;
        if (!(spec in attrs)) attrs[spec] = attrs[old];
        delete attrs[old];
      }
      checkCanBuild(s, op);
      for (let i = 0; i < inputs.length; i++) checkOwner(s, inputs[i], `${op}: ${inputWheres[i]}`);
      const native = nativeOf(s, this);
      const ids = native.addOperation(name, inputNames, inputs.map((os) => os.id), attrs, label);
      if (!ids) throw engineError(native, `${op}: failed`);
      const outs = Array.from(ids, (id) => wrapOperand(s, native, id, 'output'));
      return sig.returns === 'sequence' ? outs : outs[0];
    },
  }[name];
  return fn;
}

// Every op of the spec's IDL is a method of MLGraphBuilder.prototype from the moment this module is
// evaluated, before any engine loads, so feature detection ('conv2d' in MLGraphBuilder.prototype)
// works as in a browser. (An op the engine does not register fails with a NotSupportedError.)
for (const [name, sig] of Object.entries(OPS)) {
  Object.defineProperty(MLGraphBuilder.prototype, name, {
    value: makeOpMethod(name, sig), writable: true, enumerable: true, configurable: true,
  });
}

export { builderState };
