// Helpers for reference implementations of data-movement ops: N-d coordinate walks and
// raw-byte packing of typed data into the float vectors GraphHarness feeds and returns.
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
