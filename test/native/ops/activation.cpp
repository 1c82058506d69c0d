// Activation ops on the data types beyond float32: prelu (broadcast slope, integer and float types),
// relu on signed integers, clamp on every data type.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "harness.h"

using namespace webnn;
using namespace webnn::test;

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
