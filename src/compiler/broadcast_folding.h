// Pass "broadcast-folding": an expand (or a tile that only repeats size-1 dims) read by element-wise
// binary ops, which broadcast by themselves, is skipped: the op reads the expand's input.
#pragma once
#include <string>
#include <vector>

#include "graph/graph.h"

namespace webnn {

// The input of an expand, or of a tile that repeats only size-1 dims (a broadcast too); -1 for any
// other node.
int broadcastSource(const Graph& graph, const Node& node);

// For each element-wise binary op reading expand(x) (or tile(x, r) where every repeated dim of x
// has size 1, the same thing) through `a` or `b`, when x broadcast with the other operand still
// gives the op's output shape: the op reads x instead. An expand left without readers (and not a
// graph output) is removed. Results are identical (the same values, read through a broadcast
// instead of a copy); the copy and its memory traffic go, and a per-row value (TF.js's layer
// normalization tiles its mean to [B, T, D]) can join an element-wise chain as a column side.
// Appends a line per fold to `report`.
void foldBroadcastsIntoBinaryOps(Graph& graph, const std::vector<bool>& keep, std::vector<std::string>* report);

}  // namespace webnn
