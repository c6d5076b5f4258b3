#include "controllers/rl/float_codec.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "core/error.hpp"

namespace nas::rl {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::array<int, 256> decoding_table() {
  std::array<int, 256> table;
  table.fill(-1);
  for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = i;
  return table;
}

// The floats' IEEE-754 bytes, little-endian.
std::vector<unsigned char> float_bytes(const std::vector<float>& values) {
  std::vector<unsigned char> bytes(values.size() * 4);
  for (std::size_t v = 0; v < values.size(); ++v) {
    std::uint32_t bits;
    std::memcpy(&bits, &values[v], sizeof bits);
    for (std::size_t b = 0; b < 4; ++b) bytes[4 * v + b] = static_cast<unsigned char>(bits >> (8 * b));
  }
  return bytes;
}

}  // namespace

std::string encode_floats(const std::vector<float>& values) {
  const std::vector<unsigned char> bytes = float_bytes(values);
  std::string text((bytes.size() + 2) / 3 * 4, '=');
  std::size_t out = 0;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t available = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t b = 0; b < 3; ++b) group = (group << 8) | (b < available ? bytes[i + b] : 0u);
    for (std::size_t c = 0; c <= available; ++c) text[out + c] = kAlphabet[(group >> (18 - 6 * c)) & 0x3f];
    out += 4;
  }
  return text;
}

std::vector<float> decode_floats(const std::string& text, std::size_t count, const std::string& what) {
  static const std::array<int, 256> table = decoding_table();
  const std::size_t expected_chars = (count * 4 + 2) / 3 * 4;
  if (text.size() != expected_chars)
    throw Error("controller state", what + ": expected " + std::to_string(count) + " floats (" +
                                        std::to_string(expected_chars) + " base64 characters), got " +
                                        std::to_string(text.size()) + " characters");
  std::string bytes;
  bytes.reserve(count * 4 + 2);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t group = 0;
    std::size_t padding = 0;
    for (std::size_t c = 0; c < 4; ++c) {
      const char symbol = text[i + c];
      int value = 0;
      if (symbol == '=')
        ++padding;
      else if (padding > 0 || (value = table[static_cast<unsigned char>(symbol)]) < 0)
        throw Error("controller state", what + ": not base64 at character " + std::to_string(i + c));
      group = (group << 6) | static_cast<std::uint32_t>(value);
    }
    for (std::size_t b = 0; b < 3 - padding; ++b) bytes.push_back(static_cast<char>((group >> (16 - 8 * b)) & 0xff));
  }
  if (bytes.size() != count * 4)
    throw Error("controller state", what + ": expected " + std::to_string(count) + " floats");
  std::vector<float> values(count);
  for (std::size_t v = 0; v < count; ++v) {
    std::uint32_t bits = 0;
    for (int b = 0; b < 4; ++b)
      bits |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[4 * v + b])) << (8 * b);
    std::memcpy(&values[v], &bits, sizeof bits);
  }
  return values;
}

}  // namespace nas::rl
