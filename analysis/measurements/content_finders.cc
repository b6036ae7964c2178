#include "analysis/measurements/content_finders.h"

#include "absl/status/status.h"
#include "analysis/io/lazy_module.h"


namespace acuity {
namespace {

constexpr ModuleLocation kFacesModule = {"libacuity_faces.so", kFaceFinderEntryPoint, "ACUITY_FACES_MODULE"};
constexpr ModuleLocation kTextModule = {"libacuity_text.so", kTextFinderEntryPoint, "ACUITY_TEXT_MODULE"};

template <typename Finder>
absl::StatusOr<const Finder*> Load(const ModuleLocation& location) {
  absl::StatusOr<void*> entry = LoadModuleEntry(location);
  if (!entry.ok()) return entry.status();
  const Finder* finder = reinterpret_cast<const Finder* (*)()>(*entry)();
  if (finder == nullptr) return absl::FailedPreconditionError(std::string(location.file) + " returned no finder");
  return finder;
}

}  // namespace

// Each module is loaded once per process (a dlopen'ed library is
// process-wide by nature).
absl::StatusOr<const FaceFinder*> LoadFaceFinder() {
  static const absl::StatusOr<const FaceFinder*> finder = Load<FaceFinder>(kFacesModule);
  return finder;
}

absl::StatusOr<const TextFinder*> LoadTextFinder() {
  static const absl::StatusOr<const TextFinder*> finder = Load<TextFinder>(kTextModule);
  return finder;
}

}  // namespace acuity
