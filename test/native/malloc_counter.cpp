#include "malloc_counter.h"

#include <atomic>
#include <cerrno>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
#define WEBNN_TEST_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define WEBNN_TEST_SANITIZED 1
#endif
#if defined(__GLIBC__) && !defined(__EMSCRIPTEN__) && !defined(WEBNN_TEST_SANITIZED)
#define WEBNN_TEST_COUNT_MALLOC 1
#endif

namespace {
std::atomic<bool> counting{false};
std::atomic<size_t> failFromBytes{SIZE_MAX};
std::atomic<size_t> allocations{0};

// True when this allocation of n bytes must fail.
bool note(size_t n) {
  if (!counting.load(std::memory_order_relaxed)) return false;
  allocations.fetch_add(1, std::memory_order_relaxed);
  return n >= failFromBytes.load(std::memory_order_relaxed);
}
}  // namespace

#ifdef WEBNN_TEST_COUNT_MALLOC
// glibc's own entry points (exported for exactly this kind of wrapper); free() stays glibc's.
extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* __libc_memalign(size_t, size_t);

void* malloc(size_t n) { return note(n) ? nullptr : __libc_malloc(n); }
void* calloc(size_t n, size_t size) { return note(n * size) ? nullptr : __libc_calloc(n, size); }
void* realloc(void* p, size_t n) { return note(n) ? nullptr : __libc_realloc(p, n); }
void* memalign(size_t alignment, size_t n) { return note(n) ? nullptr : __libc_memalign(alignment, n); }
void* aligned_alloc(size_t alignment, size_t n) { return note(n) ? nullptr : __libc_memalign(alignment, n); }
int posix_memalign(void** out, size_t alignment, size_t n) {
  if (note(n)) return ENOMEM;
  void* p = __libc_memalign(alignment, n);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}
}
#endif

namespace webnn::test {

bool mallocCounterAvailable() {
#ifdef WEBNN_TEST_COUNT_MALLOC
  return true;
#else
  return false;
#endif
}

CountAllocations::CountAllocations(size_t failFrom) {
  allocations.store(0);
  failFromBytes.store(failFrom);
  counting.store(true);
}
CountAllocations::~CountAllocations() {
  counting.store(false);
  failFromBytes.store(SIZE_MAX);
}
size_t CountAllocations::count() const { return allocations.load(); }

}  // namespace webnn::test
