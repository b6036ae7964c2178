#include "enhance/memory_tuning.h"

#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <climits>

namespace acuity {
namespace {

constexpr int kMmapThresholdBytes = 32 << 20;  // glibc's upper limit (HEAP_MAX_SIZE / 2)
constexpr int kTrimThresholdBytes = INT_MAX;   // ≈ 2 GiB: in practice never trim
constexpr int kTopPadBytes = 512 << 20;
// Under an address-space or data limit: the heap grows by at most this
// share of the limit at a time, and all threads share one malloc arena.
constexpr rlim_t kLimitedTopPadShare = 16;
constexpr int kLimitedArenas = 1;

// The smaller of RLIMIT_AS and RLIMIT_DATA, bytes; RLIM_INFINITY when neither is set.
rlim_t AddressLimit() {
  rlim_t smallest = RLIM_INFINITY;
  for (int resource : {RLIMIT_AS, RLIMIT_DATA}) {
    rlimit r{};
    if (getrlimit(resource, &r) == 0 && r.rlim_cur != RLIM_INFINITY) smallest = std::min(smallest, r.rlim_cur);
  }
  return smallest;
}

}  // namespace

bool KeepFreedMemoryForReuse() {
  int top_pad = kTopPadBytes;
  bool ok = true;
  // Address space is what a `ulimit -v` (or -d) counts, reserved or not:
  // a heap that grows 512 MiB at a time, and a 64 MiB malloc arena reserved
  // for every thread, made a 12 MP analysis under 740 MB fail allocations
  // (and threads fail to start) that its real needs would have fitted.
  if (const rlim_t limit = AddressLimit(); limit != RLIM_INFINITY) {
    top_pad = int(std::min<rlim_t>(rlim_t(kTopPadBytes), limit / kLimitedTopPadShare));
    ok = mallopt(M_ARENA_MAX, kLimitedArenas) == 1;
  }
  ok = mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes) == 1 && ok;
  ok = mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes) == 1 && ok;
  ok = mallopt(M_TOP_PAD, top_pad) == 1 && ok;
  return ok;
}

}  // namespace acuity
