// The LibTorch implementation of the plain-C model interface
// (sr_module_abi.h), built as the shared module libacuity_torch.so and loaded
// on first use. It includes LibTorch and the C++ standard library only — no
// OpenCV, no Abseil — so that it builds against any LibTorch: Debian's 1.13
// (CPU) or a 2.x with CUDA (docs/gpu.md). Every exception is caught here and
// becomes a status. CUDA-only settings (channels_last, cuDNN autotuning,
// pinned host buffers, the device's default stream) are compiled only when the
// LibTorch has CUDA (ACUITY_TORCH_CUDA, set by CMakeLists.txt) and used only
// for a network on a CUDA device.
#include <omp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <new>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <ATen/Parallel.h>
#include <torch/csrc/jit/runtime/graph_executor.h>
#include <torch/cuda.h>
#include <torch/script.h>
#include <torch/version.h>

#if ACUITY_TORCH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#endif

#include "sr_module_abi.h"

#if !defined(TORCH_VERSION_MAJOR) || TORCH_VERSION_MAJOR < 1 || \
    (TORCH_VERSION_MAJOR == 1 && TORCH_VERSION_MINOR < 13)
#error "libacuity_torch needs LibTorch 1.13 or newer"
#endif

struct AcuitySrNetwork {
  // forward() is not const in LibTorch's API but only reads an eval-mode
  // module's attributes (frozen on the CPU, as loaded on CUDA); the
  // executor builds its plans under its own lock: concurrent calls are safe.
  torch::jit::Module module;
  c10::Device device;
  AcuitySrPrecision precision;
};

namespace {

#define ACUITY_STRINGIFY2(x) #x
#define ACUITY_STRINGIFY(x) ACUITY_STRINGIFY2(x)
constexpr char kTorchVersion[] = ACUITY_STRINGIFY(TORCH_VERSION_MAJOR) "." ACUITY_STRINGIFY(
    TORCH_VERSION_MINOR) "." ACUITY_STRINGIFY(TORCH_VERSION_PATCH);

// Writes `text` (truncated, NUL-terminated) into the caller's buffer.
void Say(char* message, size_t bytes, const char* text) {
  if (message == nullptr || bytes == 0) return;
  std::snprintf(message, bytes, "%s", text);
}
void Say(char* message, size_t bytes, const std::string& text) { Say(message, bytes, text.c_str()); }

// First line of a LibTorch exception message (the rest is a C++ backtrace
// that means nothing to a user).
std::string FirstLine(const char* what) {
  std::string s(what == nullptr ? "" : what);
  const size_t nl = s.find('\n');
  if (nl != std::string::npos) s.resize(nl);
  return s;
}

// True when a LibTorch error says an allocator ran out of memory. CUDA's
// comes as c10::OutOfMemoryError; the CPU's as a c10::Error, or as the
// std::runtime_error the TorchScript interpreter rethrows from inside a
// module ("The following operation failed in the TorchScript interpreter.
// ... DefaultCPUAllocator: can't allocate memory ..."): for those the text is
// all there is to tell by.
bool IsOutOfMemory(const std::exception& e) {
  if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) return true;
  if (dynamic_cast<const c10::OutOfMemoryError*>(&e) != nullptr) return true;
  const std::string what(e.what() == nullptr ? "" : e.what());
  return what.find("DefaultCPUAllocator: can't allocate memory") != std::string::npos ||
         what.find("DefaultCPUAllocator: not enough memory") != std::string::npos ||
         what.find("CUDA out of memory") != std::string::npos;
}

// An exception from LibTorch as a status: out of memory (on `device`'s side
// when the network runs on a CUDA device and the CUDA allocator failed),
// else `otherwise` with `prefix` and the message's first line.
AcuitySrStatus TorchErrorUnguarded(const std::exception& e, const c10::Device& device,
                                   AcuitySrStatus otherwise, const std::string& prefix,
                                   char* message, size_t bytes) {
  if (IsOutOfMemory(e)) {
    const bool on_device = device.is_cuda() && dynamic_cast<const std::bad_alloc*>(&e) == nullptr &&
                           std::string(e.what()).find("DefaultCPUAllocator") == std::string::npos;
#if ACUITY_TORCH_CUDA
    // Give the cached blocks back so that a smaller tile can be tried.
    if (on_device) c10::cuda::CUDACachingAllocator::emptyCache();
#endif
    Say(message, bytes, on_device ? "out of device memory" : "out of memory");
    return on_device ? ACUITY_SR_DEVICE_OUT_OF_MEMORY : ACUITY_SR_HOST_OUT_OF_MEMORY;
  }
  Say(message, bytes, prefix + FirstLine(e.what()));
  return otherwise;
}

// TorchErrorUnguarded, called inside a catch block: nothing may escape it.
AcuitySrStatus TorchError(const std::exception& e, const c10::Device& device,
                          AcuitySrStatus otherwise, const std::string& prefix, char* message,
                          size_t bytes) {
  try {
    return TorchErrorUnguarded(e, device, otherwise, prefix, message, bytes);
  } catch (...) {
    Say(message, bytes, "out of memory");
    return ACUITY_SR_HOST_OUT_OF_MEMORY;
  }
}

// Waits, at most kReapWait, until the kernel has let go of the threads
// `tids` of this process. pthread_join returns as soon as a thread has freed
// its stack, before the kernel stops counting it against the user's limit
// on tasks (ulimit -u, a cgroup's pids.max): a team started in between
// finds no room, and a busy machine widens that window (the probes below
// then said a team could start that libgomp could not). The kernel gives
// the count of ulimit -u back before the thread leaves /proc/self/task (and
// a cgroup's pids.max count too, on Linux 5.3 and later).
void AwaitReaped(const std::vector<pid_t>& tids) {
  constexpr auto kReapWait = std::chrono::seconds(2);
  const auto deadline = std::chrono::steady_clock::now() + kReapWait;
  for (const pid_t tid : tids) {
    const std::string path = "/proc/self/task/" + std::to_string(tid);
    while (access(path.c_str(), F_OK) == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

// How many of `wanted` threads (the calling one included) this process can
// start now. libgomp ends the process ("Thread creation failed", exit 1, or
// a crash) when a thread of a team cannot start — no task left under a
// thread limit (ulimit -u, a cgroup's pids.max), no room for its stack
// under a memory limit — so a team is never asked for more than start. The
// probes start together and hold their stacks until all have been tried,
// then are joined (glibc keeps their stacks for the next threads) and
// awaited until the kernel no longer counts them (AwaitReaped).
int TeamThatCanStart(int wanted) {
  std::mutex gate;
  std::vector<std::thread> probes;
  std::vector<pid_t> tids(size_t(wanted), 0);
  {
    std::lock_guard<std::mutex> hold(gate);
    for (int i = 1; i < wanted; ++i) {
      try {
        pid_t* tid = &tids[size_t(i)];
        probes.emplace_back([&gate, tid] {
          *tid = static_cast<pid_t>(syscall(SYS_gettid));
          std::lock_guard<std::mutex> wait(gate);
        });
      } catch (const std::system_error&) {
        break;
      }
    }
  }
  for (std::thread& t : probes) t.join();
  tids.erase(std::remove(tids.begin(), tids.end(), pid_t(0)), tids.end());
  AwaitReaped(tids);
  return 1 + static_cast<int>(probes.size());
}

// The helpers (threads besides their callers) of the OpenMP teams started
// in this process (StartTeam), and the lock under which one team at a time
// is probed and started. Never destroyed: a thread may end after the
// process's statics are gone.
struct TeamLedger {
  std::mutex lock;
  int helpers = 0;
};

TeamLedger& Ledger() {
  static TeamLedger* ledger = new TeamLedger;
  return *ledger;
}

// The calling thread's team: the size last asked for and the size started
// for it (oneDNN's smaller regions may have shrunk the pool since: this is
// what was last started here). Its helpers leave the ledger with the thread.
struct ThreadTeam {
  int asked = 1, started = 1;
  ~ThreadTeam() {
    if (started <= 1) return;
    std::lock_guard<std::mutex> hold(Ledger().lock);
    Ledger().helpers -= started - 1;
  }
};

// Gives the calling thread an OpenMP team of at most `wanted` threads (the
// calling one included) that has started, and returns its size. Two things
// made teams that had been probed fail to start (1 run in 2 of `enhance
// --threads 8` under `ulimit -u 4` on a busy machine):
// - a probe is only a look: tile workers that probed at the same time each
//   saw the room that only one of their teams could take. Teams are probed
//   and started (an empty parallel region makes the threads, which libgomp
//   keeps for the thread's later regions) by one thread at a time.
// - a team does not keep its size: a oneDNN region of fewer threads ends the
//   pool's surplus threads and the next larger region starts them again,
//   while the ended ones still count against the limit until the kernel has
//   reaped them. So every started team keeps room for as many threads again
//   as its helpers: a team gets h helpers only if 2·h plus the helpers of
//   the teams already started can start; else fewer, down to none.
// The lock orders StartTeam's probes and starts only: a pool that regrows
// inside a oneDNN region does so outside it, into the room kept. A thread
// asking again for what it asked before (each tile's network) or for fewer
// threads than it has started probes nothing. ATen's first parallel loop on
// a thread resets the team size to its own default (at::init_num_threads);
// that is done here first, so that the size set after it holds.
int StartTeam(int wanted) {
  thread_local ThreadTeam team;
  at::internal::lazy_init_num_threads();
  if (wanted == team.asked || wanted == team.started) return team.started;
  TeamLedger& ledger = Ledger();
  std::lock_guard<std::mutex> hold(ledger.lock);
  int size = wanted;  // fewer threads than this thread's team has started: nothing to start
  if (wanted > team.started) {
    const int others = ledger.helpers - (team.started - 1);
    const int room = TeamThatCanStart(1 + 2 * (wanted - 1) + others) - 1;
    size = 1 + std::clamp((room - others) / 2, 0, wanted - 1);
  }
  omp_set_num_threads(size);
#pragma omp parallel
  {
  }
  ledger.helpers += size - team.started;
  team.started = size;
  team.asked = wanted;
  return size;
}

// Sets the calling thread's OpenMP team size (the nthreads ICV, which
// ATen's and oneDNN's parallel regions read) for one scope, then restores
// it: at most what has started (StartTeam).
class ScopedOmpThreads {
 public:
  explicit ScopedOmpThreads(int threads) : saved_(omp_get_max_threads()) {
    omp_set_num_threads(StartTeam(threads < 1 ? 1 : threads));
  }
  ~ScopedOmpThreads() { omp_set_num_threads(saved_); }
  ScopedOmpThreads(const ScopedOmpThreads&) = delete;
  ScopedOmpThreads& operator=(const ScopedOmpThreads&) = delete;

 private:
  int saved_;
};

c10::ScalarType ScalarTypeOf(AcuitySrPrecision precision) {
  switch (precision) {
    case ACUITY_SR_BF16: return torch::kBFloat16;
    case ACUITY_SR_FP16: return torch::kHalf;
    case ACUITY_SR_FP32: break;
  }
  return torch::kFloat32;
}

int32_t CudaDeviceCount() {
  try {
    return static_cast<int32_t>(torch::cuda::device_count());
  } catch (const std::exception&) {
    return 0;
  }
}

AcuitySrStatus DeviceInfoUnguarded(int32_t device, AcuitySrDeviceInfo* info, char* message,
                                   size_t bytes) {
  if (device < 0 || device >= CudaDeviceCount()) {
    Say(message, bytes, "no CUDA device " + std::to_string(device));
    return ACUITY_SR_NO_DEVICE;
  }
#if ACUITY_TORCH_CUDA
  cudaDeviceProp props;
  if (cudaGetDeviceProperties(&props, device) != cudaSuccess) {
    Say(message, bytes, "cannot read the properties of CUDA device " + std::to_string(device));
    return ACUITY_SR_FAILED;
  }
  std::snprintf(info->name, sizeof info->name, "%s", props.name);
  info->total_bytes = static_cast<int64_t>(props.totalGlobalMem);
  info->free_bytes = -1;
  int previous = 0;
  size_t free_bytes = 0, total_bytes = 0;
  if (cudaGetDevice(&previous) == cudaSuccess && cudaSetDevice(device) == cudaSuccess) {
    if (cudaMemGetInfo(&free_bytes, &total_bytes) == cudaSuccess) {
      info->free_bytes = static_cast<int64_t>(free_bytes);
    }
    cudaSetDevice(previous);
  }
  return ACUITY_SR_OK;
#else
  (void)info;
  return ACUITY_SR_NO_DEVICE;  // unreachable: a LibTorch without CUDA sees no device
#endif
}

AcuitySrStatus DeviceInfo(int32_t device, AcuitySrDeviceInfo* info, char* message, size_t bytes) {
  if (info == nullptr) return ACUITY_SR_INVALID_ARGUMENT;
  try {
    return DeviceInfoUnguarded(device, info, message, bytes);
  } catch (...) {
    Say(message, bytes, "cannot read the CUDA device's properties");
    return ACUITY_SR_FAILED;
  }
}

// Freezes and optimises for inference: weights become constants. On the
// CPU, convolutions then run through oneDNN with pre-packed weights (also
// the 1×1 ones, which otherwise take the slow im2col path). Measured
// (models/RESULTS.md, "Freezing"): 2.0× faster for slim and 2.7× for medium
// on one thread, outputs equal within 3e-4 on the 0–255 scale. On CUDA the
// module runs as loaded: freezing gains nothing there (x4plus's fp16
// forward 0.1856 s as saved, 0.1858 s frozen) and took 21 s for
// realesrgan-x4plus's graph on an H200's host (models/RESULTS.md, "GPU").
// A module that cannot be frozen (a user's, with unusual attributes) runs
// as loaded.
torch::jit::Module Optimised(torch::jit::Module module, const c10::Device& device) {
  if (device.is_cuda()) return module;
  try {
    torch::jit::Module frozen = torch::jit::freeze(module);
    return torch::jit::optimize_for_inference(frozen);
  } catch (const std::exception&) {
    return module;
  }
}

AcuitySrStatus LoadUnguarded(const char* pt_path, int32_t device_index, AcuitySrPrecision precision,
                             AcuitySrNetwork** network, char* message, size_t bytes) {
  const bool cuda = device_index != ACUITY_SR_CPU;
  if (cuda && (device_index < 0 || device_index >= CudaDeviceCount())) {
    Say(message, bytes, "no CUDA device " + std::to_string(device_index) + " (this LibTorch sees " +
                            std::to_string(CudaDeviceCount()) + ")");
    return ACUITY_SR_NO_DEVICE;
  }
  if (!cuda && precision == ACUITY_SR_FP16) {
    Say(message, bytes, "float16 needs a CUDA device (use fp32 or bf16 on the CPU)");
    return ACUITY_SR_UNSUPPORTED;
  }
  const c10::Device device =
      cuda ? c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(device_index)) : c10::Device(c10::kCPU);
  torch::jit::Module module;
  try {
    module = torch::jit::load(pt_path, device);
    module.eval();
    if (precision != ACUITY_SR_FP32) module.to(ScalarTypeOf(precision));
#if ACUITY_TORCH_CUDA
    if (cuda) {
      // cuDNN picks the fastest convolution per tile shape (unless
      // ACUITY_CUDNN_BENCHMARK=0: its heuristics' choice, no trial runs);
      // weights in channels_last (NHWC), the layout of the tiles acuity passes.
      const char* benchmark = std::getenv("ACUITY_CUDNN_BENCHMARK");
      at::globalContext().setBenchmarkCuDNN(benchmark == nullptr || std::string(benchmark) != "0");
      torch::NoGradGuard no_grad;
      for (torch::Tensor p : module.parameters()) {
        if (p.dim() == 4) p.set_data(p.contiguous(at::MemoryFormat::ChannelsLast));
      }
    }
#endif
  } catch (const std::exception& e) {
    return TorchError(e, device, ACUITY_SR_INVALID_ARGUMENT,
                      std::string(pt_path) +
                          " is not a loadable TorchScript model (save it with torch.jit.trace or "
                          "torch.jit.script, then torch.jit.save): ",
                      message, bytes);
  }
  try {
    *network = new AcuitySrNetwork{Optimised(std::move(module), device), device, precision};
  } catch (const std::bad_alloc&) {
    Say(message, bytes, "out of memory");
    return ACUITY_SR_HOST_OUT_OF_MEMORY;
  }
  return ACUITY_SR_OK;
}

AcuitySrStatus Load(const char* pt_path, int32_t device_index, AcuitySrPrecision precision,
                    AcuitySrNetwork** network, char* message, size_t bytes) {
  if (pt_path == nullptr || network == nullptr) return ACUITY_SR_INVALID_ARGUMENT;
  *network = nullptr;
  try {
    return LoadUnguarded(pt_path, device_index, precision, network, message, bytes);
  } catch (...) {  // building a message failed: only memory can be short here
    Say(message, bytes, "out of memory");
    return ACUITY_SR_HOST_OUT_OF_MEMORY;
  }
}

// The input tile as a 1×3×H×W tensor on the network's device in its
// precision. The NHWC buffer permuted to NCHW is already channels_last.
torch::Tensor DeviceInput(const AcuitySrNetwork& net, const float* rgb, int32_t height, int32_t width) {
  torch::Tensor host = torch::from_blob(const_cast<float*>(rgb), {1, height, width, 3}, torch::kFloat32);
  if (!net.device.is_cuda()) {
    torch::Tensor x = host.permute({0, 3, 1, 2}).contiguous();
    return net.precision == ACUITY_SR_FP32 ? x : x.to(ScalarTypeOf(net.precision));
  }
#if ACUITY_TORCH_CUDA
  // Through a pinned buffer (LibTorch's caching host allocator), so that the
  // copy is asynchronous on the device's stream.
  torch::Tensor pinned = torch::empty({1, height, width, 3}, torch::TensorOptions().dtype(torch::kFloat32).pinned_memory(true));
  pinned.copy_(host);
  torch::Tensor x = pinned.to(net.device, /*non_blocking=*/true).permute({0, 3, 1, 2});
  return x.to(ScalarTypeOf(net.precision));
#else
  return host;  // unreachable: no network is loaded on CUDA without CUDA
#endif
}

AcuitySrStatus RunForward(AcuitySrNetwork& net, const float* rgb, int32_t height, int32_t width,
                          AcuitySrAllocate allocate, void* context, char* message, size_t bytes) {
  c10::InferenceMode inference_mode;
  torch::Tensor x = DeviceInput(net, rgb, height, width);
  torch::jit::IValue result = net.module.forward({x});
  if (!result.isTensor()) {
    Say(message, bytes, "the network did not return a tensor");
    return ACUITY_SR_FAILED;
  }
  torch::Tensor y = result.toTensor();
  if (y.dim() != 4 || y.size(0) != 1 || y.size(1) != 3 || !y.is_floating_point()) {
    Say(message, bytes,
        "the network returned a tensor of shape " + FirstLine(c10::str(y.sizes()).c_str()) + " (" +
            c10::toString(y.scalar_type()) + "); expected float 1x3xHxW");
    return ACUITY_SR_FAILED;
  }
  if (y.scalar_type() != torch::kFloat32 && y.scalar_type() != ScalarTypeOf(net.precision)) {
    Say(message, bytes,
        std::string("the network returned ") + c10::toString(y.scalar_type()) + "; expected float32");
    return ACUITY_SR_FAILED;
  }
  const int32_t out_h = static_cast<int32_t>(y.size(2)), out_w = static_cast<int32_t>(y.size(3));
  float* out = allocate(context, out_h, out_w);
  if (out == nullptr) {
    Say(message, bytes, "out of memory");
    return ACUITY_SR_HOST_OUT_OF_MEMORY;
  }
  // One copy: to float32, HWC, and (on CUDA) to the host.
  torch::from_blob(out, {out_h, out_w, 3}, torch::kFloat32)
      .copy_(y.squeeze(0).permute({1, 2, 0}).to(torch::kFloat32));
  return ACUITY_SR_OK;
}

AcuitySrStatus Forward(AcuitySrNetwork* net, const float* rgb, int32_t height, int32_t width,
                       int32_t threads, AcuitySrAllocate allocate, void* context, char* message,
                       size_t bytes) {
  if (net == nullptr || rgb == nullptr || allocate == nullptr || height < 1 || width < 1) {
    Say(message, bytes, "forward needs a network, a non-empty RGB tile and an allocator");
    return ACUITY_SR_INVALID_ARGUMENT;
  }
  try {
    if (!net->device.is_cuda()) {
      ScopedOmpThreads scoped(threads);
      return RunForward(*net, rgb, height, width, allocate, context, message, bytes);
    }
#if ACUITY_TORCH_CUDA
    // Every call on the device's default stream. LibTorch's allocator keeps
    // freed memory for reuse on the stream it was used on: with a new stream
    // from the pool for each call, each tile's memory stayed reserved and a
    // 4000×3000 photo in 666-px tiles filled all 139 GiB of an H200; on one
    // stream it peaked at 7.7 GB, as fast (models/RESULTS.md, "GPU"). The
    // tile workers still overlap their host work with the device's.
    c10::cuda::CUDAStreamGuard stream(c10::cuda::getDefaultCUDAStream(net->device.index()));
    // The graph as loaded, without the TorchScript executor's profiling
    // runs and re-optimisation, which it repeats for each new input shape:
    // on an H200 with LibTorch 2.11, x4plus over 64-px tiles of several
    // shapes took 80.8 s with them and 20.6 s without (models/RESULTS.md,
    // "GPU"). The setting is this thread's only.
    torch::jit::GraphOptimizerEnabledGuard plain_graph(false);
    return RunForward(*net, rgb, height, width, allocate, context, message, bytes);
#endif
  } catch (const std::exception& e) {
    return TorchError(e, net->device, ACUITY_SR_FAILED, "", message, bytes);
  } catch (...) {
    Say(message, bytes, "the network failed with an unknown exception");
    return ACUITY_SR_FAILED;
  }
  return ACUITY_SR_NO_DEVICE;
}

void Release(AcuitySrNetwork* net) {
  try {
    delete net;
  } catch (...) {  // a destructor in LibTorch throwing: nothing to do but not crash
  }
}

int32_t ProcessThreads() { return static_cast<int32_t>(at::get_num_threads()); }

AcuitySrStatus LimitDeviceMemory(int32_t device, int64_t bytes, char* message, size_t message_bytes) {
  try {
    AcuitySrDeviceInfo info{};  // the device's presence and its memory, as --version reads them
    const AcuitySrStatus known = DeviceInfoUnguarded(device, &info, message, message_bytes);
    if (known != ACUITY_SR_OK) return known;
#if ACUITY_TORCH_CUDA
    const double total = static_cast<double>(info.total_bytes);
    const double fraction = bytes <= 0 ? 1.0 : std::min(1.0, static_cast<double>(bytes) / total);
    // The caching allocator is set up for a device by its first tensor
    // there (setMemoryFraction refuses a device it has not seen); the guard
    // gives the thread its current device back.
    const c10::cuda::CUDAGuard on_device(static_cast<c10::DeviceIndex>(device));
    (void)torch::empty({1}, torch::TensorOptions().device(torch::kCUDA, static_cast<c10::DeviceIndex>(device)));
    c10::cuda::CUDACachingAllocator::emptyCache();
    c10::cuda::CUDACachingAllocator::setMemoryFraction(fraction, static_cast<c10::DeviceIndex>(device));
    return ACUITY_SR_OK;
#else
    (void)bytes;
    return ACUITY_SR_NO_DEVICE;  // unreachable: a LibTorch without CUDA sees no device
#endif
  } catch (const std::exception& e) {
    Say(message, message_bytes, "cannot cap the device's memory: " + FirstLine(e.what()));
    return ACUITY_SR_FAILED;
  } catch (...) {
    Say(message, message_bytes, "cannot cap the device's memory");
    return ACUITY_SR_FAILED;
  }
}

}  // namespace

extern "C" __attribute__((visibility("default"))) const AcuitySrModule* acuity_sr_module(
    uint32_t abi_version, char* message, size_t message_bytes) {
  static const AcuitySrModule kModule = {ACUITY_SR_ABI_VERSION, kTorchVersion, CudaDeviceCount,
                                         DeviceInfo, Load, Forward, Release, ProcessThreads,
                                         LimitDeviceMemory};
  if (abi_version != ACUITY_SR_ABI_VERSION) {
    try {
      Say(message, message_bytes,
        "this LibTorch module implements model interface version " +
            std::to_string(ACUITY_SR_ABI_VERSION) + " but the program needs version " +
            std::to_string(abi_version) + ": rebuild the module from the same acuity sources (docs/gpu.md)");
    } catch (...) {
      Say(message, message_bytes, "the LibTorch module implements another model interface version");
    }
    return nullptr;
  }
  return &kModule;
}
