// The TF.js KernelBackend of webnn-wasm: tensor data lives in the engine's Wasm heap (one engine
// tensor per TF.js dataId) between kernels; each kernel is a small WebNN graph, built once per
// (kernel, shapes, attributes, baked weights) and dispatched on the heap tensors. Kernels the
// engine cannot run go to tfjs-backend-cpu on downloaded data (see fallback()).
//
// TF.js kernels are synchronous, while the WebNN API's build()/createTensor()/readTensor() return
// promises. So this backend uses the package's own layers below the API: MLGraphBuilder for the
// op methods (their argument checks and attribute conversion), then the engine builder's build()
// and the Embind Context/Tensor/Graph objects directly (bindings/README.md), all synchronous.
import { KernelBackend, DataStorage, engine as tfEngine, getKernel, util } from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { MLGraphBuilder, builderState } from '../api/graph-builder.js';
import { operandState } from '../api/operand.js';
import { contextState } from '../api/context-state.js';
import { engine, heapU8, heapU8Covering, heapU32Covering, malloc, free } from '../api/engine.js';
import { engineError, isOutOfMemory } from '../api/errors.js';
import { releaseBuilderNative } from '../api/builder-native.js';

// TF.js dtypes the engine holds (bool as uint8 0/1, as TF.js stores it); complex64 and string stay
// on the CPU side.
const ENGINE_DTYPES = { float32: Float32Array, int32: Int32Array, bool: Uint8Array };
export const ENGINE_TYPE = { float32: 'float32', int32: 'int32', bool: 'uint8' };

let serials = 0;

// One TF.js dataId's data. Its content never changes (TF.js tensors are immutable), so the heap
// tensor, the JS values and the fallback backend's copy are interchangeable caches of each other.
class Data {
  constructor(dtype, refCount = 1) {
    this.dtype = dtype;
    this.refCount = refCount;
    this.serial = ++serials;
    this.tensor = null; // Embind Tensor in the Wasm heap (float32/int32 only)
    this.values = null; // BackendValues in JS
    this.cpuId = null; // a dataId of the private MathBackendCPU (owns one reference there)
    this.written = false; // came from JS (write/move): weights; baked as graph constants
    this.graphKeys = null; // cache keys of graphs that baked this data as a constant
    this.producer = null; // { node, index }: an output of a kernel in the pending graph, no data yet
    this.pins = 0; // pending kernels that read this data (it outlives dispose until the flush)
    this.dead = false; // disposed by TF.js (no longer in the DataStorage)
    this.valueKey = null; // constantKey()'s by-value key, made once (the values never change)
    this.failure = null; // the error of the flush that was to compute it (it has no data)
  }
}

export class WebNNWasmBackend extends KernelBackend {
  constructor(context, options = {}) {
    super();
    this.context = context;
    this.ctxState = contextState(context);
    this.data = new DataStorage(this, tfEngine());
    this.cpu = new MathBackendCPU();
    this.graphs = new Map(); // one kernel's graph key -> Entry | FALLBACK
    this.wholeGraphs = new Map(); // pending graph structure key -> Entry | FALLBACK, least recently used first
    this.checked = new Map(); // one kernel's key without weight identities -> the engine accepts it
    this.pending = newPending();
    this.currentKernel = null; // { kernelName, inputs, attrs } of the kernel being called (index.js)
    this.wholeGraph = options.wholeGraph !== false;
    this.maxPendingNodes = options.maxPendingNodes ?? 2000;
    this.maxCachedGraphs = options.maxCachedGraphs ?? 64;
    this.opLimits = null; // the engine's op support limits, read on the first kernel (see limits)
    this.supportCache = new Map(); // `${op}|${dataType}` -> supports it (supportsOne)
    this.supportCacheOf = null; // the limits object supportCache was filled from
    this.stats = {
      dispatches: 0, graphBuilds: 0, wholeGraphBuilds: 0, recorded: 0, fallbacks: 0, fallbackKernels: new Map(), uploads: 0, downloads: 0,
    };
    this.bakeWeights = options.bakeWeights !== false;
    this.heapTensors = new Set(); // every live engine tensor, freed on dispose()
    // Released engine tensors kept for reuse, by `${dtype}:${elements}`: a predict() makes the same
    // outputs every call, and creating an engine tensor (an Embind call with a shape array, malloc,
    // a JS handle) cost more than its dispatch's binding. At most kMaxFreeBytes in all.
    this.freeTensors = new Map();
    this.freeBytes = 0;
    this.dispatching = null; // the Entry being dispatched: freeIdleMemory() keeps it
    this.disposed = false;
  }

  // ---- TensorStorage ----

  write(values, shape, dtype) {
    const dataId = { id: serials + 1 };
    const d = new Data(dtype);
    d.values = values;
    d.written = true;
    this.data.set(dataId, d);
    return dataId;
  }

  move(dataId, values, shape, dtype, refCount) {
    const d = new Data(dtype, refCount);
    d.values = values;
    d.written = true;
    this.data.set(dataId, d);
  }

  // A kernel output held in the heap.
  makeHeapOutput(tensor, shape, dtype) {
    const dataId = { id: serials + 1 };
    const d = new Data(dtype);
    d.tensor = tensor;
    this.data.set(dataId, d);
    return { dataId, shape, dtype };
  }

  // For kernels: an output from JS values (small shape arithmetic).
  makeTensorInfo(shape, dtype, values) {
    const dataId = this.write(values ?? util.getTypedArrayFromDType(dtype, util.sizeFromShape(shape)), shape, dtype);
    this.data.get(dataId).written = false;
    return { dataId, shape, dtype };
  }

  readSync(dataId) {
    return this.valuesOf(this.data.get(dataId));
  }

  async read(dataId) {
    return this.readSync(dataId);
  }

  disposeData(dataId, force = false) {
    if (!this.data.has(dataId)) return true;
    const d = this.data.get(dataId);
    d.refCount--;
    if (!force && d.refCount > 0) return false;
    this.data.delete(dataId);
    d.dead = true;
    // A pending kernel's output or input: freed by the flush.
    if (d.pins === 0 && !d.producer) this.release(d);
    return true;
  }

  disposeIntermediateTensorInfo(info) {
    this.disposeData(info.dataId);
  }

  refCount(dataId) {
    return this.data.has(dataId) ? this.data.get(dataId).refCount : 0;
  }

  incRef(dataId) {
    this.data.get(dataId).refCount++;
  }

  numDataIds() {
    return this.data.numDataIds();
  }

  memory() {
    return { unreliable: false, wasmHeapBytes: heapU8().byteLength };
  }

  timerAvailable() { return true; }

  async time(f) {
    const start = util.now();
    f();
    this.flush();
    return { kernelMs: util.now() - start };
  }

  floatPrecision() { return 32; }
  epsilon() { return 1e-7; }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    this.pending = newPending();
    this.freeIdleMemory(); // the recycled tensors and the cached graphs
    this.graphs.clear();
    this.wholeGraphs.clear();
    for (const t of this.heapTensors) t.delete();
    this.heapTensors.clear();
    this.cpu.dispose();
    this.context.destroy(); // frees every engine tensor it created
  }

  // ---- Data placement ----

  release(d) {
    if (d.tensor) {
      if (this.heapTensors.delete(d.tensor)) this.recycle(d.tensor, d.dtype);
      d.tensor = null;
    }
    if (d.cpuId) {
      this.cpu.disposeData(d.cpuId);
      d.cpuId = null;
    }
    if (d.graphKeys) {
      for (const key of d.graphKeys) {
        for (const cache of [this.graphs, this.wholeGraphs]) {
          const e = cache.get(key);
          if (e && e !== FALLBACK) deleteEntry(e);
          cache.delete(key);
        }
      }
      d.graphKeys = null;
    }
    d.values = null;
  }

  // JS values of a dataId, copied out of the heap once and kept.
  valuesOf(d) {
    if (d.producer) this.flush();
    if (d.values) return d.values;
    if (d.failure) throw d.failure;
    if (d.tensor) {
      const Ctor = ENGINE_DTYPES[d.dtype];
      const ptr = d.tensor.dataPtr();
      const end = ptr + d.tensor.byteLength();
      const bytes = heapU8Covering(end).slice(ptr, end);
      d.values = new Ctor(bytes.buffer);
      this.stats.downloads++;
    } else if (d.cpuId) {
      d.values = this.cpu.readSync(d.cpuId);
    } else {
      throw new Error('webnn-wasm tfjs backend: a dataId without data');
    }
    return d.values;
  }

  // The heap tensor of a dataId (uploaded from JS once when needed). Only engine dtypes.
  heapTensorOf(d) {
    if (d.producer) this.flush();
    if (d.tensor) return d.tensor;
    const Ctor = ENGINE_DTYPES[d.dtype];
    const values = this.valuesOf(d);
    const n = values.length;
    const t = this.createHeapTensor(d.dtype, n);
    const src = values instanceof Ctor ? values : Ctor.from(values);
    heapU8().set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength), t.dataPtr());
    d.tensor = t;
    this.stats.uploads++;
    return t;
  }

  createHeapTensor(dtype, n) {
    const elements = Math.max(n, 1);
    const list = this.freeTensors.get(`${dtype}:${elements}`);
    let t = list?.pop();
    if (t) {
      this.freeBytes -= elements * ENGINE_DTYPES[dtype].BYTES_PER_ELEMENT;
    } else {
      t = this.retryOutOfMemory(() => {
        const made = this.ctxState.native.createTensor(ENGINE_TYPE[dtype], [elements]);
        if (!made) throw engineError(this.ctxState.native, 'createTensor failed');
        return made;
      });
    }
    this.heapTensors.add(t);
    return t;
  }

  // An engine tensor of createHeapTensor() that no dataId took (a dispatch that failed).
  dropHeapTensor(t) {
    this.heapTensors.delete(t);
    t.delete();
  }

  // Runs fn(); if the Wasm heap is full, frees what this backend holds only to be faster (recycled
  // engine tensors, cached graphs) and runs fn() once more. Out of memory is never taken for "the
  // engine cannot run this" (which would send kernels to the CPU for good): it is thrown.
  retryOutOfMemory(fn) {
    try {
      return fn();
    } catch (e) {
      if (!isOutOfMemory(e) || !this.freeIdleMemory()) throw e;
      debugLog(`out of memory (${e.message}): freed the recycled tensors and cached graphs, trying again`);
      return fn();
    }
  }

  // Frees the recycled engine tensors and every cached graph but the one being dispatched (they
  // are rebuilt when needed). Returns whether anything was freed.
  freeIdleMemory() {
    let freed = false;
    for (const list of this.freeTensors.values()) for (const t of list) { t.delete(); freed = true; }
    this.freeTensors.clear();
    this.freeBytes = 0;
    for (const cache of [this.graphs, this.wholeGraphs]) {
      for (const [key, e] of cache) {
        if (e === FALLBACK || e === this.dispatching) continue;
        deleteEntry(e);
        cache.delete(key);
        freed = true;
      }
    }
    return freed;
  }

  // A released engine tensor: kept for createHeapTensor while the free list is small, else freed.
  recycle(t, dtype) {
    const elements = t.byteLength() / ENGINE_DTYPES[dtype].BYTES_PER_ELEMENT;
    const bytes = t.byteLength();
    if (this.freeBytes + bytes > kMaxFreeBytes) {
      t.delete();
      return;
    }
    const key = `${dtype}:${elements}`;
    let list = this.freeTensors.get(key);
    if (!list) this.freeTensors.set(key, (list = []));
    list.push(t);
    this.freeBytes += bytes;
  }

  cpuIdOf(d, info) {
    if (d.cpuId) return d.cpuId;
    d.cpuId = this.cpu.write(this.valuesOf(d), info.shape, d.dtype);
    return d.cpuId;
  }

  // ---- Support queries ----

  // The engine's own limits (read-only; MLContext.opSupportLimits() returns a fresh copy per call),
  // fetched on first use so that initializing the backend does not wait for them.
  get limits() {
    return (this.opLimits ??= engine.limits);
  }

  has(op) {
    return !!this.limits[op];
  }

  // True when every op is registered and supports `dataType` for its first operand.
  supports(ops, dtype = 'float32') {
    const dataType = ENGINE_TYPE[dtype] ?? dtype;
    for (const op of ops) if (!this.supportsOne(op, dataType)) return false;
    return true;
  }

  // Memoized per (op, dataType): every kernel call asks, and the limits never change.
  supportsOne(op, dataType) {
    const limits = this.limits;
    if (this.supportCacheOf !== limits) { // (tests may swap the limits)
      this.supportCache.clear();
      this.supportCacheOf = limits;
    }
    const key = `${op}|${dataType}`;
    let ok = this.supportCache.get(key);
    if (ok === undefined) {
      const l = limits[op];
      const first = l && Object.values(l).find((v) => v && Array.isArray(v.dataTypes));
      ok = !!l && (!first || first.dataTypes.includes(dataType));
      this.supportCache.set(key, ok);
    }
    return ok;
  }

  // How a baked constant enters a graph's cache key: a few values by value (TF.js ops create fresh
  // scalars on every call: keyed by identity, each call would build a new graph), else by identity.
  constantKey(d, shape) {
    if (d.valueKey) return d.valueKey;
    if (util.sizeFromShape(shape) <= 16 && d.values) {
      d.valueKey = `=${Array.from(d.values, (v) => (Object.is(v, -0) ? '-0' : v)).join(',')}`;
      return d.valueKey;
    }
    return `#${d.serial}`;
  }

  isWeight(info) {
    return this.bakeWeights && this.data.get(info.dataId).written;
  }

  // ---- Running graphs ----

  // Runs a WebNN graph on TF.js tensors (one kernel's worth).
  //   key:     identifies the graph apart from the inputs' shapes/dtypes (kernel name + attrs)
  //   inputs:  [{ info, shape?, constant? }]: `shape` overrides the declared shape (same element
  //            count; binding is by heap address), `constant` bakes the data into the graph
  //   build:   (builder, operands) => MLOperand | MLOperand[]
  //   outputs: [{ shape, dtype }] the TF.js shapes/dtypes of the outputs (element counts must match
  //            the graph's outputs)
  //   deps:    TensorInfos whose data the graph depends on other than through its inputs (folded
  //            weights): the graph is dropped with them
  // Returns TensorInfo[], or null when the engine rejects the graph (the caller falls back).
  // With whole-model graphs (the default) nothing runs yet: the kernel is checked now (so a bad
  // shape or attribute falls back or throws at this call) and recorded into the pending graph,
  // which runs as one engine graph when data are needed (flush()).
  runGraph(key, inputs, build, outputs, deps = []) {
    // A shape override that does not fit the data is a kernel's inconsistent inputs (e.g. matMul's
    // inner sizes): the CPU kernel then throws TF.js's error at this call.
    for (const inp of inputs) {
      if (inp.shape && util.sizeFromShape(inp.shape) !== util.sizeFromShape(inp.info.shape)) return null;
    }
    const ins = inputs.map((inp) => ({
      d: this.data.get(inp.info.dataId),
      dtype: inp.info.dtype,
      shape: inp.shape ?? inp.info.shape,
      constant: !!inp.constant,
    }));
    let fullKey = key;
    let checkKey = key;
    for (const inp of ins) {
      const desc = `|${inp.dtype}[${inp.shape}]`;
      if (inp.constant) inp.constKey = this.constantKey(inp.d, inp.shape);
      fullKey += desc + (inp.constant ? inp.constKey : '');
      checkKey += desc + (inp.constant ? '#' : '');
    }
    const depData = deps.map((t) => this.data.get(t.dataId));
    if (!this.wholeGraph) return this.runEagerly(fullKey, ins, build, outputs, depData);
    let ok = this.checked.get(checkKey);
    if (ok === undefined) {
      ok = this.retryOutOfMemory(() => this.check(checkKey, ins, build, outputs));
      this.checked.set(checkKey, ok);
    }
    if (!ok) return null;
    return this.record(fullKey, checkKey, ins, build, outputs, depData);
  }

  // One kernel's graph built and dispatched now (the per-kernel path).
  runEagerly(fullKey, ins, build, outputs, depData) {
    let entry = this.graphs.get(fullKey);
    if (entry === undefined) {
      entry = this.retryOutOfMemory(() => this.buildEntry(fullKey, ins, build, outputs));
      this.graphs.set(fullKey, entry);
      if (entry !== FALLBACK) for (const d of depData) (d.graphKeys ??= new Set()).add(fullKey);
    }
    if (entry === FALLBACK) return null;
    return this.dispatchOn(entry, ins.map((inp) => inp.d), outputs).map((t, i) => this.makeHeapOutput(t, outputs[i].shape, outputs[i].dtype));
  }

  // Describes the kernel's graph on a scratch builder (every input an input operand): the engine
  // validates shapes and attributes op by op, so what fails here fails before anything is recorded.
  check(checkKey, ins, build, outputs) {
    const b = new MLGraphBuilder(this.context);
    try {
      const operands = ins.map((inp, i) => {
        const dataType = ENGINE_TYPE[inp.dtype];
        if (!dataType) throw new Error(`dtype ${inp.dtype}`);
        return b.input(`x${i}`, { dataType, shape: inp.shape });
      });
      checkOutputs(toList(build(b, operands)), outputs);
      return true;
    } catch (e) {
      if (isOutOfMemory(e)) throw e;
      debugLog(`${checkKey}: ${e.message}; using the CPU fallback`);
      return false;
    } finally {
      releaseBuilderNative(builderState(b));
    }
  }

  // Adds a kernel to the pending graph; its outputs are dataIds with no data yet (Data.producer).
  // Every dataId the kernel reads is pinned until the flush, so tidy()/dispose() may drop them.
  record(fullKey, checkKey, ins, build, outputs, depData) {
    const P = this.pending;
    const node = { idx: P.nodes.length, fullKey, checkKey, ins, build, outputs, outData: [], kernel: null };
    for (const inp of ins) {
      inp.src = inp.d.producer; // { node, index } when pending, else null (an external input)
      this.pin(inp.d);
    }
    for (const d of depData) this.pin(d);
    node.deps = depData;
    // For the rare graph the engine cannot build whole (and then not alone): the CPU kernel.
    const k = this.currentKernel;
    if (k) {
      const kin = Array.isArray(k.inputs) ? [] : {};
      for (const [name, info] of Object.entries(k.inputs)) {
        if (info == null) { kin[name] = info; continue; }
        const d = this.data.get(info.dataId);
        this.pin(d);
        kin[name] = { d, shape: info.shape, dtype: info.dtype };
      }
      node.kernel = { kernelName: k.kernelName, inputs: kin, attrs: k.attrs };
    }
    const infos = outputs.map((o, index) => {
      const dataId = { id: serials + 1 };
      const d = new Data(o.dtype);
      d.producer = { node, index };
      node.outData.push(d);
      this.data.set(dataId, d);
      return { dataId, shape: o.shape, dtype: o.dtype };
    });
    P.nodes.push(node);
    this.stats.recorded++;
    if (P.nodes.length >= this.maxPendingNodes) {
      try {
        this.flush();
      } catch (e) {
        for (const info of infos) this.data.delete(info.dataId); // TF.js never gets them
        throw e;
      }
    }
    return infos;
  }

  pin(d) {
    d.pins++;
    this.pending.pinned.push(d);
  }

  // Runs the pending graph: the kernels that the live outputs (dataIds TF.js still holds) depend
  // on, as one engine graph, compiled once per structure and dispatched once.
  flush() {
    const P = this.pending;
    if (P.nodes.length === 0) return;
    this.pending = newPending();
    try {
      this.runPending(P);
    } catch (e) {
      // The kernels that did not run leave dataIds without data: reading one throws this again.
      const err = flushError(e, P.nodes);
      for (const node of P.nodes) {
        for (const d of node.outData) if (!d.tensor && !d.cpuId && !d.values) d.failure = err;
      }
      throw err;
    } finally {
      for (const node of P.nodes) {
        for (const d of node.outData) {
          d.producer = null;
          if (d.dead && d.pins === 0) this.release(d);
        }
      }
      for (const d of P.pinned) if (--d.pins === 0 && d.dead) this.release(d);
    }
  }

  runPending(P) {
    const { nodes } = P;
    // Liveness, from the last kernel back.
    const needed = new Array(nodes.length).fill(false);
    const live = []; // [node idx, output index], in reverse
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i];
      for (let k = node.outData.length - 1; k >= 0; k--) {
        if (!node.outData[k].dead) { needed[i] = true; live.push([i, k]); }
      }
      if (needed[i]) for (const inp of node.ins) if (inp.src) needed[inp.src.node.idx] = true;
    }
    if (live.length === 0) return; // everything was disposed unread
    live.reverse();
    // The structure: kernels, their wiring, the external inputs and which of them are baked.
    const exts = [];
    const extOf = new Map();
    const order = [];
    const renum = new Map();
    let key = '';
    for (let i = 0; i < nodes.length; i++) {
      if (!needed[i]) continue;
      const node = nodes[i];
      renum.set(i, order.length);
      order.push(node);
      key += `${node.fullKey}(`;
      for (const inp of node.ins) {
        if (inp.src) {
          key += `n${renum.get(inp.src.node.idx)}.${inp.src.index},`;
          continue;
        }
        let e = extOf.get(inp.d);
        if (e === undefined) {
          e = exts.length;
          extOf.set(inp.d, e);
          exts.push({ d: inp.d, dtype: inp.dtype, shape: inp.shape, constant: inp.constant, constKey: inp.constKey });
        } else if (inp.constant && !exts[e].constant) {
          exts[e].constant = true;
          exts[e].constKey = this.constantKey(inp.d, exts[e].shape);
        }
        key += `e${e},`;
      }
      key += ')';
    }
    for (const e of exts) key += `|e${e.dtype}[${e.shape}]${e.constant ? e.constKey : ''}`;
    key += `|out${live.map(([i, k]) => `${renum.get(i)}.${k}`)}`;

    let entry = this.wholeGraphs.get(key);
    if (entry !== undefined) {
      this.wholeGraphs.delete(key); // most recently used last
      this.wholeGraphs.set(key, entry);
    } else {
      entry = this.retryOutOfMemory(() => this.buildWhole(key, order, exts, extOf, live, nodes));
      this.wholeGraphs.set(key, entry);
      if (entry !== FALLBACK) {
        for (const e of exts) if (e.constant && e.constKey[0] === '#') (e.d.graphKeys ??= new Set()).add(key);
        for (const node of order) for (const d of node.deps) (d.graphKeys ??= new Set()).add(key);
      }
      while (this.wholeGraphs.size > this.maxCachedGraphs) {
        const [oldest, old] = this.wholeGraphs.entries().next().value;
        if (old !== FALLBACK) deleteEntry(old);
        this.wholeGraphs.delete(oldest);
      }
    }
    if (entry === FALLBACK) {
      this.runNodesOneByOne(order);
      return;
    }
    const outTensors = this.dispatchOn(entry, exts.map((e) => e.d), live.map(([i, k]) => nodes[i].outputs[k]));
    live.forEach(([i, k], j) => { nodes[i].outData[k].tensor = outTensors[j]; });
  }

  // One engine graph for the needed kernels of a pending graph, or FALLBACK if the engine cannot
  // build it (then the kernels run one by one).
  buildWhole(key, order, exts, extOf, live, nodes) {
    const b = new MLGraphBuilder(this.context);
    try {
      const extOps = exts.map((e, j) => {
        const desc = { dataType: ENGINE_TYPE[e.dtype], shape: e.shape };
        return e.constant ? b.constant(desc, this.valuesOf(e.d)) : b.input(`x${j}`, desc);
      });
      const made = new Map(); // node -> its output operands
      for (const node of order) {
        const operands = node.ins.map((inp) => {
          let op = inp.src ? made.get(inp.src.node)[inp.src.index] : extOps[extOf.get(inp.d)];
          if (!util.arraysEqual(op.shape, inp.shape)) op = b.reshape(op, inp.shape);
          return op;
        });
        made.set(node, toList(node.build(b, operands)));
      }
      const graph = buildSync(b, live.map(([i, k]) => made.get(nodes[i])[k]));
      const entry = entryOf(graph);
      this.stats.graphBuilds++;
      this.stats.wholeGraphBuilds++;
      return entry;
    } catch (e) {
      releaseBuilderNative(builderState(b));
      if (isOutOfMemory(e)) throw e;
      debugLog(`a pending graph of ${order.length} kernels: ${e.message}; running them one by one`);
      return FALLBACK;
    }
  }

  // The pending kernels one engine graph each (or on the CPU when the engine rejects one alone),
  // every output materialized; the dead ones are freed by flush().
  runNodesOneByOne(order) {
    for (const node of order) {
      let entry = this.graphs.get(node.fullKey);
      if (entry === undefined) {
        entry = this.retryOutOfMemory(() => this.buildEntry(node.fullKey, node.ins, node.build, node.outputs));
        this.graphs.set(node.fullKey, entry);
      }
      if (entry !== FALLBACK) {
        const tensors = this.dispatchOn(entry, node.ins.map((inp) => inp.d), node.outputs);
        node.outData.forEach((d, k) => { d.producer = null; d.tensor = tensors[k]; });
        continue;
      }
      this.checked.set(node.checkKey, false); // next time, the CPU kernel at the call
      if (!node.kernel || !getKernel(node.kernel.kernelName, 'cpu')) throw new Error(`webnn-wasm tfjs backend: the engine cannot build '${node.fullKey}'`);
      const { kernelName, inputs, attrs } = node.kernel;
      const cpuInputs = Array.isArray(inputs) ? [] : {};
      for (const [name, t] of Object.entries(inputs)) {
        cpuInputs[name] = t == null ? t : { dataId: this.cpuIdOf(t.d, t), shape: t.shape, dtype: t.dtype };
      }
      const out = toList(getKernel(kernelName, 'cpu').kernelFunc({ inputs: cpuInputs, attrs, backend: this.cpu }));
      this.stats.fallbacks++;
      this.stats.fallbackKernels.set(kernelName, (this.stats.fallbackKernels.get(kernelName) || 0) + 1);
      node.outData.forEach((d, k) => { d.producer = null; d.cpuId = out[k].dataId; });
    }
  }

  buildEntry(fullKey, ins, build, outputs) {
    const b = new MLGraphBuilder(this.context);
    const constants = [];
    try {
      const operands = ins.map((inp, i) => {
        const dataType = ENGINE_TYPE[inp.dtype];
        if (!dataType) throw new Error(`dtype ${inp.dtype}`);
        const desc = { dataType, shape: inp.shape };
        if (!inp.constant) return b.input(`x${i}`, desc);
        if (inp.constKey[0] === '#') constants.push(inp.d);
        return b.constant(desc, this.valuesOf(inp.d));
      });
      const outs = toList(build(b, operands));
      checkOutputs(outs, outputs);
      const entry = entryOf(buildSync(b, outs));
      this.stats.graphBuilds++;
      for (const d of constants) (d.graphKeys ??= new Set()).add(fullKey);
      return entry;
    } catch (e) {
      releaseBuilderNative(builderState(b));
      if (isOutOfMemory(e)) throw e;
      debugLog(`${fullKey}: ${e.message}; using the CPU fallback`);
      return FALLBACK;
    }
  }

  // Dispatches a built graph: output y<j> a fresh engine tensor for outputs[j] ({ shape, dtype }),
  // graph input x<k> is inData[k] (uploaded once if its data are in JS). Returns the output tensors;
  // if anything fails (a full heap), the outputs made so far are freed before the error goes on.
  dispatchOn(entry, inData, outputs) {
    const outTensors = [];
    this.dispatching = entry;
    try {
      for (const o of outputs) outTensors.push(this.createHeapTensor(o.dtype, util.sizeFromShape(o.shape)));
      const ptrs = entry.order.map((k) => this.heapTensorOf(inData[k]).dataPtr());
      const base = entry.table >>> 2;
      const u32 = heapU32Covering(entry.table + 4 * (ptrs.length + outTensors.length)); // after the uploads (they may grow the heap)
      ptrs.forEach((p, i) => { u32[base + i] = p; });
      entry.outOrder.forEach((j, i) => { u32[base + ptrs.length + i] = outTensors[j].dataPtr(); });
      entry.graph.dispatch(entry.table);
    } catch (e) {
      for (const t of outTensors) this.dropHeapTensor(t);
      throw e;
    } finally {
      this.dispatching = null;
    }
    this.stats.dispatches++;
    return outTensors;
  }

  // ---- The CPU fallback ----

  // Runs tfjs-backend-cpu's kernel on this backend's data: inputs are handed over (copied out of
  // the heap once, then cached), outputs stay in the CPU backend until a Wasm kernel needs them.
  fallback(kernelName, { inputs, attrs }) {
    const config = getKernel(kernelName, 'cpu');
    if (!config) throw new Error(`webnn-wasm tfjs backend: no kernel '${kernelName}' (and no CPU fallback)`);
    this.stats.fallbacks++;
    this.stats.fallbackKernels.set(kernelName, (this.stats.fallbackKernels.get(kernelName) || 0) + 1);
    // `rank` too: some CPU kernels (Dilation2D's gradients) read it, as the engine passes Tensors.
    const toCpu = (info) => {
      if (info == null) return info;
      if (Array.isArray(info)) return info.map(toCpu); // RaggedGather's paramsNestedSplits
      const d = this.data.get(info.dataId);
      return { dataId: this.cpuIdOf(d, info), shape: info.shape, dtype: info.dtype, rank: info.shape.length };
    };
    const cpuInputs = Array.isArray(inputs) ? [] : {}; // Concat, Pack, AddN pass arrays
    for (const [k, info] of Object.entries(inputs)) cpuInputs[k] = toCpu(info);
    const out = config.kernelFunc({ inputs: cpuInputs, attrs, backend: this.cpu });
    const wrap = (o) => {
      const dataId = { id: serials + 1 };
      const d = new Data(o.dtype);
      if (o.rank != null && typeof o.dispose === 'function') {
        // A Tensor from the CPU backend's makeOutput() (Abs, ComplexAbs, the Ragged kernels): the
        // engine tracks it in the op's scope and disposes its data at the scope's end. Keep a copy
        // we own, then dispose it now (so it is not counted as a live tensor either).
        if (o.dtype === 'complex64') {
          const { real, imag } = this.cpu.data.get(o.dataId).complexTensorInfos;
          d.cpuId = getKernel('Complex', 'cpu').kernelFunc({ inputs: { real, imag }, backend: this.cpu }).dataId;
        } else {
          d.values = this.cpu.readSync(o.dataId);
        }
        o.dispose();
      } else {
        d.cpuId = o.dataId;
      }
      this.data.set(dataId, d);
      return { dataId, shape: o.shape, dtype: o.dtype };
    };
    return Array.isArray(out) ? out.map(wrap) : wrap(out);
  }
}

const FALLBACK = Symbol('fallback');
// Released engine tensors kept for reuse (WebNNWasmBackend.recycle), in bytes.
const kMaxFreeBytes = 16 << 20;

function newPending() {
  return { nodes: [], pinned: [] };
}

// A failed flush's error, saying which kernels it ran (the read or kernel call that threw did not
// cause it by itself); DOMExceptions keep their name, other errors their class.
function flushError(e, nodes) {
  const names = [...new Set(nodes.map((n) => n.kernel?.kernelName ?? n.fullKey.split('|')[0]))];
  const list = names.length > 8 ? `${names.slice(0, 8).join(', ')}, ...` : names.join(', ');
  const message = `webnn-wasm tfjs backend: running ${nodes.length} pending kernels (${list}): ${e.message}`;
  if (e instanceof DOMException) return new DOMException(message, e.name);
  const Class = [TypeError, RangeError].find((C) => e instanceof C) ?? Error;
  return new Class(message, { cause: e });
}

function toList(outs) {
  return Array.isArray(outs) ? outs : [outs];
}

// The graph's outputs must be computed operands with the element counts and dtypes TF.js expects.
function checkOutputs(outs, outputs) {
  if (outs.length !== outputs.length) throw new Error('output count mismatch');
  outs.forEach((o, i) => {
    if (operandState(o)?.kind !== 'output') throw new Error(`output ${i} is an input or constant operand`);
    if (util.sizeFromShape(o.shape) !== util.sizeFromShape(outputs[i].shape) || o.dataType !== ENGINE_TYPE[outputs[i].dtype]) {
      throw new Error(`output ${i}: the graph makes ${o.dataType}[${o.shape}] for ${outputs[i].dtype}[${outputs[i].shape}]`);
    }
  });
}

// A built graph with its binding order: graph input i <- x<order[i]>, output i <- y<outOrder[i]>.
function entryOf(graph) {
  const order = [];
  for (let i = 0; i < graph.inputCount(); i++) order.push(Number(graph.inputName(i).slice(1)));
  const outOrder = [];
  for (let i = 0; i < graph.outputCount(); i++) outOrder.push(Number(graph.outputName(i).slice(1)));
  let table;
  try {
    table = malloc(4 * (order.length + outOrder.length), 'webnn-wasm tfjs backend');
  } catch (e) {
    graph.delete();
    throw e;
  }
  return { graph, order, outOrder, table };
}

function debugLog(message) {
  if (typeof process !== 'undefined' && process.env?.WEBNN_TFJS_DEBUG) console.warn(`webnn-wasm tfjs: ${message}`);
}

function deleteEntry(e) {
  try { e.graph.delete(); } catch { /* engine gone */ }
  free(e.table);
}

// MLGraphBuilder.build() without the promise: the same steps, returning the engine's Graph.
function buildSync(builder, outs) {
  const s = builderState(builder);
  const names = [];
  const ids = [];
  outs.forEach((o, i) => {
    const os = operandState(o);
    if (os.kind !== 'output') throw new Error('an output is an input or constant operand');
    names.push(`y${i}`);
    ids.push(os.id);
  });
  s.built = true;
  const native = s.native;
  const g = native.build(names, ids);
  const err = g ? null : engineError(native, 'build failed');
  releaseBuilderNative(s);
  if (err) throw err;
  return g;
}

// For tests: what buildWhole()/buildEntry() return for a graph the engine rejects.
WebNNWasmBackend.REJECTED = FALLBACK;

export { engine as wasmEngine };
