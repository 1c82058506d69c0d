#include "kernels/elementwise/where.h"

#include <algorithm>
#include <cstdint>

#include "core/thread_pool.h"
#include "kernels/task_split.h"

namespace webnn {
namespace {

std::vector<size_t> stridesFor(const Shape& in, const Shape& out) {
  size_t rank = out.size();
  std::vector<size_t> strides(rank, 0);
  size_t s = 1;
  for (size_t i = in.size(); i-- > 0;) {
    size_t d = i + rank - in.size();
    strides[d] = in[i] == 1 ? 0 : s;
    s *= in[i];
  }
  return strides;
}

template <typename T>
void run(ThreadPool* pool, const WherePlan& p, const uint8_t* cond, const T* tv, const T* fv, T* out) {
  size_t rank = p.outShape.size();
  size_t inner = rank ? p.outShape[rank - 1] : 1;
  size_t ci = rank ? p.strides[0][rank - 1] : 0, ti = rank ? p.strides[1][rank - 1] : 0,
         fi = rank ? p.strides[2][rank - 1] : 0;
  size_t rows = 1;
  for (size_t d = 0; d + 1 < rank; ++d) rows *= p.outShape[d];
  // Output elements [begin, begin + count), in pieces of rows (see forEachBroadcastRow).
  auto runRange = [&](size_t begin, size_t count) {
    for (size_t pos = begin, end = begin + count; pos < end;) {
      const size_t r = pos / inner, j = pos % inner, n = std::min(inner - j, end - pos);
      size_t rem = r, co = j * ci, to = j * ti, fo = j * fi;
      for (size_t d = rank ? rank - 1 : 0; d-- > 0;) {  // outer dims, innermost first
        size_t idx = rem % p.outShape[d];
        rem /= p.outShape[d];
        co += idx * p.strides[0][d];
        to += idx * p.strides[1][d];
        fo += idx * p.strides[2][d];
      }
      T* o = out + pos;
      for (size_t i = 0; i < n; ++i) o[i] = cond[co + i * ci] ? tv[to + i * ti] : fv[fo + i * fi];
      pos += n;
    }
  };
  runSplitElements(pool, rows * inner, kFlopsPerByteStreamed * (1.0 + 3.0 * sizeof(T)), runRange);
}

}  // namespace

WherePlan makeWherePlan(const Shape& condition, const Shape& trueValue, const Shape& falseValue, const Shape& out,
                        size_t elementSize) {
  WherePlan p;
  p.outShape = out;
  p.strides[0] = stridesFor(condition, out);
  p.strides[1] = stridesFor(trueValue, out);
  p.strides[2] = stridesFor(falseValue, out);
  p.elementSize = elementSize;
  return p;
}

void whereKernel(ThreadPool* pool, const WherePlan& p, const uint8_t* c, const void* t, const void* f, void* out) {
  switch (p.elementSize) {
    case 1: return run(pool, p, c, static_cast<const uint8_t*>(t), static_cast<const uint8_t*>(f), static_cast<uint8_t*>(out));
    case 2: return run(pool, p, c, static_cast<const uint16_t*>(t), static_cast<const uint16_t*>(f), static_cast<uint16_t*>(out));
    case 4: return run(pool, p, c, static_cast<const uint32_t*>(t), static_cast<const uint32_t*>(f), static_cast<uint32_t*>(out));
    default: return run(pool, p, c, static_cast<const uint64_t*>(t), static_cast<const uint64_t*>(f), static_cast<uint64_t*>(out));
  }
}

}  // namespace webnn
