#include "batch/inputs.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/test_images.h"

namespace acuity::batch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ScratchDir;

std::vector<std::string> Relatives(const BatchInputs& inputs) {
  std::vector<std::string> out;
  for (const BatchInput& f : inputs.files) out.push_back(f.relative);
  return out;
}

void Touch(const ScratchDir& dir, const std::string& name, const std::string& bytes = "x") {
  std::filesystem::create_directories(std::filesystem::path(dir.Path(name)).parent_path());
  testing::WriteBytes(dir.Path(name), bytes);
}

TEST(ListBatchInputsTest, FoldersAreSearchedRecursivelyForImageExtensionsAndSorted) {
  ScratchDir dir;
  for (const char* name : {"photos/b.JPG", "photos/a/z.png", "photos/a/y.tiff", "photos/notes.txt",
                           "photos/c.webp", "photos/deep/er/x.jpeg", "photos/d.tif", "photos/e.gif"})
    Touch(dir, name, "12345");
  absl::StatusOr<BatchInputs> in = ListBatchInputs({dir.Path("photos")});
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_THAT(Relatives(*in), ElementsAre("a/y.tiff", "a/z.png", "b.JPG", "c.webp", "d.tif", "deep/er/x.jpeg"));
  EXPECT_TRUE(in->problems.empty());
  EXPECT_EQ(in->files[0].path, dir.Path("photos/a/y.tiff"));
  EXPECT_EQ(in->files[0].size_bytes, 5);
  EXPECT_GT(in->files[0].mtime_ns, 0);
}

TEST(ListBatchInputsTest, FilesListsAndMissingInputs) {
  ScratchDir dir;
  Touch(dir, "one.jpg");
  Touch(dir, "sub/two.png");
  Touch(dir, "sub/three.txt");  // named in the list: taken, the load will say what it is
  Touch(dir, "folder/four.jpg");
  testing::WriteBytes(dir.Path("list.txt"), "# a comment\n" + dir.Path("sub/two.png") + "\n\n  " +
                                                dir.Path("sub/three.txt") + "  \n" + dir.Path("folder") + "\n");
  const std::string too_long = dir.Path(std::string(300, 'a') + ".jpg");
  absl::StatusOr<BatchInputs> in =
      ListBatchInputs({dir.Path("one.jpg"), "@" + dir.Path("list.txt"), dir.Path("missing.jpg"), too_long});
  ASSERT_TRUE(in.ok()) << in.status();
  const std::string list_root = std::filesystem::path(dir.path()).relative_path().generic_string();
  EXPECT_THAT(Relatives(*in), ElementsAre("four.jpg", "one.jpg", list_root + "/sub/three.txt",
                                          list_root + "/sub/two.png"));
  ASSERT_EQ(in->problems.size(), 2u);
  EXPECT_THAT(in->problems[0], HasSubstr("missing.jpg: no such file"));
  // a name too long for the file system: the OS's reason, not "no such file"
  EXPECT_THAT(in->problems[1], HasSubstr(std::strerror(ENAMETOOLONG)));
}

TEST(ListBatchInputsTest, TheSameFileTwiceIsListedOnceButTwoFilesWithOneRelativePathAreRefused) {
  ScratchDir dir;
  Touch(dir, "a/x.jpg");
  Touch(dir, "b/x.jpg");
  absl::StatusOr<BatchInputs> same = ListBatchInputs({dir.Path("a"), dir.Path("a/x.jpg")});
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_THAT(Relatives(*same), ElementsAre("x.jpg"));
  absl::StatusOr<BatchInputs> clash = ListBatchInputs({dir.Path("a"), dir.Path("b")});
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(clash.status().message(), HasSubstr("same relative path x.jpg"));
}

TEST(ListBatchInputsTest, AFolderWithoutImagesIsAProblem) {
  ScratchDir dir;
  Touch(dir, "docs/notes.txt");
  Touch(dir, "photos/a.jpg");
  absl::StatusOr<BatchInputs> in = ListBatchInputs({dir.Path("docs"), dir.Path("photos")});
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_THAT(Relatives(*in), ElementsAre("a.jpg"));
  ASSERT_EQ(in->problems.size(), 1u);
  EXPECT_THAT(in->problems[0], HasSubstr(dir.Path("docs") + ": no image files in this folder"));
}

TEST(ExpandFoldersTest, FoldersBecomeTheirImagesInBatchOrderFilesStayAsGiven) {
  ScratchDir dir;
  for (const char* name : {"photos/b.jpg", "photos/a/z.png", "photos/notes.txt", "empty/readme.md", "c.jpg"})
    Touch(dir, name);
  const std::vector<ExpandedInput> out =
      ExpandFolders({dir.Path("c.jpg"), dir.Path("photos"), dir.Path("missing.jpg"), dir.Path("empty")});
  std::vector<std::string> paths;
  for (const ExpandedInput& e : out) paths.push_back(e.path);
  EXPECT_THAT(paths, ElementsAre(dir.Path("c.jpg"), dir.Path("photos/a/z.png"), dir.Path("photos/b.jpg"),
                                 dir.Path("missing.jpg"), dir.Path("empty")));
  for (size_t i = 0; i + 1 < out.size(); ++i) EXPECT_TRUE(out[i].listing.ok()) << out[i].path;  // loading tells
  EXPECT_TRUE(absl::IsNotFound(out.back().listing));
  EXPECT_THAT(out.back().listing.message(), HasSubstr("no image files"));
  // The same walk as batch's: the same files, in the same order.
  absl::StatusOr<BatchInputs> listed = ListBatchInputs({dir.Path("photos")});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->files.size(), 2u);
  EXPECT_EQ(listed->files[0].path, out[1].path);
  EXPECT_EQ(listed->files[1].path, out[2].path);
}

TEST(ShardTest, ParsesIOfN) {
  absl::StatusOr<Shard> s = ParseShard("3/8");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 3);
  EXPECT_EQ(s->count, 8);
  for (const char* bad : {"8/8", "-1/4", "1", "1/0", "a/4", "1/4x", "/4", "1/"})
    EXPECT_FALSE(ParseShard(bad).ok()) << bad;
}

TEST(ShardTest, HashIsFnv1a64) {
  // Published FNV-1a 64 test vectors: the shards are the same on every machine.
  EXPECT_EQ(StablePathHash(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(StablePathHash("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(StablePathHash("foobar"), 0x85944171f73967e8ull);
}

TEST(ShardTest, ShardsAreDisjointAndCompleteAndBalanced) {
  std::vector<std::string> paths;
  for (int i = 0; i < 2000; ++i) paths.push_back("folder" + std::to_string(i % 7) + "/IMG_" + std::to_string(i) + ".jpg");
  for (int n : {1, 2, 3, 4, 7}) {
    std::vector<int> counts(n, 0);
    for (const std::string& p : paths) {
      int in = 0;
      for (int i = 0; i < n; ++i) {
        if (InShard(p, {i, n})) {
          ++in;
          ++counts[i];
        }
      }
      EXPECT_EQ(in, 1) << p << " in " << in << " of " << n << " shards";
    }
    for (int c : counts) EXPECT_GT(c, 2000 / n * 8 / 10) << "shards of " << n;  // within 20 % of even
  }
}

}  // namespace
}  // namespace acuity::batch
