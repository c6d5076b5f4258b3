// An IDX file (gzip or plain; zlib reads both) as the Fashion-MNIST loader reads it. The first byte
// picks the magic number expected: images or labels.
#include <cstddef>
#include <cstdint>

#include "evaluators/datasets/idx_reader.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint32_t magic = data[0] % 2 == 0 ? nas::idx_images_magic : nas::idx_labels_magic;
  const std::string path = nas::fuzz::write_scratch_file("data.idx", std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  nas::fuzz::expect_clean_refusal([&] { nas::read_idx_gz(path, magic); });
  return 0;
}
