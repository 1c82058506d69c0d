// softmax through the C++ API along each axis, against a naive reference.
#include <catch2/catch.hpp>

#include <cmath>

#include "harness.h"
#include "nd_reference.h"

using namespace webnn;
using namespace webnn::test;

TEST_CASE("softmax along each axis", "[softmax]") {
  Shape s{2, 3, 4};
  auto xv = randomFloats(24, 5, -3, 3);
  for (int axis = 0; axis < 3; ++axis) {
    GraphHarness h;
    int x = h.input("x", s, xv);
    int y = h.op("softmax", {{"input", x}}, attrs({{"axis", double(axis)}}));
    auto got = h.run({y})[0];
    std::vector<float> want(24);
    for (size_t i = 0; i < 24; ++i) {
      auto idx = unravel(i, s);
      double sum = 0;
      for (size_t k = 0; k < s[axis]; ++k) {
        auto j = idx;
        j[axis] = k;
        sum += std::exp(double(xv[broadcastIndex(s, j)]));
      }
      want[i] = float(std::exp(double(xv[i])) / sum);
    }
    requireClose(got, want, 1e-6f, 1e-5f);
  }
  GraphHarness h;
  int x = h.input("x", s, xv);
  h.expectTypeError("softmax", {{"input", x}}, attrs({{"axis", 3.0}}));
}
