#include "evaluators/evaluation/pretraining_team.hpp"

namespace nas {
namespace {

class Alone : public PretrainingTeam {
 public:
  void start_epoch() override {}
  DataParallel& data_parallel() override { return one_process(); }
};

}  // namespace

Registry<PretrainingTeamFactory>& pretraining_team_registry() {
  static Registry<PretrainingTeamFactory> registry;
  return registry;
}

std::unique_ptr<PretrainingTeam> make_pretraining_team(const std::string& kind, const std::vector<StateRecord>& state,
                                                       const RunnerOptions& options) {
  if (const PretrainingTeamFactory* factory = pretraining_team_registry().find(kind)) return (*factory)(state, options);
  return std::make_unique<Alone>();
}

}  // namespace nas
