// quantizeLinear/dequantizeLinear (blockwise) against a naive reference, saturation and rounding, validation.
#include <catch2/catch.hpp>

#include <cmath>

#include "harness.h"

using namespace webnn;
using namespace webnn::test;

namespace {
size_t blockIndex(const Shape& in, const Shape& scale, size_t i) {
  size_t s = 0, stride = 1;
  for (size_t d = in.size(); d-- > 0;) {
    size_t coord = i % in[d];
    i /= in[d];
    s += (coord / (in[d] / scale[d])) * stride;
    stride *= scale[d];
  }
  return s;
}
double saturate(double v, DataType t) {
  double lo = t == DataType::Int8 ? -128 : t == DataType::Uint8 ? 0 : t == DataType::Int32 ? -2147483648.0 : 0;
  double hi = t == DataType::Int8 ? 127 : t == DataType::Uint8 ? 255 : t == DataType::Int32 ? 2147483647.0 : 4294967295.0;
  return std::min(std::max(v, lo), hi);
}
}  // namespace

TEST_CASE("quantizeLinear and dequantizeLinear with blockwise scale and zeroPoint", "[quantize]") {
  Rng rng(9);
  const std::vector<std::pair<Shape, Shape>> shapes{
      {{}, {}}, {{6}, {1}}, {{6}, {3}}, {{4, 6}, {1, 6}}, {{4, 6}, {2, 3}}, {{2, 3, 4}, {2, 1, 2}}};
  for (DataType ft : {DataType::Float32, DataType::Float16})
    for (DataType it : {DataType::Uint8, DataType::Int8, DataType::Int32, DataType::Uint32})
      for (auto& [si, ss] : shapes) {
        size_t n = OperandDesc{ft, si}.elementCount(), ns = OperandDesc{ft, ss}.elementCount();
        std::vector<double> x(n), scale(ns), zp(ns);
        for (auto& v : x) v = rng.uniform(-300.f, 300.f);
        for (auto& v : scale) v = rng.uniform(0.5f, 2.f);
        for (auto& v : zp) v = double(rng.range(0, 20)) + (it == DataType::Int8 || it == DataType::Int32 ? -10 : 100);
        TensorData in = fromDoubles(ft, si, x), sc = fromDoubles(ft, ss, scale), z = fromDoubles(it, ss, zp);
        RunResult q = runOp("quantizeLinear", {{"input", in}, {"scale", sc, true}, {"zeroPoint", z, true}});
        REQUIRE(q.status.isOk());
        REQUIRE(q.outputs[0].desc == OperandDesc{it, si});
        for (size_t i = 0; i < n; ++i) {
          size_t s = blockIndex(si, ss, i);
          double e = saturate(std::nearbyint(double(float(in.value(i)) / float(sc.value(s)))) + z.value(s), it);
          INFO(dataTypeName(ft) << "->" << dataTypeName(it) << " x=" << in.value(i) << " scale=" << sc.value(s));
          // float16 inputs compute x / scale in float32 (the pass), so allow one step at a rounding boundary.
          CHECK(std::fabs(q.outputs[0].value(i) - e) <= (ft == DataType::Float16 ? 1 : 0));
        }
        RunResult d = runOp("dequantizeLinear", {{"input", q.outputs[0]}, {"scale", sc}, {"zeroPoint", z}});
        REQUIRE(d.status.isOk());
        REQUIRE(d.outputs[0].desc == OperandDesc{ft, si});
        for (size_t i = 0; i < n; ++i) {
          size_t s = blockIndex(si, ss, i);
          double e = (q.outputs[0].value(i) - z.value(s)) * sc.value(s);
          CHECK(close(d.outputs[0].value(i), e, 1e-3, ft == DataType::Float16 ? 1e-3 : 1e-6));
        }
      }
}

TEST_CASE("quantizeLinear saturates and rounds half to even", "[quantize]") {
  TensorData in = fromDoubles(DataType::Float32, {6}, {2.5, 3.5, -2.5, 1e9, -1e9, NAN});
  TensorData sc = fromDoubles(DataType::Float32, {1}, {1});
  RunResult q = runOp("quantizeLinear", {{"input", in}, {"scale", sc}, {"zeroPoint", fromDoubles(DataType::Int8, {1}, {0})}});
  REQUIRE(q.status.isOk());
  std::vector<double> e{2, 4, -2, 127, -128, 0};
  for (size_t i = 0; i < 6; ++i) CHECK(q.outputs[0].value(i) == e[i]);
}

TEST_CASE("quantize validation: types, ranks, shapes, blockwise divisibility", "[quantize]") {
  TensorData f = fromDoubles(DataType::Float32, {4, 6}, std::vector<double>(24, 1));
  auto check = [](Status s, const char* prefix) {
    CHECK(s.kind() == ErrorKind::TypeError);
    CHECK(s.message().find(prefix) == 0);
  };
  check(opStatus("quantizeLinear", {{"input", f}, {"scale", fromDoubles(DataType::Float32, {4, 4}, std::vector<double>(16, 1))},
                                    {"zeroPoint", fromDoubles(DataType::Uint8, {4, 4}, std::vector<double>(16, 0))}}, {}, "q"),
        "quantizeLinear [q]:");  // 6 % 4 != 0
  check(opStatus("quantizeLinear", {{"input", f}, {"scale", fromDoubles(DataType::Float32, {6}, std::vector<double>(6, 1))},
                                    {"zeroPoint", fromDoubles(DataType::Uint8, {6}, std::vector<double>(6, 0))}}, {}, "q"),
        "quantizeLinear [q]:");  // rank
  check(opStatus("quantizeLinear", {{"input", f}, {"scale", fromDoubles(DataType::Float32, {1, 1}, {1})},
                                    {"zeroPoint", fromDoubles(DataType::Int64, {1, 1}, {0})}}, {}, "q"),
        "quantizeLinear [q]:");  // zeroPoint type
  check(opStatus("dequantizeLinear", {{"input", fromDoubles(DataType::Uint8, {2}, {1, 2})}, {"scale", fromDoubles(DataType::Float32, {2}, {1, 1})},
                                      {"zeroPoint", fromDoubles(DataType::Int8, {2}, {0, 0})}}, {}, "d"),
        "dequantizeLinear [d]:");  // zeroPoint must match input
  check(opStatus("dequantizeLinear", {{"input", f}, {"scale", f}, {"zeroPoint", f}}, {}, "d"), "dequantizeLinear [d]:");
}
