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
  AlignedBuffer(AlignedBuffer&& o) noexcept
      : block_(std::exchange(o.block_, nullptr)), data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  AlignedBuffer& operator=(AlignedBuffer&& o) noexcept {
    if (this != &o) {
      release();
      block_ = std::exchange(o.block_, nullptr);
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
    if (bytes > SIZE_MAX - 2 * kAlignment) return false;
    size_t rounded = roundedSize(bytes);
    // malloc(size + alignment), aligned by hand, rather than posix_memalign: every buffer of a size
    // asks malloc for the same block, so a freed constant's block is reused exactly by the next
    // packed weight of that size (memalign asks for more and splits the rest off, so the freed
    // holes never fit and each packed weight would grow the heap).
    void* block = std::malloc(rounded + kAlignment);
    if (!block) return false;
    uintptr_t aligned = (reinterpret_cast<uintptr_t>(block) + kAlignment - 1) / kAlignment * kAlignment;
    block_ = block;
    data_ = reinterpret_cast<uint8_t*>(aligned);
    if (zero) std::memset(data_, 0, rounded);
    size_ = bytes;
    size_t now = held().fetch_add(rounded, std::memory_order_relaxed) + rounded;
    size_t high = peak().load(std::memory_order_relaxed);
    while (now > high && !peak().compare_exchange_weak(high, now, std::memory_order_relaxed)) {
    }
    return true;
  }
  void release() {
    if (data_) held().fetch_sub(roundedSize(size_), std::memory_order_relaxed);
    std::free(block_);
    block_ = nullptr;
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
  void* block_ = nullptr;  // what malloc returned (data_ is block_ rounded up to kAlignment)
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace webnn
