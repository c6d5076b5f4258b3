#pragma once
// What the training runtime actually is on this machine: LibTorch version, the BLAS library the
// process loaded (Debian's libtorch silently falls back to a reference BLAS about 12x slower when
// OpenBLAS is missing), and thread settings.
#include <string>

namespace nas {

struct RuntimeInfo {
  std::string torch_version;
  std::string blas_library;  // resolved path of the loaded BLAS, or "none loaded"
  std::string blas_config;   // OpenBLAS's own description, when it is OpenBLAS
  bool blas_is_reference = false;
  int intra_op_threads = 0;
  int inter_op_threads = 0;
  bool cuda_available = false;
  int cuda_devices = 0;
};

RuntimeInfo runtime_info();
std::string describe_runtime(const RuntimeInfo& info);

}  // namespace nas
