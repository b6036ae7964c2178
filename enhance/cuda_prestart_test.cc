// The CUDA driver's early start: which device a request starts, that a CPU
// run starts nothing, and that a machine without the NVIDIA driver (this
// one, in CI) loses nothing: the thread finds no libcuda.so.1 and ends, and
// upscaling runs as before. What it saves on a GPU is measured in
// models/RESULTS.md ("GPU"), not here.
#include "enhance/cuda_prestart.h"

#include <chrono>

#include <gtest/gtest.h>

#include "enhance/sr_backend.h"

namespace acuity {
namespace {

DeviceRequest Request(const char* text) {
  absl::StatusOr<DeviceRequest> r = ParseDeviceRequest(text);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : DeviceRequest{};
}

TEST(CudaPrestartTest, StartsTheDeviceTheRunWillUse) {
  EXPECT_EQ(PrestartOrdinal(Request("cpu")), -1);
  EXPECT_EQ(PrestartOrdinal(Request("auto")), 0);
  EXPECT_EQ(PrestartOrdinal(Request("cuda")), 0);
  EXPECT_EQ(PrestartOrdinal(Request("cuda:3")), 3);
  DeviceRequest spread = Request("auto");
  spread.spread = 2;  // a batch's least busy GPU: chosen later, not known here
  EXPECT_EQ(PrestartOrdinal(spread), -1);
}

// One process, in order: the CPU starts nothing; auto starts once; the
// wait returns (no driver here) and the module still loads.
TEST(CudaPrestartTest, WithoutADriverNothingIsLostAndNothingWaits) {
  PrestartCudaDevice(Request("cpu"));
  EXPECT_FALSE(CudaPrestartLaunched());
  PrestartCudaDevice(Request("auto"));
  EXPECT_TRUE(CudaPrestartLaunched());
  (void)GetSrBackend();  // beside it, as the enhance command does
  const auto start = std::chrono::steady_clock::now();
  FinishCudaPrestart(/*used=*/false);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 5.0);
  FinishCudaPrestart(/*used=*/false);  // again: nothing
  PrestartCudaDevice(Request("cuda"));  // after the finish: not started again
  FinishCudaPrestart(/*used=*/true);
}

}  // namespace
}  // namespace acuity
