#include "evaluators/runner/mpi_trial_runner.hpp"

#include <algorithm>
#include <deque>
#include <iostream>
#include <map>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "evaluators/evaluation/shared_weights.hpp"
#include "evaluators/runner/mpi_protocol.hpp"

namespace nas {

void MpiJob::stop() {
  // After a rank is lost MPI_Finalize waits for it forever (MPICH under srun), so no rank calls it.
  const bool abandon = !lost_.empty();
  for (int rank = 1; rank < world_.size(); ++rank)
    if (!lost_.count(rank)) world_.send(rank, kStopTag, encode_frame(MpiFrame{Json{{"abandon", abandon}}, {}}));
  if (abandon) world_.abandon();
}

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string rank_name(int rank, const std::string& host) {
  return "rank " + std::to_string(rank) + (host.empty() ? "" : " on " + host);
}

class MpiTrialRunner : public TrialRunner {
 public:
  MpiTrialRunner(MpiJob& job, const RunnerOptions& options)
      : job_(job), world_(job.world()), options_(options), session_(job.next_session()) {
    lost_after_ = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.lost_after_seconds));
    open_session();
  }

  ~MpiTrialRunner() override {
    try {
      end_session();
    } catch (const std::exception& e) {
      std::cerr << "nas: mpi: ending the trial session: " << e.what() << "\n";
    }
  }

  void submit(TrialRequest request) override {
    queue_.push_back(std::move(request));
    ++in_flight_;
  }

  TrialResult wait_next() override {
    if (in_flight_ == 0) throw Error("trial runner", "wait_next called with no trial running");
    while (true)
      if (std::optional<TrialResult> result = wait_next_for(milliseconds(1000))) return std::move(*result);
  }

  std::optional<TrialResult> wait_next_for(std::chrono::microseconds wait) override {
    if (in_flight_ == 0) throw Error("trial runner", "wait_next_for called with no trial running");
    const auto deadline = Clock::now() + wait;
    while (true) {
      // Everything that came while the run was busy is read before any rank is judged silent.
      while (std::optional<MpiMessage> message = world_.receive(MpiWorld::kAnySource, milliseconds(0))) handle(*message);
      if (!finished_.empty()) {
        TrialResult result = std::move(finished_.front());
        finished_.pop_front();
        --in_flight_;
        return result;
      }
      drop_silent_ranks();
      dispatch();
      const auto left = std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
      if (std::optional<MpiMessage> message = world_.receive(MpiWorld::kAnySource, std::min(left, milliseconds(20))))
        handle(*message);
      else if (Clock::now() >= deadline)
        return std::nullopt;
    }
  }

  std::size_t in_flight() const override { return in_flight_; }

  int capacity() const override {
    int total = 0;
    for (const auto& [id, rank] : ranks_) total += rank.capacity;
    return total;
  }

 private:
  struct Rank {
    std::string host;
    int capacity = 0;
    Clock::time_point heard;
    std::map<std::int64_t, TrialRequest> training;       // by request id
    std::shared_ptr<const SharedWeightsView> shipped;    // the snapshot of shared weights it holds
    std::int64_t shipped_version = -1;
  };

  void open_session() {
    Json header = session_header(session_, options_);
    header["heartbeat_seconds"] = options_.heartbeat_seconds;
    const std::string bytes = encode_frame(MpiFrame{header, {}});
    std::set<int> waiting;
    for (int id = 1; id < world_.size(); ++id) {
      if (job_.lost().count(id)) continue;
      world_.send(id, kSessionTag, bytes);
      starting_[id].heard = Clock::now();
      waiting.insert(id);
    }
    // A rank keeps its heartbeat while it loads its data, so silence still means lost.
    while (!waiting.empty()) {
      std::optional<MpiMessage> message = world_.receive(MpiWorld::kAnySource, milliseconds(20));
      if (message && starting_.count(message->source)) {
        Rank& rank = starting_[message->source];
        rank.heard = Clock::now();
        if (message->tag != kReadyTag) continue;
        const MpiFrame frame = decode_frame(message->bytes, rank_name(message->source, ""));
        if (frame.header.value("session", std::int64_t{-1}) != session_) continue;
        rank.host = frame.header.value("host", std::string());
        if (frame.header.contains("error"))
          throw Error(rank_name(message->source, rank.host), frame.header["error"].get<std::string>());
        rank.capacity = frame.header.value("capacity", 0);
        ranks_[message->source] = rank;
        waiting.erase(message->source);
      }
      for (auto it = waiting.begin(); it != waiting.end();) {
        if (Clock::now() - starting_[*it].heard > lost_after_) {
          std::cerr << "nas: mpi: " << rank_name(*it, "") << " did not answer within " << options_.lost_after_seconds
                    << " s; going on without it\n";
          job_.lost().insert(*it);
          it = waiting.erase(it);
        } else {
          ++it;
        }
      }
    }
    if (ranks_.empty()) throw Error("mpi", "no rank is left to train trials" + continue_hint());
    if (session_ == 1) {
      std::cerr << "nas: mpi: trials train on";
      for (const auto& [id, rank] : ranks_)
        std::cerr << (id == ranks_.begin()->first ? " " : ", ") << rank_name(id, rank.host) << " (" << rank.capacity
                  << " at a time)";
      std::cerr << "\n";
    }
  }

  void end_session() {
    const std::string bytes = encode_frame(MpiFrame{Json{{"session", session_}}, {}});
    for (auto& [id, rank] : ranks_) {
      world_.send(id, kEndSessionTag, bytes);
      rank.heard = Clock::now();
    }
    // Each rank finishes what it trains (results of a session that ended are dropped) and says so.
    while (!ranks_.empty()) {
      if (std::optional<MpiMessage> message = world_.receive(MpiWorld::kAnySource, milliseconds(20))) {
        const auto found = ranks_.find(message->source);
        if (found == ranks_.end()) continue;
        found->second.heard = Clock::now();
        if (message->tag == kSessionEndedTag) ranks_.erase(found);
      }
      for (auto it = ranks_.begin(); it != ranks_.end();) {
        if (Clock::now() - it->second.heard > lost_after_) {
          job_.lost().insert(it->first);
          it = ranks_.erase(it);
        } else {
          ++it;
        }
      }
    }
  }

  void handle(const MpiMessage& message) {
    const auto found = ranks_.find(message.source);
    if (found == ranks_.end()) return;  // a lost rank's late word: its trials were given to others
    Rank& rank = found->second;
    rank.heard = Clock::now();
    if (message.tag != kResultTag) return;
    const std::string from = rank_name(message.source, rank.host);
    const MpiFrame frame = decode_frame(message.bytes, from);
    if (frame.header.value("session", std::int64_t{-1}) != session_) return;
    TrialResult result = trial_result_from_json(frame.header.at("result"));
    const auto request = rank.training.find(result.id);
    if (request == rank.training.end())
      throw Error(from, "returned trial " + std::to_string(result.id) + ", which it was not given");
    const std::string weights_file = request->second.weights_file;
    rank.training.erase(request);
    if (result.status == TrialStatus::done && !weights_file.empty() && !frame.blobs.empty())
      write_file_atomically(weights_file, frame.blobs.front());
    result.trained_on = from;
    finished_.push_back(std::move(result));
  }

  // Rank by rank, those silent for longer than lost_after_seconds; their trials go back to the queue,
  // first in line and in the order they were given.
  void drop_silent_ranks() {
    for (auto it = ranks_.begin(); it != ranks_.end();) {
      const double silent = std::chrono::duration<double>(Clock::now() - it->second.heard).count();
      if (silent <= options_.lost_after_seconds) {
        ++it;
        continue;
      }
      std::cerr << "nas: mpi: " << rank_name(it->first, it->second.host) << " said nothing for " << silent
                << " s: taken as lost";
      std::vector<TrialRequest> requeued;
      for (auto& [id, request] : it->second.training) requeued.push_back(std::move(request));
      if (!requeued.empty()) {
        std::cerr << "; trial";
        for (const TrialRequest& request : requeued) std::cerr << " " << request.id;
        std::cerr << " go" << (requeued.size() == 1 ? "es" : "") << " back to the queue";
      }
      std::cerr << "\n";
      queue_.insert(queue_.begin(), requeued.begin(), requeued.end());
      job_.lost().insert(it->first);
      it = ranks_.erase(it);
    }
    if (ranks_.empty())
      throw Error("mpi", "every rank that trains is lost; the search log keeps every finished trial" + continue_hint());
  }

  void dispatch() {
    while (!queue_.empty()) {
      Rank* chosen = nullptr;
      int chosen_id = -1;
      for (auto& [id, rank] : ranks_)
        if (static_cast<int>(rank.training.size()) < rank.capacity &&
            (!chosen || rank.training.size() < chosen->training.size())) {
          chosen = &rank;
          chosen_id = id;
        }
      if (!chosen) return;
      TrialRequest request = std::move(queue_.front());
      queue_.pop_front();
      if (request.shared_weights && chosen->shipped != request.shared_weights) ship_shared(chosen_id, *chosen, request.shared_weights);
      const Json header{{"session", session_},
                        {"request", to_json(request)},
                        {"shared_version", request.shared_weights ? Json(chosen->shipped_version) : Json()}};
      world_.send(chosen_id, kRequestTag, encode_frame(MpiFrame{header, {}}));
      chosen->training.emplace(request.id, std::move(request));
    }
  }

  // A rank holds one snapshot of the shared weights; a request that sees another sends it first.
  void ship_shared(int id, Rank& rank, const std::shared_ptr<const SharedWeightsView>& view) {
    rank.shipped = view;
    rank.shipped_version = ++shared_versions_;
    MpiFrame frame{Json{{"session", session_}, {"version", rank.shipped_version}, {"kind", view->kind()}}, {}};
    put_records(frame, view->records());
    world_.send(id, kSharedTag, encode_frame(frame));
  }

  std::string continue_hint() const {
    return options_.continue_command.empty() ? "" : "; continue with `mpiexec -n <ranks> " + options_.continue_command + "`";
  }

  MpiJob& job_;
  MpiWorld& world_;
  RunnerOptions options_;
  std::int64_t session_;
  Clock::duration lost_after_;
  std::map<int, Rank> starting_;  // ranks asked to open the session, until they answer
  std::map<int, Rank> ranks_;     // ranks in the session and not lost
  std::deque<TrialRequest> queue_;
  std::deque<TrialResult> finished_;
  std::size_t in_flight_ = 0;
  std::int64_t shared_versions_ = 0;
};

}  // namespace

std::unique_ptr<TrialRunner> make_mpi_trial_runner(MpiJob& job, const RunnerOptions& options) {
  return std::make_unique<MpiTrialRunner>(job, options);
}

}  // namespace nas
