// The plain-C module boundary (enhance/torch/sr_module_abi.h): the module
// built in this tree answers its own interface version and refuses any
// other with one line; the adapter reports its file and LibTorch.
#include "enhance/sr_backend.h"

#include <dlfcn.h>

#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "enhance/torch/sr_module_abi.h"

namespace acuity {
namespace {

const char* const kModulePath = ACUITY_TORCH_MODULE_BUILD_PATH;

// The module's entry point, dlopen'ed directly (RTLD_NOLOAD is not used: a
// second dlopen of the same file returns the same handle).
AcuitySrEntryPoint Entry() {
  void* handle = dlopen(kModulePath, RTLD_NOW | RTLD_LOCAL);
  EXPECT_NE(handle, nullptr) << dlerror();
  if (handle == nullptr) return nullptr;
  return reinterpret_cast<AcuitySrEntryPoint>(dlsym(handle, ACUITY_SR_ENTRY_POINT));
}

TEST(SrModuleAbiTest, TheModuleAnswersItsOwnVersion) {
  AcuitySrEntryPoint entry = Entry();
  ASSERT_NE(entry, nullptr);
  char message[ACUITY_SR_MESSAGE_BYTES] = "";
  const AcuitySrModule* module = entry(ACUITY_SR_ABI_VERSION, message, sizeof message);
  ASSERT_NE(module, nullptr) << message;
  EXPECT_EQ(module->abi_version, ACUITY_SR_ABI_VERSION);
  EXPECT_GE(std::strlen(module->torch_version), 5u);  // "1.13.0"
  EXPECT_GE(module->cuda_device_count(), 0);
  EXPECT_GE(module->process_threads(), 1);
}

TEST(SrModuleAbiTest, AnotherVersionIsRefusedWithOneLine) {
  AcuitySrEntryPoint entry = Entry();
  ASSERT_NE(entry, nullptr);
  for (uint32_t other : {1u, ACUITY_SR_ABI_VERSION + 1}) {
    char message[ACUITY_SR_MESSAGE_BYTES] = "";
    EXPECT_EQ(entry(other, message, sizeof message), nullptr) << other;
    const std::string text(message);
    EXPECT_NE(text.find(std::to_string(ACUITY_SR_ABI_VERSION)), std::string::npos) << text;
    EXPECT_NE(text.find(std::to_string(other)), std::string::npos) << text;
    EXPECT_EQ(text.find('\n'), std::string::npos) << text;
  }
}

TEST(SrModuleAbiTest, Fp16OnTheCpuAndAMissingDeviceAreRefusedNotCrashed) {
  absl::StatusOr<const SrBackend*> backend = GetSrBackend();
  ASSERT_TRUE(backend.ok()) << backend.status();
  const std::string model = std::string(ACUITY_TEST_MODEL_DIR) + "/esrgan-slim-x2.pt";
  EXPECT_TRUE(absl::IsFailedPrecondition((*backend)->Load(model, SrDevice::Cpu(), SrPrecision::kFp16).status()));
  const int missing = static_cast<int>((*backend)->CudaDevices().size());
  EXPECT_TRUE(
      absl::IsFailedPrecondition((*backend)->Load(model, SrDevice::Cuda(missing), SrPrecision::kFp32).status()));
}

TEST(SrBackendTest, SaysWhichModuleAndLibTorchItLoaded) {
  absl::StatusOr<const SrBackend*> backend = GetSrBackend();
  ASSERT_TRUE(backend.ok()) << backend.status();
  EXPECT_NE((*backend)->ModulePath().find("libacuity_torch"), std::string::npos) << (*backend)->ModulePath();
  EXPECT_EQ((*backend)->TorchVersion().find_first_not_of("0123456789."), std::string::npos);
}

TEST(SrDeviceTest, Names) {
  EXPECT_EQ(SrDevice::Cpu().Name(), "cpu");
  EXPECT_EQ(SrDevice::Cuda(2).Name(), "cuda:2");
  EXPECT_STREQ(PrecisionName(SrPrecision::kFp16), "fp16");
}

}  // namespace
}  // namespace acuity
