#include "evaluators/runner/mpi_pretraining_team.hpp"

#include "evaluators/runner/mpi_protocol.hpp"

namespace nas {
namespace {

class MpiPretrainingTeam : public PretrainingTeam {
 public:
  MpiPretrainingTeam(MpiJob& job, const std::vector<StateRecord>& state, const RunnerOptions& options) : job_(job) {
    MpiWorld& world = job.world();
    members_.push_back(0);
    for (int rank = 1; rank < world.size(); ++rank)
      if (!job.lost().count(rank)) members_.push_back(rank);
    MpiFrame frame{session_header(job.next_session(), options), {}};
    frame.header["members"] = members_;
    put_records(frame, state);
    const std::string bytes = encode_frame(frame);
    for (std::size_t i = 1; i < members_.size(); ++i) world.send(members_[i], kPretrainTag, bytes);
    // Waits until every member has made the supernet (loading its data) and joins.
    if (members_.size() > 1) team_.emplace(world.group(members_));
  }

  ~MpiPretrainingTeam() override { send_to_members(kEndPretrainTag); }

  void start_epoch() override { send_to_members(kTrainEpochTag); }

  DataParallel& data_parallel() override { return team_ ? static_cast<DataParallel&>(*team_) : one_process(); }

 private:
  void send_to_members(int tag) {
    for (std::size_t i = 1; i < members_.size(); ++i) job_.world().send(members_[i], tag, encode_frame(MpiFrame{}));
  }

  MpiJob& job_;
  std::vector<int> members_;
  std::optional<MpiDataParallel> team_;
};

}  // namespace

std::unique_ptr<PretrainingTeam> make_mpi_pretraining_team(MpiJob& job, const std::vector<StateRecord>& state,
                                                           const RunnerOptions& options) {
  return std::make_unique<MpiPretrainingTeam>(job, state, options);
}

}  // namespace nas
