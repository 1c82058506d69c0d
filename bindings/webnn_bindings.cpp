// Embind glue: converts JS values to the C++ API's types and back. No engine logic lives here.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <cstring>

#include "api/context.h"
#include "api/support_limits.h"
#include "core/heap_usage.h"

using emscripten::EM_VAL;
using emscripten::val;
using namespace webnn;

// Strings cross as JS strings (val) in both directions, never as Embind std::string: Embind's
// std::string marshalling mallocs (in JS for arguments, in C++ for results) and writes through
// the pointer without checking it, so near a full heap it wrote to address 0 and broke the module.
// Here every byte a string needs in the Wasm heap is a C++ allocation, which may throw
// std::bad_alloc into catchAllocationFailure. One JS call measures, one writes (each an EM_JS
// function over the glue's own UTF-8 helpers: no typed array per string, no JS allocation).
EM_JS(size_t, webnn_utf8_length, (EM_VAL s), { return lengthBytesUTF8(Emval.toValue(s)); });
// Writes the n bytes and a terminating NUL at dst.
EM_JS(void, webnn_utf8_write, (EM_VAL s, char* dst, size_t n), { stringToUTF8(Emval.toValue(s), dst, n + 1); });
// The JS string of n UTF-8 bytes at p (NULs included: names may hold U+0000).
EM_JS(EM_VAL, webnn_utf8_decode, (const char* p, size_t n), {
  var bytes = new Uint8Array(wasmMemory.buffer, p >>> 0, n >>> 0);
  var ascii = n < 4096;
  for (var i = 0; ascii && i < n; ++i) ascii = bytes[i] < 128;
  var s = '';
  if (ascii) for (var i = 0; i < n; ++i) s += String.fromCharCode(bytes[i]);
  else s = new TextDecoder().decode(bytes.slice());  // slice: TextDecoder takes no shared memory
  return Emval.toHandle(s);
});

namespace {

std::string stringFrom(const val& s) {
  size_t n = webnn_utf8_length(s.as_handle());
  std::string out(n, '\0');
  if (n) webnn_utf8_write(s.as_handle(), &out[0], n);  // out has room for the NUL too
  return out;
}
val jsString(const char* data, size_t n) { return val::take_ownership(webnn_utf8_decode(data, n)); }
val jsString(const std::string& s) { return jsString(s.data(), s.size()); }
val jsString(const char* s) { return jsString(s, std::strlen(s)); }

bool descFrom(const val& dataType, const val& shape, OperandDesc* out) {
  if (!parseDataType(stringFrom(dataType), &out->dataType)) return false;
  for (double d : emscripten::vecFromJSArray<double>(shape)) out->shape.push_back(uint32_t(d));
  return true;
}

val shapeToJs(const Shape& shape) {
  val arr = val::array();
  for (uint32_t d : shape) arr.call<void>("push", d);
  return arr;
}

// {key: boolean | number | string | number[]} → Attributes.
Attributes attributesFrom(const val& object) {
  Attributes attrs;
  if (object.isUndefined() || object.isNull()) return attrs;
  val keys = val::global("Object").call<val>("keys", object);
  unsigned n = keys["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i) {
    val v = object[keys[i]];
    std::string key = stringFrom(keys[i]);
    if (v.isTrue() || v.isFalse()) attrs.set(key, v.as<bool>());
    else if (v.isNumber()) attrs.set(key, v.as<double>());
    else if (v.isString()) attrs.set(key, stringFrom(v));
    else if (v.isArray()) attrs.set(key, emscripten::vecFromJSArray<double>(v));
  }
  return attrs;
}

std::vector<std::pair<std::string, int>> namedIds(const val& names, const val& ids) {
  std::vector<std::pair<std::string, int>> out;
  unsigned n = names["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i) out.push_back({stringFrom(names[i]), ids[i].as<int>()});
  return out;
}

// Constructors are factories returning null when out of memory (Embind's own `new` would abort).
Context* makeContext(size_t numThreads) {
  return catchAllocationFailure<Context*>(nullptr, "createContext", nullptr, [&] { return new Context(numThreads); });
}
GraphBuilder* makeBuilder(Context* context) {
  return catchAllocationFailure<GraphBuilder*>(context, "MLGraphBuilder", nullptr, [&] { return new GraphBuilder(context); });
}

val errorKind(ErrorHolder& h) { return jsString(h.outOfMemoryIn() ? "UnknownError" : errorKindName(h.error().kind())); }
val errorMessage(ErrorHolder& h) {
  if (h.outOfMemoryIn()) return jsString(h.outOfMemoryIn()).call<val>("concat", jsString(ErrorHolder::kOutOfMemory));
  return jsString(h.error().message());
}

Tensor* createTensor(Context& c, val dataType, val shape) {
  return catchAllocationFailure<Tensor*>(&c, "createTensor", nullptr, [&]() -> Tensor* {
    OperandDesc desc;
    if (!descFrom(dataType, shape, &desc)) return nullptr;
    return c.createTensor(desc).release();
  });
}

// (ours) the compiler switches of createContext: pass names to skip, and plan verification.
bool setCompileOptions(Context& c, val disabledPasses, bool verifyPlan) {
  return catchAllocationFailure(&c, "createContext", false, [&] {
    CompileOptions options;
    unsigned n = disabledPasses["length"].as<unsigned>();
    for (unsigned i = 0; i < n; ++i) options.disabledPasses.push_back(stringFrom(disabledPasses[i]));
    options.verifyPlan = verifyPlan;
    return c.setCompileOptions(options);
  });
}

val compilerPasses() {
  return catchAllocationFailure(nullptr, "compilerPassNames", val::null(), [&] {
    val arr = val::array();
    for (const std::string& name : compilerPassNames()) arr.call<void>("push", jsString(name));
    return arr;
  });
}

uintptr_t tensorData(Tensor& t) { return reinterpret_cast<uintptr_t>(t.data()); }

int builderInput(GraphBuilder& b, val name, val dataType, val shape) {
  return catchAllocationFailure(&b, "input", -1, [&] {
    OperandDesc desc;
    descFrom(dataType, shape, &desc);
    return b.input(stringFrom(name), desc);
  });
}

int builderConstant(GraphBuilder& b, val dataType, val shape, uintptr_t ptr, size_t byteLength) {
  return catchAllocationFailure(&b, "constant", -1, [&] {
    OperandDesc desc;
    descFrom(dataType, shape, &desc);
    return b.constant(desc, reinterpret_cast<const void*>(ptr), byteLength);
  });
}

uintptr_t builderConstantData(GraphBuilder& b, int id) { return reinterpret_cast<uintptr_t>(b.constantData(id)); }

val builderAddOperation(GraphBuilder& b, val op, val names, val ids, val attrs, val label) {
  return catchAllocationFailure(&b, "addOperation", val::null(), [&] {
    std::vector<int> outs = b.addOperation(stringFrom(op), namedIds(names, ids), attributesFrom(attrs), stringFrom(label));
    if (outs.empty()) return val::null();
    val arr = val::array();
    for (int id : outs) arr.call<void>("push", id);
    return arr;
  });
}

val operandDataType(GraphBuilder& b, int id) {
  const OperandDesc* d = b.operandDesc(id);
  return jsString(d ? dataTypeName(d->dataType) : "");
}
val operandShape(GraphBuilder& b, int id) {
  const OperandDesc* d = b.operandDesc(id);
  return d ? shapeToJs(d->shape) : val::null();
}

CompiledGraph* builderBuild(GraphBuilder& b, val names, val ids) {
  return catchAllocationFailure<CompiledGraph*>(&b, "build", nullptr, [&] { return b.build(namedIds(names, ids)).release(); });
}

// Graph accessors read what the graph holds: they allocate nothing in the Wasm heap.
val inputName(CompiledGraph& g, unsigned i) { return jsString(g.inputs()[i].name); }
val inputDataType(CompiledGraph& g, unsigned i) { return jsString(dataTypeName(g.inputs()[i].desc.dataType)); }
val inputShape(CompiledGraph& g, unsigned i) { return shapeToJs(g.inputs()[i].desc.shape); }
val outputName(CompiledGraph& g, unsigned i) { return jsString(g.outputs()[i].name); }
val outputDataType(CompiledGraph& g, unsigned i) { return jsString(dataTypeName(g.outputs()[i].desc.dataType)); }
val outputShape(CompiledGraph& g, unsigned i) { return shapeToJs(g.outputs()[i].desc.shape); }
unsigned inputCount(CompiledGraph& g) { return unsigned(g.inputs().size()); }
unsigned outputCount(CompiledGraph& g) { return unsigned(g.outputs().size()); }
// Reports are built in the heap: null when it is full.
val planReport(CompiledGraph& g) {
  return catchAllocationFailure(nullptr, "planReport", val::null(), [&] { return jsString(g.planReport()); });
}
val profileReport(CompiledGraph& g) {
  return catchAllocationFailure(nullptr, "profileReport", val::null(), [&] { return jsString(g.profileReport()); });
}
bool setProfiling(CompiledGraph& g, bool on) {
  return catchAllocationFailure(nullptr, "setProfiling", false, [&] {
    g.setProfiling(on);
    return true;
  });
}
val opSupportLimits() {
  return catchAllocationFailure(nullptr, "opSupportLimits", val::null(), [&] { return jsString(opSupportLimitsJson()); });
}

// The pointer table holds inputCount + outputCount heap offsets (u32, i.e. wasm32 pointers),
// inputs first: it is read in place, so a dispatch allocates nothing.
static_assert(sizeof(void*) == sizeof(uint32_t), "wasm32 pointers");
bool dispatchGraph(CompiledGraph& g, uintptr_t table) {
  auto* ptrs = reinterpret_cast<void* const*>(table);
  g.dispatch(ptrs, ptrs + g.inputs().size());
  return true;
}

// Bytes of the Wasm heap malloc currently has handed out (for leak tests: it returns to its
// starting value when everything created since is destroyed).
double mallocBytesInUse() { return double(webnn::heapBytesInUse()); }

// The graph's address, for the raw dispatch export below.
uintptr_t graphHandle(CompiledGraph& g) { return reinterpret_cast<uintptr_t>(&g); }

}  // namespace

// dispatch without Embind: with DYNAMIC_EXECUTION=0 Embind's invokers are generic and cost about
// a microsecond per call; a plain export is a direct Wasm call. `graph` is graphHandle(); `table`
// as for Graph.dispatch.
extern "C" EMSCRIPTEN_KEEPALIVE void webnn_graph_dispatch(uintptr_t graph, uintptr_t table) {
  dispatchGraph(*reinterpret_cast<CompiledGraph*>(graph), table);
}

EMSCRIPTEN_BINDINGS(webnn) {
  using emscripten::allow_raw_pointers;
  emscripten::class_<ErrorHolder>("ErrorHolder")
      .function("errorKind", &errorKind)
      .function("errorMessage", &errorMessage);
  emscripten::class_<Context, emscripten::base<ErrorHolder>>("Context")
      .function("numThreads", &Context::numThreads)
      .function("createTensor", &createTensor, allow_raw_pointers())
      .function("setCompileOptions", &setCompileOptions)
      .function("setSplitAllWork", &Context::setSplitAllWork);
  emscripten::class_<Tensor>("Tensor")
      .function("dataPtr", &tensorData)
      .function("byteLength", &Tensor::byteLength);
  emscripten::class_<GraphBuilder, emscripten::base<ErrorHolder>>("GraphBuilder")
      .function("input", &builderInput)
      .function("constant", &builderConstant)
      .function("constantData", &builderConstantData)
      .function("addOperation", &builderAddOperation)
      .function("operandDataType", &operandDataType)
      .function("operandShape", &operandShape)
      .function("build", &builderBuild, allow_raw_pointers());
  emscripten::class_<CompiledGraph>("Graph")
      .function("inputCount", &inputCount)
      .function("inputName", &inputName)
      .function("inputDataType", &inputDataType)
      .function("inputShape", &inputShape)
      .function("outputCount", &outputCount)
      .function("outputName", &outputName)
      .function("outputDataType", &outputDataType)
      .function("outputShape", &outputShape)
      .function("dispatch", &dispatchGraph)
      .function("handle", &graphHandle)
      .function("planReport", &planReport)
      .function("setProfiling", &setProfiling)
      .function("profileReport", &profileReport);
  emscripten::function("createContext", &makeContext, allow_raw_pointers());
  emscripten::function("createGraphBuilder", &makeBuilder, allow_raw_pointers());
  emscripten::function("opSupportLimitsJson", &opSupportLimits);
  emscripten::function("heapBytesInUse", &mallocBytesInUse);
  emscripten::function("compilerPassNames", &compilerPasses);
}
