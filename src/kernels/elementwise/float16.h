// IEEE binary16 <-> binary32 conversion. float16 stays float16 in the heap; ops whose kernels only
// compute in float32 get conversion steps inserted around them (src/compiler/float16.cpp).
// f32 -> f16 rounds to nearest, ties to even; overflow gives ±Inf; NaN stays NaN (quiet, sign and top
// payload bits kept); subnormals are exact both ways.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cmath>
#include <cstring>

namespace webnn {

inline float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13);  // Inf / NaN
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) {
    bits = sign;
  } else {
    // Subnormal half: value = mant * 2^-24, exact in float32.
    float f = float(mant) * 5.9604644775390625e-8f;
    std::memcpy(&bits, &f, 4);
    bits |= sign;
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

inline uint16_t floatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint16_t sign = uint16_t((x >> 16) & 0x8000u);
  uint32_t absx = x & 0x7fffffffu;
  if (absx >= 0x7f800000u) {  // Inf or NaN
    if (absx == 0x7f800000u) return sign | 0x7c00u;
    return uint16_t(sign | 0x7e00u | ((absx >> 13) & 0x3ffu));
  }
  if (absx >= 0x477ff000u) return sign | 0x7c00u;  // rounds to >= 65520: overflow to Inf
  if (absx < 0x38800000u) {                         // below the smallest normal half (2^-14)
    if (absx < 0x33000000u) return sign;            // < 2^-25: rounds to 0 (2^-25 itself ties to even 0)
    // Subnormal: shift the full significand right, rounding to nearest even.
    uint32_t e = absx >> 23;
    uint32_t m = (absx & 0x7fffffu) | 0x800000u;
    uint32_t shift = 126 - e;  // e in [102, 112] -> shift in [14, 24]
    uint32_t q = m >> shift;
    uint32_t rem = m & ((1u << shift) - 1);
    uint32_t half = 1u << (shift - 1);
    if (rem > half || (rem == half && (q & 1))) ++q;
    return uint16_t(sign | q);
  }
  // Normal: rebias the exponent, round the 13 dropped mantissa bits to nearest even.
  uint32_t v = absx - 0x38000000u;  // exponent 127 -> 15
  uint32_t q = v >> 13;
  uint32_t rem = v & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (q & 1))) ++q;  // a carry into the exponent is correct
  return uint16_t(sign | q);
}

// double -> half with a single rounding (the spec's ConvertToFloat(x, 16) for MLNumber values):
// round to float toward zero with a sticky last bit (round-to-odd, 13 spare bits), which floatToHalf
// then rounds correctly. float(d) then floatToHalf would round twice (1 + 2^-11 + 2^-30 -> 1).
inline uint16_t doubleToHalf(double d) {
  float f = float(d);
  if (std::isfinite(d) && double(f) != d) {
    if (std::fabs(double(f)) > std::fabs(d)) f = std::nextafter(f, 0.f);
    uint32_t b;
    std::memcpy(&b, &f, 4);
    b |= 1u;
    std::memcpy(&f, &b, 4);
  }
  return floatToHalf(f);
}

void convertF16ToF32(const uint16_t* in, float* out, size_t n);
void convertF32ToF16(const float* in, uint16_t* out, size_t n);

}  // namespace webnn
