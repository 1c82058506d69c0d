// Nothing allocates at dispatch: for every registered op (and the weight-handling variants of conv2d,
// convTranspose2d, gemm, matmul and the recurrent ops), a small graph is built, dispatched once, and
// then dispatched again while every malloc of every thread is counted: the count must be 0.
// Also: with every allocation failing during dispatch, a conv2d whose filter is computed by the
// graph still computes the right result (it used to repack through malloc at dispatch and ignore
// the failure), and fails at build (OperationError) when its arena cannot be had.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <set>

#include "api/context.h"
#include "malloc_counter.h"
#include "harness.h"
#include "nd_reference.h"
#include "ops/op_registry.h"

using namespace webnn;
using namespace webnn::test;

namespace {

struct Operand {
  std::string arg;  // the spec's argument name ("inputs" may repeat)
  OperandDesc desc;
  bool constant = false;
};

struct DispatchCase {
  std::string op, variant;
  std::vector<Operand> operands;
  Attributes attrs;
};

// Small valid values of any type: indices stay in range (0 or 1), floats are ordinary numbers.
std::vector<uint8_t> smallData(const OperandDesc& d) {
  size_t n = size_t(d.elementCount());
  std::vector<uint8_t> bytes(size_t(d.byteLength()));
  for (size_t i = 0; i < n; ++i) {
    double v = double(i % 2);
    switch (d.dataType) {
      case DataType::Float32: { float f = float(i % 7) * 0.25f - 0.5f; std::memcpy(&bytes[i * 4], &f, 4); break; }
      case DataType::Float16: { uint16_t h = floatToHalf(float(i % 5) * 0.25f); std::memcpy(&bytes[i * 2], &h, 2); break; }
      case DataType::Int32: { int32_t x = int32_t(v); std::memcpy(&bytes[i * 4], &x, 4); break; }
      case DataType::Uint32: { uint32_t x = uint32_t(v); std::memcpy(&bytes[i * 4], &x, 4); break; }
      case DataType::Int64: { int64_t x = int64_t(v); std::memcpy(&bytes[i * 8], &x, 8); break; }
      case DataType::Uint64: { uint64_t x = uint64_t(v); std::memcpy(&bytes[i * 8], &x, 8); break; }
      case DataType::Int8: bytes[i] = uint8_t(int8_t(v)); break;
      case DataType::Uint8: bytes[i] = uint8_t(v); break;
    }
  }
  return bytes;
}

Operand f32(std::string arg, Shape shape, bool constant = false) { return {std::move(arg), {DataType::Float32, std::move(shape)}, constant}; }
Operand typed(std::string arg, DataType t, Shape shape, bool constant = false) { return {std::move(arg), {t, std::move(shape)}, constant}; }

// Ops whose operands are coupled (shapes, index types) or that need arguments: written out.
std::vector<DispatchCase> specialCases() {
  using DT = DataType;
  std::vector<DispatchCase> c;
  auto add = [&](std::string op, std::string variant, std::vector<Operand> ops, Attributes at = {}) {
    c.push_back({std::move(op), std::move(variant), std::move(ops), std::move(at)});
  };
  for (bool constant : {true, false}) {
    std::string v = constant ? "constant weights" : "weights computed by the graph";
    add("conv2d", v + ", nchw, bias", {f32("input", {1, 3, 6, 6}), f32("filter", {4, 3, 3, 3}, constant), f32("bias", {4}, constant)},
        attrs({{"padding", nums({1, 1, 1, 1})}}));
    add("conv2d", v + ", nhwc depthwise", {f32("input", {1, 5, 5, 4}), f32("filter", {1, 3, 3, 4}, constant)},
        attrs({{"inputLayout", std::string("nhwc")}, {"filterLayout", std::string("ihwo")}, {"groups", 4.0}}));
    add("conv2d", v + ", nhwc 1x1", {f32("input", {1, 4, 4, 3}), f32("filter", {5, 1, 1, 3}, constant)},
        attrs({{"inputLayout", std::string("nhwc")}, {"filterLayout", std::string("ohwi")}}));
    add("convTranspose2d", v, {f32("input", {1, 2, 3, 3}), f32("filter", {2, 3, 3, 3}, constant), f32("bias", {3}, constant)},
        attrs({{"strides", nums({2, 2})}}));
    add("gemm", v, {f32("a", {3, 4}), f32("b", {5, 4}, constant), f32("c", {5}, constant)},
        attrs({{"aTranspose", false}, {"bTranspose", true}, {"alpha", 0.5}}));
    add("gemm", v + ", aTranspose", {f32("a", {4, 3}), f32("b", {4, 5}, constant)}, attrs({{"aTranspose", true}}));
    add("matmul", v, {f32("a", {2, 3, 4}), f32("b", {4, 5}, constant)});
    add("gru", v, {f32("input", {2, 1, 3}), f32("weight", {2, 12, 3}, constant), f32("recurrentWeight", {2, 12, 4}, constant),
                   f32("bias", {2, 12}, constant)},
        attrs({{"steps", 2.0}, {"hiddenSize", 4.0}, {"direction", std::string("both")}, {"returnSequence", true}}));
    add("gruCell", v, {f32("input", {1, 3}), f32("weight", {12, 3}, constant), f32("recurrentWeight", {12, 4}, constant),
                       f32("hiddenState", {1, 4})},
        attrs({{"hiddenSize", 4.0}}));
    add("lstm", v, {f32("input", {2, 1, 3}), f32("weight", {1, 16, 3}, constant), f32("recurrentWeight", {1, 16, 4}, constant),
                    f32("peepholeWeight", {1, 12}, constant)},
        attrs({{"steps", 2.0}, {"hiddenSize", 4.0}}));
    add("lstmCell", v, {f32("input", {1, 3}), f32("weight", {16, 3}, constant), f32("recurrentWeight", {16, 4}, constant),
                        f32("hiddenState", {1, 4}), f32("cellState", {1, 4})},
        attrs({{"hiddenSize", 4.0}}));
  }
  for (const char* pool : {"averagePool2d", "maxPool2d", "l2Pool2d"}) {
    add(pool, "nchw", {f32("input", {1, 3, 5, 5})}, attrs({{"windowDimensions", nums({3, 3})}, {"strides", nums({2, 2})}}));
    add(pool, "nhwc", {f32("input", {1, 5, 5, 3})}, attrs({{"windowDimensions", nums({2, 2})}, {"layout", std::string("nhwc")}}));
  }
  add("conv2d", "nchw chain (layout pass)", {f32("input", {1, 3, 6, 6}), f32("filter", {4, 3, 3, 3}, true)});
  for (DT it : {DT::Int32, DT::Uint32, DT::Int64}) {
    std::string v = std::string("indices ") + dataTypeName(it);
    add("gather", v, {f32("input", {3, 4, 5}), typed("indices", it, {2, 2})}, attrs({{"axis", 1.0}}));
    add("gatherElements", v, {f32("input", {3, 4, 5}), typed("indices", it, {3, 2, 5})}, attrs({{"axis", 1.0}}));
    add("gatherND", v, {f32("input", {3, 4, 5}), typed("indices", it, {2, 2})});
    add("scatterElements", v, {f32("input", {3, 4, 5}), typed("indices", it, {3, 2, 5}), f32("updates", {3, 2, 5})},
        attrs({{"axis", 1.0}}));
    add("scatterND", v, {f32("input", {3, 4, 5}), typed("indices", it, {2, 2}), f32("updates", {2, 5})});
  }
  add("transpose", "rank 8", {typed("input", DT::Int8, {2, 1, 3, 1, 2, 2, 1, 3})},
      attrs({{"permutation", nums({7, 0, 6, 1, 5, 2, 4, 3})}}));
  add("transpose", "default", {f32("input", {2, 3, 4})});
  // float16 computes in float32 between conversion steps (src/compiler/float16.cpp).
  add("conv2d", "float16, filter computed by the graph", {typed("input", DT::Float16, {1, 2, 5, 5}), typed("filter", DT::Float16, {3, 2, 3, 3})});
  add("matmul", "float16", {typed("a", DT::Float16, {2, 3, 4}), typed("b", DT::Float16, {4, 5}, true)});
  add("gather", "float16", {typed("input", DT::Float16, {3, 4}), typed("indices", DT::Int64, {2})});
  add("softmax", "", {f32("input", {2, 3, 4})}, attrs({{"axis", 1.0}}));
  add("argMin", "", {f32("input", {2, 3, 4})}, attrs({{"axis", 1.0}}));
  add("argMax", "", {f32("input", {2, 3, 4})}, attrs({{"axis", 2.0}, {"keepDimensions", true}}));
  add("cumulativeSum", "", {f32("input", {2, 3, 4})}, attrs({{"axis", 1.0}, {"reversed", true}}));
  add("cast", "", {f32("input", {2, 3, 4})}, attrs({{"dataType", std::string("int32")}}));
  add("concat", "", {f32("inputs", {2, 3}), f32("inputs", {2, 2}), f32("inputs", {2, 1}, true)}, attrs({{"axis", 1.0}}));
  add("expand", "", {f32("input", {3, 1})}, attrs({{"newShape", nums({2, 3, 4})}}));
  add("tile", "", {f32("input", {2, 3})}, attrs({{"repetitions", nums({2, 2})}}));
  add("reshape", "", {f32("input", {2, 3, 4})}, attrs({{"newShape", nums({4, 6})}}));
  add("slice", "", {f32("input", {4, 5, 6})}, attrs({{"starts", nums({1, 0, 2})}, {"sizes", nums({2, 5, 3})}, {"strides", nums({1, 2, 1})}}));
  add("split", "", {f32("input", {4, 6})}, attrs({{"splits", nums({2, 4})}, {"axis", 1.0}}));
  add("pad", "constant", {f32("input", {2, 3})}, attrs({{"beginningPadding", nums({1, 2})}, {"endingPadding", nums({2, 1})}}));
  add("pad", "reflection", {f32("input", {3, 4})},
      attrs({{"beginningPadding", nums({1, 2})}, {"endingPadding", nums({2, 1})}, {"mode", std::string("reflection")}}));
  add("reverse", "", {f32("input", {2, 3, 4})}, attrs({{"axes", nums({0, 2})}}));
  add("resample2d", "linear", {f32("input", {1, 2, 3, 4})}, attrs({{"mode", std::string("linear")}, {"scales", nums({2, 1.5})}}));
  add("resample2d", "nearest", {f32("input", {1, 2, 3, 4})}, attrs({{"sizes", nums({5, 7})}}));
  add("triangular", "", {f32("input", {2, 4, 4})}, attrs({{"upper", false}, {"diagonal", 1.0}}));
  add("where", "", {typed("condition", DT::Uint8, {3, 1}), f32("trueValue", {2, 3, 4}), f32("falseValue", {4})});
  add("batchNormalization", "", {f32("input", {2, 3, 4, 5}), f32("mean", {3}, true), f32("variance", {3}), f32("scale", {3}), f32("bias", {3}, true)});
  add("instanceNormalization", "", {f32("input", {2, 3, 4, 5}), f32("scale", {3}), f32("bias", {3})});
  add("layerNormalization", "", {f32("input", {2, 3, 4, 5}), f32("scale", {4, 5})}, attrs({{"axes", nums({2, 3})}}));
  add("quantizeLinear", "", {f32("input", {2, 3, 4}), f32("scale", {1, 3, 1}), typed("zeroPoint", DT::Uint8, {1, 3, 1})});
  add("dequantizeLinear", "", {typed("input", DT::Int8, {2, 3, 4}), f32("scale", {1, 1, 4}), typed("zeroPoint", DT::Int8, {1, 1, 4})});
  add("add", "broadcast", {f32("a", {2, 1, 4}), f32("b", {3, 1})});
  add("add", "fused chain", {f32("a", {2, 3, 4}), f32("b", {2, 3, 4}, true)});
  add("reduceSum", "axes", {f32("input", {2, 3, 4, 5})}, attrs({{"axes", nums({0, 2})}}));
  add("reduceMax", "axes", {f32("input", {2, 3, 4, 5})}, attrs({{"axes", nums({1, 3})}, {"keepDimensions", true}}));
  add("logicalNot", "", {typed("input", DT::Uint8, {2, 3})});
  add("logicalAnd", "", {typed("a", DT::Uint8, {2, 3}), typed("b", DT::Uint8, {3})});
  return c;
}

// Any other op, once per data type it takes: each required operand argument gets a tensor [2, 3, 4]
// of that type (or, where the argument does not take it, of its first type).
std::vector<DispatchCase> genericCases(const OpDef& def) {
  std::vector<DispatchCase> cases;
  for (DataType t : allDataTypes()) {
    DispatchCase c{def.name, std::string("generic ") + dataTypeName(t), {}, {}};
    bool takesType = false;
    for (const TensorSpec& l : def.schema->operands) {
      if (std::string(l.name) == "bias" || std::string(l.name) == "c") continue;
      DataType own = t;
      if (!contains(l.dataTypes, own))
        for (DataType d : allDataTypes())
          if (contains(l.dataTypes, d)) { own = d; break; }
      takesType = takesType || own == t;
      Shape shape;
      for (int r = 0; r < std::clamp(3, l.minRank, l.maxRank); ++r) shape.push_back(uint32_t(2 + r));
      c.operands.push_back({l.name, {own, shape}, false});
    }
    if (takesType) cases.push_back(std::move(c));
  }
  return cases;
}

struct Built {
  Context ctx{2};
  std::unique_ptr<CompiledGraph> graph;
  std::vector<std::vector<uint8_t>> in, out;
  std::vector<void*> inPtrs, outPtrs;
  std::string error;
};

// Builds the case and binds host buffers; error names what failed.
std::unique_ptr<Built> build(const DispatchCase& c) {
  auto b = std::make_unique<Built>();
  GraphBuilder gb(&b->ctx);
  std::vector<std::pair<std::string, int>> args;
  std::map<std::string, size_t> inputIndex;
  for (size_t i = 0; i < c.operands.size(); ++i) {
    const Operand& o = c.operands[i];
    std::vector<uint8_t> data = smallData(o.desc);
    int id = o.constant ? gb.constant(o.desc, data.data(), data.size()) : gb.input("x" + std::to_string(i), o.desc);
    if (!o.constant) inputIndex["x" + std::to_string(i)] = i;
    args.push_back({o.arg, id});
  }
  std::vector<int> outs = gb.addOperation(c.op, args, c.attrs, "");
  if (c.variant == "nchw chain (layout pass)" && !outs.empty()) {  // a second NCHW conv: the layout pass links them
    std::vector<uint8_t> w = smallData({DataType::Float32, {2, 4, 1, 1}});
    int w2 = gb.constant({DataType::Float32, {2, 4, 1, 1}}, w.data(), w.size());
    outs = gb.addOperation("conv2d", {{"input", outs[0]}, {"filter", w2}}, {}, "");
  }
  if (c.variant == "fused chain" && !outs.empty()) outs = gb.addOperation("relu", {{"input", outs[0]}}, {}, "");
  if (outs.empty()) {
    b->error = gb.errorMessage();
    return b;
  }
  std::vector<std::pair<std::string, int>> named;
  for (size_t i = 0; i < outs.size(); ++i) named.push_back({"y" + std::to_string(i), outs[i]});
  b->graph = gb.build(named);
  if (!b->graph) {
    b->error = gb.errorMessage();
    return b;
  }
  for (const auto& port : b->graph->inputs()) b->in.push_back(smallData(c.operands[inputIndex.at(port.name)].desc));
  for (const auto& port : b->graph->outputs()) b->out.emplace_back(size_t(port.desc.byteLength()));
  for (auto& v : b->in) b->inPtrs.push_back(v.data());
  for (auto& v : b->out) b->outPtrs.push_back(v.data());
  return b;
}

std::vector<DispatchCase> allCases() {
  std::vector<DispatchCase> cases = specialCases();
  std::set<std::string> special;
  for (const DispatchCase& c : cases) special.insert(c.op);
  for (const OpDef& def : OpRegistry::instance().all())
    if (!special.count(def.name))
      for (DispatchCase& c : genericCases(def)) cases.push_back(std::move(c));
  return cases;
}

}  // namespace

TEST_CASE("dispatch allocates nothing, for every op", "[dispatch][alloc]") {
  if (!mallocCounterAvailable()) {
    WARN("malloc cannot be counted in this build (sanitizers or not glibc): skipped");
    return;
  }
  std::set<std::string> covered;
  for (const DispatchCase& c : allCases()) {
    INFO(c.op << " (" << c.variant << ")");
    auto b = build(c);
    INFO(b->error);
    CHECK(b->graph);
    if (!b->graph) continue;
    b->graph->dispatch(b->inPtrs.data(), b->outPtrs.data());  // warm-up (nothing should be lazy, but allow it)
    size_t count;
    {
      CountAllocations counter;
      for (int i = 0; i < 3; ++i) b->graph->dispatch(b->inPtrs.data(), b->outPtrs.data());
      count = counter.count();
    }
    CHECK(count == 0);
    covered.insert(c.op);
  }
  for (const OpDef& def : OpRegistry::instance().all()) CHECK(covered.count(def.name));
}

TEST_CASE("a conv2d whose filter the graph computes needs no allocation at dispatch to be right", "[dispatch][alloc]") {
  if (!mallocCounterAvailable()) {
    WARN("malloc cannot be counted in this build (sanitizers or not glibc): skipped");
    return;
  }
  // y = conv2d(x, w + 0) with w, x inputs: the filter is an intermediate, packed at every dispatch.
  for (bool depthwise : {false, true}) {
    INFO((depthwise ? "depthwise" : "im2col"));
    Context ctx(2);
    GraphBuilder gb(&ctx);
    Shape xs{1, 3, 5, 5}, ws = depthwise ? Shape{3, 1, 3, 3} : Shape{2, 3, 3, 3};
    int x = gb.input("x", {DataType::Float32, xs});
    int w = gb.input("w", {DataType::Float32, ws});
    int zero = gb.input("zero", {DataType::Float32, {1}});
    int wsum = gb.addOperation("add", {{"a", w}, {"b", zero}}, {}, "")[0];
    Attributes at = depthwise ? attrs({{"groups", 3.0}}) : Attributes{};
    int y = gb.addOperation("conv2d", {{"input", x}, {"filter", wsum}}, at, "")[0];
    auto graph = gb.build({{"y", y}});
    REQUIRE(graph);
    Rng rng(7);
    std::vector<float> xv = randomVector(75, rng), wv = randomVector(size_t(ws[0] * ws[1] * 9), rng), z{0.f};
    size_t O = ws[0], OH = 3, OW = 3;
    std::vector<float> got(O * OH * OW, -99.f), want(O * OH * OW, 0.f);
    size_t icg = depthwise ? 1 : 3;
    for (size_t o = 0; o < O; ++o)
      for (size_t oh = 0; oh < OH; ++oh)
        for (size_t ow = 0; ow < OW; ++ow) {
          double acc = 0;
          for (size_t i = 0; i < icg; ++i)
            for (size_t kh = 0; kh < 3; ++kh)
              for (size_t kw = 0; kw < 3; ++kw) {
                size_t ic = depthwise ? o : i;
                acc += double(xv[(ic * 5 + oh + kh) * 5 + ow + kw]) * wv[((o * icg + i) * 3 + kh) * 3 + kw];
              }
          want[(o * OH + oh) * OW + ow] = float(acc);
        }
    // Inputs in the graph's input order.
    std::map<std::string, void*> byName{{"x", xv.data()}, {"w", wv.data()}, {"zero", z.data()}};
    std::vector<void*> ins;
    for (const auto& port : graph->inputs()) ins.push_back(byName.at(port.name));
    void* outs[] = {got.data()};
    {
      CountAllocations failEverything(/*failFrom=*/0);
      graph->dispatch(ins.data(), outs);
      CHECK(failEverything.count() == 0);
    }
    for (size_t i = 0; i < want.size(); ++i) {
      INFO("output " << i);
      CHECK(got[i] == Approx(want[i]).margin(1e-5));
    }
  }
}

TEST_CASE("a conv2d whose filter the graph computes fails cleanly at build when its packing memory cannot be had",
          "[dispatch][alloc]") {
  if (!mallocCounterAvailable()) {
    WARN("malloc cannot be counted in this build (sanitizers or not glibc): skipped");
    return;
  }
  // The packed filter (here ~1.2 MB with the transposed copy) lives in the arena: when the arena
  // cannot be allocated, build() says so (OperationError) instead of a dispatch computing garbage.
  Context ctx(1);
  auto buildGraph = [&](size_t failFrom, Status* status) {
    GraphBuilder gb(&ctx);
    int x = gb.input("x", {DataType::Float32, {1, 64, 4, 4}});
    int w = gb.input("w", {DataType::Float32, {64, 64, 3, 3}});
    int r = gb.addOperation("relu", {{"input", w}}, {}, "")[0];
    int y = gb.addOperation("conv2d", {{"input", x}, {"filter", r}}, attrs({{"padding", nums({1, 1, 1, 1})}}), "")[0];
    std::unique_ptr<CompiledGraph> g;
    {
      CountAllocations failLarge(failFrom);
      g = gb.build({{"y", y}});
    }
    *status = gb.error();
    return g;
  };
  Status s;
  CHECK_FALSE(buildGraph(256 * 1024, &s));
  CHECK(s.kind() == ErrorKind::OperationError);
  CHECK(s.message().find("build") != std::string::npos);
  CHECK(buildGraph(SIZE_MAX, &s));  // and the context still builds it when memory is there
}
