#include "enhance/device.h"

#include <gtest/gtest.h>

#include "absl/status/status.h"
#include "analysis/advice/parse_steps.h"

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

}  // namespace
}  // namespace acuity
