#include "runtime/compiled_graph.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/thread_pool.h"

namespace webnn {

void CompiledGraph::dispatch(void* const* inputData, void* const* outputData) {
  for (size_t i = 0; i < inputs_.size(); ++i) pointers_[inputs_[i].operand] = inputData[i];
  for (size_t i = 0; i < outputs_.size(); ++i) pointers_[outputs_[i].operand] = outputData[i];
  for (auto [from, view] : dispatchAliases_) pointers_[view] = pointers_[from];
  StepContext ctx{pointers_.data(), pool_};
  if (profiling_) {
    runStepsProfiled(ctx);
  } else {
    for (const Step& step : steps_) step.run(ctx);
  }
  if (pool_) pool_->pause();
}

void CompiledGraph::runStepsProfiled(const StepContext& ctx) {
  using Clock = std::chrono::steady_clock;
  for (size_t i = 0; i < steps_.size(); ++i) {
    const auto start = Clock::now();
    steps_[i].run(ctx);
    stepMicros_[i] += std::chrono::duration<double, std::micro>(Clock::now() - start).count();
  }
  ++profiledDispatches_;
  const size_t running = pool_ ? pool_->runningThreads() : 1;
  if (profiledDispatches_ == 1 || running < profiledFewestThreads_) profiledFewestThreads_ = running;
}

void CompiledGraph::setProfiling(bool on) {
  profiling_ = on;
  if (!on) return;  // keep the totals for profileReport()
  profiledDispatches_ = 0;
  stepMicros_.assign(steps_.size(), 0.0);
}

std::string CompiledGraph::profileReport() const {
  const double runs = double(std::max<size_t>(profiledDispatches_, 1));
  double total = 0;
  for (double t : stepMicros_) total += t;
  char line[320];
  // The threads: a context's workers start asynchronously; a dispatch before they had ran on fewer.
  std::snprintf(line, sizeof line, "dispatches: %zu, mean %.1f us per dispatch, threads running: %zu of %zu\n",
                profiledDispatches_, total / runs, profiledDispatches_ ? profiledFewestThreads_ : size_t(0),
                pool_ ? pool_->numThreads() : size_t(1));
  std::string s = line;
  for (size_t i = 0; i < stepMicros_.size(); ++i) {
    std::snprintf(line, sizeof line, "  %3zu: %9.1f us %5.1f%%  %s\n", i, stepMicros_[i] / runs,
                  total > 0 ? 100.0 * stepMicros_[i] / total : 0.0, steps_[i].name.c_str());
    s += line;
  }
  return s;
}

std::string CompiledGraph::planReport() const {
  std::string s = "steps: " + std::to_string(steps_.size()) + "\n";
  for (size_t i = 0; i < steps_.size(); ++i) s += "  " + std::to_string(i) + ": " + steps_[i].name + "\n";
  s += "passes: " + std::to_string(fusions_.size()) + "\n";
  for (const std::string& f : fusions_) s += "  " + f + "\n";
  s += "arena bytes: " + std::to_string(arena_.size()) + "\n";
  auto mb = [](size_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", double(bytes) / 1e6);
    return std::string(text);
  };
  s += "memory: weights " + mb(memory_.weightBytes) + " held, peak during build " + mb(memory_.buildPeakBytes) +
       ", arena " + mb(arena_.size()) + " (bytes: " + std::to_string(memory_.weightBytes) + " " +
       std::to_string(memory_.buildPeakBytes) + " " + std::to_string(arena_.size()) + ")\n";
  return s;
}

}  // namespace webnn
