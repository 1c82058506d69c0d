// Pass "pad-folding": a zero pad of a conv2d's spatial dims folded into the conv2d's padding.
#pragma once
#include <string>
#include <vector>

#include "core/status.h"
#include "graph/graph.h"

namespace webnn {

// pad(x, mode "constant", value 0) read only by a conv2d as its input, padding only that conv2d's
// height and width (Keras ZeroPadding2D before a 'valid' conv, ONNX Pad before Conv), becomes the
// conv2d's own padding: the conv2d reads x and adds the pad's amounts to its padding (conv2d's
// validate re-derives its geometry, which must give the same output shape). Results are identical
// (the zeros were only ever multiplied and added). Appends a line per fold to `report`.
Status foldPadsIntoConvs(Graph& graph, const std::vector<bool>& keep, std::vector<std::string>* report);

}  // namespace webnn
