// Twin tests: groupNormalizeF32 (SIMD128 kernel for contiguous groups) against groupNormalizeF32Scalar.
// Same double partial sums in the same order, same float epilogue: bit-for-bit agreement.
#include <catch2/catch.hpp>

#include "core/thread_pool.h"
#include "kernels/normalization/normalization.h"
#include "twins.h"

using namespace webnn;
using namespace webnn::test;
using namespace webnn::test::twins;

namespace {

// groups x members, contiguous (member m of group g at g * members + m) or strided (at m * groups + g).
NormGroups makeGroups(size_t groups, size_t members, bool contiguous, bool perMember) {
  NormGroups n;
  for (size_t g = 0; g < groups; ++g) {
    n.groupOffsets.push_back(contiguous ? g * members : g);
    n.groupParam.push_back(g);
  }
  for (size_t m = 0; m < members; ++m) {
    n.memberOffsets.push_back(contiguous ? m : m * groups);
    if (perMember) n.memberParam.push_back(m);
  }
  n.epsilon = 1e-5f;
  return n;
}

}  // namespace

TEST_CASE("groupNormalizeF32 and groupNormalizeF32Scalar agree bit for bit", "[twins][normalization]") {
  ThreadPool pool(2);
  uint32_t seed = 500;
  for (bool contiguous : {true, false})
    for (bool perMember : {false, true})
      for (size_t members : tailSizes())
        for (size_t groups : {size_t(1), size_t(3)})
          for (int params = 0; params < 3; ++params)  // none, scale only, scale and bias
            for (uint32_t every : {0u, 13u}) {
              const NormGroups n = makeGroups(groups, members, contiguous, perMember);
              const size_t total = groups * members, paramCount = perMember ? members : groups;
              // An offset mean and a wide spread: the variance's cancellation shows any order change.
              const std::vector<float> x = twinInput(total, seed++, 90.f, 110.f, every);
              const std::vector<float> scale = twinInput(paramCount, seed++, 0.5f, 2.f, 0);
              const std::vector<float> bias = twinInput(paramCount, seed++, -1.f, 1.f, 0);
              const float* sc = params >= 1 ? scale.data() : nullptr;
              const float* bi = params >= 2 ? bias.data() : nullptr;
              std::vector<float> simd(total, 7.f), scalar(total, 7.f);
              groupNormalizeF32(&pool, n, x.data(), sc, bi, simd.data());
              groupNormalizeF32Scalar(n, x.data(), sc, bi, scalar.data());
              INFO("contiguous=" << contiguous << " perMember=" << perMember << " members=" << members
                                 << " groups=" << groups << " params=" << params << " edges=" << every);
              REQUIRE_TWINS(simd, scalar);
            }
}
