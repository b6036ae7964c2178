#include "enhance/compute_threads.h"

#include <opencv2/core.hpp>

#include "enhance/sr_model.h"

namespace acuity {

void SetComputeThreads(int threads) {
  SetInferenceThreads(1);
  if (threads > 0) cv::setNumThreads(threads);
}

}  // namespace acuity
