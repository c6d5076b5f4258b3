#pragma once
// Reads NumPy .npy files (format versions 1.0, 2.0 and 3.0): the magic string, the header dict with
// 'descr', 'fortran_order' and 'shape', then the array's bytes in C order. Only the element types an
// image dataset needs are accepted. No torch here: the dataset loader reads the bytes into tensors.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nas {

enum class NpyType { float32, uint8, int32, int64 };

struct NpyHeader {
  NpyType type = NpyType::float32;
  std::string descr;                // as written in the header, e.g. "<f4"
  std::vector<std::int64_t> shape;  // e.g. {50000, 3, 32, 32}; {} for a scalar
  std::size_t data_offset = 0;      // where the array's bytes start
  std::int64_t count() const;       // product of shape
  std::size_t item_size() const;
};

// The 'descr' values accepted, for messages: "'<f4' (float32), '|u1' (uint8), '<i4' (int32), '<i8' (int64)".
std::string accepted_npy_types();

// Reads and checks the header of `path`: the magic string and version, a dict with 'descr' among the
// accepted types, 'fortran_order' False, and 'shape'; and that the file holds all the bytes the shape
// promises. Errors name the file, what was wrong and what is accepted.
NpyHeader read_npy_header(const std::string& path);

// Reads the array's bytes (header.count() * header.item_size() of them) into `destination`.
void read_npy_data(const std::string& path, const NpyHeader& header, void* destination);

}  // namespace nas
