// Minimal ONNX protobuf writer (no dependencies).
//
// Encodes just enough of onnx.proto (ModelProto, GraphProto, NodeProto,
// AttributeProto, TensorProto, ValueInfoProto/TypeProto/TensorShapeProto,
// OperatorSetIdProto) to build inference graphs for the benchmark and for the onnxruntime-web
// client test (test/js/ort-models.mjs).
// Field numbers follow onnx/onnx.proto (IR version 8, default opset 17).

export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9 };
const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 };

// ---------------------------------------------------------------- wire format
class Writer {
  constructor() { this.chunks = []; this.len = 0; }
  bytes(u8) { this.chunks.push(u8); this.len += u8.length; }
  varint(v) {
    // v: number or bigint; negatives are encoded as 64-bit two's complement.
    let b = BigInt.asUintN(64, BigInt(v));
    const out = [];
    do {
      let byte = Number(b & 0x7fn);
      b >>= 7n;
      if (b !== 0n) byte |= 0x80;
      out.push(byte);
    } while (b !== 0n);
    this.bytes(Uint8Array.from(out));
  }
  tag(field, wire) { this.varint((field << 3) | wire); }
  // field helpers
  int(field, v) { this.tag(field, 0); this.varint(v); }
  f32(field, v) {
    this.tag(field, 5);
    const b = new Uint8Array(4); new DataView(b.buffer).setFloat32(0, v, true); this.bytes(b);
  }
  lenDelim(field, u8) { this.tag(field, 2); this.varint(u8.length); this.bytes(u8); }
  str(field, s) { this.lenDelim(field, new TextEncoder().encode(s)); }
  msg(field, w) { this.lenDelim(field, w.finish()); }
  finish() {
    const out = new Uint8Array(this.len);
    let o = 0;
    for (const c of this.chunks) { out.set(c, o); o += c.length; }
    return out;
  }
}

// ------------------------------------------------------------------ messages
// TensorProto: dims=1 (int64), data_type=2, name=8, raw_data=9
export function tensorProto({ name, dims, dataType = DataType.FLOAT, data }) {
  const w = new Writer();
  for (const d of dims) w.int(1, d);
  w.int(2, dataType);
  if (name) w.str(8, name);
  let raw;
  if (data instanceof Uint8Array) raw = data;
  else if (dataType === DataType.INT64) {
    const a = new BigInt64Array(data.length);
    for (let i = 0; i < data.length; i++) a[i] = BigInt(data[i]);
    raw = new Uint8Array(a.buffer);
  } else if (dataType === DataType.INT32) raw = new Uint8Array(Int32Array.from(data).buffer);
  else if (dataType === DataType.BOOL) raw = Uint8Array.from(data, (v) => (v ? 1 : 0));
  else raw = new Uint8Array(Float32Array.from(data).buffer); // little-endian hosts
  w.lenDelim(9, raw);
  return w;
}

// AttributeProto: name=1, f=2, i=3, s=4, t=5, floats=7, ints=8, type=20
function attributeProto(name, value) {
  const w = new Writer();
  w.str(1, name);
  if (value && value.tensor) { w.msg(5, tensorProto(value.tensor)); w.int(20, AttrType.TENSOR); }
  else if (value && typeof value === 'object' && 'float' in value) { w.f32(2, value.float); w.int(20, AttrType.FLOAT); }
  else if (typeof value === 'string') { w.str(4, value); w.int(20, AttrType.STRING); }
  else if (Array.isArray(value)) {
    // Convention: arrays are INTS unless wrapped as {floats:[...]}.
    for (const v of value) w.int(8, v);
    w.int(20, AttrType.INTS);
  } else if (value && value.floats) { for (const v of value.floats) w.f32(7, v); w.int(20, AttrType.FLOATS); }
  else if (Number.isInteger(value)) { w.int(3, value); w.int(20, AttrType.INT); }
  else if (typeof value === 'number') { w.f32(2, value); w.int(20, AttrType.FLOAT); }
  else throw new Error(`unsupported attribute ${name}=${value}`);
  return w;
}

// NodeProto: input=1, output=2, name=3, op_type=4, attribute=5, domain=7
function nodeProto({ opType, inputs, outputs, name, attrs = {}, domain }) {
  const w = new Writer();
  for (const i of inputs) w.str(1, i);
  for (const o of outputs) w.str(2, o);
  if (name) w.str(3, name);
  w.str(4, opType);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) w.msg(5, attributeProto(k, v));
  if (domain) w.str(7, domain);
  return w;
}

// ValueInfoProto: name=1, type=2; TypeProto: tensor_type=1;
// TypeProto.Tensor: elem_type=1, shape=2; TensorShapeProto: dim=1;
// Dimension: dim_value=1, dim_param=2
function valueInfoProto({ name, dims, elemType = DataType.FLOAT }) {
  const shape = new Writer();
  for (const d of dims) {
    const dim = new Writer();
    if (typeof d === 'string') dim.str(2, d); else dim.int(1, d);
    shape.msg(1, dim);
  }
  const tt = new Writer(); tt.int(1, elemType); tt.msg(2, shape);
  const tp = new Writer(); tp.msg(1, tt);
  const w = new Writer(); w.str(1, name); w.msg(2, tp);
  return w;
}

// GraphProto: node=1, name=2, initializer=5, input=11, output=12
function graphProto({ name, nodes, initializers, inputs, outputs }) {
  const w = new Writer();
  for (const n of nodes) w.msg(1, nodeProto(n));
  w.str(2, name);
  for (const t of initializers) w.msg(5, tensorProto(t));
  for (const i of inputs) w.msg(11, valueInfoProto(i));
  for (const o of outputs) w.msg(12, valueInfoProto(o));
  return w;
}

// ModelProto: ir_version=1, producer_name=2, producer_version=3, graph=7,
// opset_import=8 (OperatorSetIdProto: domain=1, version=2)
export function encodeModel({ graph, opset = 17, irVersion = 8, producer = 'webnn-wasm-bench' }) {
  const w = new Writer();
  w.int(1, irVersion);
  w.str(2, producer);
  w.str(3, '0');
  w.msg(7, graphProto(graph));
  const os = new Writer(); os.str(1, ''); os.int(2, opset);
  w.msg(8, os);
  return w.finish();
}

// Convenience builder: collects nodes/initializers and hands out unique names.
export class GraphBuilder {
  constructor(name = 'g') {
    this.name = name; this.nodes = []; this.initializers = []; this.inputs = []; this.outputs = [];
    this.n = 0;
  }
  fresh(prefix = 't') { return `${prefix}_${this.n++}`; }
  input(name, dims, elemType = DataType.FLOAT) { this.inputs.push({ name, dims, elemType }); return name; }
  output(name, dims, elemType = DataType.FLOAT) { this.outputs.push({ name, dims, elemType }); return name; }
  initializer(dims, data, dataType = DataType.FLOAT, prefix = 'w') {
    const name = this.fresh(prefix);
    this.initializers.push({ name, dims, data, dataType });
    return name;
  }
  node(opType, inputs, attrs = {}, nOut = 1) {
    const outputs = Array.from({ length: nOut }, () => this.fresh(opType.toLowerCase()));
    this.nodes.push({ opType, inputs, outputs, attrs, name: this.fresh('n_' + opType) });
    return nOut === 1 ? outputs[0] : outputs;
  }
  encode(opset = 17) {
    return encodeModel({ graph: { name: this.name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs }, opset });
  }
}
