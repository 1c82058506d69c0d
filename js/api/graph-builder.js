import { OPS, DICTIONARIES } from '../op-signatures.js';
import { INTERNAL, engineError, invalidState, renameCall } from './errors.js';
import { engine, whenLoaded, heapU8, malloc, free, finalizer } from './engine.js';
import {
  BYTES_PER_ELEMENT, enforceRangeU32, enforceRangeI32, moduloU32, restrictedDouble, restrictedFloat,
  mlNumber, toBoolean, toUSVString, toEnum, toDataType, toSequence, isSequenceLike, toDictionaryObject,
  toRecord, toOperandDescriptor, toBytes, byteLengthOf, formatDescriptor,
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
  constructor(context) {
    if (arguments.length < 1) throw new TypeError('MLGraphBuilder: 1 argument required, but only 0 present');
    const ctx = contextState(context);
    if (!ctx) throw new TypeError('MLGraphBuilder: argument 1 is not an MLContext');
    if (ctx.lost) throw invalidState('MLGraphBuilder: the context is destroyed');
    this.#s = { ctx, native: null, built: false, inputNames: new Set() };
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
    const expected = byteLengthOf(desc.dataType, desc.shape);
    if (bytes.byteLength !== expected) {
      throw new TypeError(`constant: the buffer has ${bytes.byteLength} bytes but ` +
        `${formatDescriptor(desc.dataType, desc.shape)} needs ${expected}`);
    }
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
    // dispatch's pointer table, allocated now so that a full heap fails the call, not the settling.
    let table;
    try {
      table = malloc(4 * (g.inputCount() + g.outputCount()), 'build');
    } catch (e) {
      g.delete();
      throw e;
    }
    // Settles on a microtask: a context destroyed before then rejects it and frees the graph.
    const ctx = s.ctx;
    return settleLater(ctx, 'build', () => wrapGraph(ctx, g, table), () => { g.delete(); free(table); });
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
    const native = engine.M.createGraphBuilder(s.ctx.native);
    if (!native) throw engineError(s.ctx.native, 'MLGraphBuilder: out of memory');
    s.native = native;
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
  const ptr = malloc(bytes.byteLength, 'constant');
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

// A scalar constant: the value cast to the data type.
function constantScalar(s, builder, dataType, value) {
  dataType = toDataType(dataType, 'constant: dataType');
  value = mlNumber(value, 'constant: value');
  checkCanBuild(s, 'constant');
  const bytes = new Uint8Array(BYTES_PER_ELEMENT[dataType]);
  const n = typeof value === 'bigint' ? Number(value) : value;
  const big = typeof value === 'bigint' ? value : (Number.isFinite(n) ? BigInt(Math.trunc(n)) : 0n);
  const buf = bytes.buffer;
  switch (dataType) {
    case 'float32': new Float32Array(buf)[0] = n; break;
    case 'float16': new Uint16Array(buf)[0] = float32ToFloat16Bits(n); break;
    case 'int32': new Int32Array(buf)[0] = n; break;
    case 'uint32': new Uint32Array(buf)[0] = n; break;
    case 'int8': new Int8Array(buf)[0] = n; break;
    case 'uint8': new Uint8Array(buf)[0] = n; break;
    case 'int64': new BigInt64Array(buf)[0] = big; break;
    case 'uint64': new BigUint64Array(buf)[0] = BigInt.asUintN(64, big); break;
  }
  return constantFromBytes(s, builder, dataType, [], bytes);
}

// IEEE binary16 bits of a number, round to nearest even.
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

function wrapGraph(ctx, g, table) {
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
    table, // dispatch's pointer table, reused
    // For the plain dispatch export (0: use the Embind method).
    handle: typeof g.handle === 'function' && typeof engine.M._webnn_graph_dispatch === 'function' ? g.handle() : 0,
    inputIndex: new Map(inputs.map((d, i) => [d.name, i])),
    outputIndex: new Map(outputs.map((d, i) => [d.name, i])),
    // Per slot, the tensor whose data type and shape dispatch last checked (its fast path).
    checkedIn: new Array(inputs.length).fill(null),
    checkedOut: new Array(outputs.length).fill(null),
  };
  ctx.graphs.add(state);
  return new MLGraph(INTERNAL, state);
}

// ---- The table-driven operator methods ----

function operandId(s, v, where) {
  const os = operandState(v);
  if (!os) throw new TypeError(`${where} is not an MLOperand`);
  if (os.builder !== s) throw new TypeError(`${where} was created by another MLGraphBuilder`);
  return os.id;
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
    case 'u32': return enforceRangeU32(v, where);
    case 'i32': return enforceRangeI32(v, where);
    case 'u32[]': return toSequence(v, where, enforceRangeU32);
    case 'u32mod[]': return toSequence(v, where, moduloU32);
    case 'u32|u32[]': return isSequenceLike(v) ? toSequence(v, where, enforceRangeU32) : enforceRangeU32(v, where);
    case 'dataType': return toDataType(v, where);
    case 'number': { const x = mlNumber(v, where); return typeof x === 'bigint' ? Number(x) : x; }
    case 'double': return restrictedDouble(v, where);
    case 'float[]': return toSequence(v, where, restrictedFloat);
    case 'boolean': return toBoolean(v);
    default: throw new Error(`webnn-wasm: unknown argument kind ${kind}`);
  }
}

function peekLabel(options) {
  try {
    if (options !== null && typeof options === 'object' && options.label !== undefined) return String(options.label);
  } catch { /* reported when options are converted */ }
  return '';
}

function makeOpMethod(name, sig) {
  const dict = DICTIONARIES[sig.options];
  const nargs = sig.args.length;
  const members = Object.entries(dict).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)); // IDL reads members in order
  const fn = {
    [name](...args) {
      const s = stateOf(this, name);
      const label = peekLabel(args[nargs]);
      const op = label ? `${name} [${label}]` : name;
      if (args.length < nargs) {
        throw new TypeError(`${op}: ${nargs} arguments required, but only ${args.length} present`);
      }
      const inputNames = [];
      const inputIds = [];
      const attrs = {};
      for (let i = 0; i < nargs; i++) {
        const [argName, kind] = sig.args[i];
        const v = args[i];
        if (kind === 'operand') {
          inputNames.push(argName);
          inputIds.push(operandId(s, v, `${op}: argument '${argName}'`));
        } else if (kind === 'operand[]') {
          const ops = toSequence(v, `${op}: argument '${argName}'`, (x, w) => operandId(s, x, w));
          for (const id of ops) {
            inputNames.push(argName);
            inputIds.push(id);
          }
        } else {
          attrs[argName] = convertValue(kind, v, `${op}: argument '${argName}'`);
        }
      }
      const options = toDictionaryObject(args[nargs], `${op}: options`);
      const labelValue = options.label === undefined ? '' : toUSVString(options.label, `${op}: options.label`);
      for (const [member, kind] of members) {
        const v = options[member];
        if (v === undefined) continue;
        if (kind === 'operand') {
          inputNames.push(member);
          inputIds.push(operandId(s, v, `${op}: options.${member}`));
        } else {
          attrs[member] = convertValue(kind, v, `${op}: options.${member}`);
        }
      }
      checkCanBuild(s, op);
      const native = nativeOf(s, this);
      const ids = native.addOperation(name, inputNames, inputIds, attrs, labelValue);
      if (!ids) throw renameCall(engineError(native, `${op}: failed`), 'addOperation', op);
      const outs = Array.from(ids, (id) => wrapOperand(s, native, id, 'output'));
      return sig.returns === 'sequence' ? outs : outs[0];
    },
  }[name];
  return fn;
}

// The engine decides which ops exist: a method for each op it registers, none for the others.
export function installOps(limits) {
  for (const [name, sig] of Object.entries(OPS)) {
    if (!limits[name]) continue;
    Object.defineProperty(MLGraphBuilder.prototype, name, {
      value: makeOpMethod(name, sig), writable: true, enumerable: true, configurable: true,
    });
  }
}
whenLoaded((e) => installOps(e.limits));

export { builderState };
