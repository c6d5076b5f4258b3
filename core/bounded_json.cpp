#include "core/bounded_json.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace nas {

Json parse_json(const std::string& text, const std::string& where, int max_depth) {
  // The parser's callback sees each value's depth as it starts: throwing there stops the parse before
  // anything deeper is built.
  struct TooDeep {};
  const Json::parser_callback_t guard = [max_depth](int depth, Json::parse_event_t event, Json&) {
    if (depth > max_depth && (event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start))
      throw TooDeep{};
    return true;
  };
  try {
    return Json::parse(text, guard);
  } catch (const TooDeep&) {
    throw Error(where, "is nested more than " + std::to_string(max_depth) + " levels deep");
  } catch (const Json::exception& e) {
    std::string message = e.what();
    if (message.size() > 300) message = message.substr(0, 297) + "...";
    throw Error(where, "not valid JSON: " + message);
  }
}

Json read_json_file(const std::string& path, int max_depth, std::size_t max_bytes) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) throw Error(path, "is a directory, not a JSON file");
  const auto size = std::filesystem::file_size(path, error);
  if (error) throw Error(path, "cannot be read: " + error.message());
  if (size > max_bytes)
    throw Error(path, "holds " + std::to_string(size) + " bytes; JSON files of at most " + std::to_string(max_bytes) +
                          " are read");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, "cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_json(text.str(), path, max_depth);
}

}  // namespace nas
