// End-to-end tests of what the `acuity` program loads: commands that never
// upscale must not load LibTorch or OpenCV's imgcodecs (their libraries were
// most of every command's start-up, models/RESULTS.md "Start-up"); the ones
// that need them load their modules on first use. Checked with the dynamic
// loader's own log (LD_DEBUG=files), not with timings.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>
#include <tiffio.h>

#include "analysis/io/png_codec.h"
#include "tests/testing/run_program.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::ScratchDir;

// Runs acuity with the loader logging every library it opens to stderr.
testing::RunResult RunLogged(const ScratchDir& dir, const std::vector<std::string>& args) {
  return testing::RunProgram(ACUITY_BINARY, dir.path(), args, "export LD_DEBUG=files; ");
}

// acuity's own stderr lines, without the loader's log (whose lines start
// with the process id), for failure messages.
std::string OwnLines(const testing::RunResult& r) {
  std::string out;
  for (const std::string& line : r.ErrLines()) {
    if (line.find(":\t") == std::string::npos) out += line + "\n";
  }
  return out;
}

void WritePng(const std::string& path, const cv::Mat& pixels) {
  absl::StatusOr<std::string> png = EncodePng(pixels);
  ASSERT_TRUE(png.ok()) << png.status();
  testing::WriteBytes(path, *png);
}

cv::Mat SmallPhoto(int edge) {
  cv::Mat photo = testing::LoadPhoto("astronaut");
  cv::resize(photo, photo, cv::Size(edge, edge), 0, 0, cv::INTER_AREA);
  return photo;
}

TEST(StartupTest, HelpAndAnalyzeLoadNeitherLibTorchNorImgcodecs) {
  ScratchDir dir;
  WritePng(dir.Path("small.png"), SmallPhoto(64));
  const std::string png = dir.Path("small.png");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"analyze", png}, {"advise", "--target", "4k", png},
        {"analyze", "--json", "--maps", dir.Path("maps"), png}}) {
    SCOPED_TRACE(args[0] + (args.size() > 1 ? " " + args[1] : ""));
    const testing::RunResult r = RunLogged(dir, args);
    EXPECT_EQ(r.exit_code, 0) << OwnLines(r);
    EXPECT_THAT(r.err, HasSubstr("libopencv_core"));  // the log is there at all
    EXPECT_THAT(r.err, Not(HasSubstr("libtorch")));
    EXPECT_THAT(r.err, Not(HasSubstr("libacuity_torch")));
    EXPECT_THAT(r.err, Not(HasSubstr("libopencv_imgcodecs")));
  }
}

TEST(StartupTest, UpscaleLoadsTheLibTorchModuleOnDemand) {
  ScratchDir dir;
  WritePng(dir.Path("small.png"), SmallPhoto(24));
  const testing::RunResult r =
      RunLogged(dir, {"enhance", "--steps", "upscale:2", "--model", "esrgan-slim", "-o", dir.Path("out.png"),
                      dir.Path("small.png")});
  EXPECT_EQ(r.exit_code, 0) << OwnLines(r);
  EXPECT_THAT(r.err, HasSubstr("libacuity_torch.so"));
  EXPECT_THAT(r.err, HasSubstr("libtorch_cpu"));
}

// A 1-bit bilevel TIFF of `edge`² px (stripes), written with libtiff.
void WriteBilevelTiff(const std::string& path, int edge) {
  TIFF* tif = TIFFOpen(path.c_str(), "w");
  ASSERT_NE(tif, nullptr);
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, edge);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, edge);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 1);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  std::vector<uint8_t> row(static_cast<size_t>((edge + 7) / 8), 0xF0);
  for (int y = 0; y < edge; ++y) TIFFWriteScanline(tif, row.data(), static_cast<uint32_t>(y), 0);
  TIFFClose(tif);
}

// A TIFF layout that libtiff's scanline path leaves to OpenCV (1-bit
// bilevel) is still read: through the imgcodecs module, loaded on demand.
TEST(StartupTest, FallbackDecodingLoadsTheOpenCvModuleOnDemand) {
  ScratchDir dir;
  WriteBilevelTiff(dir.Path("bilevel.tif"), 32);
  const testing::RunResult r = RunLogged(dir, {"analyze", dir.Path("bilevel.tif")});
  EXPECT_EQ(r.exit_code, 0) << OwnLines(r);
  EXPECT_THAT(r.err, HasSubstr("libacuity_opencv.so"));
}

}  // namespace
}  // namespace acuity
