import { INTERNAL, checkInternal, engineError, invalidState, renameCall } from './errors.js';
import { engine, heapU8, heapU8Covering, heapU32Covering, finalizer } from './engine.js';
import {
  toOperandDescriptor, toDictionary, dictionaryMembers, OPERAND_DESCRIPTOR, operandDescriptorOf, toBoolean,
  toBytes, forEachRecordEntry, checkBufferLength, shapesEqual, formatDescriptor,
} from './idl.js';
import { MLTensor, tensorState, destroyTensorState } from './tensor.js';
import { graphState, destroyGraphState } from './graph.js';
import { releaseBuilderNative } from './builder-native.js';
import { setContextStateGetter } from './context-state.js';
import { unrefWorkers, trimIdleWorkers, startThreadsNow } from '../loader.js';
import { settleLater, rejectPending } from './pending.js';

let ctxState;

// MLTensorDescriptor : MLOperandDescriptor.
const TENSOR_DESCRIPTOR = dictionaryMembers(OPERAND_DESCRIPTOR, { readable: [toBoolean], writable: [toBoolean] });

export class MLContext {
  #s;
  constructor(token, state) {
    checkInternal(token, 'MLContext');
    // { native, lost, lostResolve, lostPromise, tensors: Set, graphs: Set, numThreads, variant }
    this.#s = state;
    // A dropped context is destroyed: its engine memory freed, its threads stopped. Its tensors,
    // graphs and builders keep it reachable while they are (they hold this object, while the
    // state the cleanup holds refers to none of them), so only a context nothing can use goes.
    finalizer.register(this, () => destroyContextState(state, 'The context was garbage-collected.'), state);
  }

  // The option as given (default true): a preference, which this CPU engine notes and cannot act on.
  get accelerated() { return this.#s.accelerated; }
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
    const d = toDictionary(descriptor, 'createTensor: descriptor', TENSOR_DESCRIPTOR);
    const desc = operandDescriptorOf(d, 'createTensor: descriptor');
    checkLost(s, 'createTensor');
    return makeTensor(s, this, desc, d.readable === true, d.writable === true, false, 'createTensor');
  }

  async createConstantTensor(descriptor, inputData) {
    const s = stateOf(this, 'createConstantTensor');
    if (arguments.length < 2) throw new TypeError(`createConstantTensor: 2 arguments required, but only ${arguments.length} present`);
    const desc = toOperandDescriptor(descriptor, 'createConstantTensor: descriptor');
    const bytes = toBytes(inputData, 'createConstantTensor: inputData');
    checkLost(s, 'createConstantTensor');
    checkBufferLength(bytes, desc.dataType, desc.shape, 'createConstantTensor: inputData');
    const tensor = makeTensor(s, this, desc, false, false, true, 'createConstantTensor');
    heapU8().set(bytes, tensorState(tensor).ptr);
    return tensor;
  }

  // Any ArrayBuffer or view of the tensor's byte length, whatever its element type (as Chromium
  // does; onnxruntime-web passes Uint8Array for every data type). The spec checks no lost context
  // here: destroy() destroys the context's tensors, so a write after it is a TypeError.
  writeTensor(tensor, inputData) {
    const s = stateOf(this, 'writeTensor');
    if (arguments.length < 2) throw new TypeError(`writeTensor: 2 arguments required, but only ${arguments.length} present`);
    const ts = tensorState(tensor);
    if (!ts) throw new TypeError('writeTensor: argument 1 is not an MLTensor');
    const bytes = toBytes(inputData, 'writeTensor: inputData');
    checkTensorAccess(s, ts, 'writeTensor', 'writable');
    checkBufferLength(bytes, ts.dataType, ts.shape, 'writeTensor: inputData');
    heapU8Covering(ts.ptr + ts.byteLength).set(bytes, ts.ptr);
  }

  // readTensor(tensor) -> Promise<ArrayBuffer>; readTensor(tensor, outputData) -> Promise<undefined>.
  // The copy is taken now: the context's timeline is synchronous, so it sees every earlier
  // dispatch/writeTensor and none of the later ones. After destroy() the tensor is destroyed: a
  // TypeError, as in writeTensor.
  async readTensor(tensor, outputData) {
    const s = stateOf(this, 'readTensor');
    if (arguments.length < 1) throw new TypeError('readTensor: 1 argument required, but only 0 present');
    const ts = tensorState(tensor);
    if (!ts) throw new TypeError('readTensor: argument 1 is not an MLTensor');
    const out = arguments.length >= 2 ? toBytes(outputData, 'readTensor: outputData') : null;
    checkTensorAccess(s, ts, 'readTensor', 'readable');
    if (out) checkBufferLength(out, ts.dataType, ts.shape, 'readTensor: outputData');
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

  // Web IDL order: both records are converted completely first (every getter or proxy trap of
  // the caller runs here, once) into the graph's slots; then everything that code could have
  // changed (the context, the graph, each tensor) is checked; only then is the heap touched, its
  // views taken afresh (that code may have grown the memory), and the graph run. Repeated
  // dispatches cost O(inputs + outputs) and allocate no Map or Set: the slots are reused, a
  // per-dispatch stamp finds a tensor used twice, and each slot remembers the tensor whose data
  // type and shape it last checked (MLTensor descriptors are immutable).
  dispatch(graph, inputs, outputs) {
    const s = stateOf(this, 'dispatch');
    if (arguments.length < 3) throw new TypeError(`dispatch: 3 arguments required, but only ${arguments.length} present`);
    const gs = graphState(graph);
    if (!gs) throw new TypeError('dispatch: argument 1 is not an MLGraph');
    const slots = takeSlots(gs);
    try {
      convertTensors(inputs, slots.inputs);
      convertTensors(outputs, slots.outputs);
      checkLost(s, 'dispatch');
      if (gs.ctx !== s) throw new TypeError('dispatch: the graph belongs to another context');
      if (gs.destroyed) throw invalidState('dispatch: the graph is destroyed');
      const stamp = ++dispatchStamp;
      checkTensors('inputs', slots.inputs, gs.inputs, gs.checkedIn, s, stamp);
      checkTensors('outputs', slots.outputs, gs.outputs, gs.checkedOut, s, stamp);
      const ins = slots.inputs.tensors, outs = slots.outputs.tensors;
      const u32 = heapU32Covering(gs.table + 4 * (ins.length + outs.length));
      const base = gs.table >>> 2;
      for (let i = 0; i < ins.length; i++) u32[base + i] = ins[i].ptr;
      for (let i = 0; i < outs.length; i++) u32[base + ins.length + i] = outs[i].ptr;
      runGraph(gs);
    } finally {
      releaseSlots(slots);
    }
  }

  destroy() {
    destroyContextState(stateOf(this, 'destroy'), 'The context was destroyed.');
  }

  static {
    ctxState = (c) => (c !== null && typeof c === 'object' && #s in c ? c.#s : null);
  }
}
Object.defineProperty(MLContext.prototype, Symbol.toStringTag, { value: 'MLContext', configurable: true });
setContextStateGetter((c) => ctxState(c));

// MLContext.destroy(), and the finalizer of a dropped context.
function destroyContextState(s, message) {
  if (s.lost) return;
  finalizer.unregister(s);
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
  trimIdleWorkers(engine.M);
  s.lostResolve({ message });
}

function stateOf(context, method) {
  const s = ctxState(context);
  if (!s) throw new TypeError(`${method}: 'this' is not an MLContext`);
  return s;
}

function checkLost(s, where) {
  if (s.lost) throw invalidState(`${where}: the context is destroyed`);
}

// readTensor / writeTensor's first steps: the tensor is this context's, not destroyed (destroy()
// destroys a context's tensors), and readable / writable.
function checkTensorAccess(s, ts, where, access) {
  if (ts.ctx !== s) throw new TypeError(`${where}: the tensor belongs to another context`);
  if (ts.destroyed) throw new TypeError(`${where}: the tensor is destroyed${s.lost ? ' (its context was destroyed)' : ''}`);
  if (!ts[access]) throw new TypeError(`${where}: the tensor is not ${access}`);
}

let dispatchStamp = 0;

// The engine runs the graph over the pointer table: through the plain Wasm export when the build
// has it (gs.handle), else through Embind.
function runGraph(gs) {
  if (gs.handle) engine.M._webnn_graph_dispatch(gs.handle, gs.table);
  else gs.native.dispatch(gs.table);
}

// dispatch's per-graph scratch: per side, the tensor state given for each graph slot (null: not
// given) and the first name that is no graph input/output. A dispatch re-entered from a caller's
// getter while the graph's slots are in use gets fresh ones.
function newSlots(gs) {
  const side = (kind, index, count) => ({
    where: `dispatch: ${kind}`, index, tensors: new Array(count).fill(null), unknown: null,
  });
  return {
    busy: false,
    inputs: side('inputs', gs.inputIndex, gs.inputs.length),
    outputs: side('outputs', gs.outputIndex, gs.outputs.length),
  };
}
function takeSlots(gs) {
  if (gs.slots === null) gs.slots = newSlots(gs);
  let slots = gs.slots;
  if (slots.busy) slots = newSlots(gs);
  slots.busy = true;
  return slots;
}
function releaseSlots(slots) {
  slots.inputs.tensors.fill(null); // hold no tensor past the call
  slots.outputs.tensors.fill(null);
  slots.inputs.unknown = slots.outputs.unknown = null;
  slots.busy = false;
}

// The IDL conversion of a record<USVString, MLTensor>, into the slots: runs the caller's code,
// checks nothing that code could change.
function convertTensors(record, side) {
  forEachRecordEntry(record, side.where, bindEntry, side);
}
function bindEntry(side, name, value) {
  const ts = tensorState(value);
  if (!ts) throw new TypeError(`${side.where}['${name}'] is not an MLTensor`);
  const i = side.index.get(name);
  if (i !== undefined) side.tensors[i] = ts;
  else if (side.unknown === null) side.unknown = name;
}

// Every graph input (output) given exactly once, each tensor usable here and of the slot's data
// type and shape. `checked[i]` remembers the tensor that passed the descriptor check for slot i.
function checkTensors(kind, side, descs, checked, s, stamp) {
  const what = kind.slice(0, -1);
  if (side.unknown !== null) throw new TypeError(`dispatch: ${kind}['${side.unknown}'] is not a graph ${what}`);
  const tensors = side.tensors;
  if (tensors.includes(null)) {
    const missing = descs.filter((d, i) => tensors[i] === null).map((d) => `'${d.name}'`);
    throw new TypeError(`dispatch: ${kind} ${missing.join(', ')} not given`);
  }
  for (let i = 0; i < tensors.length; i++) {
    const ts = tensors[i];
    const d = descs[i];
    if (ts.stamp === stamp) throw new TypeError(`dispatch: ${kind}['${d.name}'] is a tensor already used in this dispatch`);
    ts.stamp = stamp;
    if (ts.ctx !== s) throw new TypeError(`dispatch: ${kind}['${d.name}'] belongs to another context`);
    if (ts.destroyed) throw new TypeError(`dispatch: ${kind}['${d.name}'] is destroyed`);
    if (ts.constant) throw new TypeError(`dispatch: ${kind}['${d.name}'] is a constant tensor`);
    if (checked[i] !== ts) {
      if (ts.dataType !== d.dataType || !shapesEqual(ts.shape, d.shape)) {
        throw new TypeError(`dispatch: ${kind}['${d.name}'] is ${formatDescriptor(ts.dataType, ts.shape)} ` +
          `but the graph expects ${formatDescriptor(d.dataType, d.shape)}`);
      }
      checked[i] = ts;
    }
  }
}

function makeTensor(s, context, desc, readable, writable, constant, where) {
  const native = s.native.createTensor(desc.dataType, desc.shape);
  if (!native) throw renameCall(engineError(s.native, `${where} failed`), 'createTensor', where);
  const state = {
    ctx: s, native, ptr: native.dataPtr() >>> 0, byteLength: native.byteLength(),
    dataType: desc.dataType, shape: Object.freeze(desc.shape.slice()),
    readable, writable, constant, destroyed: false,
    stamp: 0, // the last dispatch that bound this tensor (see checkTensors)
  };
  s.tensors.add(state);
  return new MLTensor(INTERNAL, state, context);
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
    if (!TOP_LEVEL.has(name)) out[name] = withLegacyOutputs(limits);
  }
  return out;
}

// The recurrent ops' results are `output0`, `output1` (and lstm's `output2`) in the IDL
// (onnxruntime-web 1.30 reads those); clients written against the older single key `outputs` get
// it too: the union of the numbered ones (every data type any takes, the widest rank range).
function withLegacyOutputs(limits) {
  const numbered = Object.keys(limits).filter((k) => /^output\d$/.test(k)).map((k) => limits[k]);
  if (!numbered.length || limits.outputs) return limits;
  const dataTypes = [...new Set(numbered.flatMap((l) => l.dataTypes))];
  const rankRange = {
    min: Math.min(...numbered.map((l) => l.rankRange.min)),
    max: Math.max(...numbered.map((l) => l.rankRange.max)),
  };
  return { ...limits, outputs: { dataTypes, rankRange } };
}

export function createContextState(numThreads, { accelerated = true, disabledPasses = [], verifyPlans = false, splitAllWork = false } = {}) {
  const M = engine.M;
  // null when the heap is full (the engine never aborts; see bindings/README.md)
  const native = M.createContext(numThreads);
  if (!native) throw new DOMException('createContext: out of memory (the Wasm heap is full)', 'UnknownError');
  unrefWorkers(M); // the pool may have started new workers
  startThreadsNow(M);
  if (!native.setCompileOptions(disabledPasses, verifyPlans)) {
    const err = engineError(native, 'createContext: bad compiler options');
    native.delete();
    throw err;
  }
  if (splitAllWork) native.setSplitAllWork(true);
  let lostResolve;
  const lostPromise = new Promise((r) => { lostResolve = r; });
  return new MLContext(INTERNAL, {
    native, lost: false, lostResolve, lostPromise, tensors: new Set(), graphs: new Set(),
    builders: new Set(), pending: new Set(),
    numThreads: native.numThreads(), variant: engine.variant, accelerated,
  });
}
