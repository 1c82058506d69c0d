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
import { engine, heapU8, heapU32, malloc, free, finalizer } from '../api/engine.js';
import { engineError } from '../api/errors.js';

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
  }
}

export class WebNNWasmBackend extends KernelBackend {
  constructor(context, options = {}) {
    super();
    this.context = context;
    this.ctxState = contextState(context);
    this.data = new DataStorage(this, tfEngine());
    this.cpu = new MathBackendCPU();
    this.graphs = new Map(); // key -> Entry | FALLBACK
    this.opLimits = null; // the engine's op support limits, read on the first kernel (see limits)
    this.stats = { dispatches: 0, graphBuilds: 0, fallbacks: 0, fallbackKernels: new Map(), uploads: 0, downloads: 0 };
    this.bakeWeights = options.bakeWeights !== false;
    this.heapTensors = new Set(); // every live engine tensor, freed on dispose()
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
    this.release(d);
    this.data.delete(dataId);
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
    return { kernelMs: util.now() - start };
  }

  floatPrecision() { return 32; }
  epsilon() { return 1e-7; }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    for (const e of this.graphs.values()) if (e !== FALLBACK) deleteEntry(e);
    this.graphs.clear();
    for (const t of this.heapTensors) t.delete();
    this.heapTensors.clear();
    this.cpu.dispose();
    this.context.destroy(); // frees every engine tensor it created
  }

  // ---- Data placement ----

  release(d) {
    if (d.tensor) {
      if (this.heapTensors.delete(d.tensor)) d.tensor.delete();
      d.tensor = null;
    }
    if (d.cpuId) {
      this.cpu.disposeData(d.cpuId);
      d.cpuId = null;
    }
    if (d.graphKeys) {
      for (const key of d.graphKeys) {
        const e = this.graphs.get(key);
        if (e && e !== FALLBACK) deleteEntry(e);
        this.graphs.delete(key);
      }
      d.graphKeys = null;
    }
    d.values = null;
  }

  // JS values of a dataId, copied out of the heap once and kept.
  valuesOf(d) {
    if (d.values) return d.values;
    if (d.tensor) {
      const Ctor = ENGINE_DTYPES[d.dtype];
      const ptr = d.tensor.dataPtr();
      const bytes = heapU8().slice(ptr, ptr + d.tensor.byteLength());
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
    const t = this.ctxState.native.createTensor(ENGINE_TYPE[dtype], [Math.max(n, 1)]);
    if (!t) throw engineError(this.ctxState.native, 'createTensor failed');
    this.heapTensors.add(t);
    return t;
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
    for (const op of ops) {
      const l = this.limits[op];
      if (!l) return false;
      const first = Object.values(l).find((v) => v && Array.isArray(v.dataTypes));
      if (first && !first.dataTypes.includes(dataType)) return false;
    }
    return true;
  }

  isWeight(info) {
    return this.bakeWeights && this.data.get(info.dataId).written;
  }

  // ---- Running graphs ----

  // Runs a WebNN graph on TF.js tensors.
  //   key:     identifies the graph apart from the inputs' shapes/dtypes (kernel name + attrs)
  //   inputs:  [{ info, shape?, constant? }]: `shape` overrides the declared shape (same element
  //            count; binding is by heap address), `constant` bakes the data into the graph
  //   build:   (builder, operands) => MLOperand | MLOperand[]
  //   outputs: [{ shape, dtype }] the TF.js shapes/dtypes of the outputs (element counts must match
  //            the graph's outputs)
  // Returns TensorInfo[] or null when the engine rejects the graph (the caller falls back).
  //   deps:    TensorInfos whose data the graph depends on other than through its inputs (folded
  //            weights): the graph is dropped with them
  runGraph(key, inputs, build, outputs, deps = []) {
    let fullKey = key;
    for (const inp of inputs) {
      const d = this.data.get(inp.info.dataId);
      fullKey += `|${inp.info.dtype}[${inp.shape ?? inp.info.shape}]${inp.constant ? `#${d.serial}` : ''}`;
    }
    let entry = this.graphs.get(fullKey);
    if (entry === undefined) {
      entry = this.buildEntry(fullKey, inputs, build, outputs);
      this.graphs.set(fullKey, entry);
      for (const t of deps) {
        const d = this.data.get(t.dataId);
        (d.graphKeys ??= new Set()).add(fullKey);
      }
    }
    if (entry === FALLBACK) return null;
    return this.dispatchEntry(entry, inputs, outputs);
  }

  buildEntry(fullKey, inputs, build, outputs) {
    const b = new MLGraphBuilder(this.context);
    const operands = [];
    const bound = []; // indices into inputs of the graph inputs, by name
    const constants = [];
    try {
      inputs.forEach((inp, i) => {
        const dataType = ENGINE_TYPE[inp.info.dtype];
        if (!dataType) throw new Error(`dtype ${inp.info.dtype}`);
        const desc = { dataType, shape: inp.shape ?? inp.info.shape };
        if (inp.constant) {
          const d = this.data.get(inp.info.dataId);
          operands.push(b.constant(desc, this.valuesOf(d)));
          constants.push(d);
        } else {
          operands.push(b.input(`x${i}`, desc));
          bound.push(i);
        }
      });
      let outs = build(b, operands);
      if (!Array.isArray(outs)) outs = [outs];
      if (outs.length !== outputs.length) throw new Error('output count mismatch');
      outs.forEach((o, i) => {
        const n = util.sizeFromShape(o.shape);
        if (n !== util.sizeFromShape(outputs[i].shape) || o.dataType !== ENGINE_TYPE[outputs[i].dtype]) {
          throw new Error(`output ${i}: the graph makes ${o.dataType}[${o.shape}] for ${outputs[i].dtype}[${outputs[i].shape}]`);
        }
      });
      const graph = buildSync(b, outs);
      const names = [];
      for (let i = 0; i < graph.inputCount(); i++) names.push(graph.inputName(i));
      const order = names.map((n) => Number(n.slice(1))); // graph input i <- inputs[order[i]]
      const outOrder = []; // graph output i <- outputs[outOrder[i]]
      for (let i = 0; i < graph.outputCount(); i++) outOrder.push(Number(graph.outputName(i).slice(1)));
      const entry = {
        graph, order, outOrder,
        table: malloc(4 * (order.length + graph.outputCount())),
      };
      this.stats.graphBuilds++;
      for (const d of constants) (d.graphKeys ??= new Set()).add(fullKey);
      return entry;
    } catch (e) {
      if (typeof process !== 'undefined' && process.env?.WEBNN_TFJS_DEBUG) console.warn(`webnn-wasm tfjs: ${fullKey}: ${e.message}; using the CPU fallback`);
      return FALLBACK;
    }
  }

  dispatchEntry(entry, inputs, outputs) {
    const ptrs = entry.order.map((i) => this.heapTensorOf(this.data.get(inputs[i].info.dataId)).dataPtr());
    const outTensors = outputs.map((o) => this.createHeapTensor(o.dtype, util.sizeFromShape(o.shape)));
    const u32 = heapU32();
    const base = entry.table >>> 2;
    ptrs.forEach((p, i) => { u32[base + i] = p; });
    entry.outOrder.forEach((j, i) => { u32[base + ptrs.length + i] = outTensors[j].dataPtr(); });
    entry.graph.dispatch(entry.table);
    this.stats.dispatches++;
    return outTensors.map((t, i) => this.makeHeapOutput(t, outputs[i].shape, outputs[i].dtype));
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
  finalizer.unregister(s);
  const g = native.build(names, ids);
  const err = g ? null : engineError(native, 'build failed');
  native.delete();
  s.native = null;
  if (err) throw err;
  return g;
}

export { engine as wasmEngine };
