// Pass "lowering" (its report lines are the ones lowerings add, e.g. `winograd:`): each live node,
// in topological order (a node that absorbed later ones at its `lowerAt`), becomes steps through
// its op's `lower`; then the copies of outputs named twice. Each constant is freed once its last
// reader has packed it (constant_lifetime.h).
#pragma once
#include "compiler/compilation.h"

namespace webnn {

// Fills c.lowering. Lowerings ask c.options which in-lowering choices are enabled ("winograd").
Status lowerNodes(Compilation& c);

}  // namespace webnn
