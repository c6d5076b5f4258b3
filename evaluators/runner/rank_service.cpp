#include "evaluators/runner/rank_service.hpp"

#include <unistd.h>

#include <filesystem>
#include <future>
#include <map>
#include <thread>

#include "core/atomic_file.hpp"
#include "core/config_node.hpp"
#include "core/error.hpp"
#include "evaluators/evaluation/evaluator_registry.hpp"
#include "evaluators/evaluation/pretrained_weights.hpp"
#include "evaluators/evaluation/shared_weights.hpp"
#include "evaluators/evaluation/trial_runner.hpp"
#include "evaluators/runner/mpi_pretraining_team.hpp"
#include "evaluators/runner/mpi_protocol.hpp"
#include "evaluators/training/intra_op_threads.hpp"
#include "search_spaces/search_space.hpp"

namespace nas {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kRankZero = 0;
constexpr std::chrono::microseconds kShortestPause(50);
constexpr std::chrono::microseconds kLongestPause(2000);
constexpr std::chrono::milliseconds kQuickWhile(5);  // polls stay short this long after the last news

// A session's evaluator and the space it replays requests through.
struct Made {
  std::string recipe;  // the recipe's text, to know a session that needs the same
  std::unique_ptr<SearchSpace> space;
  std::unique_ptr<Evaluator> evaluator;
};

Made make_from_recipe(const Json& recipe) {
  Made made;
  made.recipe = recipe.dump();
  const ConfigNode root = ConfigNode::parse(recipe.at("sections").dump(2), "the run's configuration (from rank 0)");
  const ConfigNode dataset = root.section("dataset");
  const ConfigNode evaluator = root.section("evaluator");
  const ConfigNode supernet = root.section("supernet");
  const std::optional<TaskShape> task = known_task(dataset, evaluator);
  made.space = make_search_space(root.section("space"), task ? &*task : nullptr);
  made.evaluator = make_evaluator(EvaluatorSections{dataset, evaluator, supernet}, *made.space,
                                  recipe.at("seed").get<std::uint64_t>());
  return made;
}

class RankService {
 public:
  explicit RankService(MpiWorld& world)
      : world_(world),
        scratch_(std::filesystem::temp_directory_path() /
                 ("nas-rank" + std::to_string(world.rank()) + "-" + std::to_string(::getpid()))) {}

  ~RankService() {
    runner_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(scratch_, ignored);
  }

  int serve() {
    auto last_heartbeat = Clock::now();
    // How long the next wait for a result (or for rank 0, when idle) lasts: short for a while after
    // any news, then doubling to 2 ms while nothing happens (mpi_world.cpp's polls do the same).
    std::chrono::microseconds pause = kShortestPause;
    auto last_news = Clock::now();
    while (!stopped_) {
      bool heard = false;
      while (std::optional<MpiMessage> message = world_.receive(kRankZero, milliseconds(0))) {
        handle(*message);
        heard = true;
        if (stopped_) break;
      }
      finish_making();
      // A result goes back the moment it is ready (the wait wakes on it); rank 0 is polled again
      // after `pause`: each trial's round trip pays these waits.
      bool news = heard;
      if (runner_ && runner_->in_flight() > 0) {
        if (std::optional<TrialResult> result = runner_->wait_next_for(heard ? milliseconds(0) : pause)) {
          if (!ending_) send_result(std::move(*result));
          news = true;
        }
      } else if (!heard) {
        std::this_thread::sleep_for(pause);
      }
      if (news) last_news = Clock::now();
      pause = Clock::now() - last_news < kQuickWhile ? kShortestPause : std::min(pause * 2, kLongestPause);
      if (ending_ && (!runner_ || runner_->in_flight() == 0)) {
        runner_.reset();
        ending_ = false;
        world_.send(kRankZero, kSessionEndedTag, encode_frame(MpiFrame{Json{{"session", session_}}, {}}));
      }
      if (Clock::now() - last_heartbeat >= heartbeat_) {
        world_.send(kRankZero, kHeartbeatTag, encode_frame(MpiFrame{}));
        last_heartbeat = Clock::now();
      }
    }
    return 0;
  }

 private:
  void handle(const MpiMessage& message) {
    const MpiFrame frame = decode_frame(message.bytes, "rank 0");
    switch (message.tag) {
      case kSessionTag: return open_session(frame.header);
      case kRequestTag: return start_trial(frame.header);
      case kSharedTag: return take_shared(frame);
      case kEndSessionTag: ending_ = true; return;
      case kPretrainTag: return train_with_rank_zero(frame);
      case kStopTag:
        stopped_ = true;
        if (frame.header.value("abandon", false)) world_.abandon();
        return;
      default: return;
    }
  }

  void open_session(const Json& header) {
    runner_.reset();
    shared_.reset();
    shared_version_ = -1;
    session_ = header.at("session").get<std::int64_t>();
    options_.workers = header.at("workers").get<int>();
    options_.threads_per_worker = header.at("threads_per_worker").get<int>();
    heartbeat_ = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(header.at("heartbeat_seconds").get<double>()));
    const Json& recipe = header.at("recipe");
    if (made_.evaluator && made_.recipe == recipe.dump()) return ready();
    made_ = Made{};
    // Made on another thread, so that this one keeps saying it is alive while the data loads.
    making_ = std::async(std::launch::async, [recipe] { return make_from_recipe(recipe); });
  }

  void finish_making() {
    if (!making_.valid() || making_.wait_for(milliseconds(0)) != std::future_status::ready) return;
    try {
      made_ = making_.get();
    } catch (const std::exception& e) {
      made_ = Made{};
      world_.send(kRankZero, kReadyTag,
                  encode_frame(MpiFrame{Json{{"session", session_}, {"host", world_.host()},
                                             {"error", std::string("cannot make the evaluator: ") + e.what()}},
                                        {}}));
      return;
    }
    ready();
  }

  void ready() {
    runner_ = make_trial_runner(kLocalRunner, *made_.evaluator, options_);
    world_.send(kRankZero, kReadyTag,
                encode_frame(MpiFrame{Json{{"session", session_}, {"host", world_.host()}, {"capacity", runner_->capacity()}}, {}}));
  }

  // The supernet phase: this rank makes the supernet, takes rank 0's state and trains each epoch's
  // slices with the team until rank 0 ends it. Rank 0 does not watch heartbeats meanwhile.
  void train_with_rank_zero(const MpiFrame& frame) {
    const Json& header = frame.header;
    const Json& recipe = header.at("recipe");
    if (!made_.evaluator || made_.recipe != recipe.dump()) made_ = make_from_recipe(recipe);
    std::unique_ptr<SharedWeights> weights = made_.evaluator->make_shared_weights();
    PretrainedWeights* pretraining = weights ? weights->pretraining() : nullptr;
    if (!pretraining) throw Error("rank 0", "asked for a supernet's training from an evaluator that trains none");
    weights->restore(records_of(frame, "rank 0"));
    MpiDataParallel team(world_.group(header.at("members").get<std::vector<int>>()));
    const IntraOpThreadsScope threads(header.at("workers").get<int>() * header.at("threads_per_worker").get<int>());
    while (true) {
      const std::optional<MpiMessage> message = world_.receive(kRankZero, milliseconds(1000));
      if (!message) continue;
      if (message->tag == kTrainEpochTag) pretraining->train_epoch(team);
      if (message->tag == kEndPretrainTag) return;
    }
  }

  void take_shared(const MpiFrame& frame) {
    if (frame.header.value("session", std::int64_t{-1}) != session_ || !made_.evaluator) return;
    const std::vector<StateRecord> records = records_of(frame, "rank 0");
    std::unique_ptr<SharedWeights> weights = made_.evaluator->make_shared_weights();
    if (!weights) throw Error("rank 0", "sent shared weights to an evaluator that shares none");
    weights->restore(records);
    shared_ = weights->view();
    shared_version_ = frame.header.at("version").get<std::int64_t>();
  }

  void start_trial(const Json& header) {
    if (header.value("session", std::int64_t{-1}) != session_ || !runner_) return;
    const Json& json = header.at("request");
    const std::int64_t version = header.at("shared_version").is_null() ? -1 : header.at("shared_version").get<std::int64_t>();
    try {
      TrialRequest request = trial_request_from_json(json, *made_.space, [&](const std::string& kind) {
        return shared_ && shared_->kind() == kind && shared_version_ == version ? shared_ : nullptr;
      });
      // Trained weights are kept here and sent back as bytes: rank 0's folder need not be shared.
      if (!request.weights_file.empty())
        request.weights_file = (scratch_ / ("trial-" + std::to_string(request.id) + ".pt")).string();
      weights_files_[request.id] = request.weights_file;
      runner_->submit(std::move(request));
    } catch (const std::exception& e) {
      TrialResult failed;
      failed.id = json.value("id", std::int64_t{-1});
      failed.error = std::string("rank ") + std::to_string(world_.rank()) + " cannot take the request: " + e.what();
      send_result(failed);
    }
  }

  void send_result(TrialResult result) {
    MpiFrame frame;
    const auto file = weights_files_.find(result.id);
    if (file != weights_files_.end()) {
      std::error_code ignored;
      if (result.status == TrialStatus::done && !file->second.empty() && std::filesystem::exists(file->second)) {
        try {
          frame.blobs.push_back(read_whole_file(file->second, static_cast<std::size_t>(MpiWorld::kMaxMessageBytes / 2)));
        } catch (const Error& e) {
          result.status = TrialStatus::failed;
          result.error = std::string("its trained weights cannot be sent: ") + e.what();
        }
      }
      if (!file->second.empty()) std::filesystem::remove(file->second, ignored);
      weights_files_.erase(file);
    }
    frame.header = Json{{"session", session_}, {"result", to_json(result)}};
    world_.send(kRankZero, kResultTag, encode_frame(frame));
  }

  MpiWorld& world_;
  std::filesystem::path scratch_;
  std::int64_t session_ = -1;
  RunnerOptions options_;
  Clock::duration heartbeat_ = std::chrono::seconds(2);
  Made made_;
  std::future<Made> making_;
  std::unique_ptr<TrialRunner> runner_;
  std::shared_ptr<const SharedWeightsView> shared_;
  std::int64_t shared_version_ = -1;
  std::map<std::int64_t, std::string> weights_files_;  // request id -> where this rank keeps its weights
  bool ending_ = false;
  bool stopped_ = false;
};

}  // namespace

int serve_trials(MpiWorld& world) {
  RankService service(world);
  return service.serve();
}

}  // namespace nas
