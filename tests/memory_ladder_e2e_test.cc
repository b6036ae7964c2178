// A memory-limit ladder: `acuity analyze` of one valid photo in every format
// acuity decodes, under address-space limits (a real `ulimit -v`, as a user
// or a cluster would set it) from far too little to enough. Each limit makes
// the program fail at a different point — loading its libraries, reading
// the file, inside the decoder's own allocations, the decoded pixels, the
// measurements, the maps — and every outcome must be a success or the
// machine's one-line "out of memory" with exit 4: never "corrupt" (exit 3,
// a valid file set aside as broken), never an abort (134), a crash (139) or
// a hang (each run is under a `timeout`).

#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tests/testing/run_program.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::RunResult;
using testing::ScratchDir;

#if defined(__SANITIZE_ADDRESS__)
#define SKIP_UNDER_ADDRESS_SANITIZER() GTEST_SKIP() << "ulimit -v cannot apply to an AddressSanitizer build"
#else
#define SKIP_UNDER_ADDRESS_SANITIZER() (void)0
#endif

// Seconds after which a run counts as hung (a 12 MP analysis with maps takes
// about 3 s on two cores).
constexpr int kHungAfterS = 90;

// Address-space limits, MB: from below what the program needs to start to
// above what a 12 MP analysis with maps needs.
const std::vector<int>& LimitsMb() {
  static const std::vector<int> limits = {150, 250, 350, 450, 500, 560, 600, 650, 700, 740, 800, 900, 1200};
  return limits;
}

// The photo: scikit-image's astronaut enlarged to 12 MP.
cv::Mat Photo12Mp() {
  cv::Mat big;
  cv::resize(testing::LoadPhoto("astronaut"), big, cv::Size(4000, 3000), 0, 0, cv::INTER_CUBIC);
  return big;
}

RunResult RunLimited(const ScratchDir& logs, int limit_mb, const std::vector<std::string>& args) {
  return testing::RunProgram(ACUITY_BINARY, logs.path(), args,
                             "ulimit -v " + std::to_string(limit_mb * 1024) + "; timeout -s KILL " +
                                 std::to_string(kHungAfterS) + " ");
}

// Runs the ladder on `file`; `extra` comes before the file name. Returns
// how many limits succeeded (the ladder must also reach success).
int CheckLadder(const std::string& file, const std::vector<std::string>& extra) {
  ScratchDir logs;
  int succeeded = 0;
  for (int limit_mb : LimitsMb()) {
    std::vector<std::string> args = {"analyze"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(file);
    const RunResult r = RunLimited(logs, limit_mb, args);
    SCOPED_TRACE(fs::path(file).filename().string() + " under " + std::to_string(limit_mb) + " MB");
    EXPECT_NE(r.exit_code, 128 + 9) << "hung (killed after " << kHungAfterS << " s)";
    if (r.exit_code == 0) {
      ++succeeded;
      continue;
    }
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_EQ(r.ErrLines().size(), 1u) << r.err;
    EXPECT_THAT(r.err, HasSubstr("out of memory")) << r.err;
  }
  return succeeded;
}

// The case: a 12 MP JPEG with maps hung under 740 MB and was called
// corrupt ("missing SOS marker", exit 3) under 150–500 MB.
TEST(MemoryLadderE2eTest, AnalyzeMapsOfA12MpJpegIsOkOrOutOfMemoryAtEveryLimit) {
  SKIP_UNDER_ADDRESS_SANITIZER();
  ScratchDir dir;
  ASSERT_TRUE(cv::imwrite(dir.Path("photo.jpg"), Photo12Mp(), {cv::IMWRITE_JPEG_QUALITY, 90}));
  fs::create_directory(dir.Path("maps"));
  EXPECT_GT(CheckLadder(dir.Path("photo.jpg"), {"--maps", dir.Path("maps")}), 0);
}

// Every other decoder, without maps: the decoders' own allocations fail at
// other points than the JPEG's.
TEST(MemoryLadderE2eTest, EveryDecoderIsOkOrOutOfMemoryAtEveryLimit) {
  SKIP_UNDER_ADDRESS_SANITIZER();
  ScratchDir dir;
  const cv::Mat photo = Photo12Mp();
  ASSERT_TRUE(cv::imwrite(dir.Path("photo.png"), photo));
  ASSERT_TRUE(cv::imwrite(dir.Path("photo.tif"), photo));
  ASSERT_TRUE(cv::imwrite(dir.Path("photo.webp"), photo, {cv::IMWRITE_WEBP_QUALITY, 90}));
  // GIF and HEIC through Debian's tools (setup.sh installs both).
  ScratchDir logs;
  RunResult gif = testing::RunProgram("convert", logs.path(), {dir.Path("photo.png"), dir.Path("photo.gif")});
  ASSERT_EQ(gif.exit_code, 0) << gif.err;
  RunResult heic = testing::RunProgram("heif-enc", logs.path(), {"-q", "70", "-o", dir.Path("photo.heic"), dir.Path("photo.png")});
  ASSERT_EQ(heic.exit_code, 0) << heic.err;
  for (const char* name : {"photo.png", "photo.tif", "photo.webp", "photo.gif", "photo.heic"})
    EXPECT_GT(CheckLadder(dir.Path(name), {}), 0) << name;
}

}  // namespace
}  // namespace acuity
