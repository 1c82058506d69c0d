// Element-wise unary kernels over contiguous buffers. Float ops run on float32 (float16 is converted
// around them by the compiler); abs/neg/sign also run on signed integers, wrapping (abs and neg of
// the most negative value return it unchanged: two's complement negation modulo 2^bits).
#pragma once
#include <cstddef>

#include "core/data_type.h"

namespace webnn {

class ThreadPool;

enum class UnaryOp { Abs, Ceil, Cos, Erf, Exp, Floor, Identity, Log, Neg, Reciprocal, RoundEven, Sign, Sin, Sqrt, Tan };

// out[i] = op(in[i]) for n elements of `type`; in may equal out.
void unaryKernel(UnaryOp op, DataType type, const void* in, void* out, size_t n);
// The same over `pool` (runSplit, kernels/task_split.h); a null pool runs inline.
void unaryKernel(ThreadPool* pool, UnaryOp op, DataType type, const void* in, void* out, size_t n);

// out[i] = min(max(in[i], lo), hi) for an integer `type`; lo/hi are cast to it first with the spec's
// ConvertToInt (saturating, round half to even).
void clampKernelInt(DataType type, const void* in, void* out, size_t n, double lo, double hi);

}  // namespace webnn
