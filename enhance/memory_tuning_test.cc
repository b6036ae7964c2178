#include "enhance/memory_tuning.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <gtest/gtest.h>

namespace acuity {
namespace {

long MinorFaults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

// Faults taken to allocate, touch and free a `bytes` block.
long FaultsForOneBlock(size_t bytes) {
  const long before = MinorFaults();
  auto* p = static_cast<char*>(std::malloc(bytes));
  if (p == nullptr) return -1;
  std::memset(p, 1, bytes);
  asm volatile("" : : "r"(p) : "memory");
  std::free(p);
  return MinorFaults() - before;
}

// After the setting, freed blocks of 16 MiB and a little more (tiles'
// feature maps, whose sizes vary with the tile) are reused: allocating the
// next one touches pages already resident. With glibc's defaults each block
// just above the previous one is a fresh mapping, faulted in page by page
// (≈ 4 200 faults each, measured).
TEST(MemoryTuningTest, FreedBlocksAreReusedWithoutPageFaults) {
  ASSERT_TRUE(KeepFreedMemoryForReuse());
  constexpr size_t kBlock = 16u << 20, kStep = 64u << 10;
  constexpr long kPages = static_cast<long>(kBlock / 4096);
  FaultsForOneBlock(kBlock);  // first touch: the pages become resident
  long worst = 0;
  for (size_t i = 1; i <= 5; ++i) worst = std::max(worst, FaultsForOneBlock(kBlock + i * kStep));
  EXPECT_LT(worst, kPages / 10) << "each new block faulted its pages in again";
}

}  // namespace
}  // namespace acuity
