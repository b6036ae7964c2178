#include "batch/results.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "analysis/json/batch_record_json.h"

namespace acuity::batch {
namespace {

// Cuts a last line that has no newline (a torn record). The fd is O_RDWR.
absl::Status CutTornTail(int fd, const std::string& path) {
  const off_t size = ::lseek(fd, 0, SEEK_END);
  if (size <= 0) return absl::OkStatus();
  constexpr off_t kChunk = 65536;
  std::string buffer;
  for (off_t end = size; end > 0;) {
    const off_t begin = std::max<off_t>(0, end - kChunk);
    buffer.resize(size_t(end - begin));
    if (::pread(fd, buffer.data(), buffer.size(), begin) != ssize_t(buffer.size()))
      return absl::DataLossError(absl::StrCat(path, ": cannot read: ", std::strerror(errno)));
    if (end == size && buffer.back() == '\n') return absl::OkStatus();
    const size_t newline = buffer.rfind('\n');
    if (newline != std::string::npos) {
      if (::ftruncate(fd, begin + off_t(newline) + 1) != 0)
        return absl::PermissionDeniedError(absl::StrCat(path, ": cannot cut a torn line: ", std::strerror(errno)));
      return absl::OkStatus();
    }
    end = begin;
  }
  if (::ftruncate(fd, 0) != 0)  // one torn line and nothing else
    return absl::PermissionDeniedError(absl::StrCat(path, ": cannot cut a torn line: ", std::strerror(errno)));
  return absl::OkStatus();
}

}  // namespace

std::string ResultsFileName(const std::optional<Shard>& shard) {
  if (!shard) return "results.jsonl";
  return absl::StrCat("results.shard-", shard->index, "-of-", shard->count, ".jsonl");
}

absl::StatusOr<std::unique_ptr<ResultsWriter>> ResultsWriter::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return absl::PermissionDeniedError(absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  // One writer per results file: two runs on one --out (shard) wrote every
  // record twice. The lock lives as long as the descriptor (the run), and
  // the kernel drops it when the process ends, however it ends.
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK)
      return absl::UnavailableError(
          absl::StrCat(path, ": another acuity batch is writing it: wait for it to end, or give another --out"));
    return absl::PermissionDeniedError(absl::StrCat(path, ": cannot lock: ", std::strerror(err)));
  }
  if (absl::Status s = CutTornTail(fd, path); !s.ok()) {
    ::close(fd);
    return s;
  }
  return std::unique_ptr<ResultsWriter>(new ResultsWriter(fd, path));
}

ResultsWriter::~ResultsWriter() { ::close(fd_); }

absl::Status ResultsWriter::Append(const nlohmann::json& record) {
  // Invalid UTF-8 in a message is replaced rather than thrown about.
  const std::string line = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return absl::ResourceExhaustedError(absl::StrCat(path_, ": cannot append a result: ", std::strerror(errno)));
    written += size_t(n);
  }
  if (::fsync(fd_) != 0) return absl::DataLossError(absl::StrCat(path_, ": cannot flush a result: ", std::strerror(errno)));
  return absl::OkStatus();
}

void ReadResultsFile(const std::string& path, ResultsContents& contents) {
  std::ifstream in(path);
  if (!in) return;
  contents.files.push_back(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object()) {
      ++contents.torn_lines;
      continue;
    }
    contents.records.push_back(std::move(record));
  }
}

ResultsContents ReadResultsDir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("results", 0) == 0 && it->path().extension() == ".jsonl") files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  ResultsContents contents;
  for (const std::string& file : files) ReadResultsFile(file, contents);
  return contents;
}

ResumeIndex::ResumeIndex(const std::vector<nlohmann::json>& records, bool retry_failed) {
  for (const nlohmann::json& r : records) {
    absl::StatusOr<BatchRecordHeader> h = BatchRecordHeaderFromJson(r);
    if (!h.ok()) continue;
    const bool retryable = h->status == "error" && h->retryable;
    done_[h->input.path] = {h->input.size_bytes.value_or(-1), h->input.mtime_ns.value_or(-1),
                            retry_failed && retryable};
  }
}

bool ResumeIndex::Done(const BatchInput& input) const {
  auto it = done_.find(input.relative);
  return it != done_.end() && !it->second.retry && it->second.size_bytes == input.size_bytes &&
         it->second.mtime_ns == input.mtime_ns;
}

}  // namespace acuity::batch
