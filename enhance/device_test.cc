#include "enhance/device.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "analysis/advice/parse_steps.h"
#include "enhance/cuda_prestart.h"

namespace acuity {
namespace {

TEST(DeviceRequestTest, ParsesTheDeviceWordsAndRoundTrips) {
  for (const char* text : {"auto", "cpu", "cuda:0", "cuda:3", "cuda:12"}) {
    absl::StatusOr<DeviceRequest> r = ParseDeviceRequest(text);
    ASSERT_TRUE(r.ok()) << text << ": " << r.status();
    EXPECT_EQ(r->Text(), text);
  }
  absl::StatusOr<DeviceRequest> cuda = ParseDeviceRequest("cuda");
  ASSERT_TRUE(cuda.ok());
  EXPECT_EQ(cuda->Text(), "cuda:0");
}

TEST(DeviceRequestTest, RefusesOtherWords) {
  for (const char* text : {"", "gpu", "CUDA", "cuda:", "cuda:-1", "cuda:1x", "cuda:+1", "cpu:0", "mps"}) {
    EXPECT_TRUE(absl::IsInvalidArgument(ParseDeviceRequest(text).status())) << text;
  }
}

TEST(ResolveDeviceTest, AutoIsTheFirstCudaDeviceElseTheCpu) {
  DeviceRequest automatic;
  EXPECT_EQ(*ResolveDevice(automatic, 0), SrDevice::Cpu());
  EXPECT_EQ(*ResolveDevice(automatic, 2), SrDevice::Cuda(0));
}

TEST(ResolveDeviceTest, AutoSpreadsOverSeveralCudaDevicesInTurn) {
  DeviceRequest automatic;
  for (int i = 0; i < 6; ++i) {
    automatic.spread = i;
    EXPECT_EQ(*ResolveDevice(automatic, 3), SrDevice::Cuda(i % 3)) << i;
    EXPECT_EQ(*ResolveDevice(automatic, 1), SrDevice::Cuda(0)) << i;
    EXPECT_EQ(*ResolveDevice(automatic, 0), SrDevice::Cpu()) << i;
  }
  // A device asked for by name is not spread.
  DeviceRequest named{DeviceRequest::Kind::kCuda, 1};
  named.spread = 4;
  EXPECT_EQ(*ResolveDevice(named, 3), SrDevice::Cuda(1));
}

TEST(ResolveDeviceTest, CpuStaysTheCpu) {
  const DeviceRequest cpu{DeviceRequest::Kind::kCpu, 0};
  EXPECT_EQ(*ResolveDevice(cpu, 4), SrDevice::Cpu());
}

TEST(ResolveDeviceTest, AMissingCudaDeviceIsAnErrorNotTheCpu) {
  const DeviceRequest second{DeviceRequest::Kind::kCuda, 1};
  EXPECT_EQ(*ResolveDevice(second, 2), SrDevice::Cuda(1));
  for (int count : {0, 1}) {
    absl::StatusOr<SrDevice> d = ResolveDevice(second, count);
    EXPECT_TRUE(absl::IsFailedPrecondition(d.status())) << count;
    EXPECT_EQ(std::string(d.status().message()).find('\n'), std::string::npos);  // one line
  }
}

TEST(ResolveDeviceTest, DebiansLibTorchSeesNoCudaDevice) {
  // Through the module built in this tree (Debian's CPU-only LibTorch).
  const DeviceRequest automatic;
  absl::StatusOr<SrDevice> d = ResolveDevice(automatic);
  ASSERT_TRUE(d.ok()) << d.status();
  absl::StatusOr<const SrBackend*> backend = GetSrBackend();
  ASSERT_TRUE(backend.ok()) << backend.status();
  EXPECT_EQ(d->is_cuda(), !(*backend)->CudaDevices().empty());
  const DeviceRequest cuda{DeviceRequest::Kind::kCuda, 0};
  EXPECT_EQ(ResolveDevice(cuda).ok(), !(*backend)->CudaDevices().empty());
}

// A plan is priced for the CUDA device only when it upscales and its
// request resolves to one: steps without an upscale and `--device cpu`
// are the CPU's whatever the machine has; `auto` follows the module.
TEST(PlanDeviceKindTest, CudaOnlyForAnUpscaleOnACudaDevice) {
  const Plan sharpen = *ParseSteps("sharpen:0.4");
  const Plan upscale = *ParseSteps("upscale:4:realesr-general-x4v3,sharpen:0.4");
  const DeviceRequest automatic, cpu{DeviceRequest::Kind::kCpu, 0};
  EXPECT_EQ(PlanDeviceKind(sharpen, automatic), SrDeviceKind::kCpu);
  EXPECT_EQ(PlanDeviceKind(upscale, cpu), SrDeviceKind::kCpu);
  absl::StatusOr<SrDevice> resolved = ResolveDevice(automatic);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(PlanDeviceKind(upscale, automatic), resolved->is_cuda() ? SrDeviceKind::kCuda : SrDeviceKind::kCpu);
  // A CUDA device that is not there: the upscale will say so; priced as the CPU.
  const DeviceRequest absent{DeviceRequest::Kind::kCuda, 99};
  EXPECT_EQ(PlanDeviceKind(upscale, absent), SrDeviceKind::kCpu);
}

// Whether LibTorch's module is mapped into this process (/proc/self/maps).
bool ModuleMapped() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line))
    if (line.find("libacuity_torch") != std::string::npos) return true;
  return false;
}

// The device an advised upscale is priced for (AnalysisReport::upscale_device):
// the CPU for --device cpu and where no NVIDIA driver is installed, with
// nothing loaded to find that out (`acuity advise` on a machine without a
// GPU stays as light as before); else what the module sees, found as well on
// a thread beside other work.
TEST(UpscaleDeviceKindTest, WithoutAnNvidiaDriverItIsTheCpuAndNothingIsLoaded) {
  const DeviceRequest automatic, cpu{DeviceRequest::Kind::kCpu, 0};
  EXPECT_EQ(UpscaleDeviceKind(cpu), SrDeviceKind::kCpu);
  UpscaleDeviceQuery unwanted(automatic, /*wanted=*/false);
  EXPECT_EQ(unwanted.Get(), SrDeviceKind::kCpu);
  if (CudaDriverPresent()) GTEST_SKIP() << "an NVIDIA driver is installed here: covered below";
  // Loaded already where an earlier test of this process loaded it (the
  // sanitizer build runs them all in one).
  const bool mapped_before = ModuleMapped();
  EXPECT_EQ(UpscaleDeviceKind(automatic), SrDeviceKind::kCpu);
  UpscaleDeviceQuery beside(automatic, /*wanted=*/true);
  EXPECT_EQ(beside.Get(), SrDeviceKind::kCpu);
  EXPECT_EQ(beside.Get(), SrDeviceKind::kCpu);  // the same answer again
  EXPECT_EQ(ModuleMapped(), mapped_before);
}

TEST(UpscaleDeviceKindTest, WithADriverItIsWhatTheModuleSees) {
  if (!CudaDriverPresent()) GTEST_SKIP() << "skipped: no NVIDIA driver (libcuda.so.1)";
  const DeviceRequest automatic;
  UpscaleDeviceQuery beside(automatic, /*wanted=*/true);
  absl::StatusOr<SrDevice> resolved = ResolveDevice(automatic);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  const SrDeviceKind expected = resolved->is_cuda() ? SrDeviceKind::kCuda : SrDeviceKind::kCpu;
  EXPECT_EQ(beside.Get(), expected);
  EXPECT_EQ(UpscaleDeviceKind(automatic), expected);
}

}  // namespace
}  // namespace acuity
