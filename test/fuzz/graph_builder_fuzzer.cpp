// libFuzzer target over the engine's C++ face (src/api/context.h): the bytes decode into a sequence
// of GraphBuilder input/constant/addOperation/build calls and, for small built graphs, tensor
// creation and dispatch. Built with -fsanitize=fuzzer,address,undefined (CMake option WEBNN_FUZZ);
// scripts/fuzz-native.sh runs it. Any crash, sanitizer report, leak or timeout is a bug: a call must
// return an error (kind + message) or succeed.
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "api/context.h"
#include "ops/op_registry.h"

using namespace webnn;

extern "C" const char* __asan_default_options() { return "allocator_may_return_null=1:detect_leaks=1"; }

namespace {

// Operands above this are declared (inputs cost nothing) but graphs holding them are not built:
// the fuzzer looks for logic bugs, not for how much memory the machine has.
constexpr uint64_t kMaxBuildOperandBytes = 1 << 20;
constexpr uint64_t kMaxDispatchElements = 1 << 14;

const char* const kAttrNames[] = {
    "padding", "strides", "dilations", "groups", "inputLayout", "filterLayout", "windowDimensions",
    "outputShapeRounding", "outputSizes", "layout", "axis", "newShape", "permutation", "alpha", "beta",
    "aTranspose", "bTranspose", "minValue", "maxValue", "keepDimensions", "axes", "epsilon", "outputDataType",
    "starts", "sizes", "beginningPadding", "endingPadding", "mode", "value", "splits", "repetitions", "upper",
    "diagonal", "scales", "exclusive", "reversed", "to", "dataType", "outputPadding", "hiddenSize", "steps"};
const char* const kStrings[] = {"nchw", "nhwc", "oihw", "hwio", "ohwi", "ihwo", "iohw", "hwoi", "floor", "ceil",
                                "constant", "edge", "reflection", "linear", "nearest-neighbor", "float32", "int32",
                                "uint8", "", "bogus", "relu,sigmoid"};
const char* const kInputNames[] = {"input", "filter", "bias", "a", "b", "c", "inputs", "slope", "mean", "variance",
                                   "scale", "indices", "condition", "trueValue", "falseValue", "zeroPoint", "output",
                                   "weight", "recurrentWeight", "hiddenState", "updates", "bogus"};

double interestingNumber(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 9)) {
    case 0: return std::numeric_limits<double>::quiet_NaN();
    case 1: return in.ConsumeBool() ? INFINITY : -INFINITY;
    case 2: return double(UINT32_MAX);
    case 3: return -1;
    case 4: return 1e300;
    case 5: return double(1u << 31);
    case 6: return in.ConsumeFloatingPoint<double>();
    default: return double(in.ConsumeIntegralInRange<int>(-2, 5));
  }
}

uint32_t dimension(FuzzedDataProvider& in) {
  if (in.ConsumeIntegralInRange<int>(0, 15) != 0) return in.ConsumeIntegralInRange<uint32_t>(1, 4);
  switch (in.ConsumeIntegralInRange<int>(0, 4)) {
    case 0: return 0;
    case 1: return 65536;
    case 2: return UINT32_MAX;
    case 3: return 1u << 20;
    default: return in.ConsumeIntegral<uint32_t>();
  }
}

OperandDesc descriptor(FuzzedDataProvider& in) {
  OperandDesc d;
  d.dataType = static_cast<DataType>(in.ConsumeIntegralInRange<int>(0, kDataTypeCount - 1));
  int rank = in.ConsumeIntegralInRange<int>(0, 5);
  for (int i = 0; i < rank; ++i) d.shape.push_back(dimension(in));
  return d;
}

Attributes attributes(FuzzedDataProvider& in) {
  Attributes attrs;
  int n = in.ConsumeIntegralInRange<int>(0, 5);
  for (int i = 0; i < n; ++i) {
    std::string key = in.PickValueInArray(kAttrNames);
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
      case 0: attrs.set(key, in.ConsumeBool()); break;
      case 1: attrs.set(key, interestingNumber(in)); break;
      case 2: attrs.set(key, std::string(in.PickValueInArray(kStrings))); break;
      default: {
        std::vector<double> v;
        int len = in.ConsumeIntegralInRange<int>(0, 6);
        for (int k = 0; k < len; ++k) v.push_back(interestingNumber(in));
        attrs.set(key, v);
      }
    }
  }
  return attrs;
}

void dispatchSmall(Context& ctx, CompiledGraph& g, FuzzedDataProvider& in) {
  std::vector<std::unique_ptr<Tensor>> tensors;
  std::vector<void*> ins, outs;
  for (const auto* ports : {&g.inputs(), &g.outputs()})
    for (const GraphPort& p : *ports) {
      if (p.desc.elementCount() > kMaxDispatchElements) return;
      auto t = ctx.createTensor(p.desc);
      if (!t) return;
      // Inputs get fuzz bytes (NaN, Inf, denormals, huge integers: whatever they decode to).
      if (ports == &g.inputs()) {
        std::vector<uint8_t> bytes = in.ConsumeBytes<uint8_t>(t->byteLength());
        for (size_t i = 0; i < t->byteLength(); ++i) t->data()[i] = bytes.empty() ? uint8_t(i * 37) : bytes[i % bytes.size()];
        ins.push_back(t->data());
      } else {
        outs.push_back(t->data());
      }
      tensors.push_back(std::move(t));
    }
  g.dispatch(ins.data(), outs.data());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Context context(2);
  static std::vector<std::string> opNames = [] {
    std::vector<std::string> names;
    for (const OpDef& d : OpRegistry::instance().all()) names.push_back(d.name);
    names.push_back("notAnOp");
    return names;
  }();
  FuzzedDataProvider in(data, size);
  auto builder = std::make_unique<GraphBuilder>(&context);
  int operandCount = 0;
  for (int step = 0; step < 24 && in.remaining_bytes() > 0; ++step) {
    switch (in.ConsumeIntegralInRange<int>(0, 9)) {
      case 0:
      case 1: {
        std::string name = in.ConsumeBool() ? "x" + std::to_string(operandCount) : in.ConsumeRandomLengthString(4);
        if (builder->input(name, descriptor(in)) >= 0) ++operandCount;
        break;
      }
      case 2: {
        OperandDesc d = descriptor(in);
        uint64_t bytes = validateDescriptor(d, "").isOk() ? d.byteLength() : 0;
        if (bytes > kMaxBuildOperandBytes) break;
        std::vector<uint8_t> buffer(size_t(bytes) + 1, 0);
        std::vector<uint8_t> fill = in.ConsumeBytes<uint8_t>(size_t(std::min<uint64_t>(bytes, 64)));
        for (size_t i = 0; i < bytes && !fill.empty(); ++i) buffer[i] = fill[i % fill.size()];
        size_t given = in.ConsumeIntegralInRange<int>(0, 15) == 0 ? size_t(bytes) + 1 : size_t(bytes);
        if (builder->constant(d, buffer.data(), given) >= 0) ++operandCount;
        break;
      }
      case 9: {
        // build: one to three outputs (ids may be anything), then maybe dispatch.
        std::vector<std::pair<std::string, int>> outputs;
        int n = in.ConsumeIntegralInRange<int>(1, 3);
        for (int k = 0; k < n; ++k)
          outputs.push_back({in.ConsumeBool() ? "y" + std::to_string(k) : in.ConsumeRandomLengthString(3),
                             in.ConsumeIntegralInRange<int>(-1, operandCount)});
        bool small = true;
        for (int id = 0; id < operandCount; ++id) {
          const OperandDesc* d = builder->operandDesc(id);
          if (d && d->byteLength() > kMaxBuildOperandBytes) small = false;
        }
        if (!small) return 0;
        std::unique_ptr<CompiledGraph> g = builder->build(outputs);
        if (g) dispatchSmall(context, *g, in);
        builder = std::make_unique<GraphBuilder>(&context);
        operandCount = 0;
        break;
      }
      default: {
        std::string op = opNames[in.ConsumeIntegralInRange<size_t>(0, opNames.size() - 1)];
        const OpDef* def = OpRegistry::instance().find(op);
        std::vector<std::pair<std::string, int>> inputs;
        int n = in.ConsumeIntegralInRange<int>(0, 4);
        for (int k = 0; k < n; ++k) {
          // Mostly the op's own argument names, in order; sometimes anything.
          std::string name = def && size_t(k) < def->limits.size() && in.ConsumeIntegralInRange<int>(0, 7) != 0
                                 ? def->limits[k].name
                                 : std::string(in.PickValueInArray(kInputNames));
          int id = operandCount ? in.ConsumeIntegralInRange<int>(0, operandCount - 1) : 0;
          if (in.ConsumeIntegralInRange<int>(0, 31) == 0) id = in.ConsumeIntegralInRange<int>(-2, operandCount + 2);
          inputs.push_back({name, id});
        }
        std::string label = in.ConsumeBool() ? "" : in.ConsumeRandomLengthString(6);
        std::vector<int> outs = builder->addOperation(op, inputs, attributes(in), label);
        operandCount += int(outs.size());
        break;
      }
    }
  }
  return 0;
}
