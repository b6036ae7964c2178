#include "enhance/compute_threads.h"

#include <opencv2/core.hpp>

#include "analysis/io/opencv_parallel.h"

namespace acuity {

void SetComputeThreads(int threads) {
  RunOpenCvLoopsOnThePool();
  if (threads > 0) cv::setNumThreads(threads);
}

}  // namespace acuity
