// Process-wide CPU thread settings, for a program to make once at start-up —
// cli/main.cc does, and so must any other front end (the viewer) and any
// test binary or benchmark that upscales. Library calls never change them
// (Upscale, Analyze and the steps read them), so two threads calling into
// the library at once never race on a global.
//
//   int main(int argc, char** argv) {
//     acuity::QuietLibraryLogging();   // analysis/io/image_io.h
//     acuity::SetComputeThreads(0);    // the measured default
//     ...
//   }
#ifndef ACUITY_ENHANCE_COMPUTE_THREADS_H_
#define ACUITY_ENHANCE_COMPUTE_THREADS_H_

namespace acuity {

// OpenCV's parallel loops run on acuity's thread pool
// (analysis/io/opencv_parallel.h: none of oneTBB's workers, which a memory or
// thread limit could leave waited for forever) and get `threads` threads; 0
// leaves the default (the pool's bound: the CPUs the process may use). LibTorch's threads are not process-wide settings
// any more: Upscale gives each tile worker its own intra-op team
// (UpscaleOptions::threads, ThreadMode), and LibTorch is not even loaded
// until a model is (enhance/sr_backend.h).
// Call again to change them (acuity enhance --threads N does), from one
// thread, while no upscale runs.
void SetComputeThreads(int threads);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_COMPUTE_THREADS_H_
