// The float32 reduce kernel against a sequential double reference: row and column paths, every op,
// thread counts. The reduction ops through the graph: ops/reduce.cpp.
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

// The float32 kernel's row path ([O, R] / [R]), column path ([O, R, I] / [R, I]), both threaded
// over outputs, and its general row-by-row walk (other plans), SIMD128 under Wasm: every op against a sequential double reference, within one float
// rounding (the kernels accumulate in double too), NaN and signed zeros for max/min.
TEST_CASE("reduceKernel float32: row and column paths, every op, thread counts", "[reduce]") {
  struct Case {
    Shape shape;
    std::vector<bool> reduced;
  };
  const std::vector<Case> cases{
      {{7}, {true}},
      {{3, 5}, {false, true}},
      {{4, 1000}, {false, true}},
      {{130, 9}, {false, true}},
      {{1000, 3}, {true, false}},
      {{5, 37}, {true, false}},
      {{3, 40, 6}, {false, true, false}},
      {{2, 17, 1100}, {false, true, false}},
      {{9, 2, 1, 64}, {false, true, true, false}},  // merges to [9, 2, 64]
      {{2, 3, 5}, {true, false, true}},             // the general walk, row by row
      {{5, 6, 40}, {true, false, true}},
      {{3, 4, 50, 7}, {true, false, true, false}},
      {{4, 3, 5, 6}, {false, true, false, true}},
  };
  const ReduceOp ops[] = {ReduceOp::L1,   ReduceOp::L2,      ReduceOp::LogSum, ReduceOp::LogSumExp, ReduceOp::Max,
                          ReduceOp::Mean, ReduceOp::Min,     ReduceOp::Product, ReduceOp::Sum,      ReduceOp::SumSquare};
  Rng rng(17);
  for (const Case& c : cases)
    for (ReduceOp op : ops)
      for (size_t threads : {1, 2, 3}) {
        ReducePlan plan = makeReducePlan(c.shape, c.reduced);
        std::vector<float> x(plan.inCount);
        const bool positive = op == ReduceOp::LogSum || op == ReduceOp::Product;
        for (float& v : x) v = positive ? rng.uniform(0.9f, 1.1f) : rng.uniform(-1.f, 2.f);
        const bool pick = op == ReduceOp::Max || op == ReduceOp::Min;
        if (pick && x.size() > 10) {
          x[3] = NAN;  // poisons output 0's... whichever output holds element 3
          x[x.size() - 2] = op == ReduceOp::Max ? 100.f : -100.f;
        }
        std::vector<float> got(plan.outCount, 123.f);
        std::vector<double> scratch(reduceScratchBytes(plan) / sizeof(double) + 1);
        ThreadPool pool(threads);
        reduceKernel(&pool, op, DataType::Float32, plan, x.data(), got.data(), scratch.data());
        // Reference: group the elements by output, in input order.
        std::vector<std::vector<double>> groups(plan.outCount);
        for (size_t i = 0; i < x.size(); ++i) groups[reducedIndex(c.shape, c.reduced, i)].push_back(x[i]);
        for (size_t o = 0; o < groups.size(); ++o) {
          const auto& g = groups[o];
          double r = op == ReduceOp::Product ? 1 : 0, m = -INFINITY;
          bool nan = false;
          for (double v : g) nan = nan || std::isnan(v);
          switch (op) {
            case ReduceOp::L1: for (double v : g) r += std::fabs(v); break;
            case ReduceOp::L2: for (double v : g) r += v * v; r = std::sqrt(r); break;
            case ReduceOp::LogSum: for (double v : g) r += v; r = std::log(r); break;
            case ReduceOp::LogSumExp:
              for (double v : g) m = std::max(m, v);
              for (double v : g) r += std::exp(v - m);
              r = m + std::log(r);
              break;
            case ReduceOp::Max: r = -INFINITY; for (double v : g) r = std::max(r, v); break;
            case ReduceOp::Min: r = INFINITY; for (double v : g) r = std::min(r, v); break;
            case ReduceOp::Mean: for (double v : g) r += v; r /= double(g.size()); break;
            case ReduceOp::Product: for (double v : g) r *= v; break;
            case ReduceOp::Sum: for (double v : g) r += v; break;
            case ReduceOp::SumSquare: for (double v : g) r += v * v; break;
          }
          INFO("shape " << shapeToString(c.shape) << " op " << int(op) << " threads " << threads << " o=" << o);
          if (pick && nan) {
            REQUIRE(std::isnan(got[o]));
          } else if (pick) {
            REQUIRE(got[o] == float(r));
          } else {
            float want = float(r);
            // one rounding of a double result: at most one float ulp apart
            REQUIRE(std::fabs(double(got[o]) - double(want)) <= std::fabs(double(want)) * 1.2e-7 + 1e-30);
          }
        }
      }
}
