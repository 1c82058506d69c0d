// Pass "maxpool-skip-nan": maxPool2d(where(isNaN(x), -Infinity, x)) pools x skipping NaNs.
#pragma once
#include <string>
#include <vector>

#include "graph/graph.h"

namespace webnn {

// A float32 maxPool2d whose input is where(isNaN(x), c, x) with c a constant of -Infinity and the
// where's output shaped as x (TF.js's maxPool, whose max skips NaNs, arrives this way) reads x
// itself and skips NaNs (ops/pool.h, makeMaxPoolSkipNaN): the same bits (a NaN as -Infinity never
// wins a max, and a window of only NaNs gives -Infinity either way) without the two passes over x.
// The where and isNaN are removed when nothing else reads them. A line per fold in `report`.
void fuseNaNSkippingMaxPools(Graph& graph, const std::vector<bool>& keep, std::vector<std::string>* report);

}  // namespace webnn
