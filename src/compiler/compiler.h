// Turns a validated graph and its named outputs into a CompiledGraph by a list of passes
// (compiler.cpp: kPipeline): graph rewrites, lowering to steps, the memory plan.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "graph/graph.h"
#include "runtime/compiled_graph.h"

namespace webnn {

class ThreadPool;

// Options of ours (not the spec's), set per context.
struct CompileOptions {
  // Optimising passes to skip, by the names compilerPassNames() lists. Every pass must leave the
  // results unchanged, so switching one off isolates a miscompile (the differential fuzzer does).
  std::vector<std::string> disabledPasses;
  // Check every compiled plan with verifyPlan() (plan_verifier.h); a bad plan fails build().
  bool verifyPlan = verifyPlansByDefault();

  bool passEnabled(const std::string& pass) const;
  // On in debug builds (no NDEBUG) and wherever setVerifyPlansByDefault(true) was called (Catch2).
  static bool verifyPlansByDefault();
  static void setVerifyPlansByDefault(bool on);
};

// The optimising passes, in the order they run: constant-folding, pad-folding, batchnorm-folding,
// fusion, residual-add, nchw-layout, elementwise-chains, memory-aliasing; winograd acts inside
// conv2d's lowering.
const std::vector<std::string>& compilerPassNames();

class GraphCompiler {
 public:
  static Status compile(Graph graph, const std::vector<std::pair<std::string, int>>& outputs, ThreadPool* pool,
                        std::unique_ptr<CompiledGraph>* result, const CompileOptions& options = CompileOptions());
};

}  // namespace webnn
