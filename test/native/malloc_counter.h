// Counts the heap allocations of every thread while a CountAllocations scope is alive, and can make
// them fail. It works by replacing malloc & co. in the test program, which is possible in the native
// glibc build without sanitizers (ASan replaces them itself; Emscripten's libc is not glibc):
// elsewhere mallocCounterAvailable() is false and tests that need it skip.
#pragma once
#include <cstddef>
#include <cstdint>

namespace webnn::test {

bool mallocCounterAvailable();

class CountAllocations {
 public:
  // Allocations of at least failFrom bytes return null (0: all of them; by default none).
  explicit CountAllocations(size_t failFrom = SIZE_MAX);
  ~CountAllocations();
  CountAllocations(const CountAllocations&) = delete;
  CountAllocations& operator=(const CountAllocations&) = delete;
  size_t count() const;  // allocations attempted since the scope began
};

}  // namespace webnn::test
