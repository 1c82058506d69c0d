import { INTERNAL, checkInternal, engineError, invalidState } from './errors.js';
import { engine, heapU8, heapU32, heapU8Covering, heapU32Covering } from './engine.js';
import {
  toOperandDescriptor, toDictionaryObject, toBoolean, toBytes, toRecord, byteLengthOf, shapesEqual,
  formatDescriptor,
} from './idl.js';
import { MLTensor, tensorState, destroyTensorState } from './tensor.js';
import { graphState, destroyGraphState } from './graph.js';
import { releaseBuilderNative } from './builder-native.js';
import { setContextStateGetter } from './context-state.js';
import { unrefWorkers } from '../loader.js';
import { settleLater, rejectPending } from './pending.js';

let ctxState;

export class MLContext {
  #s;
  constructor(token, state) {
    checkInternal(token, 'MLContext');
    // { native, lost, lostResolve, lostPromise, tensors: Set, graphs: Set, numThreads, variant }
    this.#s = state;
  }

  get accelerated() { return false; }
  get lost() { return this.#s.lostPromise; }
  // (ours) which engine build runs this context, e.g. 'wasm-simd-threads'.
  get backend() { return `wasm-${this.#s.variant}`; }
  // (ours) 'simd-threads' | 'simd' | 'scalar'
  get variant() { return this.#s.variant; }
  // (ours) threads the engine uses for this context (1 on single-threaded builds).
  get numThreads() { return this.#s.numThreads; }

  opSupportLimits() {
    stateOf(this, 'opSupportLimits');
    return composeLimits(engine.limits);
  }

  async createTensor(descriptor) {
    const s = stateOf(this, 'createTensor');
    if (arguments.length < 1) throw new TypeError('createTensor: 1 argument required, but only 0 present');
    const d = toDictionaryObject(descriptor, 'createTensor: descriptor');
    const desc = toOperandDescriptor(d, 'createTensor: descriptor');
    const readable = toBoolean(d.readable);
    const writable = toBoolean(d.writable);
    checkLost(s, 'createTensor');
    return makeTensor(s, desc, readable, writable, false);
  }

  async createConstantTensor(descriptor, inputData) {
    const s = stateOf(this, 'createConstantTensor');
    if (arguments.length < 2) throw new TypeError(`createConstantTensor: 2 arguments required, but only ${arguments.length} present`);
    const desc = toOperandDescriptor(descriptor, 'createConstantTensor: descriptor');
    const bytes = toBytes(inputData, 'createConstantTensor: inputData');
    checkLost(s, 'createConstantTensor');
    const expected = byteLengthOf(desc.dataType, desc.shape);
    if (bytes.byteLength !== expected) {
      throw new TypeError(`createConstantTensor: inputData has ${bytes.byteLength} bytes but ` +
        `${formatDescriptor(desc.dataType, desc.shape)} needs ${expected}`);
    }
    const tensor = makeTensor(s, desc, false, false, true);
    heapU8().set(bytes, tensorState(tensor).ptr);
    return tensor;
  }

  // Any ArrayBuffer or view of the tensor's byte length, whatever its element type (as Chromium
  // does; onnxruntime-web passes Uint8Array for every data type).
  writeTensor(tensor, inputData) {
    const s = stateOf(this, 'writeTensor');
    if (arguments.length < 2) throw new TypeError(`writeTensor: 2 arguments required, but only ${arguments.length} present`);
    const ts = tensorState(tensor);
    if (!ts) throw new TypeError('writeTensor: argument 1 is not an MLTensor');
    const bytes = toBytes(inputData, 'writeTensor: inputData');
    checkLost(s, 'writeTensor');
    if (ts.ctx !== s) throw new TypeError('writeTensor: the tensor belongs to another context');
    if (ts.destroyed) throw new TypeError('writeTensor: the tensor is destroyed');
    if (!ts.writable) throw new TypeError('writeTensor: the tensor is not writable');
    if (bytes.byteLength !== ts.byteLength) {
      throw new TypeError(`writeTensor: inputData has ${bytes.byteLength} bytes but the tensor ` +
        `${formatDescriptor(ts.dataType, ts.shape)} has ${ts.byteLength}`);
    }
    heapU8Covering(ts.ptr + ts.byteLength).set(bytes, ts.ptr);
  }

  // readTensor(tensor) -> Promise<ArrayBuffer>; readTensor(tensor, outputData) -> Promise<undefined>.
  // The copy is taken now: the context's timeline is synchronous, so it sees every earlier
  // dispatch/writeTensor and none of the later ones.
  async readTensor(tensor, outputData) {
    const s = stateOf(this, 'readTensor');
    if (arguments.length < 1) throw new TypeError('readTensor: 1 argument required, but only 0 present');
    const ts = tensorState(tensor);
    if (!ts) throw new TypeError('readTensor: argument 1 is not an MLTensor');
    const out = arguments.length >= 2 ? toBytes(outputData, 'readTensor: outputData') : null;
    checkLost(s, 'readTensor');
    if (ts.ctx !== s) throw new TypeError('readTensor: the tensor belongs to another context');
    if (ts.destroyed) throw new TypeError('readTensor: the tensor is destroyed');
    if (!ts.readable) throw new TypeError('readTensor: the tensor is not readable');
    if (out && out.byteLength < ts.byteLength) {
      throw new TypeError(`readTensor: outputData has ${out.byteLength} bytes but the tensor ` +
        `${formatDescriptor(ts.dataType, ts.shape)} has ${ts.byteLength}`);
    }
    const src = heapU8Covering(ts.ptr + ts.byteLength).subarray(ts.ptr, ts.ptr + ts.byteLength);
    // The copy is taken now (the timeline); the promise settles on a microtask, rejected instead
    // if the context or the tensor is destroyed first.
    const copy = out ? null : src.slice().buffer;
    if (out) out.set(src);
    return settleLater(s, 'readTensor', () => {
      if (ts.destroyed) throw invalidState('readTensor: the tensor was destroyed before the read completed');
      return out ? undefined : copy;
    });
  }

  // The hot path: for plain-object records whose tensors were bound to the same graph slots
  // before, this does O(inputs + outputs) work and allocates nothing (no Map, no Set, no arrays):
  // a per-dispatch stamp finds repeated tensors, and each slot remembers the tensor whose data
  // type and shape it last checked (MLTensor descriptors are immutable). Anything unusual (a
  // non-plain record, an unknown or missing name, a mismatch) takes the general path below, which
  // does the full IDL record conversion and produces the precise error.
  dispatch(graph, inputs, outputs) {
    const s = ctxState(this);
    const gs = graphState(graph);
    if (s !== null && gs !== null && arguments.length >= 3 && !s.lost && gs.ctx === s && !gs.destroyed) {
      const stamp = ++dispatchStamp;
      const u32 = heapU32Covering(gs.table + 4 * (gs.inputs.length + gs.outputs.length));
      const base = gs.table >>> 2;
      if (bindFast(inputs, gs.inputIndex, gs.inputs.length, gs.checkedIn, s, stamp, u32, base) &&
          bindFast(outputs, gs.outputIndex, gs.outputs.length, gs.checkedOut, s, stamp, u32, base + gs.inputs.length)) {
        runGraph(gs);
        return;
      }
    }
    this.#dispatchChecked(graph, inputs, outputs, arguments.length);
  }

  #dispatchChecked(graph, inputs, outputs, argc) {
    const s = stateOf(this, 'dispatch');
    if (argc < 3) throw new TypeError(`dispatch: 3 arguments required, but only ${argc} present`);
    const gs = graphState(graph);
    if (!gs) throw new TypeError('dispatch: argument 1 is not an MLGraph');
    const asTensor = (v, where) => {
      const ts = tensorState(v);
      if (!ts) throw new TypeError(`dispatch: ${where} is not an MLTensor`);
      return ts;
    };
    const ins = toRecord(inputs, 'inputs', asTensor);
    const outs = toRecord(outputs, 'outputs', asTensor);
    checkLost(s, 'dispatch');
    if (gs.ctx !== s) throw new TypeError('dispatch: the graph belongs to another context');
    if (gs.destroyed) throw invalidState('dispatch: the graph is destroyed');
    const seen = new Set();
    for (const [kind, map] of [['inputs', ins], ['outputs', outs]]) {
      for (const [name, ts] of map) {
        if (seen.has(ts)) throw new TypeError(`dispatch: ${kind}['${name}'] is a tensor already used in this dispatch`);
        seen.add(ts);
        if (ts.ctx !== s) throw new TypeError(`dispatch: ${kind}['${name}'] belongs to another context`);
        if (ts.destroyed) throw new TypeError(`dispatch: ${kind}['${name}'] is destroyed`);
        if (ts.constant) throw new TypeError(`dispatch: ${kind}['${name}'] is a constant tensor`);
      }
    }
    const u32 = heapU32();
    const base = gs.table >>> 2;
    bindTensors('inputs', ins, gs.inputs, gs.inputIndex, u32, base, gs.checkedIn);
    bindTensors('outputs', outs, gs.outputs, gs.outputIndex, u32, base + gs.inputs.length, gs.checkedOut);
    runGraph(gs);
  }

  destroy() {
    const s = stateOf(this, 'destroy');
    if (s.lost) return;
    s.lost = true;
    rejectPending(s);
    for (const bs of s.builders) releaseBuilderNative(bs);
    s.builders.clear();
    for (const ts of s.tensors) destroyTensorState(ts);
    for (const gs of s.graphs) destroyGraphState(gs);
    s.tensors.clear();
    s.graphs.clear();
    s.native.delete();
    s.native = null;
    s.lostResolve({ message: 'The context was destroyed.' });
  }

  static {
    ctxState = (c) => (c !== null && typeof c === 'object' && #s in c ? c.#s : null);
  }
}
Object.defineProperty(MLContext.prototype, Symbol.toStringTag, { value: 'MLContext', configurable: true });
setContextStateGetter((c) => ctxState(c));

function stateOf(context, method) {
  const s = ctxState(context);
  if (!s) throw new TypeError(`${method}: 'this' is not an MLContext`);
  return s;
}

function checkLost(s, where) {
  if (s.lost) throw invalidState(`${where}: the context is destroyed`);
}

let dispatchStamp = 0;

// The engine runs the graph over the pointer table: through the plain Wasm export when the build
// has it (gs.handle), else through Embind.
function runGraph(gs) {
  if (gs.handle) engine.M._webnn_graph_dispatch(gs.handle, gs.table);
  else gs.native.dispatch(gs.table);
}

// The fast path of dispatch: binds a plain-object record of tensors into the pointer table and
// returns true, or returns false (having possibly written some table entries, which the general
// path overwrites) when anything needs the general path's checks and messages.
function bindFast(record, index, count, checked, s, stamp, u32, base) {
  if (record === null || typeof record !== 'object' || Object.getPrototypeOf(record) !== Object.prototype) return false;
  let n = 0;
  // for-in over a plain object: its own enumerable string keys (Object.prototype has none).
  for (const name in record) {
    const i = index.get(name);
    if (i === undefined) return false;
    const ts = tensorState(record[name]);
    if (ts === null || ts.destroyed || ts.stamp === stamp || ts.ctx !== s || ts.constant) return false;
    if (checked[i] !== ts) return false; // first use of this tensor in this slot: the general path checks it
    ts.stamp = stamp;
    u32[base + i] = ts.ptr;
    ++n;
  }
  return n === count;
}

// Every graph input (output) bound exactly once, with its data type and shape. `checked[i]`
// remembers the tensor that passed the check for slot i (the fast path's cache).
function bindTensors(kind, map, descs, index, u32, base, checked) {
  if (map.size !== descs.length) {
    for (const name of map.keys()) {
      if (!index.has(name)) throw new TypeError(`dispatch: ${kind}['${name}'] is not a graph ${kind.slice(0, -1)}`);
    }
    const missing = descs.filter((d) => !map.has(d.name)).map((d) => `'${d.name}'`);
    throw new TypeError(`dispatch: ${kind} ${missing.join(', ')} not given`);
  }
  for (const [name, ts] of map) {
    const i = index.get(name);
    if (i === undefined) throw new TypeError(`dispatch: ${kind}['${name}'] is not a graph ${kind.slice(0, -1)}`);
    const d = descs[i];
    if (ts.dataType !== d.dataType || !shapesEqual(ts.shape, d.shape)) {
      throw new TypeError(`dispatch: ${kind}['${name}'] is ${formatDescriptor(ts.dataType, ts.shape)} ` +
        `but the graph expects ${formatDescriptor(d.dataType, d.shape)}`);
    }
    u32[base + i] = ts.ptr;
  }
  for (const [name, ts] of map) checked[index.get(name)] = ts;
}

function makeTensor(s, desc, readable, writable, constant) {
  const native = s.native.createTensor(desc.dataType, desc.shape);
  if (!native) throw engineError(s.native, 'createTensor failed');
  const state = {
    ctx: s, native, ptr: native.dataPtr() >>> 0, byteLength: native.byteLength(),
    dataType: desc.dataType, shape: Object.freeze(desc.shape.slice()),
    readable, writable, constant, destroyed: false,
    stamp: 0, // the last dispatch that bound this tensor (see bindFast)
  };
  s.tensors.add(state);
  return new MLTensor(INTERNAL, state);
}

const TOP_LEVEL = new Set(['preferredInputLayout', 'maxTensorByteLength', 'input', 'constant', 'output']);

// MLOpSupportLimits from the engine's JSON: a fresh copy for each call.
export function composeLimits(json) {
  const copy = JSON.parse(JSON.stringify(json));
  const out = {
    preferredInputLayout: copy.preferredInputLayout || 'nhwc',
    maxTensorByteLength: copy.maxTensorByteLength,
  };
  let types = new Set();
  let maxRank = 0;
  for (const [name, limits] of Object.entries(copy)) {
    if (TOP_LEVEL.has(name) || !limits || typeof limits !== 'object') continue;
    for (const l of Object.values(limits)) {
      if (!l || !Array.isArray(l.dataTypes)) continue;
      l.dataTypes.forEach((t) => types.add(t));
      if (l.rankRange) maxRank = Math.max(maxRank, l.rankRange.max);
    }
  }
  types = [...types];
  const general = () => ({ dataTypes: types.slice(), rankRange: { min: 0, max: maxRank } });
  out.input = copy.input || general();
  out.constant = copy.constant || general();
  out.output = copy.output || general();
  for (const [name, limits] of Object.entries(copy)) {
    if (!TOP_LEVEL.has(name)) out[name] = limits;
  }
  return out;
}

export function createContextState(numThreads, { disabledPasses = [], verifyPlans = false } = {}) {
  const M = engine.M;
  const native = new M.Context(numThreads);
  unrefWorkers(M); // the pool may have started new workers
  if (!native.setCompileOptions(disabledPasses, verifyPlans)) {
    const err = engineError(native, 'createContext: bad compiler options');
    native.delete();
    throw err;
  }
  let lostResolve;
  const lostPromise = new Promise((r) => { lostResolve = r; });
  return new MLContext(INTERNAL, {
    native, lost: false, lostResolve, lostPromise, tensors: new Set(), graphs: new Set(),
    builders: new Set(), pending: new Set(),
    numThreads: native.numThreads(), variant: engine.variant,
  });
}
