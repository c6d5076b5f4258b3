// A NumPy .npy file as the npy dataset reads it: the header, then the array's bytes.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "evaluators/datasets/npy_reader.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = nas::fuzz::write_scratch_file("data.npy", std::string(reinterpret_cast<const char*>(data), size));
  nas::fuzz::expect_clean_refusal([&] {
    const nas::NpyHeader header = nas::read_npy_header(path);
    // The reader has checked that the file holds the bytes the shape promises, so this is at most the input.
    std::vector<unsigned char> array(static_cast<std::size_t>(header.count()) * header.item_size());
    nas::read_npy_data(path, header, array.data());
  });
  return 0;
}
