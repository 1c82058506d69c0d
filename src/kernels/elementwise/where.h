// where(condition, trueValue, falseValue) with three-way broadcasting, by element size (so float16
// needs no conversion).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "graph/operand.h"

namespace webnn {

class ThreadPool;

struct WherePlan {
  Shape outShape;
  // Element strides of condition, trueValue, falseValue along each output dim (0 where broadcast).
  std::vector<size_t> strides[3];
  size_t elementSize = 4;
};

WherePlan makeWherePlan(const Shape& condition, const Shape& trueValue, const Shape& falseValue, const Shape& out,
                        size_t elementSize);
void whereKernel(ThreadPool* pool, const WherePlan& plan, const uint8_t* condition, const void* trueValue,
                 const void* falseValue, void* out);

}  // namespace webnn
