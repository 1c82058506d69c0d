// quantizeLinear/dequantizeLinear (blockwise), prelu, relu/clamp on integer types.
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

TEST_CASE("prelu broadcasts slope, integer and float types", "[prelu]") {
  Rng rng(10);
  const std::vector<std::pair<Shape, Shape>> shapes{{{5}, {5}}, {{2, 3}, {3}}, {{2, 1}, {1, 4}}, {{1, 3, 2, 2}, {3, 1, 1}}, {{}, {}}};
  for (DataType t : {DataType::Float32, DataType::Float16, DataType::Int32, DataType::Int64, DataType::Int8})
    for (auto& [si, ss] : shapes) {
      Shape out = broadcast(si, ss);
      TensorData x = fromDoubles(t, si, smallValues(OperandDesc{t, si}.elementCount(), rng, true));
      TensorData s = fromDoubles(t, ss, smallValues(OperandDesc{t, ss}.elementCount(), rng, true));
      RunResult r = runOp("prelu", {{"input", x}, {"slope", s}});
      REQUIRE(r.status.isOk());
      REQUIRE(r.outputs[0].desc == OperandDesc{t, out});
      for (size_t o = 0; o < r.outputs[0].count(); ++o) {
        double v = x.value(broadcastIndex(out, si, o)), sl = s.value(broadcastIndex(out, ss, o));
        CHECK(r.outputs[0].value(o) == (v < 0 ? v * sl : v));
      }
    }
  Status st = opStatus("prelu", {{"input", fromDoubles(DataType::Uint8, {2}, {1, 2})}, {"slope", fromDoubles(DataType::Uint8, {2}, {1, 2})}}, {}, "p");
  CHECK(st.kind() == ErrorKind::TypeError);
  CHECK(st.message().find("prelu [p]:") == 0);
}

TEST_CASE("relu on signed integers and clamp on every data type", "[activation]") {
  for (DataType t : {DataType::Int8, DataType::Int32, DataType::Int64, DataType::Float16}) {
    TensorData x = fromDoubles(t, {5}, {-3, -1, 0, 2, 100});
    RunResult r = runOp("relu", {{"input", x}});
    REQUIRE(r.status.isOk());
    for (size_t i = 0; i < 5; ++i) CHECK(r.outputs[0].value(i) == std::max(0.0, x.value(i)));
  }
  CHECK(opStatus("relu", {{"input", fromDoubles(DataType::Uint8, {1}, {1})}}).kind() == ErrorKind::TypeError);
  for (DataType t : allDataTypes()) {
    TensorData x = fromDoubles(t, {6}, isSigned(t) ? std::vector<double>{-100, -3, 0, 2, 5, 100} : std::vector<double>{0, 1, 2, 5, 9, 100});
    double lo = isSigned(t) ? -2.5 : 1.5, hi = 5.5;
    RunResult r = runOp("clamp", {{"input", x}}, attrs({{"minValue", lo}, {"maxValue", hi}}));
    REQUIRE(r.status.isOk());
    // Integer bounds are cast with round-half-to-even: -2.5 -> -2, 1.5 -> 2, 5.5 -> 6.
    double l = isFloat(t) ? lo : std::nearbyint(lo), h = isFloat(t) ? hi : std::nearbyint(hi);
    for (size_t i = 0; i < 6; ++i) CHECK(r.outputs[0].value(i) == std::min(std::max(x.value(i), l), h));
    RunResult open = runOp("clamp", {{"input", x}});
    REQUIRE(open.status.isOk());
    CHECK(open.outputs[0].bytes == x.bytes);
  }
  // Bounds beyond the type's range saturate; min > max after casting is a TypeError.
  RunResult r = runOp("clamp", {{"input", fromDoubles(DataType::Uint8, {2}, {0, 255})}}, attrs({{"minValue", -1000.0}, {"maxValue", 1000.0}}));
  CHECK(r.outputs[0].value(0) == 0);
  CHECK(r.outputs[0].value(1) == 255);
  Status s = opStatus("clamp", {{"input", fromDoubles(DataType::Int8, {1}, {1})}}, attrs({{"minValue", 3.0}, {"maxValue", 2.0}}), "c");
  CHECK(s.kind() == ErrorKind::TypeError);
  CHECK(s.message().find("clamp [c]:") == 0);
  CHECK(opStatus("clamp", {{"input", fromDoubles(DataType::Uint8, {1}, {1})}}, attrs({{"minValue", 300.0}, {"maxValue", 260.0}})).isOk());
}

TEST_CASE("element-wise binary ops accept float16 and every integer type", "[binary][float16]") {
  Rng rng(11);
  for (DataType t : allDataTypes())
    for (const char* op : {"add", "sub", "mul", "max", "min"}) {
      TensorData a = fromDoubles(t, {2, 3}, smallValues(6, rng, isSigned(t)));
      TensorData b = fromDoubles(t, {3}, smallValues(3, rng, isSigned(t)));
      RunResult r = runOp(op, {{"a", a}, {"b", b}});
      REQUIRE(r.status.isOk());
      for (size_t o = 0; o < 6; ++o) {
        double x = a.value(o), y = b.value(o % 3);
        std::string s = op;
        double e = s == "add" ? x + y : s == "sub" ? x - y : s == "mul" ? x * y : s == "max" ? std::max(x, y) : std::min(x, y);
        if (!isSigned(t) && e < 0) e += t == DataType::Uint8 ? 256.0 : t == DataType::Uint32 ? 4294967296.0 : 18446744073709551616.0;
        INFO(op << " " << dataTypeName(t));
        CHECK(r.outputs[0].value(o) == e);
      }
    }
  // Integer division by zero gives 0 and INT_MIN / -1 wraps (no trap).
  RunResult d = runOp("div", {{"a", makeTensor(DataType::Int32, {2}, std::vector<int32_t>{7, INT32_MIN})},
                              {"b", makeTensor(DataType::Int32, {2}, std::vector<int32_t>{0, -1})}});
  CHECK(d.outputs[0].at<int32_t>(0) == 0);
  CHECK(d.outputs[0].at<int32_t>(1) == INT32_MIN);
}
