// Pass "shape-sinking": a reshape, expand or broadcasting tile moves below the element-wise ops it
// commutes with, so that they run before it: on the smaller tensor (a broadcast), or where a
// producer's output stage or an element-wise chain can take them (a reshape between a GEMM and its
// bias add and activation, as TF.js's dense layer on 3-D input writes it).
#pragma once
#include <string>
#include <vector>

#include "core/status.h"
#include "graph/graph.h"

namespace webnn {

// For a reshape, expand or tile-of-size-1-dims S (input x) whose output only element-wise op N reads
// (an activation, an element-wise unary op, or a binary op whose other operand is a single value,
// or for a reshape a row along a last dim that the reshape keeps), rewrites N(S(x)) as S(N(x)):
// N moves to S's place and S to N's, and S keeps sinking while it can. The same values: N is the same
// function per element, and a single value or a last-dim row broadcasts to the same element before
// and after the reshape. Not when N's output is a graph output (the reshape would become a copy).
// Adds the operands it creates to `keep` (not outputs). A line per move in `report`. Fails only if
// a moved op no longer validates (an engine bug).
Status sinkShapeOps(Graph& graph, std::vector<bool>& keep, std::vector<std::string>* report);

}  // namespace webnn
