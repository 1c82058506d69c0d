// Reductions, argMin/argMax and cumulativeSum through the graph against naive references. The reduce
// kernel itself: kernels/reduce.cpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/reduce/reduce.h"
#include "harness.h"
#include "nd_reference.h"
#include "core/thread_pool.h"

using namespace webnn;
using namespace webnn::test;

namespace {

std::vector<double> refReduce(const std::string& op, const TensorData& x, const std::vector<bool>& reduced, size_t outCount,
                              DataType t) {
  std::vector<std::vector<double>> groups(outCount);
  for (size_t i = 0; i < x.count(); ++i) groups[reducedIndex(x.desc.shape, reduced, i)].push_back(x.value(i));
  std::vector<double> out;
  for (auto& g : groups) {
    double r = 0;
    if (op == "reduceL1") for (double v : g) r += std::fabs(v);
    if (op == "reduceL2") { for (double v : g) r += v * v; r = std::sqrt(r); }
    if (op == "reduceLogSum") { for (double v : g) r += v; r = std::log(r); }
    if (op == "reduceLogSumExp") { for (double v : g) r += std::exp(v); r = std::log(r); }
    if (op == "reduceMax") r = *std::max_element(g.begin(), g.end());
    if (op == "reduceMin") r = *std::min_element(g.begin(), g.end());
    if (op == "reduceMean") { for (double v : g) r += v; r /= double(g.size()); }
    if (op == "reduceProduct") { r = 1; for (double v : g) r *= v; }
    if (op == "reduceSum") for (double v : g) r += v;
    if (op == "reduceSumSquare") for (double v : g) r += v * v;
    if (t == DataType::Uint32 && r < 0) r += 4294967296.0;  // not hit with these inputs
    out.push_back(r);
  }
  return out;
}

const char* kReduceOps[] = {"reduceL1", "reduceL2", "reduceLogSum", "reduceLogSumExp", "reduceMax",
                            "reduceMean", "reduceMin", "reduceProduct", "reduceSum", "reduceSumSquare"};

bool allowed(const std::string& op, DataType t) {
  if (op == "reduceMax" || op == "reduceMin") return true;
  if (isFloat(t)) return true;
  return (t == DataType::Int32 || t == DataType::Uint32) &&
         (op == "reduceL1" || op == "reduceProduct" || op == "reduceSum" || op == "reduceSumSquare");
}

struct AxesCase {
  Shape shape;
  bool hasAxes;
  std::vector<double> axes;
};

}  // namespace

TEST_CASE("reductions over axes subsets, keepDimensions, every allowed data type", "[reduce]") {
  Rng rng(6);
  const std::vector<AxesCase> cases{
      {{}, false, {}},          {{5}, false, {}},          {{2, 3, 4}, true, {1}},       {{2, 3, 4}, true, {0, 2}},
      {{2, 3, 4}, true, {2, 0}}, {{2, 3, 4}, true, {}},     {{3, 1, 2, 2}, true, {1, 3}}, {{2, 3, 4}, false, {}},
      {{4, 5}, true, {0}},      {{1, 6, 1, 2}, true, {1, 2}}};
  for (const char* op : kReduceOps)
    for (DataType t : allDataTypes()) {
      if (!allowed(op, t)) {
        Status s = opStatus(op, {{"input", fromDoubles(t, {2}, {1, 2})}}, {}, "r");
        CHECK(s.kind() == ErrorKind::TypeError);
        CHECK(s.message().find(std::string(op) + " [r]:") == 0);
        continue;
      }
      for (const AxesCase& c : cases)
        for (bool keep : {false, true}) {
          size_t n = OperandDesc{t, c.shape}.elementCount();
          std::vector<double> v(n);
          for (auto& x : v) {
            x = isFloat(t) ? double(rng.uniform(0.1f, 2.f)) : double(rng.range(0, 3)) - (isSigned(t) ? 1 : 0);
            if (t == DataType::Float16) x = halfToFloat(floatToHalf(float(x)));
          }
          TensorData in = fromDoubles(t, c.shape, v);
          Attributes a = attrs({{"keepDimensions", keep}});
          if (c.hasAxes) a.set("axes", c.axes);
          RunResult r = runOp(op, {{"input", in}}, a);
          REQUIRE(r.status.isOk());
          std::vector<bool> reduced(c.shape.size(), !c.hasAxes);
          for (double ax : c.axes) reduced[size_t(ax)] = true;
          Shape outShape;
          for (size_t d = 0; d < c.shape.size(); ++d)
            if (!reduced[d]) outShape.push_back(c.shape[d]);
            else if (keep) outShape.push_back(1);
          REQUIRE(r.outputs[0].desc == OperandDesc{t, outShape});
          std::vector<double> ref = refReduce(op, in, reduced, r.outputs[0].count(), t);
          for (size_t o = 0; o < ref.size(); ++o) {
            INFO(op << " " << dataTypeName(t) << " shape " << shapeToString(c.shape) << " o=" << o);
            if (isFloat(t))
              CHECK(close(r.outputs[0].value(o), ref[o], t == DataType::Float16 ? 2e-3 : 1e-6,
                          t == DataType::Float16 ? 2e-3 : 1e-5));
            else
              CHECK(r.outputs[0].value(o) == ref[o]);
          }
        }
    }
}

TEST_CASE("integer reductions wrap instead of overflowing", "[reduce]") {
  std::vector<int32_t> x{INT32_MAX, 1, INT32_MIN, -1};
  RunResult r = runOp("reduceSum", {{"input", makeTensor(DataType::Int32, {2, 2}, x)}}, attrs({{"axes", std::vector<double>{1}}}));
  REQUIRE(r.status.isOk());
  CHECK(r.outputs[0].at<int32_t>(0) == INT32_MIN);
  CHECK(r.outputs[0].at<int32_t>(1) == INT32_MAX);
  RunResult l1 = runOp("reduceL1", {{"input", makeTensor(DataType::Int32, {1}, std::vector<int32_t>{INT32_MIN})}});
  CHECK(l1.outputs[0].at<int32_t>(0) == INT32_MIN);
  std::vector<int64_t> big{INT64_MAX, INT64_MIN, 5};
  RunResult mx = runOp("reduceMax", {{"input", makeTensor(DataType::Int64, {3}, big)}});
  CHECK(mx.outputs[0].at<int64_t>(0) == INT64_MAX);
  RunResult mn = runOp("reduceMin", {{"input", makeTensor(DataType::Int64, {3}, big)}});
  CHECK(mn.outputs[0].at<int64_t>(0) == INT64_MIN);
}

TEST_CASE("reduceMax propagates NaN; reduceLogSumExp is stable for large inputs", "[reduce]") {
  RunResult r = runOp("reduceMax", {{"input", fromDoubles(DataType::Float32, {3}, {1, NAN, 2})}});
  CHECK(std::isnan(r.outputs[0].value(0)));
  r = runOp("reduceLogSumExp", {{"input", fromDoubles(DataType::Float32, {2}, {1000, 1000})}});
  CHECK(close(r.outputs[0].value(0), 1000 + std::log(2.0), 1e-3, 1e-6));
}

TEST_CASE("reduction axes: duplicates and out-of-range values are TypeErrors", "[reduce]") {
  TensorData in = fromDoubles(DataType::Float32, {2, 3}, {1, 2, 3, 4, 5, 6});
  for (std::vector<double> axes : {std::vector<double>{0, 0}, std::vector<double>{2}, std::vector<double>{-1}}) {
    Status s = opStatus("reduceSum", {{"input", in}}, attrs({{"axes", axes}}), "bad axes");
    CHECK(s.kind() == ErrorKind::TypeError);
    CHECK(s.message().find("reduceSum [bad axes]:") == 0);
  }
}

TEST_CASE("argMin and argMax along each axis, int32 and int64 outputs", "[reduce][arg]") {
  Rng rng(7);
  for (DataType t : allDataTypes())
    for (Shape shape : {Shape{6}, Shape{3, 4}, Shape{2, 3, 4}})
      for (size_t axis = 0; axis < shape.size(); ++axis)
        for (bool keep : {false, true})
          for (const char* outType : {"int32", "int64"})
            for (bool isMax : {false, true}) {
              size_t n = OperandDesc{t, shape}.elementCount();
              TensorData in = fromDoubles(t, shape, smallValues(n, rng, isSigned(t)));
              RunResult r = runOp(isMax ? "argMax" : "argMin", {{"input", in}},
                                  attrs({{"axis", double(axis)}, {"keepDimensions", keep}, {"outputDataType", std::string(outType)}}));
              REQUIRE(r.status.isOk());
              size_t outer = 1, inner = 1;
              for (size_t d = 0; d < axis; ++d) outer *= shape[d];
              for (size_t d = axis + 1; d < shape.size(); ++d) inner *= shape[d];
              Shape outShape = shape;
              if (keep) outShape[axis] = 1;
              else outShape.erase(outShape.begin() + long(axis));
              REQUIRE(r.outputs[0].desc.shape == outShape);
              for (size_t o = 0; o < outer; ++o)
                for (size_t i = 0; i < inner; ++i) {
                  size_t best = 0;
                  for (size_t k = 1; k < shape[axis]; ++k) {
                    double v = in.value((o * shape[axis] + k) * inner + i), b = in.value((o * shape[axis] + best) * inner + i);
                    if (isMax ? v > b : v < b) best = k;  // first index wins ties
                  }
                  CHECK(r.outputs[0].value(o * inner + i) == double(best));
                }
            }
  Status s = opStatus("argMax", {{"input", fromDoubles(DataType::Float32, {2}, {1, 2})}}, attrs({{"axis", 1.0}}), "am");
  CHECK(s.kind() == ErrorKind::TypeError);
  CHECK(s.message().find("argMax [am]:") == 0);
  s = opStatus("argMin", {{"input", fromDoubles(DataType::Float32, {2}, {1, 2})}},
               attrs({{"axis", 0.0}, {"outputDataType", std::string("float32")}}), "am");
  CHECK(s.kind() == ErrorKind::TypeError);
}

TEST_CASE("cumulativeSum: exclusive, reversed, every allowed data type (no 8-bit types)", "[reduce][cumsum]") {
  Rng rng(8);
  for (DataType t : allDataTypes()) {
    if (t == DataType::Int8 || t == DataType::Uint8) {
      Status s = opStatus("cumulativeSum", {{"input", fromDoubles(t, {2}, {1, 2})}}, attrs({{"axis", 0.0}}), "cs");
      CHECK(s.kind() == ErrorKind::TypeError);
      continue;
    }
    for (Shape shape : {Shape{5}, Shape{2, 3}, Shape{2, 3, 4}})
      for (size_t axis = 0; axis < shape.size(); ++axis)
        for (bool exclusive : {false, true})
          for (bool reversed : {false, true}) {
            size_t n = OperandDesc{t, shape}.elementCount();
            TensorData in = fromDoubles(t, shape, smallValues(n, rng, isSigned(t)));
            RunResult r = runOp("cumulativeSum", {{"input", in}},
                                attrs({{"axis", double(axis)}, {"exclusive", exclusive}, {"reversed", reversed}}));
            REQUIRE(r.status.isOk());
            size_t outer = 1, inner = 1, len = shape[axis];
            for (size_t d = 0; d < axis; ++d) outer *= shape[d];
            for (size_t d = axis + 1; d < shape.size(); ++d) inner *= shape[d];
            for (size_t o = 0; o < outer; ++o)
              for (size_t i = 0; i < inner; ++i) {
                double acc = 0;
                for (size_t s = 0; s < len; ++s) {
                  size_t k = reversed ? len - 1 - s : s;
                  size_t at = (o * len + k) * inner + i;
                  double v = in.value(at);
                  if (!exclusive) acc += v;
                  double expected = acc;
                  if (t == DataType::Uint32) expected = double(uint32_t(int64_t(expected)));
                  if (t == DataType::Uint64) expected = double(uint64_t(int64_t(expected)));
                  CHECK(r.outputs[0].value(at) == expected);
                  if (exclusive) acc += v;
                }
              }
          }
  }
}
