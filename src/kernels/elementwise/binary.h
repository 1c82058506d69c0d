// Element-wise binary ops with broadcasting, for every data type. Integer division by zero yields 0
// and INT_MIN / -1 wraps (Wasm would trap on both); integer add/sub/mul wrap modulo 2^bits.
#pragma once
#include "core/data_type.h"
#include "kernels/elementwise/broadcast.h"

namespace webnn {

enum class BinaryOp { Add, Sub, Mul, Div, Max, Min, Pow };

// out = a op b over the plan. `type` is the data type of a, b and out. float16 is not handled here
// (the op layer computes it in float32).
void binaryKernel(ThreadPool* pool, BinaryOp op, DataType type, const BroadcastPlan& plan, const void* a,
                  const void* b, void* out);

}  // namespace webnn
