// A memory-limit ladder: `acuity analyze` of one valid photo in every format
// acuity decodes, under address-space limits (a real `ulimit -v`, as a user
// or a cluster would set it) from far too little to enough. Each limit makes
// the program fail at a different point — loading its libraries, reading
// the file, inside the decoder's own allocations, the decoded pixels, the
// measurements, the maps — and every outcome must be a success or the
// machine's one-line "out of memory" with exit 4: never "corrupt" (exit 3,
// a valid file set aside as broken), never an abort (134), a crash (139) or
// a hang (each run is under a `timeout`).

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tests/testing/address_space.h"
#include "tests/testing/camera_dng.h"
#include "tests/testing/limited_cgroup.h"
#include "tests/testing/run_program.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::RunResult;
using testing::ScratchDir;

#if defined(ACUITY_UNDER_ASAN)
#define SKIP_UNDER_ADDRESS_SANITIZER() GTEST_SKIP() << "ulimit -v cannot apply to an AddressSanitizer build"
#else
#define SKIP_UNDER_ADDRESS_SANITIZER() (void)0
#endif

// Seconds after which a run counts as hung (a 12 MP analysis with maps takes
// about 3 s on two cores).
constexpr int kHungAfterS = 90;

// Address-space limits, MB: from below what the program needs to start to
// above what a 12 MP analysis with maps needs. Under 120–150 MB OpenCV's
// oneTBB workers could not start and were waited for forever (an analysis
// hung in cv::parallel_for_): its loops now run on acuity's pool
// (analysis/io/opencv_parallel.h).
const std::vector<int>& LimitsMb() {
  static const std::vector<int> limits = {120, 140, 150, 250, 350, 450, 500, 560, 600, 650, 700, 740, 800, 900, 1200};
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

// Runs `args` (a whole command line) under each of `limits_mb`: each run
// succeeds or says, in one line, that memory ran out (exit 4) — never 3 (a
// bad input), 134 (abort), 139 (crash) or a hang. Returns how many limits
// succeeded (a ladder must also reach success).
int CheckCommandLadder(const std::vector<std::string>& args, const std::string& label,
                       const std::vector<int>& limits_mb) {
  ScratchDir logs;
  int succeeded = 0;
  for (int limit_mb : limits_mb) {
    const RunResult r = RunLimited(logs, limit_mb, args);
    SCOPED_TRACE(label + " under " + std::to_string(limit_mb) + " MB");
    EXPECT_NE(r.exit_code, 128 + 9) << "hung (killed after " << kHungAfterS << " s)";
    if (r.exit_code == 0) {
      ++succeeded;
      continue;
    }
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_EQ(r.ErrLines().size(), 1u) << r.err;
    // "out of memory while …", or a plan refused: "needs about N MB of memory".
    EXPECT_THAT(r.err, ::testing::AnyOf(HasSubstr("out of memory"), HasSubstr("MB of memory"))) << r.err;
  }
  return succeeded;
}

// `analyze EXTRA FILE` under each limit.
int CheckLadder(const std::string& file, const std::vector<std::string>& extra,
                const std::vector<int>& limits_mb = LimitsMb()) {
  std::vector<std::string> args = {"analyze"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(file);
  return CheckCommandLadder(args, fs::path(file).filename().string(), limits_mb);
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

// With --content: Tesseract's LSTM starts OpenMP threads of its own, and
// libgomp ended the process ("Thread creation failed", exit 1) when one could
// not start (400 MB). The photo carries a line of text, so that the reading
// runs.
TEST(MemoryLadderE2eTest, AnalyzeContentOfA12MpJpegWithTextIsOkOrOutOfMemoryAtEveryLimit) {
  SKIP_UNDER_ADDRESS_SANITIZER();
  ScratchDir dir;
  cv::Mat photo = Photo12Mp();
  cv::putText(photo, "Acuity reads this line", cv::Point(200, 2800), cv::FONT_HERSHEY_SIMPLEX, 4.0,
              cv::Scalar(255, 255, 255), 8, cv::LINE_AA);
  ASSERT_TRUE(cv::imwrite(dir.Path("photo.jpg"), photo, {cv::IMWRITE_JPEG_QUALITY, 90}));
  fs::create_directory(dir.Path("maps"));
  EXPECT_GT(CheckLadder(dir.Path("photo.jpg"), {"--content", "--maps", dir.Path("maps")},
                        {300, 350, 400, 450, 500, 600, 900}),
            0);
}

// An upscale of a 1 MP photo: LibTorch's static initialisers aborted
// (134) when its ~540 MB of address space did not fit (550 MB), and oneDNN
// crashed (139) where the plan's budget had been read before LibTorch was
// mapped or counted none of what running it reserves (950–1000 MB).
TEST(MemoryLadderE2eTest, AnUpscaleIsOkOrOutOfMemoryAtEveryLimit) {
  SKIP_UNDER_ADDRESS_SANITIZER();
  ScratchDir dir;
  cv::Mat photo;
  cv::resize(Photo12Mp(), photo, cv::Size(1224, 816), 0, 0, cv::INTER_AREA);
  ASSERT_TRUE(cv::imwrite(dir.Path("photo.png"), photo));
  EXPECT_GT(CheckCommandLadder({"enhance", "--steps", "upscale:4", "--model", "esrgan-slim", "-o",
                                dir.Path("out.png"), dir.Path("photo.png")},
                               "enhance", {300, 500, 550, 700, 900, 950, 1000, 1050, 1300}),
            0);
  EXPECT_TRUE(fs::exists(dir.Path("out.png")));  // the last limit's
}

// `qa` and `enhance` of a 12 MP PNG: an input that ran out of memory while
// being decoded was reported as "out of memory" with exit 3 ("an input could
// not be read") by both, where every other command said 4.
TEST(MemoryLadderE2eTest, QaAndEnhanceSayOutOfMemoryWithExit4) {
  SKIP_UNDER_ADDRESS_SANITIZER();
  ScratchDir dir;
  const cv::Mat photo = Photo12Mp();
  ASSERT_TRUE(cv::imwrite(dir.Path("photo.png"), photo));
  cv::Mat sharper;
  cv::GaussianBlur(photo, sharper, cv::Size(0, 0), 1.0);
  cv::addWeighted(photo, 1.5, sharper, -0.5, 0, sharper);
  ASSERT_TRUE(cv::imwrite(dir.Path("sharper.png"), sharper));
  EXPECT_GT(CheckCommandLadder({"qa", dir.Path("photo.png"), dir.Path("sharper.png")}, "qa",
                               {90, 110, 130, 200, 400, 900, 1500}),
            0);
  EXPECT_GT(CheckCommandLadder({"enhance", "--steps", "sharpen:0.5", "-o", dir.Path("out.png"), dir.Path("photo.png")},
                               "enhance", {80, 100, 120, 200, 400, 900, 1500}),
            0);
}

// A shell prefix that runs the command as a user id of its own (no other
// process has it: the limit on processes, ulimit -u, counts every process
// of a user, so two tests run side by side as `nobody` took each other's
// room) with at most `processes` processes and threads, killed if it hangs.
// Empty without root or setpriv.
std::string AsAUserOfItsOwn(int processes) {
  if (geteuid() != 0 || std::system("command -v setpriv >/dev/null") != 0) return "";
  const int id = 61000 + int(getpid() % 4000);
  return "timeout -s KILL " + std::to_string(kHungAfterS) + " setpriv --reuid=" + std::to_string(id) +
         " --regid=" + std::to_string(id) + " --clear-groups bash -c 'ulimit -u " + std::to_string(processes) +
         "; exec \"$0\" \"$@\"' ";
}

// Under a thread limit (ulimit -u, run as an unprivileged user: root is
// exempt): LibTorch's OpenMP team of `--threads 8` could not start, and
// libgomp ended the process ("Thread creation failed", then a crash: exit
// 139, 3 runs of 3 at -u 2–4). The module now asks only for the threads
// that can start. On a busy machine it still failed 7 runs in 10: tile
// workers probed at the same time and each took the room the other had
// seen, and a team that shrank and grew again within a network needed room
// for its ended threads until the kernel reaped them. Teams now start one
// at a time, each keeping room for its own churn (0 failures in 45 busy runs).
TEST(MemoryLadderE2eTest, AnUpscaleUnderAThreadLimitRuns) {
  SKIP_UNDER_ADDRESS_SANITIZER();
  if (AsAUserOfItsOwn(1).empty()) GTEST_SKIP() << "needs root and setpriv";
  ScratchDir dir, logs;
  fs::permissions(dir.path(), fs::perms::all);  // the other user reads the input and writes the output here
  cv::Mat photo;
  cv::resize(testing::LoadPhoto("astronaut"), photo, cv::Size(320, 213), 0, 0, cv::INTER_AREA);
  ASSERT_TRUE(cv::imwrite(dir.Path("photo.png"), photo));
  for (int threads_allowed : {2, 4}) {
    SCOPED_TRACE("ulimit -u " + std::to_string(threads_allowed));
    const std::string out = dir.Path("out" + std::to_string(threads_allowed) + ".png");
    const RunResult r = testing::RunProgram(
        ACUITY_BINARY, logs.path(),
        {"enhance", "--threads", "8", "--steps", "upscale:4", "--model", "esrgan-slim", "-o", out, dir.Path("photo.png")},
        AsAUserOfItsOwn(threads_allowed));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(out));
  }
}

// The text search runs in a child process (isolated_call.h): under a limit
// on processes it cannot start, and the line said "out of memory while
// analysing". It now says what could not start and why it may be, exit 4
// (the machine, never 3); with room for the child, the analysis runs.
TEST(MemoryLadderE2eTest, AnalyzeContentUnderAProcessLimitSaysWhatCouldNotStart) {
  SKIP_UNDER_ADDRESS_SANITIZER();
  if (AsAUserOfItsOwn(1).empty()) GTEST_SKIP() << "needs root and setpriv";
  ScratchDir dir, logs;
  fs::permissions(dir.path(), fs::perms::all);
  ASSERT_TRUE(cv::imwrite(dir.Path("photo.png"), testing::LoadPhoto("coffee")));
  auto run = [&](int processes) {
    return testing::RunProgram(ACUITY_BINARY, logs.path(), {"analyze", "--content", dir.Path("photo.png")},
                               AsAUserOfItsOwn(processes));
  };
  const RunResult limited = run(2);
  EXPECT_EQ(limited.exit_code, 4) << limited.err;
  EXPECT_EQ(limited.ErrLines().size(), 1u) << limited.err;
  EXPECT_THAT(limited.err, HasSubstr("could not start the text reader")) << limited.err;
  EXPECT_THAT(limited.err, HasSubstr("ulimit -u")) << limited.err;
  const RunResult roomy = run(64);
  EXPECT_EQ(roomy.exit_code, 0) << roomy.err;
}

// Every other decoder, without maps, on a 4 MP photo (a shorter ladder,
// 150–600 MB, where its decoding fails at different points): the decoders'
// own allocations fail at other points than the JPEG's.
TEST(MemoryLadderE2eTest, EveryDecoderIsOkOrOutOfMemoryAtEveryLimit) {
  SKIP_UNDER_ADDRESS_SANITIZER();
  ScratchDir dir;
  cv::Mat photo;
  cv::resize(Photo12Mp(), photo, cv::Size(2400, 1800), 0, 0, cv::INTER_AREA);
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
    EXPECT_GT(CheckLadder(dir.Path(name), {}, {150, 200, 250, 300, 350, 450, 600}), 0) << name;
  // AVIF (libheif's AV1 path, dav1d) and a camera RAW (LibRaw, in its own
  // child process): the decoders the ladder had left out, on a shorter
  // ladder where each fails at its own point.
  RunResult avif = testing::RunProgram("heif-enc", logs.path(), {"-A", "-q", "60", "-p", "speed=8", "-o", dir.Path("photo.avif"), dir.Path("photo.png")});
  ASSERT_EQ(avif.exit_code, 0) << avif.err;
  cv::Mat linear;
  cv::cvtColor(photo, linear, cv::COLOR_BGR2RGB);
  linear.convertTo(linear, CV_32F, 1.0 / 255);
  cv::pow(linear, 2.2, linear);  // the scene in linear light, as a sensor records it
  linear.convertTo(linear, CV_16U, 65535.0);
  ASSERT_FALSE(testing::WriteCameraDng(dir.Path("photo.dng"), linear).empty());
  for (const char* name : {"photo.avif", "photo.dng"})
    EXPECT_GT(CheckLadder(dir.Path(name), {}, {150, 250, 350, 600}), 0) << name;
}

// Four photos, 12 MP down to 0.3 MP, as the batch.
void WriteFourPhotos(const ScratchDir& dir) {
  const cv::Mat big = Photo12Mp();
  const std::vector<cv::Size> sizes = {{4000, 3000}, {2000, 1500}, {1024, 768}, {640, 480}};
  for (size_t i = 0; i < sizes.size(); ++i) {
    cv::Mat photo;
    cv::resize(big, photo, sizes[i], 0, 0, cv::INTER_AREA);
    ASSERT_TRUE(cv::imwrite(dir.Path("in/photo" + std::to_string(i) + ".jpg"), photo, {cv::IMWRITE_JPEG_QUALITY, 90}));
  }
}

// The records of a batch's results file, one per line.
std::vector<std::string> Records(const std::string& results) {
  std::vector<std::string> lines;
  std::ifstream in(results);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// `batch --jobs 2` over four photos aborted (134) under 400–900 MB with 0
// records: at every limit it now ends with one record per input — ok, or
// an error marked retryable — and `--retry-failed` with enough memory
// finishes them.
TEST(MemoryLadderE2eTest, ABatchKeepsOneRecordPerInputAtEveryLimit) {
  SKIP_UNDER_ADDRESS_SANITIZER();
  ScratchDir dir, logs;
  fs::create_directory(dir.Path("in"));
  WriteFourPhotos(dir);
  for (int limit_mb : {250, 400, 900}) {
    SCOPED_TRACE("batch under " + std::to_string(limit_mb) + " MB");
    const std::string out = dir.Path("out" + std::to_string(limit_mb));
    const RunResult r = RunLimited(logs, limit_mb, {"batch", "--out", out, "--do", "analyze", "--jobs", "2", dir.Path("in")});
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 4) << r.exit_code << "\n" << r.err;
    const std::vector<std::string> records = Records(out + "/results.jsonl");
    EXPECT_EQ(records.size(), 4u) << r.err;
    for (const std::string& record : records) {
      const bool ok = record.find("\"status\":\"ok\"") != std::string::npos;
      EXPECT_TRUE(ok || record.find("\"retryable\":true") != std::string::npos) << record;
    }
    const RunResult retry = testing::RunProgram(ACUITY_BINARY, logs.path(),
                                                {"batch", "--out", out, "--do", "analyze", "--retry-failed", dir.Path("in")});
    EXPECT_EQ(retry.exit_code, 0) << retry.err;
    const RunResult summary = testing::RunProgram(ACUITY_BINARY, logs.path(), {"batch", "--summary", out});
    EXPECT_THAT(summary.out, HasSubstr("4 ok")) << summary.out;
  }
}

// Under a cgroup memory limit (what Slurm's --mem and Kubernetes' limits
// set; as root, v2 or v1's memory controller), the batch plans with that
// limit, not with the machine's free memory, and keeps every record.
TEST(MemoryLadderE2eTest, ABatchUnderACgroupLimitPlansWithIt) {
  const testing::LimitedCgroup group("ladder-700", 700);
  if (!group.ok()) GTEST_SKIP() << "needs root and a cgroup memory controller";
  ScratchDir dir, logs;
  fs::create_directory(dir.Path("in"));
  WriteFourPhotos(dir);
  const RunResult r = testing::RunProgram(
      ACUITY_BINARY, logs.path(), {"batch", "--out", dir.Path("out"), "--do", "analyze", "--jobs", "2", dir.Path("in")},
      group.Enter());
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 4) << r.exit_code << "\n" << r.err;
  EXPECT_THAT(r.err, HasSubstr("(the cgroup's memory limit)"));
  EXPECT_EQ(Records(dir.Path("out") + "/results.jsonl").size(), 4u) << r.err;
  // The summary says what the work was planned with.
  const RunResult summary = testing::RunProgram(ACUITY_BINARY, logs.path(), {"batch", "--summary", dir.Path("out")});
  EXPECT_THAT(summary.out, HasSubstr("(the cgroup's memory limit) for 4 inputs")) << summary.out;
}

// A single command under a cgroup limit: over the limit the kernel kills a
// process without a word (exit 137). analyze --maps and qa of a 12 MP photo
// were killed under 100–300 MB; they now say in one line that the work
// needs more than the cgroup leaves (exit 4), and run where it fits.
TEST(MemoryLadderE2eTest, ACommandUnderACgroupLimitSaysItDoesNotFit) {
  ScratchDir dir, logs;
  const std::string photo = dir.Path("photo.png");
  ASSERT_TRUE(cv::imwrite(photo, Photo12Mp()));
  const std::vector<std::vector<std::string>> commands = {
      {"analyze", "--maps", dir.Path("maps"), photo}, {"advise", photo}, {"qa", photo, photo}};
  for (int limit_mb : {200, 1600}) {
    const testing::LimitedCgroup group("ladder-" + std::to_string(limit_mb), limit_mb);
    if (!group.ok()) GTEST_SKIP() << "needs root and a cgroup memory controller";
    for (const std::vector<std::string>& args : commands) {
      SCOPED_TRACE(args[0] + " under a " + std::to_string(limit_mb) + " MB cgroup");
      const RunResult r = testing::RunProgram(ACUITY_BINARY, logs.path(), args, group.Enter());
      if (limit_mb >= 1600) {
        EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.exit_code << "\n" << r.err;  // qa may warn/fail
        continue;
      }
      EXPECT_EQ(r.exit_code, 4) << r.err;
      EXPECT_EQ(r.ErrLines().size(), 1u) << r.err;
      EXPECT_THAT(r.err, HasSubstr("the cgroup's memory limit leaves")) << r.err;
      EXPECT_THAT(r.err, HasSubstr("photo.png")) << r.err;
    }
  }
}

}  // namespace
}  // namespace acuity
