#pragma once
// Writes NumPy .npy files for tests, as numpy.save does (format 1.0 unless asked otherwise), so the
// tests need no NumPy and can also write the broken files a loader must refuse.
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace nas::testing {

struct NpyFile {
  std::string descr = "<f4";
  std::vector<std::int64_t> shape;
  std::vector<unsigned char> data;  // the array's bytes, C order
  int major_version = 1;
  bool fortran_order = false;
  std::size_t drop_bytes = 0;  // cut this many bytes off the end (a truncated file)
};

template <typename T>
std::vector<unsigned char> npy_bytes(const std::vector<T>& values) {
  std::vector<unsigned char> bytes(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

inline void write_npy(const std::string& path, const NpyFile& file) {
  std::string shape = "(";
  for (auto dim : file.shape) shape += std::to_string(dim) + ", ";
  if (file.shape.size() > 1) shape.erase(shape.size() - 2);  // NumPy writes (3,) but (3, 4)
  else if (file.shape.size() == 1) shape.erase(shape.size() - 1);
  shape += ")";
  std::string header = "{'descr': '" + file.descr + "', 'fortran_order': " + (file.fortran_order ? "True" : "False") +
                       ", 'shape': " + shape + ", }";
  // NumPy pads the header with spaces and a newline so that the data starts on a 64-byte boundary.
  const std::size_t length_size = file.major_version == 1 ? 2 : 4;
  const std::size_t preamble = 6 + 2 + length_size;
  const std::size_t padded = ((preamble + header.size() + 1 + 63) / 64) * 64;
  header.append(padded - preamble - header.size() - 1, ' ');
  header += '\n';

  std::string bytes = "\x93NUMPY";
  bytes += static_cast<char>(file.major_version);
  bytes += '\0';
  for (std::size_t i = 0; i < length_size; ++i) bytes += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  bytes += header;
  bytes.append(reinterpret_cast<const char*>(file.data.data()), file.data.size());
  bytes.resize(bytes.size() - std::min(file.drop_bytes, bytes.size()));
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace nas::testing
