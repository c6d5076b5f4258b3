#include "evaluators/runner/mpi_protocol.hpp"

#include <cstdint>

#include "core/error.hpp"

namespace nas {
namespace {

constexpr std::size_t kLengthBytes = 8;
// Headers are small (a request, a result's metrics); anything larger is not a frame of ours.
constexpr std::uint64_t kMaxHeaderBytes = 64u << 20;
constexpr std::size_t kMaxBlobs = 1u << 16;

}  // namespace

std::string encode_frame(const MpiFrame& frame) {
  Json header = frame.header;
  Json sizes = Json::array();
  for (const std::string& blob : frame.blobs) sizes.push_back(blob.size());
  header["blobs"] = sizes;
  const std::string text = header.dump();
  std::string bytes(kLengthBytes, '\0');
  const std::uint64_t length = text.size();
  for (std::size_t i = 0; i < kLengthBytes; ++i) bytes[i] = static_cast<char>((length >> (8 * i)) & 0xff);
  bytes += text;
  for (const std::string& blob : frame.blobs) bytes += blob;
  return bytes;
}

Json session_header(std::int64_t session, const RunnerOptions& options) {
  return Json{{"session", session},
              {"recipe", {{"sections", options.recipe.sections}, {"seed", options.recipe.seed}}},
              {"workers", options.workers},
              {"threads_per_worker", options.threads_per_worker}};
}

void put_records(MpiFrame& frame, const std::vector<StateRecord>& records) {
  Json keys = Json::array();
  for (const StateRecord& record : records) {
    keys.push_back(record.key);
    frame.blobs.push_back(record.bytes);
  }
  frame.header["keys"] = keys;
}

std::vector<StateRecord> records_of(const MpiFrame& frame, const std::string& from) {
  const Json& keys = frame.header.contains("keys") ? frame.header.at("keys") : Json();
  if (!keys.is_array() || keys.size() != frame.blobs.size())
    throw Error(from, "sent records whose keys and blobs differ in number");
  std::vector<StateRecord> records;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!keys[i].is_string()) throw Error(from, "sent a record key that is not text");
    records.push_back(StateRecord{keys[i].get<std::string>(), frame.blobs[i]});
  }
  return records;
}

MpiFrame decode_frame(const std::string& bytes, const std::string& from) {
  if (bytes.size() < kLengthBytes) throw Error(from, "sent a message of " + std::to_string(bytes.size()) + " bytes, too short for a frame");
  std::uint64_t length = 0;
  for (std::size_t i = 0; i < kLengthBytes; ++i)
    length |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  if (length > kMaxHeaderBytes || length > bytes.size() - kLengthBytes)
    throw Error(from, "sent a frame whose header length (" + std::to_string(length) + ") is past its end");
  MpiFrame frame;
  try {
    frame.header = Json::parse(bytes.substr(kLengthBytes, length));
  } catch (const Json::exception& e) {
    throw Error(from, std::string("sent a frame whose header is not JSON: ") + e.what());
  }
  if (!frame.header.is_object() || !frame.header.contains("blobs") || !frame.header["blobs"].is_array())
    throw Error(from, "sent a frame without its list of blobs");
  const Json& sizes = frame.header["blobs"];
  if (sizes.size() > kMaxBlobs) throw Error(from, "sent a frame of " + std::to_string(sizes.size()) + " blobs");
  std::size_t at = kLengthBytes + length;
  for (const Json& size : sizes) {
    if (!size.is_number_unsigned() || size.get<std::uint64_t>() > bytes.size() - at)
      throw Error(from, "sent a frame whose blob sizes overrun it");
    const auto count = static_cast<std::size_t>(size.get<std::uint64_t>());
    frame.blobs.push_back(bytes.substr(at, count));
    at += count;
  }
  if (at != bytes.size()) throw Error(from, "sent a frame with " + std::to_string(bytes.size() - at) + " bytes past its blobs");
  frame.header.erase("blobs");
  return frame;
}

}  // namespace nas
