#include "analysis/io/guard.h"

#include <cerrno>
#include <cstring>
#include <new>
#include <string>
#include <system_error>

#include <opencv2/core.hpp>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace acuity {
namespace {

// The payload that marks a status as the machine's fault (memory or disk).
constexpr char kMachineResourcePayload[] = "type.acuity/machine-resource";

absl::Status Marked(absl::Status status, absl::string_view which) {
  status.SetPayload(kMachineResourcePayload, absl::Cord(which));
  return status;
}

// The first line of an exception's text, for a one-line message.
std::string FirstLine(absl::string_view text) {
  const size_t end = text.find('\n');
  return std::string(text.substr(0, end));
}

bool IsOpenCvOutOfMemory(const cv::Exception& e) {
  return e.code == cv::Error::StsNoMem || absl::StrContains(e.msg, "Failed to allocate");
}

// oneTBB (OpenCV's thread pool) reports a worker thread that could not get
// its stack — an address-space limit — as a plain std::runtime_error,
// "pthread_create has failed: " + strerror(EAGAIN or ENOMEM); it has no
// error code to branch on. (A worker that fails to start another worker
// inside oneTBB ends the process; that cannot be caught here.)
bool IsTbbThreadStartFailure(const std::exception& e) {
  const absl::string_view what = e.what();
  return absl::StartsWith(what, "pthread_create has failed") &&
         (absl::StrContains(what, std::strerror(EAGAIN)) || absl::StrContains(what, std::strerror(ENOMEM)));
}

// "out of memory", built while memory was there: what OutOfMemoryError
// returns when building its own message fails (a copy of a Status only adds
// a reference, it allocates nothing).
const absl::Status& PrebuiltOutOfMemory() {
  static const absl::Status* const status =
      new absl::Status(Marked(absl::ResourceExhaustedError("out of memory"), "memory"));
  return *status;
}
// Built when the library is loaded, not when memory has already run out.
[[maybe_unused]] const bool kOutOfMemoryPrebuilt = (PrebuiltOutOfMemory(), true);

}  // namespace

absl::Status OutOfMemoryError(absl::string_view doing, std::optional<double> needs_mb) {
  try {
    std::string message = absl::StrCat("out of memory while ", doing);
    if (needs_mb) absl::StrAppend(&message, absl::StrFormat(", needs about %.0f MB", *needs_mb));
    return Marked(absl::ResourceExhaustedError(message), "memory");
  } catch (const std::bad_alloc&) {
    return PrebuiltOutOfMemory();
  }
}

absl::Status ThreadStartError(absl::string_view doing) {
  try {
    return Marked(absl::ResourceExhaustedError(absl::StrCat(
                      "could not start a thread while ", doing,
                      " (out of memory for its stack, or at the limit on processes: ulimit -u)")),
                  "memory");
  } catch (const std::bad_alloc&) {
    return PrebuiltOutOfMemory();
  }
}

absl::Status ProcessStartError(absl::string_view what) {
  try {
    return Marked(absl::ResourceExhaustedError(absl::StrCat(
                      "could not start ", what, " (out of memory, or at the limit on processes: ulimit -u)")),
                  "memory");
  } catch (const std::bad_alloc&) {
    return PrebuiltOutOfMemory();
  }
}

absl::Status DiskFullError(absl::string_view path) {
  return Marked(absl::ResourceExhaustedError(absl::StrCat("disk full while writing ", path)), "disk");
}

absl::Status Reworded(const absl::Status& status, absl::string_view message) {
  absl::Status reworded(status.code(), message);
  status.ForEachPayload(
      [&](absl::string_view type, const absl::Cord& payload) { reworded.SetPayload(type, payload); });
  return reworded;
}

bool IsMachineResourceError(const absl::Status& status) {
  return absl::IsResourceExhausted(status) && status.GetPayload(kMachineResourcePayload).has_value();
}

absl::Status CurrentExceptionToStatus(absl::string_view doing) {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return OutOfMemoryError(doing);
  } catch (const MachineResourceException& e) {
    return e.status();
  } catch (const cv::Exception& e) {
    if (IsOpenCvOutOfMemory(e)) return OutOfMemoryError(doing);
    return absl::InternalError(absl::StrCat(doing, " failed in OpenCV: ", FirstLine(e.err)));
  } catch (const std::system_error& e) {
    if (e.code() == std::errc::not_enough_memory) return OutOfMemoryError(doing);
    // A thread that cannot start (no memory for its stack, or ulimit -u).
    if (e.code() == std::errc::resource_unavailable_try_again) return ThreadStartError(doing);
    return absl::InternalError(absl::StrCat(doing, " failed: ", FirstLine(e.what())));
  } catch (const std::exception& e) {
    if (IsTbbThreadStartFailure(e)) return ThreadStartError(doing);
    return absl::InternalError(absl::StrCat(doing, " failed: ", FirstLine(e.what())));
  } catch (...) {
    return absl::InternalError(absl::StrCat(doing, " failed: an unknown exception"));
  }
}

}  // namespace acuity
