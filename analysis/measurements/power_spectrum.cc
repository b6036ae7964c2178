#include "analysis/measurements/power_spectrum.h"

namespace acuity {

cv::Mat HannPowerSpectrum(const cv::Mat& samples, const cv::Mat& hann) {
  const cv::Mat centred = samples - cv::mean(samples)[0];
  cv::Mat spectrum, planes[2];
  cv::dft(centred.mul(hann), spectrum, cv::DFT_COMPLEX_OUTPUT);
  cv::split(spectrum, planes);
  cv::Mat power;
  cv::magnitude(planes[0], planes[1], power);
  return power.mul(power);
}

}  // namespace acuity
