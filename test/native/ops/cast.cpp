// cast through GraphBuilder: every pair of data types, truncation, saturation, NaN, wrapping.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "harness.h"

using namespace webnn;
using namespace webnn::test;

TEST_CASE("cast between all 64 type pairs", "[cast]") {
  std::vector<double> values{0, 1, 2, 3, 7, 100, 127};
  for (DataType from : allDataTypes())
    for (DataType to : allDataTypes()) {
      TensorData in = fromDoubles(from, {7}, values);
      RunResult r = runOp("cast", {{"input", in}}, attrs({{"dataType", std::string(dataTypeName(to))}}));
      REQUIRE(r.status.isOk());
      REQUIRE(r.outputs[0].desc.dataType == to);
      for (size_t i = 0; i < values.size(); ++i) CHECK(r.outputs[0].value(i) == values[i]);
    }
}

TEST_CASE("cast edge cases: truncation, saturation, NaN, wrapping", "[cast]") {
  auto cast = [](DataType from, DataType to, std::vector<double> v) {
    RunResult r = runOp("cast", {{"input", fromDoubles(from, {uint32_t(v.size())}, v)}},
                        attrs({{"dataType", std::string(dataTypeName(to))}}));
    REQUIRE(r.status.isOk());
    std::vector<double> out;
    for (size_t i = 0; i < v.size(); ++i) out.push_back(r.outputs[0].value(i));
    return out;
  };
  CHECK(cast(DataType::Float32, DataType::Int32, {2.7, -2.7, 1e10, -1e10, NAN, INFINITY}) ==
        std::vector<double>{2, -2, 2147483647.0, -2147483648.0, 0, 2147483647.0});
  CHECK(cast(DataType::Float32, DataType::Uint8, {-1, 255.9, 300, NAN}) == std::vector<double>{0, 255, 255, 0});
  CHECK(cast(DataType::Float16, DataType::Int8, {-200, 127.5, -INFINITY}) == std::vector<double>{-128, 127, -128});
  CHECK(cast(DataType::Int32, DataType::Uint8, {-1, 256, 511}) == std::vector<double>{255, 0, 255});
  CHECK(cast(DataType::Int8, DataType::Uint32, {-1}) == std::vector<double>{4294967295.0});
  CHECK(cast(DataType::Int32, DataType::Float16, {70000, 2049}) == std::vector<double>{INFINITY, 2048});
  CHECK(cast(DataType::Float32, DataType::Float16, {1e-8, 65536}) == std::vector<double>{0, INFINITY});
  // int64 extremes.
  std::vector<int64_t> big{INT64_MIN, INT64_MAX};
  RunResult r = runOp("cast", {{"input", makeTensor(DataType::Int64, {2}, big)}}, attrs({{"dataType", std::string("int32")}}));
  REQUIRE(r.status.isOk());
  CHECK(r.outputs[0].at<int32_t>(0) == 0);   // low 32 bits
  CHECK(r.outputs[0].at<int32_t>(1) == -1);
  r = runOp("cast", {{"input", fromDoubles(DataType::Float32, {2}, {1e30, -1e30})}}, attrs({{"dataType", std::string("int64")}}));
  CHECK(r.outputs[0].at<int64_t>(0) == INT64_MAX);
  CHECK(r.outputs[0].at<int64_t>(1) == INT64_MIN);
  r = runOp("cast", {{"input", fromDoubles(DataType::Float32, {2}, {1e30, -5})}}, attrs({{"dataType", std::string("uint64")}}));
  CHECK(r.outputs[0].at<uint64_t>(0) == UINT64_MAX);
  CHECK(r.outputs[0].at<uint64_t>(1) == 0);
}

TEST_CASE("cast rejects an unknown data type", "[cast]") {
  Status s = opStatus("cast", {{"input", fromDoubles(DataType::Float32, {1}, {1})}}, attrs({{"dataType", std::string("bool")}}), "c");
  CHECK(s.kind() == ErrorKind::TypeError);
  CHECK(s.message().find("cast [c]") == 0);
}
