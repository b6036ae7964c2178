// Super-resolution models loaded once per process: every Upscale call of a
// batch, of the viewer or of the Python module that asks for the same model
// file, precision and device gets the model already loaded, instead of
// checking the archive, loading the weights and probing the network again
// (seconds for Real-ESRGAN x4plus, longer than the upscale of a small image;
// on a GPU a load also copies the weights to the device).
//
//   absl::StatusOr<std::shared_ptr<acuity::SrModel>> model =
//       acuity::ModelCache::Shared().Get(*spec, acuity::SrPrecision::kFp32, acuity::SrDevice::Cpu());
//
// A model is held while any caller holds it and, after that, while it is
// among the `capacity` most recently asked for on its device (a batch that
// spreads its files over several GPUs keeps a model on each). A file replaced on disk (its
// size or modification time changed) is loaded again. Failures are not
// kept: a load that ran out of memory may succeed later. SrModel::Run may
// be called from several threads at once, so one loaded model serves them
// all (on a CUDA device their calls take turns in it: sr_model.h).
#ifndef ACUITY_ENHANCE_MODEL_CACHE_H_
#define ACUITY_ENHANCE_MODEL_CACHE_H_

#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "enhance/model_registry.h"
#include "enhance/sr_backend.h"
#include "enhance/sr_model.h"

namespace acuity {

class ModelCache {
 public:
  // How a model is loaded on a miss: by default VerifyModelArchive (every
  // entry's CRC-32), then SrModel::Load. Tests count or fake loads here.
  using Loader = std::function<absl::StatusOr<std::unique_ptr<SrModel>>(const ModelSpec&, SrPrecision, SrDevice)>;

  explicit ModelCache(int capacity, Loader loader = {});
  ModelCache(const ModelCache&) = delete;
  ModelCache& operator=(const ModelCache&) = delete;

  // The process's cache (4 models: the passes of one plan, ×2 and ×4 of a
  // family, and one more).
  static ModelCache& Shared();

  absl::StatusOr<std::shared_ptr<SrModel>> Get(const ModelSpec& spec, SrPrecision precision, SrDevice device);

  int loads() const;  // misses so far (loads tried)

 private:
  struct Entry {
    std::string key;
    std::string device;  // SrDevice::Name(): the capacity is per device
    std::shared_ptr<SrModel> model;
  };
  // What identifies a load: the file (path, size, modification time), what
  // the spec says of it, the precision and the device.
  static std::string KeyOf(const ModelSpec& spec, SrPrecision precision, SrDevice device);

  const int capacity_;
  const Loader loader_;
  mutable std::mutex mu_;  // held during a load: two jobs asking at once load once
  std::list<Entry> entries_;  // most recently asked first
  int loads_ = 0;
};

}  // namespace acuity

#endif  // ACUITY_ENHANCE_MODEL_CACHE_H_
