// What compiler passes may ask of (and do to) a validated pooling node.
#pragma once

#include "graph/graph.h"

namespace webnn {

// Makes a validated float32 maxPool2d skip NaNs (TF.js's maxPool: the max of a window's other values,
// -Infinity when all are NaN): the step then pools as PoolKind::MaxSkipNaN. Nothing else changes.
void makeMaxPoolSkipNaN(Node& maxPool2d);

}  // namespace webnn
