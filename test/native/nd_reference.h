// Helpers for the naive references of the op tests: N-d coordinate walks and index arithmetic
// (row-major, with broadcasting, a permutation, reduced dims), and raw-byte packing of typed data
// into the float vectors GraphHarness feeds and returns.
#pragma once
#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

#include "graph/operand.h"

namespace webnn::test {

inline void forEachCoord(const Shape& shape, const std::function<void(const std::vector<size_t>&)>& f) {
  size_t total = 1;
  for (uint32_t d : shape) total *= d;
  std::vector<size_t> c(shape.size(), 0);
  for (size_t i = 0; i < total; ++i) {
    f(c);
    for (size_t d = shape.size(); d-- > 0;) {
      if (++c[d] < shape[d]) break;
      c[d] = 0;
    }
  }
}

inline size_t linearIndex(const Shape& shape, const std::vector<size_t>& c) {
  size_t i = 0;
  for (size_t d = 0; d < shape.size(); ++d) i = i * shape[d] + c[d];
  return i;
}

// Index of a multi-index in a row-major shape, with broadcasting (size-1 dims read index 0).
inline size_t broadcastIndex(const Shape& shape, const std::vector<size_t>& idx) {
  size_t off = 0, rank = shape.size(), outRank = idx.size();
  for (size_t d = 0; d < rank; ++d) {
    size_t i = idx[outRank - rank + d];
    off = off * shape[d] + (shape[d] == 1 ? 0 : i);
  }
  return off;
}
inline std::vector<size_t> unravel(size_t flat, const Shape& shape) {
  std::vector<size_t> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = flat % shape[d];
    flat /= shape[d];
  }
  return idx;
}

// v (of `shape`) transposed: output dim d is input dim perm[d]; *out gets the new shape.
inline std::vector<float> permute(const std::vector<float>& v, const Shape& shape, const std::vector<size_t>& perm,
                                  Shape* out) {
  out->clear();
  for (size_t p : perm) out->push_back(shape[p]);
  std::vector<float> r(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    std::vector<size_t> idx = unravel(i, *out), src(shape.size());
    for (size_t d = 0; d < perm.size(); ++d) src[perm[d]] = idx[d];
    r[i] = v[broadcastIndex(shape, src)];
  }
  return r;
}

// Output index of input flat index `i` when the dims in `reduced` collapse.
inline size_t reducedIndex(const Shape& in, const std::vector<bool>& reduced, size_t i) {
  size_t o = 0, stride = 1;
  for (size_t d = in.size(); d-- > 0;) {
    size_t coord = i % in[d];
    i /= in[d];
    if (!reduced[d]) {
      o += coord * stride;
      stride *= in[d];
    }
  }
  return o;
}

// Typed values as the bytes of a float vector (rounded up), and back.
template <typename T>
std::vector<float> packBytes(const std::vector<T>& v) {
  std::vector<float> out((v.size() * sizeof(T) + 3) / 4 + 1);
  std::memcpy(out.data(), v.data(), v.size() * sizeof(T));
  return out;
}
template <typename T>
std::vector<T> unpackBytes(const std::vector<float>& v, size_t n) {
  std::vector<T> out(n);
  std::memcpy(out.data(), v.data(), n * sizeof(T));
  return out;
}

template <typename T>
std::vector<T> iota(size_t n, T start = T(0)) {
  std::vector<T> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = T(start + T(i));
  return v;
}

inline std::vector<double> nums(std::initializer_list<double> l) { return std::vector<double>(l); }

}  // namespace webnn::test
