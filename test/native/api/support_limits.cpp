// opSupportLimits (src/api/support_limits.h): float16 for the ops the float16 pass covers, and
// exactly the spec's data types.
#include <catch2/catch.hpp>

#include <string>

#include "api/support_limits.h"
#include "harness.h"

using namespace webnn;
using namespace webnn::test;

TEST_CASE("opSupportLimits reports float16 for ops the pass covers, and exactly the spec's types", "[float16][limits]") {
  std::string json = opSupportLimitsJson();
  auto limitsOf = [&](const std::string& op) {
    size_t at = json.find("\"" + op + "\":{");
    REQUIRE(at != std::string::npos);
    return json.substr(at, json.find("}}", json.find("\"output\"", at)) - at);
  };
  for (const char* op : {"conv2d", "matmul", "gemm", "softmax", "averagePool2d", "relu", "sigmoid", "add", "exp", "reduceMean",
                         "quantizeLinear", "prelu", "isNaN"})
    CHECK(limitsOf(op).find("float16") != std::string::npos);
  CHECK(limitsOf("relu").find("uint8") == std::string::npos);
  CHECK(limitsOf("reduceSum").find("int64") == std::string::npos);
  CHECK(limitsOf("abs").find("uint32") == std::string::npos);
  CHECK(limitsOf("clamp").find("uint64") != std::string::npos);
}
