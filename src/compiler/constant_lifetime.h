// Weights held once: while the compiler folds and lowers, each constant's buffer is freed as soon
// as nothing left to fold or lower reads it and no step reads it as is (its readers packed,
// transformed or folded it). A float32 twin of a float16 constant (float16.cpp) is widened only
// just before the first node that reads it is lowered, and dropped once packed, so the weights stay
// float16 until then. Peak memory during build is then the weights plus the one being packed.
#pragma once
#include <vector>

#include "ops/lowering.h"
#include "core/status.h"
#include "graph/graph.h"

namespace webnn {

class ConstantLifetimes {
 public:
  // Counts the readers of every operand among the live nodes (with the nodes fused into their
  // element-wise chains) and frees the constants no live node reads.
  explicit ConstantLifetimes(Graph& g);

  // Before `node` is lowered or folded: widens the float16 constants its float32 twins come from.
  Status prepare(const Node& node);
  // After: steps[firstNewStep...] are the steps it added (none when folded). Frees the constants it
  // was the last reader of unless one of the steps so far reads them as is.
  void finished(const Node& node, const std::vector<Step>& steps, size_t firstNewStep);

 private:
  void dropReader(int id);
  template <typename F>
  void forEachInput(const Node& node, F f) const;

  Graph& g_;
  std::vector<int> pending_;   // readers not yet lowered or folded, by operand id
  std::vector<bool> stepReads_;  // read as is by a step kept for dispatch
};

}  // namespace webnn
