#include "evaluators/evaluation/trial_request.hpp"

#include <boost/archive/iterators/base64_from_binary.hpp>
#include <boost/archive/iterators/binary_from_base64.hpp>
#include <boost/archive/iterators/transform_width.hpp>

#include <algorithm>

#include "core/error.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {
namespace {

constexpr const char* kRequestWhat = "trial request";
constexpr const char* kResultWhat = "trial result";

// Base64 by Boost's iterators (6 bits out of every 8, and back), padded with '=' to whole groups of 4.
std::string to_base64(const std::string& bytes) {
  using namespace boost::archive::iterators;
  using Encoder = base64_from_binary<transform_width<std::string::const_iterator, 6, 8>>;
  std::string text(Encoder(bytes.begin()), Encoder(bytes.end()));
  text.append((3 - bytes.size() % 3) % 3, '=');
  return text;
}

std::string from_base64(const std::string& text, const std::string& where) {
  using namespace boost::archive::iterators;
  using Decoder = transform_width<binary_from_base64<std::string::const_iterator>, 8, 6>;
  const auto valid = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/'; };
  const std::size_t padding = text.size() - std::min(text.find_last_not_of('=') + 1, text.size());
  if (text.size() % 4 != 0 || padding > 2 || !std::all_of(text.begin(), text.end() - padding, valid))
    throw Error(where, "is not base64 text");
  const std::string body = text.substr(0, text.size() - padding) + std::string(padding, 'A');
  std::string bytes(Decoder(body.begin()), Decoder(body.end()));
  bytes.resize(bytes.size() - padding);
  return bytes;
}

const Json& member(const Json& json, const char* key, const std::string& where) {
  if (!json.is_object() || !json.contains(key)) throw Error(where, std::string("has no '") + key + "'");
  return json.at(key);
}

template <typename T>
T value_of(const Json& json, const char* key, const std::string& where) {
  try {
    return member(json, key, where).get<T>();
  } catch (const Json::exception& e) {
    throw Error(where + "." + key, std::string("has the wrong type: ") + e.what());
  }
}

}  // namespace

Json to_json(const TrialRequest& request) {
  return Json{{"id", request.id},
              {"arch", request.arch.to_json()},
              {"hash", request.arch.hash()},
              {"seed", request.seed},
              {"weights_file", request.weights_file},
              {"shared_weights", request.shared_weights ? Json(request.shared_weights->kind()) : Json()}};
}

TrialRequest trial_request_from_json(const Json& json, const SearchSpace& space, const SharedWeightsLookup& lookup) {
  TrialRequest request;
  request.id = value_of<std::int64_t>(json, "id", kRequestWhat);
  const std::string where = std::string(kRequestWhat) + " " + std::to_string(request.id);
  request.seed = value_of<std::uint64_t>(json, "seed", where);
  request.weights_file = value_of<std::string>(json, "weights_file", where);
  request.arch = replay_recorded(space, member(json, "arch", where), value_of<std::string>(json, "hash", where), where);
  const Json& shared = member(json, "shared_weights", where);
  if (!shared.is_null()) {
    const std::string kind = value_of<std::string>(json, "shared_weights", where);
    if (lookup) request.shared_weights = lookup(kind);
    if (!request.shared_weights) throw Error(where, "needs the shared weights '" + kind + "', which this process does not hold");
  }
  return request;
}

Json to_json(const TrialResult& result) {
  Json offer = Json::array();
  for (const StateRecord& record : result.offer) offer.push_back({{"key", record.key}, {"bytes", to_base64(record.bytes)}});
  return Json{{"id", result.id},
              {"status", to_string(result.status)},
              {"metrics", to_json(result.metrics)},
              {"error", result.error},
              {"offer", offer},
              {"trained_on", result.trained_on}};
}

TrialResult trial_result_from_json(const Json& json) {
  TrialResult result;
  result.id = value_of<std::int64_t>(json, "id", kResultWhat);
  const std::string where = std::string(kResultWhat) + " " + std::to_string(result.id);
  try {
    result.status = trial_status_from_string(value_of<std::string>(json, "status", where));
  } catch (const Error& e) {
    throw Error(where + ".status", e.what());
  }
  if (result.status != TrialStatus::done && result.status != TrialStatus::failed)
    throw Error(where + ".status", "must be done or failed, got " + to_string(result.status));
  result.metrics = trial_metrics_from_json(member(json, "metrics", where), where + ".metrics");
  result.error = value_of<std::string>(json, "error", where);
  if (json.contains("trained_on")) result.trained_on = value_of<std::string>(json, "trained_on", where);
  const Json& offer = member(json, "offer", where);
  if (!offer.is_array()) throw Error(where + ".offer", "must be a list of {key, bytes}");
  for (std::size_t i = 0; i < offer.size(); ++i) {
    const std::string entry = where + ".offer[" + std::to_string(i) + "]";
    result.offer.push_back(StateRecord{value_of<std::string>(offer[i], "key", entry),
                                       from_base64(value_of<std::string>(offer[i], "bytes", entry), entry + ".bytes")});
  }
  return result;
}

}  // namespace nas
