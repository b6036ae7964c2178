#include "analysis/io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "analysis/io/guard.h"

namespace acuity {
namespace {

bool IsDiskFull(int err) { return err == ENOSPC || err == EDQUOT; }

// The status for a failed `what` (e.g. "write") of `path` with errno `err`.
absl::Status WriteError(const std::string& path, const char* what, int err) {
  if (IsDiskFull(err)) return DiskFullError(path);
  return absl::DataLossError(absl::StrCat(what, " of ", path, " failed: ", std::strerror(err)));
}

// Writes all of `bytes` to `fd`; 0 or the errno of the failure.
int WriteAll(int fd, std::string_view bytes) {
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    written += size_t(n);
  }
  return 0;
}

}  // namespace

absl::Status WriteFileAtomically(const std::string& path, std::string_view bytes,
                                 const std::function<bool()>& cancelled) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = mkstemp(tmpl.data());
  if (fd < 0) {
    if (IsDiskFull(errno)) return DiskFullError(path);
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create a file in ", dir.string(), ": ", std::strerror(errno)));
  }
  auto fail = [&](absl::Status status) {
    std::remove(tmpl.c_str());
    return status;
  };
  if (const int err = WriteAll(fd, bytes); err != 0) {
    ::close(fd);
    return fail(WriteError(path, "write", err));
  }
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    return fail(WriteError(path, "flush", err));
  }
  if (::close(fd) != 0) return fail(WriteError(path, "close", errno));
  if (cancelled && cancelled()) return fail(absl::CancelledError(absl::StrCat("writing ", path, " cancelled")));
  if (std::rename(tmpl.c_str(), path.c_str()) != 0) {
    const int err = errno;
    if (IsDiskFull(err)) return fail(DiskFullError(path));
    return fail(absl::PermissionDeniedError(absl::StrCat("cannot write ", path, ": ", std::strerror(err))));
  }
  return absl::OkStatus();
}

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

absl::Status MakeOutputDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (std::filesystem::is_directory(dir)) return absl::OkStatus();
  const std::string reason = ec ? ec.message() : "not a directory";
  return absl::PermissionDeniedError(absl::StrCat("cannot create the directory ", dir, ": ", reason));
}

}  // namespace acuity
