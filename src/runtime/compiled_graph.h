// A built graph: a flat list of steps over a pointer table, and one arena for every intermediate.
// dispatch() binds the caller's input and output buffers into the table and runs the steps: no
// allocation, no copies beyond what the ops compute.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "runtime/step.h"
#include "core/aligned_buffer.h"
#include "graph/operand.h"

namespace webnn {

class ThreadPool;

struct GraphPort {
  std::string name;
  int operand;
  OperandDesc desc;
};

class CompiledGraph {
 public:
  const std::vector<GraphPort>& inputs() const { return inputs_; }
  const std::vector<GraphPort>& outputs() const { return outputs_; }

  // inputData[i] / outputData[i] follow the order of inputs() / outputs().
  void dispatch(void* const* inputData, void* const* outputData);

  size_t arenaBytes() const { return arena_.size(); }
  // Memory of the build (the plan report's "memory:" line): the constants and packed weights the
  // graph holds, and malloc's bytes in use at the build's peak (estimated: bytes in use when it
  // started plus the largest growth of the engine's AlignedBuffers during it).
  struct Memory {
    size_t weightBytes = 0, buildPeakBytes = 0;
  };
  const Memory& memory() const { return memory_; }
  const std::vector<Step>& steps() const { return steps_; }
  std::string planReport() const;

  // Step timing for performance work: while on, dispatch() times every step (steady clock) and
  // adds it to the step's total; turning it on resets the totals. profileReport() lists them.
  void setProfiling(bool on);
  std::string profileReport() const;

 private:
  // dispatch()'s steps, each timed into stepMicros_ (profiling on).
  void runStepsProfiled(const StepContext& ctx);
  friend class GraphCompiler;
  std::vector<GraphPort> inputs_, outputs_;
  std::vector<Step> steps_;
  std::vector<void*> pointers_;  // by operand id, then scratch ids
  AlignedBuffer arena_;
  Memory memory_;
  std::vector<std::shared_ptr<AlignedBuffer>> constants_;  // keeps constant data alive
  std::vector<std::string> fusions_;  // what the compiler passes did, one line each
  std::vector<std::pair<int, int>> dispatchAliases_;  // (bound operand, view of it) set at dispatch
  ThreadPool* pool_ = nullptr;
  bool profiling_ = false;
  size_t profiledDispatches_ = 0;
  size_t profiledFewestThreads_ = 0;  // the fewest threads running in a profiled dispatch
  std::vector<double> stepMicros_;  // total time per step while profiling
};

}  // namespace webnn
