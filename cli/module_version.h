// The model side of `acuity --version`: which LibTorch module file was
// loaded, the LibTorch it was built against, and the devices it sees (CUDA
// devices by name with their memory). Loads the module (about 0.6 s).
//
//   acuity::cli::PrintModuleVersion(std::cout);
//   // LibTorch module: /usr/lib/acuity/libacuity_torch.so (LibTorch 1.13.0, model interface 2)
//   // devices: cpu; no CUDA device
#ifndef ACUITY_CLI_MODULE_VERSION_H_
#define ACUITY_CLI_MODULE_VERSION_H_

#include <ostream>
#include <string>
#include <vector>

#include "enhance/sr_backend.h"

namespace acuity::cli {

// "cuda:0 NVIDIA H100 80GB HBM3 (79.1 GiB, 78.6 GiB free)"; memory not known: left out.
std::string DescribeDevice(const SrDeviceInfo& device);

// Two lines: the module and its LibTorch, then the devices; when the module
// does not load, why (one line) and "devices: cpu (no LibTorch module)".
void PrintModuleVersion(std::ostream& out);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_MODULE_VERSION_H_
