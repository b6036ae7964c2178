#include "enhance/cuda_prestart.h"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <future>
#include <mutex>

namespace acuity {
namespace {

// The driver API's entry points used here (cuda.h's types: CUresult is an
// int, 0 = CUDA_SUCCESS; CUdevice an int; CUcontext a pointer).
using CuInit = int (*)(unsigned int flags);
using CuDeviceGet = int (*)(int* device, int ordinal);
using CuDevicePrimaryCtxRetain = int (*)(void** context, int device);
using CuDevicePrimaryCtxRelease = int (*)(int device);

// What the thread made: the device whose primary context it holds, and how
// to let go of it.
struct Started {
  int device = -1;  // -1: no context held
  CuDevicePrimaryCtxRelease release = nullptr;
};

Started StartDriver(int ordinal) {
  Started started;
  // RTLD_GLOBAL: the same library LibTorch's CUDA runtime loads later.
  void* cuda = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
  if (cuda == nullptr) return started;
  const auto init = reinterpret_cast<CuInit>(dlsym(cuda, "cuInit"));
  const auto get = reinterpret_cast<CuDeviceGet>(dlsym(cuda, "cuDeviceGet"));
  const auto retain = reinterpret_cast<CuDevicePrimaryCtxRetain>(dlsym(cuda, "cuDevicePrimaryCtxRetain"));
  started.release = reinterpret_cast<CuDevicePrimaryCtxRelease>(dlsym(cuda, "cuDevicePrimaryCtxRelease_v2"));
  int device = 0;
  void* context = nullptr;
  if (init != nullptr && get != nullptr && retain != nullptr && init(0) == 0 && get(&device, ordinal) == 0 &&
      retain(&context, device) == 0)
    started.device = device;
  return started;
}

struct Prestart {
  std::mutex mu;
  std::future<void> done;  // the thread; waited for by its destructor at a normal exit
  bool launched = false;
  bool finished = false;   // FinishCudaPrestart was called
  bool unwanted = false;   // ... with used = false: the context goes as soon as it is made
  Started started;         // what the thread made, once it is done
  bool thread_done = false;
};

Prestart& State() {
  static Prestart state;
  return state;
}

void Release(const Started& started) {
  if (started.device >= 0 && started.release != nullptr) (void)started.release(started.device);
}

// The thread: starts the driver, then hands the context over, or lets it go
// when the run has already gone to the CPU.
void RunPrestart(int ordinal) {
  const Started started = StartDriver(ordinal);
  Prestart& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  state.thread_done = true;
  if (state.unwanted) Release(started);
  else state.started = started;
}

}  // namespace

int PrestartOrdinal(const DeviceRequest& request) {
  switch (request.kind) {
    case DeviceRequest::Kind::kCpu: return -1;
    case DeviceRequest::Kind::kCuda: return request.cuda_index;
    case DeviceRequest::Kind::kAuto: break;
  }
  return request.spread > 0 ? -1 : 0;  // a spread over several devices: which one is not known here
}

void PrestartCudaDevice(const DeviceRequest& request) {
  const int ordinal = PrestartOrdinal(request);
  if (ordinal < 0) return;
  const char* env = std::getenv("ACUITY_CUDA_PRESTART");
  if (env != nullptr && std::strcmp(env, "0") == 0) return;
  Prestart& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  if (state.launched || state.finished) return;
  try {
    state.done = std::async(std::launch::async, [ordinal] { RunPrestart(ordinal); });
    state.launched = true;
  } catch (const std::exception&) {  // no thread to be had: LibTorch starts the driver itself
  }
}

void FinishCudaPrestart(bool used) {
  Prestart& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  if (!state.launched || state.finished) return;
  state.finished = true;
  if (used) return;  // kept: LibTorch runs in it for the rest of the process
  // Not waited for: a run on the CPU does not pay the driver's start.
  if (state.thread_done) Release(state.started);
  else state.unwanted = true;
}

bool CudaDriverPresent() {
  static const bool present = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_GLOBAL) != nullptr;
  return present;
}

bool CudaPrestartLaunched() {
  Prestart& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  return state.launched;
}

}  // namespace acuity
