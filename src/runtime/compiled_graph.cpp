#include "runtime/compiled_graph.h"

namespace webnn {

void CompiledGraph::dispatch(void* const* inputData, void* const* outputData) {
  for (size_t i = 0; i < inputs_.size(); ++i) pointers_[inputs_[i].operand] = inputData[i];
  for (size_t i = 0; i < outputs_.size(); ++i) pointers_[outputs_[i].operand] = outputData[i];
  for (auto [from, view] : dispatchAliases_) pointers_[view] = pointers_[from];
  StepContext ctx{pointers_.data(), pool_};
  for (const Step& step : steps_) step.run(ctx);
}

std::string CompiledGraph::planReport() const {
  std::string s = "steps: " + std::to_string(steps_.size()) + "\n";
  for (size_t i = 0; i < steps_.size(); ++i) s += "  " + std::to_string(i) + ": " + steps_[i].name + "\n";
  s += "passes: " + std::to_string(fusions_.size()) + "\n";
  for (const std::string& f : fusions_) s += "  " + f + "\n";
  s += "arena bytes: " + std::to_string(arena_.size()) + "\n";
  return s;
}

}  // namespace webnn
