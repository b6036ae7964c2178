// Address-space limits in tests: whether this build is AddressSanitizer's
// (which reserves terabytes of address space, so that no `ulimit -v` or
// RLIMIT_AS can apply to it), and the address space the process maps now,
// to set a limit a little above it in an expendable child.
//
//   #if defined(ACUITY_UNDER_ASAN)
//     GTEST_SKIP() << "an address-space limit cannot apply to an AddressSanitizer build";
//   #endif
//   rlimit r{rlim_t(acuity::testing::MappedBytes() + (64 << 20)), RLIM_INFINITY};
#ifndef ACUITY_TESTS_TESTING_ADDRESS_SPACE_H_
#define ACUITY_TESTS_TESTING_ADDRESS_SPACE_H_

#include <unistd.h>

#include <cstddef>
#include <cstdio>

// GCC defines the first, clang the second.
#if defined(__SANITIZE_ADDRESS__)
#define ACUITY_UNDER_ASAN 1
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ACUITY_UNDER_ASAN 1
#endif
#endif

namespace acuity::testing {

// VmSize of this process (the first field of /proc/self/statm), bytes; 0
// when it cannot be read.
inline size_t MappedBytes() {
  long pages = 0;
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld", &pages) != 1) pages = 0;
    std::fclose(f);
  }
  return size_t(pages) * size_t(sysconf(_SC_PAGESIZE));
}

}  // namespace acuity::testing

#endif  // ACUITY_TESTS_TESTING_ADDRESS_SPACE_H_
