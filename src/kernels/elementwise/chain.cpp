#include "kernels/elementwise/chain.h"

#include <algorithm>
#include <cstring>

#include "kernels/elementwise/binary_row.h"
#include "core/thread_pool.h"
#include "kernels/task_split.h"

namespace webnn {
namespace {

using RowFn = void (*)(BinaryOp, const float*, size_t, const float*, size_t, float*, size_t);

// x (the running value, `len` elements starting at flat index `start`) op side → y.
inline void applyBinary(RowFn row, const ChainOp& op, const float* side, const float* x, float* y, size_t start,
                        size_t len) {
  auto call = [&](const float* s, size_t sStride, const float* xv, float* yv, size_t m) {
    if (op.valueIsLeft) row(op.op, xv, 1, s, sStride, yv, m);
    else row(op.op, s, sStride, xv, 1, yv, m);
  };
  switch (op.side) {
    case ChainSide::Full: return call(side + start, 1, x, y, len);
    case ChainSide::Scalar: return call(side, 0, x, y, len);
    case ChainSide::Row: {
      size_t rl = op.rowLength, pos = 0;
      while (pos < len) {
        size_t r = (start + pos) % rl;
        size_t m = std::min(len - pos, rl - r);
        call(side + r, rl == 1 ? 0 : 1, x + pos, y + pos, m);
        pos += m;
      }
      return;
    }
    case ChainSide::Column: {  // side[i / rl]: one value for each run of rl outputs
      size_t rl = op.rowLength, pos = 0;
      while (pos < len) {
        size_t i = start + pos;
        size_t m = std::min(len - pos, rl - i % rl);
        call(side + i / rl, 0, x + pos, y + pos, m);
        pos += m;
      }
      return;
    }
    case ChainSide::None: return;
  }
}

void runTile(RowFn row, bool simdActivations, const std::vector<ChainOp>& ops, const float* src,
             const float* const* sides, float* out, size_t start, size_t len) {
  const float* x = src + start;
  float* y = out + start;
  for (size_t k = 0; k < ops.size(); ++k) {
    const ChainOp& op = ops[k];
    if (op.isBinary) applyBinary(row, op, sides[k], x, y, start, len);
    else if (simdActivations) activationF32(op.act, x, y, len);
    else activationF32Scalar(op.act, x, y, len);
    x = y;  // the rest of the chain runs in place on the output tile
  }
}

}  // namespace

void runElementwiseChain(ThreadPool* pool, const std::vector<ChainOp>& ops, const float* src,
                         const float* const* sides, float* out, size_t n) {
  auto run = [&](size_t tileBegin, size_t tileCount) {
    for (size_t t = tileBegin; t < tileBegin + tileCount; ++t) {
      size_t start = t * kChainTile;
      runTile(binaryRowF32, true, ops, src, sides, out, start, std::min(kChainTile, n - start));
    }
  };
  size_t tiles = (n + kChainTile - 1) / kChainTile;
  // 16 tiles, 32K elements: below this, waking a thread costs more than it saves.
  const size_t tilesPerTask = minTaskElements(pool, 16);
  if (!pool || pool->numThreads() == 1 || tiles < 2 * tilesPerTask) return run(0, tiles);
  pool->parallelize1d(tiles, tilesPerTask, run);
}

void runElementwiseChainReference(const std::vector<ChainOp>& ops, const float* src, const float* const* sides,
                                  float* out, size_t n) {
  runTile(binaryRowF32Scalar, false, ops, src, sides, out, 0, n);
}

}  // namespace webnn
