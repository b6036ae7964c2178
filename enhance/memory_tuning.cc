#include "enhance/memory_tuning.h"

#include <malloc.h>

#include <climits>

namespace acuity {
namespace {

constexpr int kMmapThresholdBytes = 32 << 20;  // glibc's upper limit (HEAP_MAX_SIZE / 2)
constexpr int kTrimThresholdBytes = INT_MAX;   // ≈ 2 GiB: in practice never trim
constexpr int kTopPadBytes = 512 << 20;

}  // namespace

bool KeepFreedMemoryForReuse() {
  bool ok = mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes) == 1;
  ok = mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes) == 1 && ok;
  ok = mallopt(M_TOP_PAD, kTopPadBytes) == 1 && ok;
  return ok;
}

}  // namespace acuity
