#include "evaluators/datasets/idx_reader.hpp"

#include <zlib.h>

#include <algorithm>
#include <limits>
#include <memory>

#include "core/error.hpp"
#include "core/input_file.hpp"

namespace nas {
namespace {

constexpr std::size_t kMaxIdxBytes = std::size_t{1} << 30;

struct GzCloser {
  void operator()(gzFile file) const { gzclose(file); }
};
using GzHandle = std::unique_ptr<std::remove_pointer_t<gzFile>, GzCloser>;

// Reads exactly `size` bytes or explains why not; `what` says which part of the file was being read,
// of which `before` bytes were read earlier and `total` are expected in all (0: `size`).
void read_exactly(gzFile file, const std::string& path, void* buffer, std::size_t size, const std::string& what,
                  std::size_t before = 0, std::size_t total = 0) {
  auto* out = static_cast<unsigned char*>(buffer);
  std::size_t done = 0;
  // gzread takes an unsigned count, so large payloads are read in pieces.
  while (done < size) {
    const unsigned piece = static_cast<unsigned>(std::min<std::size_t>(size - done, 1u << 30));
    const int got = gzread(file, out + done, piece);
    if (got < 0) {
      int code = 0;
      throw Error(path, "cannot read " + what + ": " + gzerror(file, &code));
    }
    if (got == 0)
      throw Error(path, "file is truncated: expected " + std::to_string(total ? total : size) + " bytes of " + what +
                            ", got " + std::to_string(before + done));
    done += static_cast<std::size_t>(got);
  }
}

std::uint32_t big_endian(const unsigned char bytes[4]) {
  return (std::uint32_t(bytes[0]) << 24) | (std::uint32_t(bytes[1]) << 16) | (std::uint32_t(bytes[2]) << 8) |
         std::uint32_t(bytes[3]);
}

}  // namespace

IdxArray read_idx_gz(const std::string& path, std::uint32_t expected_magic) {
  require_regular_file(path, "an IDX file (.gz or plain)");
  GzHandle file(gzopen(path.c_str(), "rb"));
  if (!file) throw Error(path, "cannot open the file");

  unsigned char word[4];
  read_exactly(file.get(), path, word, 4, "the header");
  const std::uint32_t magic = big_endian(word);
  if (magic != expected_magic)
    throw Error(path, "not an IDX file of the expected kind: magic number " + std::to_string(magic) + ", expected " +
                          std::to_string(expected_magic));

  // The low byte of the magic number is the number of dimensions; the byte above it the element type.
  IdxArray array;
  const std::size_t rank = magic & 0xff;
  std::size_t count = 1;
  for (std::size_t i = 0; i < rank; ++i) {
    read_exactly(file.get(), path, word, 4, "the header");
    const std::uint32_t dim = big_endian(word);
    if (dim == 0) throw Error(path, "dimension " + std::to_string(i) + " of the header is 0");
    if (count > std::numeric_limits<std::size_t>::max() / dim) throw Error(path, "the header's dimensions overflow");
    count *= dim;
    array.dims.push_back(dim);
  }
  // Fashion-MNIST's largest file holds 47 MB of pixels; a header promising gigabytes (dimensions of
  // 4294967295) is refused before the memory is asked for.
  if (count > kMaxIdxBytes)
    throw Error(path, "the header's dimensions promise " + std::to_string(count) + " bytes of data, over the " +
                          std::to_string(kMaxIdxBytes) + " this reader accepts: the file is damaged or not an IDX file");
  // Read a mebibyte at a time, so that memory grows with the data the file holds, not with what its
  // header promises: 20 bytes promising a gigabyte cost a gigabyte before they were found short.
  constexpr std::size_t kChunk = std::size_t{1} << 20;
  while (array.data.size() < count) {
    const std::size_t at = array.data.size();
    const std::size_t step = std::min(kChunk, count - at);
    array.data.resize(at + step);
    read_exactly(file.get(), path, array.data.data() + at, step, "data", at, count);
  }
  return array;
}

}  // namespace nas
