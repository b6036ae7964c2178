/* The plain-C interface between acuity and its LibTorch module
 * (libacuity_torch.so). Only C types cross it — an ABI version number,
 * float buffers with their dimensions, a device query, a status code and a
 * message buffer — so the module builds with a LibTorch alone (no OpenCV, no
 * Abseil, any C++ compiler) against Debian's LibTorch 1.13 or a LibTorch 2.x
 * with CUDA (docs/gpu.md). No exception crosses it: the module catches every
 * one and returns a status.
 *
 *   char message[ACUITY_SR_MESSAGE_BYTES];
 *   AcuitySrEntryPoint entry = (AcuitySrEntryPoint)dlsym(handle, ACUITY_SR_ENTRY_POINT);
 *   const AcuitySrModule* m = entry(ACUITY_SR_ABI_VERSION, message, sizeof message);
 *   if (m == NULL) puts(message);   // e.g. built for another interface version
 *   AcuitySrNetwork* net = NULL;
 *   if (m->load("x4.pt", 0, ACUITY_SR_FP16, &net, message, sizeof message) == ACUITY_SR_OK) ...
 *
 * Change ACUITY_SR_ABI_VERSION whenever anything here changes: a module built
 * for another version refuses to load (the entry point returns NULL with a
 * one-line message) rather than misread a structure. */
#ifndef ACUITY_ENHANCE_TORCH_SR_MODULE_ABI_H_
#define ACUITY_ENHANCE_TORCH_SR_MODULE_ABI_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version 1 passed C++ objects (cv::Mat, absl::StatusOr); 2 had no memory
 * cap; 3 is this header. */
#define ACUITY_SR_ABI_VERSION 3u
/* The one exported symbol; its name never changes (the version is checked inside). */
#define ACUITY_SR_ENTRY_POINT "acuity_sr_module"
/* Enough for any message the module writes (it truncates, always NUL-terminated). */
#define ACUITY_SR_MESSAGE_BYTES 512
/* The device index of the CPU; 0..n-1 are CUDA devices. */
#define ACUITY_SR_CPU (-1)

typedef enum AcuitySrStatus {
  ACUITY_SR_OK = 0,
  ACUITY_SR_INVALID_ARGUMENT = 1,      /* not a loadable TorchScript file; a bad call */
  ACUITY_SR_FAILED = 2,                /* the network failed or returned no float 1x3xHxW tensor */
  ACUITY_SR_HOST_OUT_OF_MEMORY = 3,    /* the CPU allocator (or `allocate`) failed */
  ACUITY_SR_DEVICE_OUT_OF_MEMORY = 4,  /* the CUDA allocator failed: a smaller tile may fit */
  ACUITY_SR_NO_DEVICE = 5,             /* no such CUDA device, or this LibTorch has no CUDA */
  ACUITY_SR_UNSUPPORTED = 6            /* e.g. fp16 on the CPU */
} AcuitySrStatus;

typedef enum AcuitySrPrecision {
  ACUITY_SR_FP32 = 0, /* float32 throughout (the reference) */
  ACUITY_SR_BF16 = 1, /* bfloat16 weights and activations, float32 in and out */
  ACUITY_SR_FP16 = 2  /* float16 weights and activations (CUDA only), float32 in and out */
} AcuitySrPrecision;

typedef struct AcuitySrDeviceInfo {
  char name[128];      /* e.g. "NVIDIA H100 80GB HBM3" */
  int64_t total_bytes; /* device memory, bytes; -1 when not known */
  int64_t free_bytes;  /* free device memory now (cudaMemGetInfo), bytes; -1 when not known */
} AcuitySrDeviceInfo;

/* One loaded network (opaque). */
typedef struct AcuitySrNetwork AcuitySrNetwork;

/* Called by `forward` once the output's size is known: returns room for
 * height*width*3 floats (RGB, HWC, row-major, continuous) that forward fills,
 * or NULL (forward then returns ACUITY_SR_HOST_OUT_OF_MEMORY). */
typedef float* (*AcuitySrAllocate)(void* context, int32_t height, int32_t width);

typedef struct AcuitySrModule {
  uint32_t abi_version;      /* ACUITY_SR_ABI_VERSION of the module */
  const char* torch_version; /* the LibTorch it was built against, e.g. "1.13.0" */
  /* CUDA devices this LibTorch sees (0 for a CPU-only LibTorch or no GPU). */
  int32_t (*cuda_device_count)(void);
  /* Name and memory of CUDA device `device` (0..count-1). */
  AcuitySrStatus (*device_info)(int32_t device, AcuitySrDeviceInfo* info, char* message,
                                size_t message_bytes);
  /* Loads a TorchScript file onto `device` (ACUITY_SR_CPU or a CUDA index)
   * in `precision`; on the CPU also freezes and optimises it for inference
   * (CUDA runs it as loaded). On the CPU with ACUITY_SR_FP16:
   * ACUITY_SR_UNSUPPORTED. */
  AcuitySrStatus (*load)(const char* pt_path, int32_t device, AcuitySrPrecision precision,
                         AcuitySrNetwork** network, char* message, size_t message_bytes);
  /* Runs the network on `rgb` (height*width*3 floats, RGB, HWC). The output
   * (any size, unclamped, float32 RGB HWC) goes into the buffer `allocate`
   * returns. `threads` (>= 1): the OpenMP team of this call only (CPU).
   * May be called from several threads at once. */
  AcuitySrStatus (*forward)(AcuitySrNetwork* network, const float* rgb, int32_t height,
                            int32_t width, int32_t threads, AcuitySrAllocate allocate,
                            void* context, char* message, size_t message_bytes);
  void (*release)(AcuitySrNetwork* network);
  /* LibTorch's process-wide intra-op thread count (acuity never changes it). */
  int32_t (*process_threads)(void);
  /* Caps what LibTorch's CUDA allocator may hold on CUDA device `device` in
   * this process at `bytes` (<= 0: no cap), after giving its cached blocks
   * back; a tile that does not fit then fails as ACUITY_SR_DEVICE_OUT_OF_MEMORY.
   * For the out-of-memory tests on a real device, and for a GPU shared with
   * other work. ACUITY_SR_NO_DEVICE for a LibTorch without CUDA. */
  AcuitySrStatus (*limit_device_memory)(int32_t device, int64_t bytes, char* message,
                                        size_t message_bytes);
} AcuitySrModule;

/* The entry point: the module's table when `abi_version` is its own, else
 * NULL with a one-line reason in `message`. */
typedef const AcuitySrModule* (*AcuitySrEntryPoint)(uint32_t abi_version, char* message,
                                                    size_t message_bytes);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ACUITY_ENHANCE_TORCH_SR_MODULE_ABI_H_ */
