// A chain of float32 element-wise ops run in one pass over the data: a small interpreter over a
// per-element op list, applied tile by tile (a tile stays in L1 while every op of the chain runs
// over it). Op k reads the chain's running value and, for a binary op, a side operand whose
// broadcast to the output is one of: the same shape, a single value, a row repeated along the
// leading dims (e.g. a per-channel bias in NHWC), or a column: one value per run of the trailing
// dims (e.g. a per-row mean [B, T, 1] against [B, T, D], a per-channel scale in NCHW).
#pragma once
#include <cstddef>
#include <vector>

#include "kernels/activation.h"
#include "kernels/elementwise/binary.h"

namespace webnn {

class ThreadPool;

enum class ChainSide { None, Full, Scalar, Row, Column };

struct ChainOp {
  bool isBinary = false;
  BinaryOp op = BinaryOp::Add;
  bool valueIsLeft = true;        // the running value is `a` (else `b`, for sub/div/pow/...)
  ChainSide side = ChainSide::None;
  size_t rowLength = 1;           // Row: the row's length; Column: the outputs that share a value
  Activation act;                 // for !isBinary
};

// Elements per tile: 8 KB of floats, small enough that a tile and its side rows stay in L1.
constexpr size_t kChainTile = 2048;

// out[i] = chain(src[i]) for n elements. sides[k] is op k's side operand (nullptr for activations).
// out may equal src (in place). Runs inline below a work threshold, in parallel tiles above it.
void runElementwiseChain(ThreadPool* pool, const std::vector<ChainOp>& ops, const float* src,
                         const float* const* sides, float* out, size_t n);
// The same, one op at a time over the whole tensor with the scalar kernels: the reference twin.
void runElementwiseChainReference(const std::vector<ChainOp>& ops, const float* src, const float* const* sides,
                                  float* out, size_t n);

}  // namespace webnn
