// Embind glue: converts JS values to the C++ API's types and back. No engine logic lives here.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>
#include <malloc.h>

#include "api/context.h"
#include "api/support_limits.h"

using emscripten::val;
using namespace webnn;

namespace {

bool descFrom(const std::string& dataType, const val& shape, OperandDesc* out) {
  if (!parseDataType(dataType, &out->dataType)) return false;
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
    std::string key = keys[i].as<std::string>();
    val v = object[key];
    std::string type = v.typeOf().as<std::string>();
    if (type == "boolean") attrs.set(key, v.as<bool>());
    else if (type == "number") attrs.set(key, v.as<double>());
    else if (type == "string") attrs.set(key, v.as<std::string>());
    else if (val::global("Array").call<bool>("isArray", v)) attrs.set(key, emscripten::vecFromJSArray<double>(v));
  }
  return attrs;
}

std::vector<std::pair<std::string, int>> namedIds(const val& names, const val& ids) {
  std::vector<std::pair<std::string, int>> out;
  unsigned n = names["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i) out.push_back({names[i].as<std::string>(), ids[i].as<int>()});
  return out;
}

GraphBuilder* makeBuilder(Context* context) { return new GraphBuilder(context); }

Tensor* createTensor(Context& c, const std::string& dataType, val shape) {
  OperandDesc desc;
  if (!descFrom(dataType, shape, &desc)) return nullptr;
  return c.createTensor(desc).release();
}

bool setCompileOptions(Context& c, val disabledPasses, bool verifyPlan) {
  CompileOptions options;
  options.disabledPasses = emscripten::vecFromJSArray<std::string>(disabledPasses);
  options.verifyPlan = verifyPlan;
  return c.setCompileOptions(options);
}

val compilerPasses() {
  val arr = val::array();
  for (const std::string& name : compilerPassNames()) arr.call<void>("push", name);
  return arr;
}

uintptr_t tensorData(Tensor& t) { return reinterpret_cast<uintptr_t>(t.data()); }

int builderInput(GraphBuilder& b, const std::string& name, const std::string& dataType, val shape) {
  OperandDesc desc;
  descFrom(dataType, shape, &desc);
  return b.input(name, desc);
}

int builderConstant(GraphBuilder& b, const std::string& dataType, val shape, uintptr_t ptr, size_t byteLength) {
  OperandDesc desc;
  descFrom(dataType, shape, &desc);
  return b.constant(desc, reinterpret_cast<const void*>(ptr), byteLength);
}

val builderAddOperation(GraphBuilder& b, const std::string& op, val names, val ids, val attrs, const std::string& label) {
  std::vector<int> outs = b.addOperation(op, namedIds(names, ids), attributesFrom(attrs), label);
  if (outs.empty()) return val::null();
  val arr = val::array();
  for (int id : outs) arr.call<void>("push", id);
  return arr;
}

std::string operandDataType(GraphBuilder& b, int id) {
  const OperandDesc* d = b.operandDesc(id);
  return d ? dataTypeName(d->dataType) : "";
}
val operandShape(GraphBuilder& b, int id) {
  const OperandDesc* d = b.operandDesc(id);
  return d ? shapeToJs(d->shape) : val::null();
}

CompiledGraph* builderBuild(GraphBuilder& b, val names, val ids) { return b.build(namedIds(names, ids)).release(); }

std::string inputName(CompiledGraph& g, unsigned i) { return g.inputs()[i].name; }
std::string inputDataType(CompiledGraph& g, unsigned i) { return dataTypeName(g.inputs()[i].desc.dataType); }
val inputShape(CompiledGraph& g, unsigned i) { return shapeToJs(g.inputs()[i].desc.shape); }
std::string outputName(CompiledGraph& g, unsigned i) { return g.outputs()[i].name; }
std::string outputDataType(CompiledGraph& g, unsigned i) { return dataTypeName(g.outputs()[i].desc.dataType); }
val outputShape(CompiledGraph& g, unsigned i) { return shapeToJs(g.outputs()[i].desc.shape); }
unsigned inputCount(CompiledGraph& g) { return unsigned(g.inputs().size()); }
unsigned outputCount(CompiledGraph& g) { return unsigned(g.outputs().size()); }

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
double heapBytesInUse() {
  struct mallinfo mi = mallinfo();
  return double(unsigned(mi.uordblks));
}

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
      .function("errorKind", &ErrorHolder::errorKind)
      .function("errorMessage", &ErrorHolder::errorMessage);
  emscripten::class_<Context, emscripten::base<ErrorHolder>>("Context")
      .constructor<size_t>()
      .function("numThreads", &Context::numThreads)
      .function("createTensor", &createTensor, allow_raw_pointers())
      .function("setCompileOptions", &setCompileOptions);
  emscripten::class_<Tensor>("Tensor")
      .function("dataPtr", &tensorData)
      .function("byteLength", &Tensor::byteLength);
  emscripten::class_<GraphBuilder, emscripten::base<ErrorHolder>>("GraphBuilder")
      .constructor(&makeBuilder, allow_raw_pointers())
      .function("input", &builderInput)
      .function("constant", &builderConstant)
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
      .function("planReport", &CompiledGraph::planReport)
      .function("setProfiling", &CompiledGraph::setProfiling)
      .function("profileReport", &CompiledGraph::profileReport);
  emscripten::function("opSupportLimitsJson", &opSupportLimitsJson);
  emscripten::function("heapBytesInUse", &heapBytesInUse);
  emscripten::function("compilerPassNames", &compilerPasses);
}
