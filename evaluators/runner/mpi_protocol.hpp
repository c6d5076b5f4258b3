#pragma once
// What rank 0 and the ranks that train say to each other (mpi_trial_runner.cpp, rank_service.cpp).
// A message is a frame: a JSON header, then the binary blobs it counts (kept weights, shared-weights
// records), so that weights travel as bytes and need no shared file system.
//
// A session is one runner's life on rank 0 (a phase's trials): it opens with kSession, carrying how
// to make the evaluator (EvaluatorRecipe) and the pool's size; each rank answers kReady (or the
// reason it cannot) and then takes kRequest and kShared messages, answering each request with
// kResult; kEndSession drains it. kHeartbeat says a rank is alive while it trains; kStop ends the job.
#include <cstdint>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/state_record.hpp"
#include "evaluators/evaluation/trial_runner.hpp"

namespace nas {

enum MpiTag : int {
  kSessionTag = 1,       // 0 -> rank: {"session", "recipe", "workers", "threads_per_worker", "heartbeat_seconds"}
  kReadyTag = 2,         // rank -> 0: {"session", "host", "capacity"} or {"session", "host", "error"}
  kRequestTag = 3,       // 0 -> rank: {"session", "request", "shared_version"}
  kSharedTag = 4,        // 0 -> rank: {"session", "version", "keys"} + one blob per record
  kResultTag = 5,        // rank -> 0: {"session", "result", "weights"} + the kept weights' bytes
  kHeartbeatTag = 6,     // rank -> 0: {}
  kEndSessionTag = 7,    // 0 -> rank: {"session"}
  kSessionEndedTag = 8,  // rank -> 0: {"session"}
  kStopTag = 9,          // 0 -> rank: {"abandon"}: true when a rank was lost, so none calls MPI_Finalize
  // The supernet phase: the ranks join a team (mpi_pretraining_team.hpp) and train epochs with rank 0.
  kPretrainTag = 10,     // 0 -> rank: {"session", "recipe", "workers", "threads_per_worker", "members", "keys"} + state
  kTrainEpochTag = 11,   // 0 -> rank: {}
  kEndPretrainTag = 12,  // 0 -> rank: {}
};

struct MpiFrame {
  Json header = Json::object();
  std::vector<std::string> blobs;
};

std::string encode_frame(const MpiFrame& frame);

// What every session opens with: its number, the recipe of the evaluator, the pool's size.
Json session_header(std::int64_t session, const RunnerOptions& options);

// State records (shared weights, a supernet's state) in a frame: their keys under "keys" in the
// header, their bytes as the blobs, in order.
void put_records(MpiFrame& frame, const std::vector<StateRecord>& records);
// Refuses (nas::Error naming `from`) keys and blobs that differ in number.
std::vector<StateRecord> records_of(const MpiFrame& frame, const std::string& from);
// Refuses (nas::Error naming `from`) a frame whose sizes do not add up or whose header is not JSON.
MpiFrame decode_frame(const std::string& bytes, const std::string& from);

}  // namespace nas
