// A heap buffer aligned for SIMD loads, owned by value. Allocation failure is reported, not thrown.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace webnn {

// Size arithmetic that saturates at SIZE_MAX instead of wrapping (size_t is 32 bits in Wasm): a
// saturated size is one no allocation can satisfy, so it fails cleanly in allocate().
inline size_t satMul(size_t a, size_t b) {
  size_t r;
  return __builtin_mul_overflow(a, b, &r) ? SIZE_MAX : r;
}
inline size_t satAdd(size_t a, size_t b) {
  size_t r;
  return __builtin_add_overflow(a, b, &r) ? SIZE_MAX : r;
}
template <typename... Rest>
inline size_t satMul(size_t a, size_t b, Rest... rest) {
  return satMul(satMul(a, b), rest...);
}

class AlignedBuffer {
 public:
  static constexpr size_t kAlignment = 64;

  // Bytes held by all AlignedBuffers (every tensor, constant, packed weight and arena is one),
  // and their high-water mark since resetPeak(): how the compiler measures its peak during build.
  static size_t bytesHeld() { return held().load(std::memory_order_relaxed); }
  static size_t peakBytesHeld() { return peak().load(std::memory_order_relaxed); }
  static void resetPeak() { peak().store(bytesHeld(), std::memory_order_relaxed); }
  // What a buffer of `bytes` takes (sizes are rounded up to the alignment).
  static size_t roundedSize(size_t bytes) { return (bytes + kAlignment - 1) / kAlignment * kAlignment; }

  AlignedBuffer() = default;
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  AlignedBuffer(AlignedBuffer&& o) noexcept : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  AlignedBuffer& operator=(AlignedBuffer&& o) noexcept {
    if (this != &o) {
      release();
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
    }
    return *this;
  }
  ~AlignedBuffer() { release(); }

  // Returns false (and leaves the buffer empty) when memory cannot be had.
  bool allocate(size_t bytes, bool zero = false) {
    release();
    if (bytes == 0) return true;
    if (bytes > SIZE_MAX - kAlignment) return false;
    void* p = nullptr;
    size_t rounded = roundedSize(bytes);
    if (posix_memalign(&p, kAlignment, rounded) != 0 || !p) return false;
    if (zero) std::memset(p, 0, rounded);
    data_ = static_cast<uint8_t*>(p);
    size_ = bytes;
    size_t now = held().fetch_add(rounded, std::memory_order_relaxed) + rounded;
    size_t high = peak().load(std::memory_order_relaxed);
    while (now > high && !peak().compare_exchange_weak(high, now, std::memory_order_relaxed)) {
    }
    return true;
  }
  void release() {
    if (data_) held().fetch_sub(roundedSize(size_), std::memory_order_relaxed);
    std::free(data_);
    data_ = nullptr;
    size_ = 0;
  }
  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  template <typename T>
  T* as() { return reinterpret_cast<T*>(data_); }
  template <typename T>
  const T* as() const { return reinterpret_cast<const T*>(data_); }
  size_t size() const { return size_; }

 private:
  static std::atomic<size_t>& held() {
    static std::atomic<size_t> bytes{0};
    return bytes;
  }
  static std::atomic<size_t>& peak() {
    static std::atomic<size_t> bytes{0};
    return bytes;
  }
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace webnn
