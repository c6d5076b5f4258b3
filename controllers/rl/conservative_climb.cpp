#include "controllers/rl/conservative_climb.hpp"

#include <algorithm>

#include "core/architecture.hpp"
#include "core/statistics.hpp"

namespace nas::rl {
namespace {

Json choices_to_json(const std::vector<Choice>& choices) {
  Json list = Json::array();
  for (const Choice& choice : choices) list.push_back({choice.key, choice.label});
  return list;
}

Json architecture_to_json(const ClimbArchitecture& arch) {
  return Json{{"choices", choices_to_json(arch.choices)}, {"hash", arch.hash}};
}

ClimbArchitecture architecture_from_json(const Json& json) {
  return ClimbArchitecture{Architecture::choices_from_json(json), json.at("hash").get<std::string>()};
}

}  // namespace

void ConservativeClimb::observe(const ClimbArchitecture& arch, bool done, bool trained, double val_accuracy) {
  // A result the run reused is never a confirmation: a proposal of an architecture in training
  // waits for that training, so a confirmation comes back before any reuse of it.
  const auto out = trained ? confirming_.find(arch.hash) : confirming_.end();
  const bool confirmation = out != confirming_.end();
  if (confirmation) confirming_.erase(out);
  std::vector<double>& trainings = trainings_[arch.hash];
  if (!done) {
    if (!confirmation) {
      if (trainings.empty()) trainings_.erase(arch.hash);  // a failed child is simply not a candidate
      return;
    }
    trainings.push_back(0.0);
  } else if (trained || trainings.empty()) {
    // (A reuse of an architecture with no training here was trained before a resume from a
    // checkpoint that kept no trainings: its result is its one training.)
    trainings.push_back(val_accuracy);
  }

  if (best_ && (arch.hash == best_->hash || score_of(arch.hash) <= best_score())) return;
  const std::size_t wanted = 1 + static_cast<std::size_t>(confirmations_);
  if (trainings.size() >= wanted) {
    best_ = arch;
    // A child still waiting for its confirmation that the new best's mean overtakes can no longer
    // replace the best however it trains: training it again would spend a trial for nothing.
    due_.erase(std::remove_if(due_.begin(), due_.end(),
                              [&](const ClimbArchitecture& waiting) { return score_of(waiting.hash) <= best_score(); }),
               due_.end());
    return;
  }
  for (std::size_t planned = trainings.size() + confirmations_out(arch.hash); planned < wanted; ++planned)
    due_.push_back(arch);
}

std::optional<ClimbArchitecture> ConservativeClimb::take_confirmation() {
  if (due_.empty()) return std::nullopt;
  ClimbArchitecture next = std::move(due_.front());
  due_.pop_front();
  confirming_.insert(next.hash);
  return next;
}

double ConservativeClimb::score_of(const std::string& hash) const { return mean_and_std(trainings_.at(hash)).first; }

std::size_t ConservativeClimb::confirmations_out(const std::string& hash) const {
  const auto due = std::count_if(due_.begin(), due_.end(), [&](const ClimbArchitecture& arch) { return arch.hash == hash; });
  return static_cast<std::size_t>(due) + confirming_.count(hash);
}

Json ConservativeClimb::best_state() const {
  if (!best_) return nullptr;
  Json best = architecture_to_json(*best_);
  best["val_accuracy"] = best_score();
  return best;
}

Json ConservativeClimb::state() const {
  Json due = Json::array();
  for (const ClimbArchitecture& arch : due_) due.push_back(architecture_to_json(arch));
  return Json{{"trainings", trainings_}, {"due", due}, {"confirming", confirming_}};
}

void ConservativeClimb::restore(const Json& best, const Json& climb) {
  best_.reset();
  trainings_.clear();
  due_.clear();
  confirming_.clear();
  if (!best.is_null()) best_ = architecture_from_json(best);
  if (climb.is_null()) {
    // A run saved before confirmations kept only the best and its one training.
    if (best_) trainings_[best_->hash] = {best.at("val_accuracy").get<double>()};
    return;
  }
  trainings_ = climb.at("trainings").get<std::map<std::string, std::vector<double>>>();
  for (const Json& arch : climb.at("due")) due_.push_back(architecture_from_json(arch));
  confirming_ = climb.at("confirming").get<std::multiset<std::string>>();
}

}  // namespace nas::rl
