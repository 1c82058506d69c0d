// Softmax along one axis of a tensor viewed as [outer, axis, inner].
#pragma once
#include <cstddef>

namespace webnn {

class ThreadPool;

void softmaxF32(ThreadPool* pool, const float* input, float* output, size_t outer, size_t axis, size_t inner);

}  // namespace webnn
