// Eigen as an independent oracle for the GEMM kernels and the matmul/gemm/conv2d ops: products in
// double precision (Eigen's), and every element checked against a rounding-error bound (float32
// summation: about K * 2^-24 of sum |a*b|, computed with Eigen from |A| * |B|).
// Include it only where Eigen's headers are found: inside `#if __has_include(<Eigen/Dense>)`.
#pragma once
#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "harness.h"

namespace webnn::test {

using MatD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

inline MatF randomMatrix(size_t rows, size_t cols, Rng& rng) {
  MatF m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = rng.uniform(-1.f, 1.f);
  return m;
}

// The error bound of a float32 dot product of length K (plus a bias), relative to sum |a*b| + |bias|.
inline double bound(size_t K, double magnitude) { return (double(K) + 4) * 6e-8 * magnitude + 1e-6; }

// Activations the GEMM epilogue fuses, written from their definitions (the Eigen side's epilogue).
inline double activate(const Activation& a, double x) {
  switch (a.kind) {
    case ActivationKind::Clamp: return std::min(std::max(x, double(a.minValue)), double(a.maxValue));
    case ActivationKind::Sigmoid: return 1 / (1 + std::exp(-x));
    case ActivationKind::Tanh: return std::tanh(x);
    case ActivationKind::LeakyRelu: return x >= 0 ? x : a.alpha * x;
    default: return x;
  }
}

// Counts elements of `got` (row stride ldc) farther from `want` than `tol` allows; reports the first.
inline size_t mismatches(const float* got, size_t ldc, const MatD& want, const MatD& tol) {
  size_t bad = 0;
  for (Eigen::Index i = 0; i < want.rows(); ++i)
    for (Eigen::Index j = 0; j < want.cols(); ++j) {
      double g = got[i * ldc + j];
      if (!(std::fabs(g - want(i, j)) <= tol(i, j))) {
        if (bad == 0) UNSCOPED_INFO("first mismatch at [" << i << "," << j << "]: " << g << " want " << want(i, j));
        ++bad;
      }
    }
  return bad;
}

// Elements of got (row stride ldc) farther from act(want) than bound(K, mag), plus writes past column
// N (want's columns) that changed the sentinel.
inline size_t mismatches(const std::vector<float>& got, size_t ldc, const MatD& want, const MatD& mag, size_t K,
                         const Activation& act, float sentinel) {
  size_t bad = 0;
  for (Eigen::Index i = 0; i < want.rows(); ++i)
    for (size_t j = 0; j < ldc; ++j) {
      const float g = got[i * ldc + j];
      if (Eigen::Index(j) >= want.cols()) {
        bad += g != sentinel;
        continue;
      }
      // Sigmoid and tanh shrink errors; the pre-activation bound covers them.
      const double w = activate(act, want(i, j)), tol = bound(K, mag(i, j));
      if (!(std::fabs(g - w) <= tol)) {
        if (bad == 0) UNSCOPED_INFO("first mismatch at [" << i << "," << j << "]: " << g << " want " << w);
        ++bad;
      }
    }
  return bad;
}

}  // namespace webnn::test
