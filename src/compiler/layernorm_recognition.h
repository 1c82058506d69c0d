// Pass "layernorm-recognition": layer normalization written out as reductions and element-wise ops
// (TF.js's tf.layers.layerNormalization, ONNX exports before LayerNormalization existed) becomes one
// layerNormalization op: one kernel that reads each row three times, in place of seven or eight
// steps, most of them too small to share between threads.
#pragma once
#include <string>
#include <vector>

#include "core/status.h"
#include "graph/graph.h"

namespace webnn {

// m = reduceMean(x, axes, keepDimensions), d = x - m, v = reduceMean(d * d | pow(d, 2)) over the
// same axes, s = sqrt(v + epsilon) (epsilon a float32 constant of one value), then either
//   (d / s) [* gamma] [+ beta]                     (ONNX exporters)
//   ((x' - m) [* gamma]) / s [+ beta]              (TF.js: x' is x, or x reshaped with leading 1s)
// with gamma and beta varying only along the normalized axes (float32 constants, or operands of
// exactly the parameter shape), the intermediates read nowhere else and no graph output: the last
// op becomes layerNormalization(x', {axes, epsilon, scale: gamma, bias: beta}) and the others go.
// The kernel computes the mean and variance in double (kernels/normalization), so the results are
// the decomposition's up to its float32 rounding (docs/numerics.md). A line per match in `report`.
// Fails only if the new op does not validate (an engine bug).
Status recognizeLayerNorms(Graph& graph, const std::vector<bool>& keep, std::vector<std::string>* report);

}  // namespace webnn
