// Checks a compiled plan against the memory it will really use: every step reads only operands that
// are constant, bound at dispatch, or written by an earlier step and not overwritten since (by
// another operand sharing the arena bytes, an in-place step, a scratch buffer), and every graph
// output is written, and no step writes over bytes it reads (but for its declared in-place
// input, read once). Catches the class of bug where a pass moves or merges steps, or the memory plan
// reuses bytes, so that a step reads data that is not there yet or no longer there.
#pragma once
#include <cstddef>
#include <utility>
#include <vector>

#include "ops/lowering.h"
#include "core/status.h"

namespace webnn {

struct PlanLayout {
  const void* arena = nullptr;  // the arena: pointers into it are tracked in 64-byte chunks
  size_t arenaBytes = 0;
  std::vector<const void*> pointers;  // by id: an arena slot or constant data; null when bound at dispatch
  std::vector<size_t> bytes;          // by id: the buffer's size
  std::vector<int> inputs, outputs;   // ids bound to the caller's tensors at dispatch
  // (source, view): the view's bytes are the source's (an elided reshape, a view of a constant or
  // of a bound tensor); reading the view reads the source's current content.
  std::vector<std::pair<int, int>> views;
};

// OK, or an UnknownError naming the first bad step and operand.
Status verifyPlan(const std::vector<Step>& steps, const PlanLayout& layout);

struct Compilation;
// Pass "verify-plan" (no report lines; runs when CompileOptions::verifyPlan is set): verifyPlan()
// on the finished steps and memory plan.
Status verifyCompiledPlan(Compilation& c);

}  // namespace webnn
