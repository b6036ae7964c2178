// A process's first upscale on a GPU pays two fixed costs one after the
// other: loading the LibTorch module (dlopen of LibTorch's CUDA libraries:
// 0.6–0.9 s of "start LibTorch" on an H200's host with PyTorch 2.11,
// models/RESULTS.md "GPU") and starting the CUDA driver and the device's
// context. PrestartCudaDevice starts the second on a thread of its own,
// through the NVIDIA driver's library (libcuda.so.1, dlopen'ed: acuity's
// program links no CUDA), while the caller loads the module; LibTorch then
// finds the device's primary context made (the CUDA runtime uses that one).
//
//   acuity::PrestartCudaDevice(options.upscale.device);  // returns at once
//   acuity::GetSrBackend();                               // meanwhile
//   acuity::FinishCudaPrestart(device->is_cuda());        // once the device is known
//
// Nothing is started for --device cpu, for a batch's spread over several
// devices (which one is chosen later), or when the environment sets
// ACUITY_CUDA_PRESTART=0 (the measurement's switch); the thread finds
// nothing to start where the driver's library is missing (every machine
// without an NVIDIA driver) or the device number is not the driver's. Failures are silent: LibTorch meets them
// again and reports them. Started at most once per process; the thread ends
// on its own (the driver's start), and the process's normal exit waits for it.
// The context is held until FinishCudaPrestart says whether the run uses
// the device: a run that goes to the CPU after all (a LibTorch without
// CUDA sees no device) lets it go, so that it holds no device memory.
#ifndef ACUITY_ENHANCE_CUDA_PRESTART_H_
#define ACUITY_ENHANCE_CUDA_PRESTART_H_

#include "enhance/device.h"

namespace acuity {

void PrestartCudaDevice(const DeviceRequest& request);

// Says whether the run uses the device: when not, the context the thread
// made is released (at once, or by the thread when it is done: nothing
// waits for it). Later calls, and calls without a prestart, do nothing.
void FinishCudaPrestart(bool used);

// The device PrestartCudaDevice starts for `request`: -1 for none (the
// CPU, or auto with a batch's spread), else the CUDA ordinal (auto: the first).
int PrestartOrdinal(const DeviceRequest& request);

// Whether the NVIDIA driver's library (libcuda.so.1) can be loaded: without
// it no CUDA device can be used, whatever LibTorch was built with. Loaded
// (and kept: LibTorch's CUDA runtime loads it too) once per process; a few
// ms where it is missing.
bool CudaDriverPresent();

// True once a prestart thread has been launched in this process (tests).
bool CudaPrestartLaunched();

}  // namespace acuity

#endif  // ACUITY_ENHANCE_CUDA_PRESTART_H_
