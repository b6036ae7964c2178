// QA reads JPEG damage from the pixels as well as from a file's tables
// (issue #25): q15 blocks saved as PNG fail as a q15 JPEG does (they only
// warned, on colour, being "not a JPEG"); the input's own blocks that the
// output keeps are told apart from a save the output went through, and warn
// where the advisor would deblock.
#include "analysis/advice/qa_jpeg.h"

#include <string>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/advice/qa.h"
#include "analysis/advice/qa_test_util.h"
#include "analysis/io/image_io.h"
#include "analysis/io/image_writer.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wrap_image.h"

namespace acuity {
namespace {

using qa_test::Check;

// `pixels` saved as a JPEG of `quality` and read back as a file: tables and all.
Image JpegFile(const cv::Mat& pixels, int quality) {
  WriteOptions options;
  options.quality = quality;
  absl::StatusOr<std::string> bytes = EncodeImage(pixels, ImageFormat::kJpeg, options);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<Image> image = DecodeImage(*bytes, "saved.jpg");
  EXPECT_TRUE(image.ok()) << image.status();
  return *image;
}

// The same pixels as a lossless file would hold them (no JPEG tables).
Image Lossless(const cv::Mat& pixels) { return testing::WrapPixels(pixels); }

QaReport RunOn(const Image& input, const Image& output) {
  absl::StatusOr<QaReport> report = RunQa(input, output, nullptr, QaThresholds::Defaults());
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : QaReport();
}

cv::Mat Photo(const char* name) {
  const cv::Mat photo = testing::LoadPhoto(name);
  cv::Mat half;  // area-halved: no trace of the photo's own JPEG save
  cv::resize(photo, half, photo.size() / 2, 0, 0, cv::INTER_AREA);
  return half;
}

TEST(QaJpegTest, HeavyBlocksFailWhateverTheContainer) {
  for (const char* name : {"astronaut", "chelsea", "motorcycle_left"}) {
    SCOPED_TRACE(name);
    const cv::Mat clean = Photo(name);
    const Image q15 = JpegFile(clean, 15);
    for (const Image& output : {q15, Lossless(q15.pixels), JpegFile(q15.pixels, 95)}) {
      const QaReport report = RunOn(Lossless(clean), output);
      const QaCheck& added = Check(report, "output_jpeg_quality");
      ASSERT_TRUE(added.measured) << added.message;
      EXPECT_NEAR(added.value, 15, 4) << added.message;
      EXPECT_EQ(added.status, QaStatus::kFail) << added.message;
      EXPECT_FALSE(Check(report, "inherited_jpeg_quality").measured);
    }
  }
}

TEST(QaJpegTest, TheInputsOwnBlocksAreInheritedNotAdded) {
  for (const char* name : {"astronaut", "coffee"}) {
    SCOPED_TRACE(name);
    const cv::Mat clean = Photo(name);
    const Image q20 = JpegFile(clean, 20);
    // Kept as they were (a PNG of the decode, a re-save at 95): inherited,
    // the output's own save none or 95.
    for (const Image& output : {Lossless(q20.pixels), JpegFile(q20.pixels, 95)}) {
      const QaReport report = RunOn(q20, output);
      const QaCheck& kept = Check(report, "inherited_jpeg_quality");
      ASSERT_TRUE(kept.measured) << kept.message;
      EXPECT_NEAR(kept.value, 20, 4);
      EXPECT_EQ(kept.status, QaStatus::kWarn) << kept.message;
      const QaCheck& added = Check(report, "output_jpeg_quality");
      EXPECT_EQ(added.status, QaStatus::kPass) << added.message;
      EXPECT_EQ(added.measured, output.info.jpeg.has_value()) << added.message;
    }
    // Repaired (the clean photo itself, the perfect restoration): nothing kept.
    const QaReport restored = RunOn(q20, Lossless(clean));
    EXPECT_FALSE(Check(restored, "inherited_jpeg_quality").measured);
    EXPECT_FALSE(Check(restored, "output_jpeg_quality").measured);
    // Enlarged: the 8-px grid is gone; not read, and no save of its own.
    cv::Mat big;
    cv::resize(q20.pixels, big, cv::Size(), 2, 2, cv::INTER_CUBIC);
    const QaReport enlarged = RunOn(q20, Lossless(big));
    EXPECT_FALSE(Check(enlarged, "inherited_jpeg_quality").measured);
    EXPECT_FALSE(Check(enlarged, "output_jpeg_quality").measured);
  }
}

// A heavier save after a light one is the output's, not the input's.
TEST(QaJpegTest, AHeavierSaveOfALightJpegIsAdded) {
  const cv::Mat clean = Photo("chelsea");
  const Image q90 = JpegFile(clean, 90);
  const QaReport report = RunOn(q90, Lossless(JpegFile(q90.pixels, 20).pixels));
  const QaCheck& added = Check(report, "output_jpeg_quality");
  ASSERT_TRUE(added.measured) << added.message;
  EXPECT_NEAR(added.value, 20, 4);
  EXPECT_EQ(added.status, QaStatus::kFail);
  EXPECT_FALSE(Check(report, "inherited_jpeg_quality").measured);
}

// At the input's size, a lattice of other steps than the input's is a save
// of the output's own, lighter or heavier (a review: an output at 1:1 whose
// blocks were at most 15 points heavier than the input's was taken for the
// input's, any lighter one too — the clean photo saved at q60 over a q20
// input passed as "no save of its own", q18 over q30 only warned).
TEST(QaJpegTest, ASaveOfItsOwnAtTheInputsSizeIsAddedNotInherited) {
  for (const char* name : {"astronaut", "chelsea"}) {
    SCOPED_TRACE(name);
    const cv::Mat clean = Photo(name);
    struct Case { int input_q, output_q; QaStatus status; };
    for (const Case c : {Case{20, 40, QaStatus::kWarn}, Case{20, 60, QaStatus::kWarn}, Case{30, 18, QaStatus::kFail}}) {
      SCOPED_TRACE(::testing::Message() << "q" << c.output_q << " over q" << c.input_q);
      const cv::Mat saved = JpegFile(c.input_q == 30 ? JpegFile(clean, 30).pixels : clean, c.output_q).pixels;
      const QaReport report = RunOn(JpegFile(clean, c.input_q), Lossless(saved));
      const QaCheck& added = Check(report, "output_jpeg_quality");
      ASSERT_TRUE(added.measured) << added.message;
      EXPECT_NEAR(added.value, c.output_q, 6) << added.message;
      EXPECT_EQ(added.status, c.status) << added.message;
      EXPECT_FALSE(Check(report, "inherited_jpeg_quality").measured) << Check(report, "inherited_jpeg_quality").message;
    }
  }
}

}  // namespace
}  // namespace acuity
