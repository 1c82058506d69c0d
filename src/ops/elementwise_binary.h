// The element-wise binary ops' kernel kinds, from the op schema (its WEBNN_BINARY lines).
#pragma once
#include "graph/op_schema.h"
#include "kernels/elementwise/binary.h"

namespace webnn {

// The kernel of an element-wise binary op; false for any other op.
bool binaryOpOf(OpType type, BinaryOp* out);

}  // namespace webnn
