// Library boundaries: what a call throws becomes a Status, so that no
// exception crosses a library boundary and a machine that runs out of memory
// or disk gets a clear one-line answer instead of an abort.
//
//   absl::StatusOr<AnalysisReport> r =
//       acuity::CatchToStatus("analysing", [&] { return Analyze(image, options); });
//   if (acuity::IsMachineResourceError(r.status())) ...  // "out of memory while analysing"
//
// CatchToStatus(doing, f) runs f() and returns what it returns (a Status or
// StatusOr as is, any other value R as StatusOr<R>, void as Status). When f
// throws:
//   std::bad_alloc, cv::Exception with code StsNoMem (or "Failed to allocate"),
//   std::system_error ENOMEM             → OutOfMemoryError(doing)
//   std::system_error EAGAIN (a thread that could not start), oneTBB's
//   "pthread_create has failed"       → ThreadStartError(doing)
//   MachineResourceException          → its status
//   any other exception               → Internal "<doing> failed: <reason>"
// LibTorch's errors are told apart inside the enhance library (sr_model.cc),
// which alone includes LibTorch; they reach here as OutOfMemoryError statuses.
#ifndef ACUITY_ANALYSIS_IO_GUARD_H_
#define ACUITY_ANALYSIS_IO_GUARD_H_

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace acuity {

// ResourceExhausted "out of memory while <doing>", marked as the machine's
// fault (IsMachineResourceError). `needs_mb`, when known (a peak-memory
// estimate), is appended: "…, needs about 950 MB".
absl::Status OutOfMemoryError(absl::string_view doing, std::optional<double> needs_mb = std::nullopt);

// ResourceExhausted "could not start a thread while <doing> (out of memory
// for its stack, or at the limit on processes: ulimit -u)", marked the same
// way: pthread_create's EAGAIN does not say which.
absl::Status ThreadStartError(absl::string_view doing);

// ResourceExhausted "could not start <what> (out of memory, or at the limit
// on processes: ulimit -u)", marked the same way: fork's EAGAIN (an
// isolated decoder or text search, isolated_call.h) does not say which.
absl::Status ProcessStartError(absl::string_view what);

// Carries a machine-resource status (IsMachineResourceError) out of code
// that reports by throwing (Analyze's measurements), so that its own words
// — "could not start the text search …" — reach the command line instead of
// a bare "out of memory". CurrentExceptionToStatus returns it as it is.
class MachineResourceException : public std::exception {
 public:
  explicit MachineResourceException(absl::Status status) : status_(std::move(status)) {}
  const absl::Status& status() const { return status_; }
  const char* what() const noexcept override { return "the machine ran out of a resource"; }

 private:
  absl::Status status_;
};

// ResourceExhausted "disk full while writing <path>", marked the same way.
absl::Status DiskFullError(absl::string_view path);

// True for the statuses above: the machine, not the input, ran out of memory
// or disk. (ResourceExhausted alone can also mean an input over a limit, e.g.
// LoadImage's --max-megapixels guard; callers branch on this instead.)
bool IsMachineResourceError(const absl::Status& status);

// `status` with its message replaced by `message`: the same code, and its
// payloads kept (the machine-resource mark above among them). Rewording a
// status by building a new one from code and text drops them.
absl::Status Reworded(const absl::Status& status, absl::string_view message);

// The status for the exception being handled; call only inside a catch
// block. See the table above.
absl::Status CurrentExceptionToStatus(absl::string_view doing);

namespace guard_internal {
template <typename T>
struct IsStatusOr : std::false_type {};
template <typename T>
struct IsStatusOr<absl::StatusOr<T>> : std::true_type {};

// What CatchToStatus returns for a callable returning R.
template <typename R>
using Guarded = std::conditional_t<
    std::is_void_v<R> || std::is_same_v<R, absl::Status>, absl::Status,
    std::conditional_t<IsStatusOr<R>::value, R, absl::StatusOr<R>>>;
}  // namespace guard_internal

template <typename F>
guard_internal::Guarded<std::invoke_result_t<F>> CatchToStatus(absl::string_view doing, F&& f) {
  try {
    if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
      std::forward<F>(f)();
      return absl::OkStatus();
    } else {
      return std::forward<F>(f)();
    }
  } catch (...) {
    return CurrentExceptionToStatus(doing);
  }
}

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_GUARD_H_
