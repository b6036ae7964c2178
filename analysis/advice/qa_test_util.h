// Test-only helpers shared by qa_test.cc and qa_restoration_test.cc (header
// only; not part of the library): QA of two bare pixel buffers with the
// default thresholds, and one of its checks by name.
//
//   const acuity::QaReport report = acuity::qa_test::Qa(input, output);
//   EXPECT_EQ(acuity::qa_test::Check(report, "halo_crispness").status, acuity::QaStatus::kFail);
#ifndef ACUITY_ANALYSIS_ADVICE_QA_TEST_UTIL_H_
#define ACUITY_ANALYSIS_ADVICE_QA_TEST_UTIL_H_

#include <string>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "analysis/advice/qa.h"
#include "tests/testing/wrap_image.h"

namespace acuity::qa_test {

// RunQa(input, output) with the default thresholds; a failure of the test
// (and an empty report) when it returns an error.
inline QaReport Qa(const cv::Mat& input, const cv::Mat& output, const QaOptions& options = {}) {
  const Image in = testing::WrapPixels(input), out = testing::WrapPixels(output);
  absl::StatusOr<QaReport> report = RunQa(in, out, nullptr, QaThresholds::Defaults(), options);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : QaReport();
}

// The check called `name`; a failure of the test when there is none.
inline const QaCheck& Check(const QaReport& report, const std::string& name) {
  for (const QaCheck& c : report.checks)
    if (c.name == name) return c;
  static const QaCheck kMissing;
  ADD_FAILURE() << "no check " << name;
  return kMissing;
}

}  // namespace acuity::qa_test

#endif  // ACUITY_ANALYSIS_ADVICE_QA_TEST_UTIL_H_
