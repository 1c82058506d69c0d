// Bytes malloc has handed out and not had back (mallinfo's uordblks), for memory reports and
// leak tests; 0 where the C library cannot say.
#pragma once
#include <cstddef>
#if defined(__EMSCRIPTEN__) || defined(__GLIBC__)
#include <malloc.h>
#endif

namespace webnn {

inline size_t heapBytesInUse() {
#if defined(__EMSCRIPTEN__)
  struct mallinfo mi = mallinfo();
  return size_t(unsigned(mi.uordblks));
#elif defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  return mallinfo2().uordblks;
#else
  return 0;
#endif
}

}  // namespace webnn
