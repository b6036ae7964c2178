#include "enhance/model_cache.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "enhance/model_archive.h"

namespace acuity {
namespace {

absl::StatusOr<std::unique_ptr<SrModel>> VerifyAndLoad(const ModelSpec& spec, SrPrecision precision,
                                                       SrDevice device) {
  if (absl::Status whole = VerifyModelArchive(spec.pt_path); !whole.ok()) return whole;
  return SrModel::Load(spec, precision, device);
}

}  // namespace

ModelCache::ModelCache(int capacity, Loader loader)
    : capacity_(std::max(1, capacity)), loader_(loader ? std::move(loader) : Loader(VerifyAndLoad)) {}

ModelCache& ModelCache::Shared() {
  // Never destroyed: LibTorch's own statics may be gone at exit, and a
  // model must not be freed after them.
  static ModelCache* const cache = new ModelCache(4);
  return *cache;
}

std::string ModelCache::KeyOf(const ModelSpec& spec, SrPrecision precision, SrDevice device) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(spec.pt_path, ec);
  const auto when = std::filesystem::last_write_time(spec.pt_path, ec);
  return absl::StrCat(spec.pt_path, "|", ec ? 0 : size, "|", ec ? 0 : when.time_since_epoch().count(), "|",
                      spec.scale, "|", spec.input_range, "|", spec.output_range, "|", PrecisionName(precision), "|",
                      device.Name());
}

absl::StatusOr<std::shared_ptr<SrModel>> ModelCache::Get(const ModelSpec& given, SrPrecision precision,
                                                         SrDevice device) {
  const ModelSpec spec = ModelOnDevice(given, device.is_cuda());  // the file checked, keyed and loaded
  const std::string key = KeyOf(spec, precision, device);
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->key != key) continue;
    entries_.splice(entries_.begin(), entries_, it);  // most recent first
    return entries_.front().model;
  }
  ++loads_;
  absl::StatusOr<std::unique_ptr<SrModel>> loaded = loader_(spec, precision, device);
  if (!loaded.ok()) return loaded.status();
  std::shared_ptr<SrModel> model = std::move(*loaded);
  entries_.push_front(Entry{key, device.Name(), model});
  // The least recently asked for on this device goes (its callers keep theirs).
  const std::string& on = entries_.front().device;
  if (std::count_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.device == on; }) > capacity_) {
    for (auto it = entries_.end(); it != entries_.begin();) {
      if ((--it)->device == on) {
        entries_.erase(it);
        break;
      }
    }
  }
  return model;
}

int ModelCache::loads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return loads_;
}

}  // namespace acuity
