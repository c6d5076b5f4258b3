// The rl controller: an LSTM policy over the decisions a space asks (the controller of NASNet, Zoph
// et al. 2018, of ENAS, Pham et al. 2018, and of GraphNAS, Gao et al. 2019), trained on validation
// accuracy by REINFORCE with an exponential-moving-average baseline and an entropy bonus, or by PPO.
// It works on any space that declares decision kinds (one output head and one set of embeddings per
// kind), with no code for a particular space.
//
// Registered twice: `rl` samples every architecture from the policy; `conservative` is Auto-GNN's
// reinforced conservative explorer (Zhou et al. 2019): it keeps the best architecture so far, picks one
// class (kind) of decisions by the entropy of the policy's heads on that architecture (sampled from a
// softmax of the mean entropy per kind, or the largest), resamples only that class's decisions from
// the policy with the rest replayed, and replaces the best when the child beats it. The update is
// the same REINFORCE step on the child's whole sequence. With `confirmations`, a child that beats the
// best is trained again before it replaces it (conservative_climb.hpp says why).
//
// Both take `seeds`, named architectures of the space proposed first (scored by replaying their
// choices through the policy), so that a conservative search can climb from a known architecture
// instead of a random one, and the run says whether it beat them.
//
// Its checkpoint holds everything a resumed search needs to continue bit for bit: the weights and
// Adam's moments (as raw float bytes), the random-number state, the baseline, the reward history,
// the batch waiting for an update, and the proposals still out with workers.
#include <cmath>
#include <optional>
#include <set>

#include "controllers/controller.hpp"
#include "controllers/rl/conservative_climb.hpp"
#include "controllers/rl/float_codec.hpp"
#include "controllers/rl/lstm_policy.hpp"
#include "controllers/rl/policy_learner.hpp"
#include "controllers/rl/positive_option.hpp"
#include "controllers/rl/reward_transform.hpp"

namespace nas {
namespace {

using rl::ClimbArchitecture;
using rl::ConservativeClimb;
using rl::DecisionKindTable;
using rl::LstmPolicy;
using rl::LstmPolicyNetwork;
using rl::PolicyLearner;
using rl::RewardTransform;
using rl::ScoredSequence;

// NASNet (paper, appendix A) and GraphNAS initialise the controller uniformly in [-0.1, 0.1].
constexpr double kInitRange = 0.1;

// The controller's keys, as read (with their defaults) by the factory below.
struct RlSettings {
  std::size_t hidden;
  double learning_rate;
  std::size_t batch;
  double baseline_decay;
  double entropy_weight;
  rl::LogitShaping shaping;
  double failed_reward;
  bool conservative = false;
  bool class_by_max_entropy = false;  // conservative: the kind of largest entropy, not a softmax draw
  int confirmations = 0;              // conservative: trainings of a child beyond its first
};

// Draws of a child before giving up on one that is new (a kind whose policy is nearly certain can
// give the parent, or a child already tried, back), and how many of them share one choice of kind
// (a kind of few options, such as one layer's units, runs out of new children).
constexpr int kChildAttempts = 64;
constexpr int kAttemptsPerKind = 4;

// A proposal still out with a worker: its result is matched back to it by architecture hash.
struct Outstanding {
  std::string hash;
  ScoredSequence sample;  // its advantage is not known yet
};

class RlController : public Controller {
 public:
  RlController(const SearchSpace& space, std::uint64_t seed, const RlSettings& settings,
               std::unique_ptr<rl::PolicyObjective> objective, std::unique_ptr<RewardTransform> reward,
               std::vector<SeedArchitecture> seeds)
      : space_(space),
        seeds_(std::move(seeds)),
        kinds_(space.decision_kinds(), space.name()),
        settings_(settings),
        rng_(seed),
        network_(settings.hidden, kinds_.option_counts(), settings.shaping),
        learner_(network_, std::move(objective), settings.learning_rate, settings.entropy_weight),
        reward_(std::move(reward)),
        climb_(settings.confirmations) {
    network_.initialise(rng_, kInitRange);
  }

  Architecture propose() override {
    if (seeds_proposed_ < seeds_.size()) return propose_replay(seeds_[seeds_proposed_++].arch.choices());
    if (settings_.conservative) {
      if (auto confirmation = climb_.take_confirmation()) return propose_replay(confirmation->choices);
      if (climb_.best()) return propose_child();
    }
    LstmPolicy policy(network_, kinds_, rng_);
    Architecture arch = space_.sample(policy);
    return keep_outstanding(std::move(arch), policy);
  }

  Architecture keep_outstanding(Architecture arch, LstmPolicy& sampled_by) {
    // A space that backtracks (einspace's grammar) asks decisions that its architecture does not keep:
    // options dropped when they failed, derivations restarted. Each adds a step, so a rollout longer
    // than the architecture's choices had some. The update scores the choices the architecture holds,
    // as a replay does, not the whole search that found them: backpropagating through thousands of
    // abandoned steps took seconds per proposal.
    std::optional<LstmPolicy> rescored;
    LstmPolicy* policy = &sampled_by;
    if (sampled_by.rollout().record().size() != arch.choices().size()) {
      rescored.emplace(network_, kinds_, arch.choices());
      space_.sample(*rescored);
      policy = &*rescored;
    }
    ScoredSequence sample;
    sample.decisions = policy->rollout().record();
    sample.sampled = std::make_shared<const rl::LstmRollout>(policy->take_rollout());
    sample.sampled_after_updates = learner_.updates();
    outstanding_.push_back(Outstanding{arch.hash(), std::move(sample)});
    if (settings_.conservative) proposed_.insert(arch.hash());
    return arch;
  }

  void observe(const Trial& trial) override {
    ScoredSequence sample = take_outstanding(trial.arch);
    const double reward =
        trial.status == TrialStatus::done ? reward_->reward(trial.metrics.val_accuracy) : settings_.failed_reward;
    // The baseline starts at the first reward (as GraphNAS's code does), so that the first
    // architecture is neither rewarded nor punished against an arbitrary starting value; it then
    // moves towards each reward before the advantage is taken.
    const double decay = settings_.baseline_decay;
    baseline_ = baseline_ ? decay * *baseline_ + (1.0 - decay) * reward : reward;
    sample.advantage = reward - *baseline_;
    pending_.push_back(std::move(sample));
    if (settings_.conservative)
      climb_.observe(ClimbArchitecture{trial.arch.choices(), trial.arch.hash()}, trial.status == TrialStatus::done,
                     trial.reused_from < 0, trial.metrics.val_accuracy);
    if (pending_.size() >= settings_.batch) {
      learner_.update(pending_);
      pending_.clear();
    }
  }

  std::vector<SeedArchitecture> seeds() const override { return seeds_; }

  bool trains_again(const Architecture& arch) const override {
    return settings_.conservative && climb_.confirming(arch.hash());
  }

  Json state() const override {
    Json outstanding = Json::array();
    for (const auto& proposal : outstanding_)
      outstanding.push_back(
          Json{{"hash", proposal.hash}, {"decisions", rl::sequence_to_json(proposal.sample.decisions)}});
    Json pending = Json::array();
    for (const auto& scored : pending_)
      pending.push_back(Json{{"decisions", rl::sequence_to_json(scored.decisions)}, {"advantage", scored.advantage}});
    Json state{{"network", network_shape()},
                {"rng", rng_.state()},
                {"parameters", rl::encode_floats(network_.parameters())},
                {"adam", learner_.state()},
                {"baseline", baseline_ ? Json(*baseline_) : Json(nullptr)},
                {"reward_history", reward_->state()},
                {"pending", pending},
                {"outstanding", outstanding},
                {"seeds_proposed", seeds_proposed_}};
    if (settings_.conservative) {
      state["best"] = climb_.best_state();
      state["climb"] = climb_.state();
      state["proposed"] = proposed_;
    }
    return state;
  }

  void restore(const Json& state) override {
    if (state.at("network") != network_shape())
      throw Error("controller state", "it was saved by an rl controller with network " + state.at("network").dump() +
                                          ", this one has " + network_shape().dump() +
                                          " (controller.hidden or the space's decision kinds differ)");
    rng_.restore(state.at("rng").get<std::string>());
    proposed_ = state.value("proposed", std::set<std::string>());
    seeds_proposed_ = state.value("seeds_proposed", std::size_t{0});
    climb_.restore(state.value("best", Json(nullptr)), state.value("climb", Json(nullptr)));
    network_.parameters() =
        rl::decode_floats(state.at("parameters").get<std::string>(), network_.parameters().size(), "parameters");
    learner_.restore(state.at("adam"));
    const Json& baseline = state.at("baseline");
    baseline_ = baseline.is_null() ? std::nullopt : std::optional<double>(baseline.get<double>());
    reward_->restore(state.at("reward_history"));
    pending_.clear();
    for (const auto& scored : state.at("pending"))
      pending_.push_back(ScoredSequence{rl::sequence_from_json(scored.at("decisions")),
                                        scored.at("advantage").get<double>(), nullptr, -1});
    outstanding_.clear();
    for (const auto& proposal : state.at("outstanding"))
      outstanding_.push_back(
          Outstanding{proposal.at("hash").get<std::string>(),
                      ScoredSequence{rl::sequence_from_json(proposal.at("decisions")), 0.0, nullptr, -1}});
  }

 private:
  Json network_shape() const {
    return Json{{"hidden", network_.hidden()}, {"options_per_kind", network_.options_per_kind()}};
  }

  // An architecture given by its choices (a seed, a confirmation), scored as if the policy had sampled it.
  Architecture propose_replay(const std::vector<Choice>& choices) {
    LstmPolicy replay(network_, kinds_, choices);
    Architecture arch = space_.sample(replay);
    return keep_outstanding(std::move(arch), replay);
  }

  // A child of the best architecture: one kind of decisions resampled, the others replayed. One
  // already proposed is drawn again: the run would only reuse its result, and a climb that stays near
  // one parent proposes the same few children over and over (18 of 84 trials in a Cora search).
  Architecture propose_child() {
    std::string kind;
    for (int attempt = 0;; ++attempt) {
      if (attempt % kAttemptsPerKind == 0) kind = kind_to_change();
      LstmPolicy policy(network_, kinds_, climb_.best()->choices, kind, rng_);
      Architecture child = space_.sample(policy);
      if (proposed_.count(child.hash()) == 0 || attempt + 1 == kChildAttempts) return keep_outstanding(std::move(child), policy);
    }
  }

  // The kind whose head is least certain on the best architecture: the mean entropy of its decisions
  // there, by the largest or drawn from a softmax of them.
  std::string kind_to_change() {
    LstmPolicy replay(network_, kinds_, climb_.best()->choices);
    space_.sample(replay);
    const std::vector<DecisionKind> kinds = space_.decision_kinds();
    std::vector<double> sum(kinds.size(), 0.0), count(kinds.size(), 0.0);
    const rl::RecordedSequence& record = replay.rollout().record();
    for (std::size_t step = 0; step < record.size(); ++step) {
      sum[record[step].kind] += replay.rollout().step_entropy(step);
      count[record[step].kind] += 1;
    }
    std::vector<double> weights(kinds.size(), 0.0);
    double largest = -1;
    std::size_t argmax = 0;
    for (std::size_t k = 0; k < kinds.size(); ++k) {
      if (count[k] == 0) continue;
      const double mean = sum[k] / count[k];
      weights[k] = std::exp(mean);
      if (mean > largest) largest = mean, argmax = k;
    }
    return kinds[settings_.class_by_max_entropy ? argmax : rng_.weighted(weights)].name;
  }

  // The earliest outstanding proposal of this architecture. One the controller never proposed (none
  // arrive from the run loop) is scored by replaying its choices through the network.
  ScoredSequence take_outstanding(const Architecture& arch) {
    for (auto it = outstanding_.begin(); it != outstanding_.end(); ++it) {
      if (it->hash != arch.hash()) continue;
      ScoredSequence sample = std::move(it->sample);
      outstanding_.erase(it);
      return sample;
    }
    LstmPolicy policy(network_, kinds_, arch.choices());
    space_.sample(policy);
    return ScoredSequence{policy.rollout().record(), 0.0, nullptr, -1};
  }

  const SearchSpace& space_;
  std::vector<SeedArchitecture> seeds_;
  std::size_t seeds_proposed_ = 0;
  DecisionKindTable kinds_;
  RlSettings settings_;
  Rng rng_;
  LstmPolicyNetwork network_;
  PolicyLearner learner_;
  std::unique_ptr<RewardTransform> reward_;
  std::optional<double> baseline_;
  std::vector<ScoredSequence> pending_;   // observed, waiting for a full batch
  std::vector<Outstanding> outstanding_;  // proposed, not yet observed; in proposal order
  ConservativeClimb climb_;               // conservative only
  std::set<std::string> proposed_;        // conservative only: hashes of every proposal
};

std::unique_ptr<Controller> make_rl_controller(const ConfigNode& options, const SearchSpace& space, std::uint64_t seed,
                                               bool conservative) {
      if (space.decision_kinds().empty())
        throw options.error("name", "the rl controller learns one output head per decision kind, and search space '" +
                                        space.name() +
                                        "' declares none (SearchSpace::decision_kinds); "
                                        "search it with controller random or evolution");
      RlSettings settings{};
      settings.hidden = static_cast<std::size_t>(options.integer("hidden", 100, 1, 1024));
      // Above 1, Adam's steps on the policy's logits overflow within a few updates (1e300 gave NaN
      // probabilities after the first trial).
      settings.learning_rate = rl::positive_number(options, "lr", 3.5e-4, 1.0);
      settings.batch = static_cast<std::size_t>(options.integer("batch", 1, 1, 100000));
      settings.baseline_decay = options.number("baseline_decay", 0.95, 0.0, 1.0);
      settings.entropy_weight = options.number("entropy_weight", 1e-4, 0.0);
      const rl::LogitShaping plain_softmax;
      settings.shaping.temperature = rl::positive_number(options, "temperature", plain_softmax.temperature);
      settings.shaping.tanh_constant = options.number("tanh_constant", plain_softmax.tanh_constant, 0.0);
      settings.failed_reward = options.number("failed_reward", 0.0);
      settings.conservative = conservative;
      if (conservative) {
        settings.class_by_max_entropy =
            options.choice("class_choice", "softmax", {"softmax", "max_entropy"}, "class choice") == "max_entropy";
        settings.confirmations = static_cast<int>(options.integer("confirmations", 0, 0, 100));
      }
      const auto& objectives = rl::policy_objective_registry();
      const std::string algorithm = options.choice("algorithm", "reinforce", objectives.names(), "algorithm");
      auto objective = (*objectives.find(algorithm))(options);
      const auto& rewards = rl::reward_transform_registry();
      const std::string reward = options.choice("reward", "accuracy", rewards.names(), "reward");
      auto transform = (*rewards.find(reward))(options);
      return std::make_unique<RlController>(space, seed, settings, std::move(objective), std::move(transform),
                                            read_seed_architectures(options, space));
}

const bool registered =
    controller_registry().add("rl",
                              [](const ConfigNode& options, const SearchSpace& space, std::uint64_t seed) {
                                return make_rl_controller(options, space, seed, false);
                              }) &&
    controller_registry().add("conservative", [](const ConfigNode& options, const SearchSpace& space,
                                                 std::uint64_t seed) {
      return make_rl_controller(options, space, seed, true);
    });

}  // namespace
}  // namespace nas
