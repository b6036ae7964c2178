#include "enhance/compute_threads.h"

#include <opencv2/core.hpp>

namespace acuity {

void SetComputeThreads(int threads) {
  if (threads > 0) cv::setNumThreads(threads);
}

}  // namespace acuity
