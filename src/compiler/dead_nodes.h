// Pass "dead-nodes" (report prefix `dead-nodes:`): marks removed every node no graph output
// depends on, so nothing later folds, fuses, lowers or plans memory for it.
#pragma once
#include "compiler/compilation.h"

namespace webnn {

// `c.requestedOutputs` names the operands the graph must compute.
Status removeDeadNodes(Compilation& c);

}  // namespace webnn
