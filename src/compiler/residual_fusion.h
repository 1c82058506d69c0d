// Pass "residual-add": a residual connection's add folded into the matmul before it.
#pragma once
#include <string>
#include <vector>

#include "graph/graph.h"

namespace webnn {

// matmul(a, constant 2-D b) [+ bias], whose output only an add(that, r) reads, with r a computed
// operand of the output's exact shape (a transformer's residual: linear(x) + x), becomes one matmul
// with input "residual" = r: the GEMM adds r to each finished C tile while it is in L1, in the
// order the two ops would (bias first, then r), so results are identical. Not when an activation
// was folded into the matmul (act(y) + r is not act(y + r)). Appends a line per fusion to `report`.
void fuseResidualAdds(Graph& graph, const std::vector<bool>& keep, std::vector<std::string>* report);

}  // namespace webnn
