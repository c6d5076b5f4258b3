// Trial requests and results as they travel between a run and wherever its trials train: their JSON
// gives back the same values, and what cannot be trusted is refused with the reason.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/policy.hpp"
#include "evaluators/evaluation/trial_request.hpp"
#include "tests/support/scratch.hpp"
#include "tests/support/toy_space.hpp"

namespace nas {
namespace {

using testing::error_of;

class OneWeights : public SharedWeightsView {
 public:
  std::string kind() const override { return "test_weights"; }
  std::vector<StateRecord> records() const override { return {}; }
};

TrialRequest sample_request(const SearchSpace& space) {
  Rng rng(5);
  RandomPolicy policy(rng);
  return TrialRequest{7, space.sample(policy), 18446744073709551615ull, "/runs/a/weights/trial-7.pt", nullptr};
}

TEST(TrialRequestJson, GivesBackTheSameRequest) {
  const testing::ToySpace space;
  const TrialRequest request = sample_request(space);
  const TrialRequest back = trial_request_from_json(Json::parse(to_json(request).dump()), space);
  EXPECT_EQ(back.id, 7);
  EXPECT_EQ(back.arch.hash(), request.arch.hash());
  EXPECT_EQ(back.arch.genotype(), request.arch.genotype());
  EXPECT_EQ(back.seed, request.seed) << "every bit of a 64-bit seed survives";
  EXPECT_EQ(back.weights_file, request.weights_file);
  EXPECT_EQ(back.shared_weights, nullptr);
}

TEST(TrialRequestJson, SharedWeightsTravelByKindAndAreFoundWhereTheRequestArrives) {
  const testing::ToySpace space;
  TrialRequest request = sample_request(space);
  request.shared_weights = std::make_shared<OneWeights>();
  const Json json = to_json(request);
  EXPECT_EQ(json["shared_weights"], "test_weights");
  const auto held = std::make_shared<OneWeights>();
  const TrialRequest back = trial_request_from_json(json, space, [&](const std::string& kind) {
    return kind == "test_weights" ? held : nullptr;
  });
  EXPECT_EQ(back.shared_weights, held);
  EXPECT_NE(error_of([&] { trial_request_from_json(json, space); }).find("needs the shared weights 'test_weights'"),
            std::string::npos);
}

TEST(TrialRequestJson, RefusesAnArchitectureTheSpaceRebuildsDifferently) {
  const testing::ToySpace space;
  Json json = to_json(sample_request(space));
  json["hash"] = "0000000000000000";
  const std::string error = error_of([&] { trial_request_from_json(json, space); });
  EXPECT_NE(error.find("trial request 7"), std::string::npos) << error;
  EXPECT_NE(error.find("recorded 0000000000000000"), std::string::npos) << error;
  Json unknown = to_json(sample_request(space));
  unknown["arch"]["choices"][0][1] = "no-such-option";
  EXPECT_NE(error_of([&] { trial_request_from_json(unknown, space); }).find("trial request 7: cannot rebuild"),
            std::string::npos);
  json.erase("seed");
  EXPECT_NE(error_of([&] { trial_request_from_json(json, space); }).find("has no 'seed'"), std::string::npos);
}

TEST(TrialResultJson, GivesBackTheSameResultWithItsOfferedBytes) {
  TrialResult result;
  result.id = 3;
  result.status = TrialStatus::done;
  result.metrics = TrialMetrics{0.8125, 0.51, 12345, 678910, 4.5, {{"test_accuracy", 0.79}}};
  // Every byte value, and lengths that leave 0, 1 and 2 bytes over a group of three.
  std::string bytes;
  for (int b = 0; b < 256; ++b) bytes.push_back(static_cast<char>(b));
  result.offer = {{"layer/0", bytes}, {"layer/1", std::string("\0\1", 2)}, {"empty", ""}, {"one", "x"}};
  const TrialResult back = trial_result_from_json(Json::parse(to_json(result).dump()));
  EXPECT_EQ(back.id, 3);
  EXPECT_EQ(back.status, TrialStatus::done);
  EXPECT_EQ(back.metrics.val_accuracy, 0.8125);
  EXPECT_EQ(back.metrics.val_loss, 0.51);
  EXPECT_EQ(back.metrics.params, 12345);
  EXPECT_EQ(back.metrics.madds, 678910);
  EXPECT_EQ(back.metrics.train_seconds, 4.5);
  EXPECT_EQ(back.metrics.reported, result.metrics.reported);
  ASSERT_EQ(back.offer.size(), result.offer.size());
  for (std::size_t i = 0; i < result.offer.size(); ++i) {
    EXPECT_EQ(back.offer[i].key, result.offer[i].key);
    EXPECT_EQ(back.offer[i].bytes, result.offer[i].bytes) << result.offer[i].key;
  }
}

TEST(TrialResultJson, AFailedResultKeepsItsReason) {
  TrialResult result;
  result.id = 4;
  result.error = "has 5000 parameters, over evaluator.max_params = 100";
  result.metrics.train_seconds = 0.25;
  const TrialResult back = trial_result_from_json(to_json(result));
  EXPECT_EQ(back.status, TrialStatus::failed);
  EXPECT_EQ(back.error, result.error);
  EXPECT_EQ(back.metrics.train_seconds, 0.25);
}

TEST(TrialResultJson, RefusesWhatItCannotTrust) {
  TrialResult result;
  result.id = 9;
  result.status = TrialStatus::done;
  const Json good = to_json(result);
  auto refused = [&](const std::function<void(Json&)>& spoil) {
    Json json = good;
    spoil(json);
    return error_of([&] { trial_result_from_json(json); });
  };
  EXPECT_NE(refused([](Json& j) { j["status"] = "running"; }).find("must be done or failed"), std::string::npos);
  EXPECT_NE(refused([](Json& j) { j["status"] = "finished"; }).find("unknown trial status"), std::string::npos);
  EXPECT_NE(refused([](Json& j) { j["metrics"]["params"] = 1.5; }).find("metrics.params"), std::string::npos);
  EXPECT_NE(refused([](Json& j) { j["metrics"]["reported"]["x"] = "high"; }).find("reported.x"), std::string::npos);
  EXPECT_NE(refused([](Json& j) { j["offer"] = Json::array({{{"key", "k"}, {"bytes", "abc"}}}); }).find("not base64"),
            std::string::npos);
  EXPECT_NE(refused([](Json& j) { j["offer"] = Json::array({{{"key", "k"}, {"bytes", "ab!="}}}); }).find("not base64"),
            std::string::npos);
  EXPECT_NE(refused([](Json& j) { j.erase("metrics"); }).find("has no 'metrics'"), std::string::npos);
}

TEST(TrialMetricsJson, RefusesFiguresThatAreNotFinite) {
  Json json = to_json(TrialMetrics{});
  json["val_loss"] = std::numeric_limits<double>::infinity();  // nlohmann writes it as null in text
  EXPECT_NE(error_of([&] { trial_metrics_from_json(json, "m"); }).find("m.val_loss"), std::string::npos);
}

}  // namespace
}  // namespace nas
