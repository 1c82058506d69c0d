// What an op's lowering sees: the graph, the pool, and a way to emit steps. A step is a closure over
// operand ids; at dispatch it receives a table of pointers (constants, bound tensors, arena slots),
// so running a compiled graph allocates nothing and copies nothing.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "graph/graph.h"

namespace webnn {

class ThreadPool;

struct StepContext {
  void* const* ptrs;  // indexed by operand id (and scratch ids past the graph's operands)
  ThreadPool* pool;
  template <typename T>
  T* get(int id) const { return static_cast<T*>(ptrs[id]); }
};

using StepFn = std::function<void(const StepContext&)>;

struct Step {
  std::string name;         // e.g. "conv2d#3+add#4+relu#5" (for the plan report)
  std::vector<int> reads;   // operand ids read (for the memory plan)
  std::vector<int> writes;  // operand ids written
  StepFn run;
  // Memory-plan hint: `aliasOut` may share `aliasIn`'s buffer. A view (reshape: same bytes, nothing
  // written) may alias whenever the buffers' kinds allow it; otherwise (in place) only when this
  // step is the last reader of aliasIn. The step must be correct with or without the alias.
  int aliasIn = -1, aliasOut = -1;
  bool view = false;
};

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
