// Pass "batchnorm-folding": an inference batchNormalization folded into the conv2d before it.
#pragma once
#include <string>
#include <vector>

#include "graph/graph.h"

namespace webnn {

// conv2d(x, constant filter [, constant bias]) whose output only a batchNormalization over its
// channel axis reads, with constant mean, variance [, scale, bias], becomes one conv2d with a new
// filter and bias: s = scale / sqrt(variance + epsilon), filter' = filter * s per output channel,
// bias' = (bias - mean) * s + bnBias (s and bias' computed in double). That removes a pass over the
// activations, and the fusion pass can then fold the activation after it (Keras Conv2D ->
// BatchNormalization -> ReLU in TF.js models). Rounding differs from the two ops by a few ulp of the
// conv2d's terms, as in every framework that folds batch norms. float32 only. Appends a line per
// fold to `report`.
void foldBatchNormsIntoConvs(Graph& graph, const std::vector<bool>& keep, std::vector<std::string>* report);

}  // namespace webnn
