// The element-wise unary ops (abs, ceil, cos, erf, exp, floor, identity, log, neg, reciprocal,
// roundEven, sign, sin, sqrt, tan): one output element from the input element at the same index.
#pragma once
#include "graph/op_schema.h"

namespace webnn {

// True for the ops above (not cast, whose output type differs, nor the activations: activationOf).
bool isElementwiseUnary(OpType type);

}  // namespace webnn
