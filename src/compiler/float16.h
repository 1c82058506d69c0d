// The float16 pass: float16 operands stay float16 in memory, but ops whose lowering computes only
// float32 (OpDef::float16Native == false) are rewritten to run in float32 between conversion steps:
// a float16 input gets a cast node to float32 (a float16 constant gets a float32 twin, widened at
// build just before the first lowering that reads it: constant_lifetime.h), a
// float16 output is computed as a new float32 operand followed by a cast node back to float16.
// Consumers that also run in float32 read that float32 operand directly, so a chain of float32-only
// ops converts once at each end (and conv2d/matmul/gemm + activation still fuse). Run after
// dead-node elimination and before fusion.
#pragma once
#include <vector>

#include "core/status.h"
#include "graph/graph.h"

namespace webnn {

// `isOutput` marks graph outputs by operand id; it is resized to the new operand count.
Status convertFloat16ToFloat32(Graph& graph, std::vector<bool>* isOutput);

}  // namespace webnn
