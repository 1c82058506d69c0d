// The Catch2 tests' one harness: a portable seeded generator (Rng: its output is defined here, not
// by the standard library, so a seed gives the same data natively and in Wasm, with libstdc++ or
// libc++), activation lists for kernel tests, and two ways to build and run graphs through the C++
// API: runOp/runGraph (any data type, raw bytes plus descriptor) and GraphHarness (float data, a
// builder the test drives op by op).
#pragma once
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "api/context.h"
#include "core/thread_pool.h"
#include "kernels/activation.h"
#include "kernels/elementwise/float16.h"

namespace webnn::test {

// False in a build without threads (Wasm without pthreads), where every pool runs on 1 thread.
inline bool threadsAvailable() { return webnn::ThreadPool(2).numThreads() == 2; }

// Deterministic LCG so failures reproduce across native and Wasm builds.
struct Rng {
  uint32_t s;
  explicit Rng(uint32_t seed) : s(seed * 2654435761u + 1) {}
  uint32_t next() { return s = s * 1664525u + 1013904223u; }
  float uniform(float lo, float hi) { return lo + (hi - lo) * ((next() >> 8) * (1.f / 16777216.f)); }
  size_t range(size_t lo, size_t hi) { return lo + next() % (hi - lo + 1); }  // inclusive
};

inline std::vector<float> randomVector(size_t n, Rng& rng) {
  std::vector<float> v(n);
  for (auto& x : v) x = rng.uniform(-1.f, 1.f);
  return v;
}

inline webnn::Activation makeActivation(webnn::ActivationKind kind) {
  webnn::Activation a;
  a.kind = kind;
  switch (kind) {
    case webnn::ActivationKind::Clamp:
      a.minValue = -0.25f;
      a.maxValue = 0.5f;
      break;
    case webnn::ActivationKind::LeakyRelu: a.alpha = 0.1f; break;
    case webnn::ActivationKind::HardSigmoid: a.alpha = 0.2f; a.beta = 0.5f; break;
    case webnn::ActivationKind::Elu: a.alpha = 0.9f; break;
    case webnn::ActivationKind::Linear: a.alpha = 0.75f; a.beta = -0.1f; break;
    default: break;
  }
  return a;
}

inline webnn::Activation relu() {
  webnn::Activation a;
  a.kind = webnn::ActivationKind::Clamp;
  a.minValue = 0.f;
  a.maxValue = std::numeric_limits<float>::infinity();
  return a;
}

inline std::vector<webnn::ActivationKind> allActivationKinds() {
  using K = webnn::ActivationKind;
  return {K::None, K::Clamp, K::Sigmoid, K::Tanh, K::LeakyRelu, K::HardSwish, K::HardSigmoid,
          K::Gelu, K::Elu,   K::Linear, K::Softplus, K::Softsign};
}

struct TensorData {
  webnn::OperandDesc desc;
  std::vector<uint8_t> bytes;
  size_t count() const { return size_t(desc.elementCount()); }
  template <typename T>
  T at(size_t i) const {
    T v;
    std::memcpy(&v, bytes.data() + i * sizeof(T), sizeof(T));
    return v;
  }
  // Element i as a double, whatever the data type (float16 decoded).
  double value(size_t i) const {
    using webnn::DataType;
    switch (desc.dataType) {
      case DataType::Float32: return at<float>(i);
      case DataType::Float16: return webnn::halfToFloat(at<uint16_t>(i));
      case DataType::Int32: return at<int32_t>(i);
      case DataType::Uint32: return at<uint32_t>(i);
      case DataType::Int64: return double(at<int64_t>(i));
      case DataType::Uint64: return double(at<uint64_t>(i));
      case DataType::Int8: return at<int8_t>(i);
      case DataType::Uint8: return at<uint8_t>(i);
    }
    return 0;
  }
};

template <typename T>
TensorData makeTensor(webnn::DataType type, webnn::Shape shape, const std::vector<T>& values) {
  TensorData t{{type, std::move(shape)}, {}};
  t.bytes.resize(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
  return t;
}

// A tensor of `type` holding `values` (converted with the C++ conversion; float16 rounded).
inline TensorData fromDoubles(webnn::DataType type, webnn::Shape shape, const std::vector<double>& values) {
  using webnn::DataType;
  switch (type) {
    case DataType::Float32: return makeTensor(type, shape, std::vector<float>(values.begin(), values.end()));
    case DataType::Float16: {
      std::vector<uint16_t> h;
      for (double v : values) h.push_back(webnn::floatToHalf(float(v)));
      return makeTensor(type, shape, h);
    }
    case DataType::Int32: return makeTensor(type, shape, std::vector<int32_t>(values.begin(), values.end()));
    case DataType::Uint32: return makeTensor(type, shape, std::vector<uint32_t>(values.begin(), values.end()));
    case DataType::Int64: return makeTensor(type, shape, std::vector<int64_t>(values.begin(), values.end()));
    case DataType::Uint64: return makeTensor(type, shape, std::vector<uint64_t>(values.begin(), values.end()));
    case DataType::Int8: return makeTensor(type, shape, std::vector<int8_t>(values.begin(), values.end()));
    case DataType::Uint8: return makeTensor(type, shape, std::vector<uint8_t>(values.begin(), values.end()));
  }
  return {};
}

struct OpInput {
  std::string arg;  // the spec's argument name: "input", "a", "b", ...
  TensorData data;
  bool constant = false;
};

struct RunResult {
  webnn::Status status;  // of addOperation or build
  std::vector<TensorData> outputs;
  std::string plan;
};

// Builds any graph: `build` gets the builder and the operand ids of `inputs` (graph inputs or
// constants) and returns the output operand ids (empty to report the builder's error).
inline RunResult runGraph(const std::vector<OpInput>& inputs,
                          const std::function<std::vector<int>(webnn::GraphBuilder&, const std::vector<int>&)>& build,
                          size_t threads = 2) {
  RunResult r;
  webnn::Context ctx(threads);
  webnn::GraphBuilder b(&ctx);
  std::vector<int> ids;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const OpInput& in = inputs[i];
    int id = in.constant ? b.constant(in.data.desc, in.data.bytes.data(), in.data.bytes.size())
                         : b.input("in" + std::to_string(i), in.data.desc);
    if (id < 0) {
      r.status = b.error();
      return r;
    }
    ids.push_back(id);
  }
  std::vector<int> outs = build(b, ids);
  if (outs.empty()) {
    r.status = b.error();
    return r;
  }
  std::vector<std::pair<std::string, int>> named;
  for (size_t i = 0; i < outs.size(); ++i) named.push_back({"out" + std::to_string(i), outs[i]});
  auto graph = b.build(named);
  if (!graph) {
    r.status = b.error();
    return r;
  }
  std::vector<void*> inPtrs, outPtrs;
  std::vector<std::vector<uint8_t>> inCopies;
  for (const auto& port : graph->inputs()) {
    size_t index = std::stoul(port.name.substr(2));
    inCopies.push_back(inputs[index].data.bytes);
  }
  for (auto& c : inCopies) inPtrs.push_back(c.data());
  for (const auto& port : graph->outputs()) {
    r.outputs.push_back({port.desc, std::vector<uint8_t>(size_t(port.desc.byteLength()) + 1, 0xcd)});
    outPtrs.push_back(r.outputs.back().bytes.data());
  }
  graph->dispatch(inPtrs.data(), outPtrs.data());
  for (auto& o : r.outputs) o.bytes.resize(size_t(o.desc.byteLength()));
  r.plan = graph->planReport();
  return r;
}

// One op over `inputs` (bound under their argument names).
inline RunResult runOp(const std::string& op, const std::vector<OpInput>& inputs, const webnn::Attributes& attrs = {},
                       const std::string& label = "") {
  return runGraph(inputs, [&](webnn::GraphBuilder& b, const std::vector<int>& ids) {
    std::vector<std::pair<std::string, int>> args;
    for (size_t i = 0; i < inputs.size(); ++i) args.push_back({inputs[i].arg, ids[i]});
    return b.addOperation(op, args, attrs, label);
  });
}

// The validation error of an op (TypeError expected by callers), or "" if it validated.
inline webnn::Status opStatus(const std::string& op, const std::vector<OpInput>& inputs,
                              const webnn::Attributes& attrs = {}, const std::string& label = "") {
  webnn::Context ctx(1);
  webnn::GraphBuilder b(&ctx);
  std::vector<std::pair<std::string, int>> args;
  for (size_t i = 0; i < inputs.size(); ++i)
    args.push_back({inputs[i].arg, b.input("in" + std::to_string(i), inputs[i].data.desc)});
  if (b.addOperation(op, args, attrs, label).empty()) return b.error();
  return webnn::Status::ok();
}

inline webnn::Attributes attrs(std::initializer_list<std::pair<std::string, webnn::AttrValue>> list) {
  webnn::Attributes a;
  for (auto& [k, v] : list) a.set(k, v);
  return a;
}

// |a - b| <= atol + rtol*|b|, NaN matching NaN, infinities exact.
inline bool close(double a, double b, double atol, double rtol) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return std::fabs(a - b) <= atol + rtol * std::fabs(b);
}

// ULP distance between two floats (NaNs equal).
inline int64_t ulpDistance(float a, float b) {
  if (std::isnan(a) && std::isnan(b)) return 0;
  if (a == b) return 0;
  int32_t ia, ib;
  std::memcpy(&ia, &a, 4);
  std::memcpy(&ib, &b, 4);
  if (ia < 0) ia = INT32_MIN - ia;
  if (ib < 0) ib = INT32_MIN - ib;
  return std::llabs(int64_t(ia) - int64_t(ib));
}

inline const std::vector<webnn::DataType>& allDataTypes() {
  using webnn::DataType;
  static const std::vector<DataType> all{DataType::Float32, DataType::Float16, DataType::Int32, DataType::Uint32,
                                         DataType::Int64,   DataType::Uint64,  DataType::Int8,  DataType::Uint8};
  return all;
}

inline bool isFloat(webnn::DataType t) { return t == webnn::DataType::Float32 || t == webnn::DataType::Float16; }
inline bool isSigned(webnn::DataType t) {
  using webnn::DataType;
  return isFloat(t) || t == DataType::Int32 || t == DataType::Int64 || t == DataType::Int8;
}


// The flat index into a tensor of shape `in` broadcast to `out`, for flat output index `o`.
inline size_t broadcastIndex(const webnn::Shape& out, const webnn::Shape& in, size_t o) {
  size_t idx = 0, stride = 1;
  for (size_t i = 0; i < out.size(); ++i) {
    size_t d = out.size() - 1 - i;
    size_t coord = o % out[d];
    o /= out[d];
    if (i < in.size()) {
      size_t id = in.size() - 1 - i;
      if (in[id] != 1) idx += coord * stride;
      stride *= in[id];
    }
  }
  return idx;
}

inline webnn::Shape broadcast(const webnn::Shape& a, const webnn::Shape& b) {
  size_t rank = std::max(a.size(), b.size());
  webnn::Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    uint32_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    uint32_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    out[i] = std::max(da, db);
  }
  return out;
}

// Small random integers (fit every data type) as doubles; signed types also get negatives.
inline std::vector<double> smallValues(size_t n, Rng& rng, bool negative) {
  std::vector<double> v(n);
  for (auto& x : v) x = double(int(rng.range(0, 12)) - (negative ? 6 : 0));
  return v;
}

// n values uniform in [lo, hi), the same on every platform for a seed.
inline std::vector<float> randomFloats(size_t n, uint32_t seed, float lo = -1.f, float hi = 1.f) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = rng.uniform(lo, hi);
  return v;
}

inline size_t count(const Shape& s) {
  size_t n = 1;
  for (uint32_t d : s) n *= d;
  return n;
}

// A builder with a context of `threads` threads; run() feeds float inputs and returns the outputs.
struct GraphHarness {
  explicit GraphHarness(size_t threads = 1) : context(threads), builder(&context) {}
  Context context;
  GraphBuilder builder;
  std::vector<std::vector<float>> inputData;

  int input(const std::string& name, Shape shape, std::vector<float> data, DataType t = DataType::Float32) {
    inputData.push_back(std::move(data));
    int id = builder.input(name, {t, std::move(shape)});
    REQUIRE(id >= 0);
    return id;
  }
  template <typename T = float>
  int constant(Shape shape, const std::vector<T>& data, DataType t = DataType::Float32) {
    int id = builder.constant({t, std::move(shape)}, data.data(), data.size() * sizeof(T));
    REQUIRE(id >= 0);
    return id;
  }
  int op(const std::string& name, std::vector<std::pair<std::string, int>> inputs, Attributes attrs = {},
         const std::string& label = "") {
    std::vector<int> outs = builder.addOperation(name, inputs, attrs, label);
    INFO(builder.errorMessage());
    REQUIRE(outs.size() >= 1);
    return outs[0];
  }
  // Expects addOperation to fail with a TypeError whose message names the op.
  void expectTypeError(const std::string& name, std::vector<std::pair<std::string, int>> inputs, Attributes attrs = {},
                       const std::string& label = "lbl") {
    std::vector<int> outs = builder.addOperation(name, inputs, attrs, label);
    REQUIRE(outs.empty());
    CHECK(builder.error().kind() == ErrorKind::TypeError);
    CHECK(builder.errorMessage().find(name) != std::string::npos);
    CHECK(builder.errorMessage().find("[" + label + "]") != std::string::npos);
  }
  // Builds with the given outputs and runs once; returns each output's bytes as floats (a float
  // output has one value per element).
  std::vector<std::vector<float>> run(const std::vector<int>& outputs, std::string* plan = nullptr) {
    std::vector<std::pair<std::string, int>> named;
    std::vector<OperandDesc> descs;
    for (size_t i = 0; i < outputs.size(); ++i) {
      named.push_back({"out" + std::to_string(i), outputs[i]});
      descs.push_back(*builder.operandDesc(outputs[i]));
    }
    // Input data was given in declaration order: map operand ids to it before build() spends the graph.
    std::vector<int> inputOrder;
    for (size_t id = 0; id < builder.graph().operands.size(); ++id)
      if (builder.graph().operands[id].kind == OperandKind::Input) inputOrder.push_back(int(id));
    std::unique_ptr<CompiledGraph> graph = builder.build(named);
    INFO(builder.errorMessage());
    REQUIRE(graph);
    if (plan) *plan = graph->planReport();
    std::vector<void*> in;
    for (const GraphPort& port : graph->inputs()) {
      size_t index = std::find(inputOrder.begin(), inputOrder.end(), port.operand) - inputOrder.begin();
      in.push_back(inputData[index].data());
    }
    std::vector<std::vector<float>> results;
    std::vector<void*> out;
    for (const OperandDesc& d : descs) results.emplace_back((d.byteLength() + sizeof(float) - 1) / sizeof(float));
    for (auto& r : results) out.push_back(r.data());
    graph->dispatch(in.data(), out.data());
    return results;
  }
};

inline void requireClose(const std::vector<float>& got, const std::vector<float>& want, float atol = 1e-5f,
                         float rtol = 1e-5f) {
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      REQUIRE(std::isnan(got[i]));
      continue;
    }
    INFO("index " << i << ": got " << got[i] << " want " << want[i]);
    REQUIRE(std::fabs(got[i] - want[i]) <= atol + rtol * std::fabs(want[i]));
  }
}

}  // namespace webnn::test
