// Pass "graph-ports" (no report lines): the graph's inputs (those a live node or an output reads)
// and outputs, in the order dispatch() binds them. An operand named twice as an output gets a
// duplicate operand that a copy step fills, so each output binds its own tensor.
#pragma once
#include "compiler/compilation.h"

namespace webnn {

// Run after dead-node removal: a graph input nothing live reads is not a port.
Status bindGraphPorts(Compilation& c);

}  // namespace webnn
