// A tiny JS stand-in for the Embind engine (bindings/README.md contract), so the API layer can be
// tested without the Wasm build. Ops: add, mul, relu (float32, broadcasting only for equal shapes),
// split (even splits on axis 0). Errors as the engine reports them: errorKind()/errorMessage().
const BPE = { float32: 4, float16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, int8: 1, uint8: 1 };

export function createFakeModule() {
  // A constant's values: copied at constant() or, when written in place, read at dispatch.
  const constantValues = (o) => new Float32Array((o.data ?? M.HEAPU8.slice(o.ptr, o.ptr + o.len)).buffer.slice(0));
  const memory = new ArrayBuffer(64 << 20);
  let top = 16;
  const M = {
    HEAPU8: new Uint8Array(memory),
    _malloc(n) { const p = (top + 15) & ~15; top = p + n; return p; },
    _free() {},
    live: new Set(), // live engine objects, to check for leaks
  };
  const f32 = () => new Float32Array(memory);
  class Obj {
    constructor() { this.kind = ''; this.msg = ''; M.live.add(this); }
    fail(kind, msg) { this.kind = kind; this.msg = msg; }
    errorKind() { return this.kind; }
    errorMessage() { return this.msg; }
    delete() {
      if (this.deleted) throw new Error('already deleted');
      this.deleted = true; M.live.delete(this);
    }
  }
  class Tensor extends Obj {
    constructor(dataType, shape) {
      super();
      this.len = shape.reduce((a, b) => a * b, 1) * BPE[dataType];
      this.ptr = M._malloc(this.len);
    }
    dataPtr() { return this.ptr; }
    byteLength() { return this.len; }
  }
  class Context extends Obj {
    constructor(n) { super(); this.n = n; }
    numThreads() { return this.n; }
    setCompileOptions() { return true; }
    createTensor(dataType, shape, r, w) {
      if (shape.some((d) => d === 0)) { this.fail('TypeError', 'createTensor: a dimension is 0'); return null; }
      return new Tensor(dataType, shape);
    }
  }
  class GraphBuilder extends Obj {
    constructor(ctx) { super(); this.ops = []; this.operands = []; this.inputs = []; }
    add(desc) { this.operands.push(desc); return this.operands.length - 1; }
    input(name, dataType, shape) { const id = this.add({ dataType, shape: [...shape] }); this.inputs.push({ name, id }); return id; }
    constant(dataType, shape, ptr, len) {
      // ptr 0: the engine allocates and the caller writes the bytes at constantData(id).
      const at = ptr || M._malloc(len);
      const id = this.add({ dataType, shape: [...shape], ptr: at, len, data: ptr ? M.HEAPU8.slice(ptr, ptr + len) : null });
      return id;
    }
    constantData(id) { return this.operands[id].ptr; }
    operandDataType(id) { return this.operands[id].dataType; }
    operandShape(id) { return this.operands[id].shape; }
    addOperation(op, names, ids, attrs, label) {
      const tag = label ? `${op} [${label}]` : op;
      const ins = ids.map((id) => this.operands[id]);
      if (op === 'add' || op === 'mul') {
        const [a, b] = ins;
        if (a.dataType !== b.dataType) { this.fail('TypeError', `${tag}: data types of a and b differ`); return null; }
        if (a.shape.join() !== b.shape.join()) { this.fail('TypeError', `${tag}: shapes of a and b differ`); return null; }
        const out = this.add({ dataType: a.dataType, shape: a.shape });
        this.ops.push({ op, ids, out: [out] });
        return [out];
      }
      if (op === 'relu') {
        const out = this.add({ dataType: ins[0].dataType, shape: ins[0].shape });
        this.ops.push({ op, ids, out: [out] });
        return [out];
      }
      if (op === 'split') {
        const n = attrs.splits; const s = ins[0].shape;
        if (typeof n !== 'number' || s[0] % n) { this.fail('TypeError', `${tag}: bad splits`); return null; }
        const outs = [];
        for (let i = 0; i < n; i++) outs.push(this.add({ dataType: ins[0].dataType, shape: [s[0] / n, ...s.slice(1)] }));
        this.ops.push({ op, ids, out: outs });
        return outs;
      }
      this.fail('NotSupportedError', `${tag}: unsupported`); return null;
    }
    build(names, ids) { return new Graph(this, names, ids); }
  }
  class Graph extends Obj {
    constructor(b, names, ids) {
      super();
      this.b = { operands: b.operands.map((o) => ({ ...o })), ops: b.ops.slice(), inputs: b.inputs.slice() };
      this.outs = names.map((n, i) => ({ name: n, id: ids[i] }));
    }
    inputCount() { return this.b.inputs.length; }
    inputName(i) { return this.b.inputs[i].name; }
    inputDataType(i) { return this.b.operands[this.b.inputs[i].id].dataType; }
    inputShape(i) { return this.b.operands[this.b.inputs[i].id].shape; }
    outputCount() { return this.outs.length; }
    outputName(i) { return this.outs[i].name; }
    outputDataType(i) { return this.b.operands[this.outs[i].id].dataType; }
    outputShape(i) { return this.b.operands[this.outs[i].id].shape; }
    planReport() { return 'fake'; }
    // Same format as CompiledGraph::profileReport (one "step" per op, no times).
    setProfiling(on) {
      this.profiling = on;
      if (on) this.profiled = 0;
      return true; // false: out of memory
    }
    profileReport() {
      return `dispatches: ${this.profiled ?? 0}, mean 0.0 us per dispatch, threads running: ${this.profiled ? 1 : 0} of 1\n` +
        this.b.ops.map((o, i) => `  ${String(i).padStart(3)}:       0.0 us   0.0%  ${o.op}\n`).join('');
    }
    dispatch(table) {
      if (this.profiling) this.profiled++;
      const u32 = new Uint32Array(memory);
      const vals = new Map();
      const n = (id) => this.b.operands[id].shape.reduce((a, b) => a * b, 1);
      this.b.inputs.forEach((inp, i) => {
        const p = u32[(table >> 2) + i];
        vals.set(inp.id, f32().slice(p / 4, p / 4 + n(inp.id)));
      });
      const get = (id) => vals.get(id) ?? constantValues(this.b.operands[id]);
      for (const { op, ids, out } of this.b.ops) {
        const x = ids.map(get);
        if (op === 'add') vals.set(out[0], x[0].map((v, i) => v + x[1][i]));
        if (op === 'mul') vals.set(out[0], x[0].map((v, i) => v * x[1][i]));
        if (op === 'relu') vals.set(out[0], x[0].map((v) => Math.max(v, 0)));
        if (op === 'split') {
          const k = x[0].length / out.length;
          out.forEach((o, j) => vals.set(o, x[0].slice(j * k, (j + 1) * k)));
        }
      }
      this.outs.forEach((o, i) => {
        const p = u32[(table >> 2) + this.b.inputs.length + i];
        f32().set(get(o.id), p / 4);
      });
      return true;
    }
  }
  const limits = (names) => Object.fromEntries(names.map((n) => [n, { dataTypes: ['float32'], rankRange: { min: 0, max: 4 } }]));
  // As the bindings: factories (null when out of memory), not Embind constructors.
  M.createContext = (n) => new Context(n);
  M.createGraphBuilder = (ctx) => new GraphBuilder(ctx);
  M.opSupportLimitsJson = () => JSON.stringify({
    maxTensorByteLength: 2 ** 31,
    add: limits(['a', 'b', 'output']), mul: limits(['a', 'b', 'output']),
    relu: limits(['input', 'output']), split: limits(['input', 'outputs']),
  });
  return M;
}
