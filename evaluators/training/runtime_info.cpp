#include "evaluators/training/runtime_info.hpp"

#include <dlfcn.h>
#include <link.h>
#include <torch/torch.h>

#include <climits>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace nas {
namespace {

std::vector<std::string> loaded_libraries() {
  std::vector<std::string> paths;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) {
        if (info->dlpi_name && *info->dlpi_name)
          static_cast<std::vector<std::string>*>(data)->push_back(info->dlpi_name);
        return 0;
      },
      &paths);
  return paths;
}

std::string resolved(const std::string& path) {
  char buffer[PATH_MAX];
  return realpath(path.c_str(), buffer) ? std::string(buffer) : path;
}

}  // namespace

RuntimeInfo runtime_info() {
  RuntimeInfo info;
  info.torch_version = TORCH_VERSION;
  info.blas_library = "none loaded";
  for (const auto& path : loaded_libraries()) {
    const std::string real = resolved(path);
    if (real.find("blas") != std::string::npos) {
      info.blas_library = real;
      // Debian's reference BLAS lives in .../blas/; OpenBLAS in .../openblas-<variant>/.
      info.blas_is_reference = real.find("openblas") == std::string::npos;
      break;
    }
  }
  using ConfigFunction = char* (*)();
  if (auto config = reinterpret_cast<ConfigFunction>(dlsym(RTLD_DEFAULT, "openblas_get_config")))
    info.blas_config = config();
  info.intra_op_threads = at::get_num_threads();
  info.inter_op_threads = at::get_num_interop_threads();
  info.cuda_available = torch::cuda::is_available();
  info.cuda_devices = info.cuda_available ? static_cast<int>(torch::cuda::device_count()) : 0;
  return info;
}

std::string describe_runtime(const RuntimeInfo& info) {
  std::ostringstream out;
  out << "LibTorch " << info.torch_version << "\n";
  out << "BLAS: " << info.blas_library;
  if (!info.blas_config.empty()) out << " (" << info.blas_config << ")";
  if (info.blas_is_reference) out << "  WARNING: reference BLAS, training is ~12x slower; apt-get install libopenblas0-openmp";
  out << "\n";
  out << "threads: intra-op " << info.intra_op_threads << " per worker by default, inter-op "
      << info.inter_op_threads;
  if (const char* omp = std::getenv("OMP_NUM_THREADS")) out << ", OMP_NUM_THREADS=" << omp;
  out << "\n";
  out << "CUDA: " << (info.cuda_available ? std::to_string(info.cuda_devices) + " device(s)" : "not available")
      << "\n";
  return out.str();
}

}  // namespace nas
