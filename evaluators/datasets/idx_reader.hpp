#pragma once
// Reads gzip-compressed IDX files, the format of MNIST and Fashion-MNIST. No torch here: the dataset
// loaders turn the bytes into tensors.
#include <cstdint>
#include <string>
#include <vector>

namespace nas {

// The magic numbers of the two IDX kinds the image datasets use: unsigned bytes, 3 or 1 dimensions.
inline constexpr std::uint32_t idx_images_magic = 2051;
inline constexpr std::uint32_t idx_labels_magic = 2049;

struct IdxArray {
  std::vector<std::int64_t> dims;  // e.g. {60000, 28, 28}
  std::vector<std::uint8_t> data;  // row-major, product(dims) bytes
};

// Reads `path` (gzip, or plain: zlib reads both) and checks its magic number against `expected_magic`,
// its dimensions and that the file holds all the bytes they promise. Errors name the file.
IdxArray read_idx_gz(const std::string& path, std::uint32_t expected_magic);

}  // namespace nas
