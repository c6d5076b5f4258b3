// The rl controller's parts: the LSTM policy (sampling, masking, replay, gradients), one update step
// of REINFORCE and of PPO, the reward transforms and the exact float encoding of its checkpoint.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "controllers/rl/decision_kind_table.hpp"
#include "controllers/rl/float_codec.hpp"
#include "controllers/rl/lstm_policy.hpp"
#include "controllers/rl/policy_learner.hpp"
#include "controllers/rl/reward_transform.hpp"
#include "rl_test_spaces.hpp"

namespace nas {
namespace {

using namespace rl;
using testing::kinded_toy_space;
using testing::ListedToySpace;
using testing::masked_toy_space;

std::unique_ptr<SearchSpace> make_nasnet(const std::string& options = "") {
  return make_search_space(ConfigNode::parse("space:\n  name: nasnet\n" + options, "test.yaml").section("space"));
}

// A network for `space`, initialised as the controller does (uniform in [-0.1, 0.1]) or wider.
LstmPolicyNetwork make_network(const DecisionKindTable& kinds, std::size_t hidden = 16, LogitShaping shaping = {},
                               double init_range = 0.1, std::uint64_t seed = 1) {
  LstmPolicyNetwork network(hidden, kinds.option_counts(), shaping);
  Rng rng(seed);
  network.initialise(rng, init_range);
  return network;
}

struct Sampled {
  Architecture arch;
  RecordedSequence decisions;
};

Sampled sample(const SearchSpace& space, const LstmPolicyNetwork& network, const DecisionKindTable& kinds, Rng& rng) {
  LstmPolicy policy(network, kinds, rng);
  Architecture arch = space.sample(policy);
  return Sampled{arch, policy.rollout().record()};
}

std::unique_ptr<PolicyObjective> make_objective(const std::string& yaml) {
  const ConfigNode options = ConfigNode::parse(yaml, "test.yaml");
  auto objective = (*policy_objective_registry().find(options.string("algorithm", "")))(options);
  options.finish();
  return objective;
}

TEST(RlPolicy, ReplayedLogProbabilityEqualsTheSampledOne) {
  auto space = make_nasnet();
  const DecisionKindTable kinds(space->decision_kinds(), space->name());
  const LstmPolicyNetwork network = make_network(kinds, 100, LogitShaping{5.0, 2.5}, 0.5);
  Rng rng(3);
  for (int i = 0; i < 5; ++i) {
    const Sampled sampled = sample(*space, network, kinds, rng);
    // From the recorded sequence, as an update replays it...
    const LstmRollout replayed = LstmRollout::replay(network, sampled.decisions);
    ASSERT_EQ(replayed.record().size(), sampled.decisions.size());
    for (std::size_t d = 0; d < sampled.decisions.size(); ++d)
      EXPECT_EQ(replayed.record()[d].log_prob, sampled.decisions[d].log_prob) << "decision " << d;
    EXPECT_EQ(replayed.log_prob(), total_log_prob(sampled.decisions));
    // ...and from the architecture's choices, through the space.
    LstmPolicy scoring(network, kinds, sampled.arch.choices());
    EXPECT_EQ(space->sample(scoring).hash(), sampled.arch.hash());
    EXPECT_EQ(scoring.rollout().log_prob(), total_log_prob(sampled.decisions));
    EXPECT_LT(total_log_prob(sampled.decisions), 0.0);
  }
}

TEST(RlPolicy, MaskedOptionsAreNeverSampledAndCarryNoProbability) {
  const ListedToySpace space = masked_toy_space();
  const DecisionKindTable kinds(space.decision_kinds(), space.name());
  // Wide weights make the distributions far from uniform, so a masked option would show up.
  const LstmPolicyNetwork network = make_network(kinds, 16, {}, 1.0);
  Rng rng(5);
  const std::vector<DecisionKind> declared = space.decision_kinds();
  std::map<std::string, std::set<std::string>> seen;
  for (int i = 0; i < 400; ++i) {
    LstmPolicy policy(network, kinds, rng);
    const Architecture arch = space.sample(policy);
    const RecordedSequence& decisions = policy.rollout().record();
    for (std::size_t d = 0; d < arch.choices().size(); ++d) {
      const auto& offered = space.decisions()[d].options;
      ASSERT_NE(std::find(offered.begin(), offered.end(), arch.choices()[d].label), offered.end());
      seen[arch.choices()[d].key].insert(arch.choices()[d].label);
      const std::string& kind_label = declared[decisions[d].kind].options[decisions[d].choice];
      EXPECT_EQ(kind_label, arch.choices()[d].label);
    }
    EXPECT_EQ(decisions[3].log_prob, 0.0);  // b/combine offers one option
  }
  for (const auto& decision : space.decisions())
    EXPECT_EQ(seen[decision.key].size(), decision.options.size()) << decision.key;

  // The probabilities of one decision: zero off the offered options, summing to one on them, and
  // the entropy is that of the offered options alone.
  LstmRollout rollout(network);
  const std::vector<std::uint8_t> offered{0, 1, 0, 1, 0, 1};
  const std::vector<double> probabilities = rollout.next(0, offered);
  double total = 0;
  double entropy = 0;
  for (std::size_t o = 0; o < offered.size(); ++o) {
    total += probabilities[o];
    if (offered[o]) {
      entropy -= probabilities[o] * std::log(probabilities[o]);
    } else {
      EXPECT_EQ(probabilities[o], 0.0);
    }
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
  rollout.take(3);
  EXPECT_NEAR(rollout.entropy(), entropy, 1e-12);
  EXPECT_THROW(LstmRollout(network).next(0, {0, 0, 0, 0, 0, 0}), Error);
  LstmRollout masked_choice(network);
  masked_choice.next(0, offered);
  EXPECT_THROW(masked_choice.take(0), Error);
}

TEST(RlPolicy, GradientMatchesFiniteDifferences) {
  const ListedToySpace space = masked_toy_space();
  const DecisionKindTable kinds(space.decision_kinds(), space.name());
  LstmPolicyNetwork network = make_network(kinds, 6, LogitShaping{1.5, 2.5}, 0.5);
  Rng rng(7);
  const RecordedSequence decisions = sample(space, network, kinds, rng).decisions;
  const double log_prob_weight = -0.7;
  const double entropy_weight = 0.3;
  auto loss = [&] {
    const LstmRollout rollout = LstmRollout::replay(network, decisions);
    return log_prob_weight * rollout.log_prob() + entropy_weight * rollout.entropy();
  };
  std::vector<float> gradient(network.parameters().size(), 0.0f);
  LstmRollout::replay(network, decisions).backward(log_prob_weight, entropy_weight, gradient);

  // Every parameter that can influence the loss, and some that cannot (unused embeddings: 0).
  std::size_t checked = 0;
  std::size_t nonzero = 0;
  for (std::size_t p = 0; p < network.parameters().size(); p += 3) {
    float& weight = network.parameters()[p];
    const float original = weight;
    const float step = 1e-2f;
    weight = original + step;
    const double up = loss();
    weight = original - step;
    const double down = loss();
    weight = original;
    const double numeric = (up - down) / (2.0 * static_cast<double>(step));
    EXPECT_NEAR(gradient[p], numeric, 2e-3 + 2e-2 * std::abs(numeric)) << "parameter " << p;
    ++checked;
    nonzero += std::abs(numeric) > 1e-4;
  }
  EXPECT_GT(checked, 100u);
  EXPECT_GT(nonzero, checked / 3);
}

// One decision with four options; the update rewards the option sampled first.
void expect_update_moves_probability(const std::string& objective_yaml, double advantage, bool raises) {
  const ListedToySpace space = kinded_toy_space(1, 4);
  const DecisionKindTable kinds(space.decision_kinds(), space.name());
  LstmPolicyNetwork network = make_network(kinds);
  Rng rng(11);
  const RecordedSequence decisions = sample(space, network, kinds, rng).decisions;
  PolicyLearner learner(network, make_objective(objective_yaml), 0.01, 0.0);
  learner.update({ScoredSequence{decisions, advantage, nullptr, -1}});
  const double before = total_log_prob(decisions);
  const double after = LstmRollout::replay(network, decisions).log_prob();
  if (raises)
    EXPECT_GT(after, before + 1e-3) << objective_yaml;
  else
    EXPECT_LT(after, before - 1e-3) << objective_yaml;
}

TEST(RlLearner, ReinforceStepRaisesTheProbabilityOfARewardedChoice) {
  expect_update_moves_probability("algorithm: reinforce", 1.0, true);
  expect_update_moves_probability("algorithm: reinforce", -1.0, false);
}

TEST(RlLearner, PpoStepRaisesTheProbabilityOfARewardedChoice) {
  expect_update_moves_probability("{algorithm: ppo, clip: 0.2, ppo_epochs: 3}", 1.0, true);
  expect_update_moves_probability("{algorithm: ppo, clip: 0.2, ppo_epochs: 3}", -1.0, false);
}

TEST(RlLearner, PpoStopsPushingARatioPastItsClipRange) {
  auto ppo = make_objective("{algorithm: ppo, clip: 0.2}");
  EXPECT_EQ(ppo->passes(), 4);
  const double inside = std::log(1.1);
  EXPECT_NEAR(ppo->log_prob_weight(inside, 0.0, 2.0), -2.0 * 1.1, 1e-12);
  EXPECT_EQ(ppo->log_prob_weight(std::log(1.3), 0.0, 2.0), 0.0);  // already 30% more likely: no further push
  EXPECT_NEAR(ppo->log_prob_weight(std::log(1.3), 0.0, -2.0), 2.0 * 1.3, 1e-12);  // but it may be pulled back
  EXPECT_EQ(ppo->log_prob_weight(std::log(0.7), 0.0, -2.0), 0.0);
  auto reinforce = make_objective("algorithm: reinforce");
  EXPECT_EQ(reinforce->passes(), 1);
  EXPECT_EQ(reinforce->log_prob_weight(-3.0, -1.0, 0.5), -0.5);
}

TEST(RlRewards, RelativeToTopKSubtractsTheMeanOfTheBestEarlierAccuracies) {
  const ConfigNode options = ConfigNode::parse("top_k: 2", "test.yaml");
  auto relative = (*reward_transform_registry().find("relative_to_top_k"))(options);
  EXPECT_EQ(relative->reward(0.5), 0.0);  // nothing to compare with yet
  EXPECT_NEAR(relative->reward(0.7), 0.2, 1e-12);
  EXPECT_NEAR(relative->reward(0.6), 0.0, 1e-12);         // top 2: 0.7, 0.5
  EXPECT_NEAR(relative->reward(0.9), 0.9 - 0.65, 1e-12);  // top 2: 0.7, 0.6
  auto restored = (*reward_transform_registry().find("relative_to_top_k"))(options);
  restored->restore(Json::parse(relative->state().dump()));
  EXPECT_NEAR(restored->reward(0.8), 0.8 - 0.8, 1e-12);  // top 2: 0.9, 0.7
  auto plain = (*reward_transform_registry().find("accuracy"))(options);
  EXPECT_EQ(plain->reward(0.42), 0.42);
}

TEST(RlFloatCodec, RoundTripsEveryBit) {
  const std::vector<float> special{0.0f,
                                   -0.0f,
                                   1.0f / 3.0f,
                                   std::numeric_limits<float>::denorm_min(),
                                   std::numeric_limits<float>::max(),
                                   -std::numeric_limits<float>::infinity(),
                                   std::numeric_limits<float>::quiet_NaN()};
  for (std::size_t count = 0; count <= special.size(); ++count) {  // every padding length
    const std::vector<float> values(special.begin(), special.begin() + count);
    const std::vector<float> decoded = decode_floats(encode_floats(values), count, "test");
    ASSERT_EQ(decoded.size(), count);
    // memcmp may not be given the null data() of empty vectors, even for 0 bytes.
    if (count > 0) EXPECT_EQ(std::memcmp(decoded.data(), values.data(), count * sizeof(float)), 0) << count << " floats";
  }
  EXPECT_EQ(encode_floats({1.0f}), "AACAPw==");  // little-endian 0x3f800000
  EXPECT_THROW(decode_floats("AACAPw==", 2, "test"), Error);
  EXPECT_THROW(decode_floats("AAC*Pw==", 1, "test"), Error);
}

TEST(RlKinds, UndeclaredKindOrLabelNamesTheDecision) {
  const DecisionKindTable kinds({DecisionKind{"op", {"conv", "pool"}}}, "toy");
  try {
    kinds.offered(Decision{"cell/b0/op", {"conv"}, {}, "opp"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cell/b0/op: "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("kind 'opp'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("did you mean 'op'"), std::string::npos) << e.what();
  }
  try {
    kinds.offered(Decision{"cell/b0/op", {"conv", "skip"}, {}, "op"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("option 'skip' is not an option of its decision kind 'op'"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(DecisionKindTable({DecisionKind{"op", {"a"}}, DecisionKind{"op", {"b"}}}, "toy"), Error);
  EXPECT_THROW(DecisionKindTable({DecisionKind{"op", {}}}, "toy"), Error);
}

}  // namespace
}  // namespace nas
