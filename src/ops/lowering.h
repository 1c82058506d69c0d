// What an op's lowering sees: the graph, the pool, and a way to emit steps (runtime/step.h). It lives
// in ops, the lowest layer that emits steps; the compiler's passes drive it (lower_nodes.cpp).
#pragma once
#include <string>
#include <vector>

#include "core/status.h"
#include "graph/graph.h"
#include "runtime/step.h"

namespace webnn {

class Lowering {
 public:
  Lowering(const Graph& graph, ThreadPool* pool) : graph_(graph), pool_(pool), nextScratchId_(int(graph.operands.size())) {}

  const Graph& graph() const { return graph_; }
  ThreadPool* pool() const { return pool_; }

  // An arena buffer private to the next step emitted (workspace, repacked inputs). Returns its id.
  int addScratch(size_t bytes) {
    scratchBytes_.push_back(bytes);
    pendingScratch_.push_back(nextScratchId_);
    return nextScratchId_++;
  }
  // Scratch buffers requested since the previous step belong to this one.
  void addStep(std::string name, std::vector<int> reads, std::vector<int> writes, StepFn fn) {
    writes.insert(writes.end(), pendingScratch_.begin(), pendingScratch_.end());
    pendingScratch_.clear();
    steps_.push_back(Step{std::move(name), std::move(reads), std::move(writes), std::move(fn)});
  }

  // Marks the last emitted step's output `out` as able to share `in`'s buffer (see Step).
  void allowAlias(int in, int out, bool view) {
    steps_.back().aliasIn = in;
    steps_.back().aliasOut = out;
    steps_.back().view = view;
  }

  // Passes that act inside lowerings (e.g. "winograd": conv2d's choice of kernel) ask here.
  void setDisabledPasses(std::vector<std::string> passes) { disabledPasses_ = std::move(passes); }
  bool passEnabled(const std::string& pass) const {
    for (const std::string& d : disabledPasses_)
      if (d == pass) return false;
    return true;
  }
  // A line for the plan report's "passes:" section (what such a pass did).
  void report(std::string line) { report_.push_back(std::move(line)); }
  const std::vector<std::string>& reportLines() const { return report_; }

  std::vector<Step>& steps() { return steps_; }
  const std::vector<size_t>& scratchBytes() const { return scratchBytes_; }
  int scratchBase() const { return int(graph_.operands.size()); }
  int idCount() const { return nextScratchId_; }

 private:
  const Graph& graph_;
  ThreadPool* pool_;
  int nextScratchId_;
  std::vector<Step> steps_;
  std::vector<size_t> scratchBytes_;
  std::vector<int> pendingScratch_;
  std::vector<std::string> disabledPasses_;
  std::vector<std::string> report_;
};

}  // namespace webnn
