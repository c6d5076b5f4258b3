#include "evaluators/datasets/npy_reader.hpp"

#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>

#include "core/error.hpp"
#include "core/input_file.hpp"

namespace nas {
namespace {

// NumPy pads headers to 64 bytes and keeps them short; anything longer is not a header it wrote.
constexpr std::size_t kMaxNpyHeaderBytes = 1u << 20;

const char npy_magic[] = "\x93NUMPY";
constexpr std::size_t npy_magic_size = 6;

struct TypeInfo {
  const char* descr;
  NpyType type;
  std::size_t size;
  const char* name;
};
// '|' (not applicable) and '<' (little-endian) only; the machines this builds for are little-endian,
// so the bytes are used as they are. '=' (native) is not written by NumPy's save for these types.
const TypeInfo accepted_types[] = {{"<f4", NpyType::float32, 4, "float32"},
                                   {"|u1", NpyType::uint8, 1, "uint8"},
                                   {"<i4", NpyType::int32, 4, "int32"},
                                   {"<i8", NpyType::int64, 8, "int64"}};

// A parser for the header's Python dict literal, e.g.
// {'descr': '<f4', 'fortran_order': False, 'shape': (10, 3, 32, 32), }
// Values are strings, True/False or tuples of integers; that is all NumPy writes there.
class HeaderParser {
 public:
  HeaderParser(const std::string& text, const std::string& path) : text_(text), path_(path) {}

  struct Value {
    std::string text;                 // a string, or "True" / "False"
    std::vector<std::int64_t> items;  // a tuple
    bool is_tuple = false;
    bool is_string = false;
  };

  std::map<std::string, Value> parse_dict() {
    std::map<std::string, Value> dict;
    expect('{');
    while (true) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = parse_string();
      expect(':');
      dict[key] = parse_value();
      skip_space();
      if (peek() == ',') ++at_;
    }
    return dict;
  }

 private:
  Error fail(const std::string& what) const {
    return Error(path_, "the .npy header is not a dict NumPy writes (" + what + " at character " +
                            std::to_string(at_) + " of \"" + text_ + "\")");
  }
  char peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }
  void skip_space() {
    while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) throw fail(std::string("expected '") + c + "'");
    ++at_;
  }
  std::string parse_string() {
    skip_space();
    const char quote = peek();
    if (quote != '\'' && quote != '"') throw fail("expected a quoted key or string");
    const auto end = text_.find(quote, at_ + 1);
    if (end == std::string::npos) throw fail("unterminated string");
    std::string result = text_.substr(at_ + 1, end - at_ - 1);
    at_ = end + 1;
    return result;
  }
  std::int64_t parse_integer() {
    skip_space();
    const std::size_t start = at_;
    while (std::isdigit(static_cast<unsigned char>(peek()))) ++at_;
    if (start == at_) throw fail("expected a non-negative integer");
    // Python may write 3L for longs in old files.
    if (peek() == 'L') ++at_;
    try {
      return std::stoll(text_.substr(start, at_ - start));
    } catch (const std::exception&) {
      throw fail("integer out of range");
    }
  }
  Value parse_value() {
    skip_space();
    Value value;
    if (peek() == '\'' || peek() == '"') {
      value.text = parse_string();
      value.is_string = true;
    } else if (peek() == '(') {
      ++at_;
      value.is_tuple = true;
      while (true) {
        skip_space();
        if (peek() == ')') break;
        value.items.push_back(parse_integer());
        skip_space();
        if (peek() == ',') ++at_;
        else if (peek() != ')') throw fail("expected ',' or ')' in the shape");
      }
      ++at_;
    } else {
      const std::size_t start = at_;
      while (std::isalpha(static_cast<unsigned char>(peek()))) ++at_;
      value.text = text_.substr(start, at_ - start);
      if (value.text != "True" && value.text != "False") throw fail("expected a string, a tuple, True or False");
    }
    return value;
  }

  const std::string& text_;
  const std::string& path_;
  std::size_t at_ = 0;
};

std::uint32_t little_endian(const unsigned char* bytes, std::size_t size) {
  std::uint32_t value = 0;
  for (std::size_t i = size; i-- > 0;) value = (value << 8) | bytes[i];
  return value;
}

void read_exactly(std::ifstream& in, const std::string& path, char* buffer, std::size_t size,
                  const std::string& what) {
  in.read(buffer, static_cast<std::streamsize>(size));
  if (static_cast<std::size_t>(in.gcount()) != size)
    throw Error(path, "file is truncated: expected " + std::to_string(size) + " bytes of " + what + ", got " +
                          std::to_string(in.gcount()));
}

std::ifstream open(const std::string& path) {
  if (!std::filesystem::exists(path)) throw Error(path, "missing file");
  require_regular_file(path, "a .npy file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, "cannot open the file");
  return in;
}

}  // namespace

std::int64_t NpyHeader::count() const {
  std::int64_t n = 1;
  for (auto dim : shape) n *= dim;
  return n;
}

std::size_t NpyHeader::item_size() const {
  for (const auto& info : accepted_types)
    if (info.type == type) return info.size;
  return 0;
}

std::string accepted_npy_types() {
  std::string result;
  for (const auto& info : accepted_types)
    result += (result.empty() ? "'" : ", '") + std::string(info.descr) + "' (" + info.name + ")";
  return result;
}

NpyHeader read_npy_header(const std::string& path) {
  std::ifstream in = open(path);
  unsigned char preamble[npy_magic_size + 2];
  read_exactly(in, path, reinterpret_cast<char*>(preamble), sizeof preamble, "the .npy preamble");
  if (std::memcmp(preamble, npy_magic, npy_magic_size) != 0)
    throw Error(path, "not a NumPy .npy file (it does not start with \\x93NUMPY)");
  const int major = preamble[npy_magic_size];
  if (major < 1 || major > 3)
    throw Error(path, ".npy format version " + std::to_string(major) + "." +
                          std::to_string(preamble[npy_magic_size + 1]) + " is not supported; accepted: 1.0, 2.0, 3.0");
  // Version 1 stores the header length in 2 bytes, versions 2 and 3 in 4 (3 only allows UTF-8 in it).
  const std::size_t length_size = major == 1 ? 2 : 4;
  unsigned char length_bytes[4];
  read_exactly(in, path, reinterpret_cast<char*>(length_bytes), length_size, "the .npy header length");
  const std::size_t header_length = little_endian(length_bytes, length_size);
  // NumPy writes headers of a few hundred bytes; a length past the file (0xFFFFFFF0) is refused
  // before a buffer of that size is made.
  std::error_code size_error;
  const auto file_bytes = std::filesystem::file_size(path, size_error);
  if (size_error || header_length > kMaxNpyHeaderBytes || header_length > file_bytes)
    throw Error(path, "the .npy header length is " + std::to_string(header_length) + " bytes, past the file's " +
                          std::to_string(file_bytes) + " bytes or the " + std::to_string(kMaxNpyHeaderBytes) +
                          " accepted: the file is damaged or not a .npy file");
  std::string text(header_length, '\0');
  read_exactly(in, path, text.data(), header_length, "the .npy header");

  const auto dict = HeaderParser(text, path).parse_dict();
  for (const char* key : {"descr", "fortran_order", "shape"})
    if (!dict.count(key)) throw Error(path, std::string("the .npy header has no '") + key + "': \"" + text + "\"");
  const auto& descr = dict.at("descr");
  const auto& fortran_order = dict.at("fortran_order");
  const auto& shape = dict.at("shape");

  NpyHeader header;
  header.descr = descr.text;
  bool known = false;
  for (const auto& info : accepted_types)
    if (descr.is_string && descr.text == info.descr) {
      header.type = info.type;
      known = true;
    }
  if (!known)
    throw Error(path, "element type '" + descr.text + "' is not supported; accepted: " + accepted_npy_types() +
                          " (big-endian and other types: convert with numpy's astype before saving)");
  if (fortran_order.is_string || fortran_order.is_tuple || fortran_order.text != "False")
    throw Error(path, "the array is stored in Fortran order (fortran_order: " + fortran_order.text +
                          "); only C order is accepted (save np.ascontiguousarray(x))");
  if (!shape.is_tuple) throw Error(path, "the .npy header's 'shape' is not a tuple: \"" + text + "\"");
  header.shape = shape.items;
  header.data_offset = npy_magic_size + 2 + length_size + header_length;

  std::size_t bytes = header.item_size();
  for (auto dim : header.shape) {
    if (dim != 0 && bytes > std::numeric_limits<std::size_t>::max() / static_cast<std::size_t>(dim))
      throw Error(path, "the .npy header's shape overflows");
    bytes *= static_cast<std::size_t>(dim);
  }
  const auto file_size = std::filesystem::file_size(path);
  if (file_size < header.data_offset + bytes)
    throw Error(path, "file is truncated: the shape promises " + std::to_string(bytes) + " bytes of data after the " +
                          std::to_string(header.data_offset) + "-byte header, but the file has " +
                          std::to_string(file_size) + " bytes in all");
  return header;
}

void read_npy_data(const std::string& path, const NpyHeader& header, void* destination) {
  std::ifstream in = open(path);
  in.seekg(static_cast<std::streamoff>(header.data_offset));
  read_exactly(in, path, static_cast<char*>(destination),
               static_cast<std::size_t>(header.count()) * header.item_size(), "data");
}

}  // namespace nas
