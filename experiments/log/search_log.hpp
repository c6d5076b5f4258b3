#pragma once
// The search log: everything a run has decided and measured, in one SQLite file, DIR/search.db.
// `nas run` writes it as trials are proposed and finish; `nas inspect` and resumption read it back.
//
// Threads: one SearchLog object is used from one thread only (the run loop's). Another process, or
// another SearchLog object on the same file, may read at the same time: the file is in WAL mode,
// so readers see the last committed trial and never wait for the writer.
//
// Format 3 (log_schema.cpp): meta (run description and status), trials, checkpoints (the last one),
// exports, reevaluations, phases (the parts of a run: where each stands, how it ended, its own
// checkpoint) and run_state (the run's shared weights, as opaque records by owner and key).
//
// Older formats (from 2 on) are migrated (log_migrations.hpp), never guessed at; a newer format is
// refused, naming both versions.
// - Readers (Mode::read_only) of an older log copy it into memory (SQLite's backup API), migrate the
//   copy and read that: every reader sees the current format, with no code for older ones, and the
//   file is never opened for writing. The copy is the log as it was at open(). A reader refuses
//   every method that writes, whatever the format.
// - Writers (Mode::read_write) of an older log read the same migrated copy until their first write.
//   The first call of a method that writes (set_status, add_trial, mark_running, finish_trial,
//   discard_trials_from, update_experiment, record_export, record_reevaluation, add_phase,
//   set_phase_status, checkpoint_phase) backs the file up to DIR/search.db.bak-format<N> (log_backup.hpp),
//   migrates the file in one transaction and writes from then on to the file. A command that refuses
//   before it writes thus leaves every file as it was; a crash during the migration leaves the file in
//   its old format, and the next writer migrates it again.
// Errors and path() always name DIR/search.db, also when reads come from the in-memory copy.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/architecture.hpp"
#include "core/json.hpp"
#include "core/state_record.hpp"
#include "core/trial.hpp"

namespace nas {

// What a run is: given by the caller at create(), except the fields the log fills in itself.
struct RunInfo {
  std::string name;
  std::uint64_t seed = 0;
  std::string experiment_text;  // the YAML exactly as the user wrote it
  Json experiment_json;         // the effective configuration, after --set overrides
  std::string experiment_hash;  // the caller's hash of the effective configuration
  // Filled in by SearchLog::create; ignored when given.
  int format_version = 0;
  std::string program_version;
  std::string created_at;       // ISO-8601 UTC, e.g. 2024-05-01T12:34:56Z
  std::string status;           // running, finished or stopped, maybe followed by ": reason"
};

// One row of the trials table, as stored.
struct TrialRow {
  std::int64_t id = 0;
  Json arch;                    // Architecture::to_json(): space, hash, choices, genotype
  std::string arch_hash;
  std::string short_form;
  std::uint64_t seed = 0;
  TrialStatus status = TrialStatus::pending;
  // Wall-clock seconds since the Unix epoch; started/finished are absent until they happen.
  double proposed_at = 0;
  std::optional<double> started_at;
  std::optional<double> finished_at;
  std::optional<TrialMetrics> metrics;  // present exactly for done trials
  std::string error;                    // why it failed; empty when it did not
  std::int64_t reused_from = -1;        // id of the trial whose result was reused, or -1
  std::string trained_on;               // where it trained, e.g. "rank 2 on node7"; empty: this machine

  // The trial whose training produced this row's result (and whose weights a run keeps).
  std::int64_t trained_by() const { return reused_from >= 0 ? reused_from : id; }
};

// What the run loop needs to continue exactly after a trial ends, written in the same transaction as
// that trial's result.
struct Checkpoint {
  Json controller;              // the controller's whole state (RNG, population, policy weights, ...)
  std::int64_t proposed = 0;    // trials proposed under this state: ids below it; later ids are re-proposed
  double search_seconds = 0;    // wall-clock seconds the search has run so far, over all its sessions
  std::int64_t after_trial = -1;  // the trial it follows; filled in by latest_checkpoint()
  // The shared-weights records that changed with this result (written to run_state in the same
  // transaction). Not read back by latest_checkpoint(): SearchLog::run_state() holds every record.
  StateChanges state_changes = {};
};

// A model exported from a trial (`nas export`), with the test accuracy measured once on export.
struct ExportRecord {
  std::int64_t trial_id = 0;
  std::string file;             // the TorchScript file as named on the command line
  int retrain_epochs = 0;       // 0: the weights kept from the search trial
  double test_accuracy = 0;
  double test_loss = 0;
  std::string created_at;       // filled in by record_export
};

// One repeat of a done trial's architecture trained again from scratch with a fresh seed (`nas
// reevaluate`): how much of a trial's score is its architecture and how much its luck.
struct ReevaluationRow {
  std::int64_t trial_id = 0;
  int repeat = 0;               // 0, 1, ...: the seed is derived from the trial's seed and this
  std::uint64_t seed = 0;
  TrialStatus status = TrialStatus::done;  // done or failed
  TrialMetrics metrics;         // meaningful for done repeats only
  std::string error;            // why it failed
};

// Where one phase of a run stands. A run is a sequence of phases (supernet, search, reevaluate,
// retrain), each added by the run layer at its place in the run.
enum class PhaseStatus { pending, running, done, skipped };
std::string to_string(PhaseStatus status);
// The inverse of to_string; throws nas::Error on unknown text.
PhaseStatus phase_status_from_string(const std::string& text);

struct PhaseRow {
  std::string name;             // search, reevaluate (later: supernet, retrain)
  int position = 0;             // its place in the run, given by the writer; phases() orders by it
  PhaseStatus status = PhaseStatus::pending;
  std::string outcome;          // how it ended, e.g. "finished"; empty until it ends
  Json state;                   // the phase's own checkpoint; null: none
  // Wall-clock seconds since the Unix epoch: when it first ran, and when it ended.
  std::optional<double> started_at;
  std::optional<double> finished_at;
};

// The migration of a log's file to the current format, made by this SearchLog object at its first write.
struct LogUpgrade {
  int from_version = 0;
  int to_version = 0;
  std::string backup;           // DIR/search.db.bak-format<from_version>: the file as it was
};
// "upgraded the search log from format 2 to 3; the original is kept as DIR/search.db.bak-format2".
std::string describe_upgrade(const LogUpgrade& upgrade);

struct TrialStatusCounts {
  std::int64_t pending = 0;
  std::int64_t running = 0;
  std::int64_t done = 0;
  std::int64_t failed = 0;
};

class SearchLog {
 public:
  enum class Mode { read_only, read_write };
  // Bumped whenever the schema changes meaning, with a migration from the previous format
  // (log_migrations.cpp); a log of a newer format is refused, not guessed at.
  // 2: checkpoints hold the proposal count and search time; exports table.
  // 3: reevaluations in the schema; phases and run_state tables.
  static constexpr int format_version = 4;

  // Starts the log of a new run in `dir` (created if missing), at the current format. Refuses if
  // DIR/search.db exists. Holds the run's lock (see run_lock.hpp) as long as it lives.
  static SearchLog create(const std::string& dir, const RunInfo& info);
  // Opens the log of an existing run. Refuses, without writing anything, a missing directory, a
  // directory without search.db, a file that is not an intact SQLite database, and a log of a newer
  // format or one too old to migrate. read_write also takes the run's lock, refusing while another
  // process writes. An older format is migrated as the header comment says: in memory for reading, in
  // the file (after a backup) at the first write.
  static SearchLog open(const std::string& dir, Mode mode);

  SearchLog(SearchLog&&) noexcept;
  SearchLog& operator=(SearchLog&&) noexcept;
  ~SearchLog();

  const std::string& path() const;  // DIR/search.db
  // The format of the file when it was opened (format_version for a log made by create()).
  int stored_format_version() const;
  // Set once this object has migrated the file (its first write to an older log).
  std::optional<LogUpgrade> upgrade() const;
  RunInfo info() const;  // format_version: the format read, after any migration
  // running, finished or stopped, optionally followed by ": reason", e.g. "stopped: budget.hours
  // reached".
  void set_status(const std::string& status);

  // Records a newly proposed trial as pending. The log assigns ids: 0, 1, 2, ... in proposal order,
  // continuing after the last stored trial when a run resumes.
  std::int64_t add_trial(const Architecture& arch, std::uint64_t seed);
  void mark_running(std::int64_t id);
  // Stores the result of trial.id (status done or failed; metrics are kept for done trials only,
  // and must be finite: SQLite would store NaN as NULL) and the checkpoint that follows it (which
  // replaces the previous one), in one transaction: after a crash the log holds both or neither.
  void finish_trial(const Trial& trial, const Checkpoint& checkpoint);
  // For resuming: forgets the trials from `first_id` on, which were proposed after the last
  // checkpoint and will be proposed again. Refuses if any of them has finished (the checkpoint
  // written with it would be later). Ids continue from `first_id`.
  void discard_trials_from(std::int64_t first_id);
  // For resuming with changed budget or pool settings: the effective configuration from now on.
  void update_experiment(const Json& effective, const std::string& hash);
  void record_export(const ExportRecord& record);
  std::vector<ExportRecord> exports() const;
  // Stores one finished re-evaluation repeat (refuses one already stored).
  void record_reevaluation(const ReevaluationRow& row);
  // All stored repeats, by trial id then repeat.
  std::vector<ReevaluationRow> reevaluations() const;

  std::vector<TrialRow> trials() const;
  // Trial `id`; throws nas::Error naming the log and the ids it holds when there is none.
  TrialRow trial(std::int64_t id) const;
  TrialStatusCounts status_counts() const;
  // Done trials by val_accuracy, highest first; ties go to the lowest id. At most `count` of them.
  std::vector<TrialRow> top_done_trials(int count) const;
  // The same without the trials that reused an earlier result, and each architecture once (by its
  // best training): the best trials that trained, whose weights a run keeps (a reuse repeats its
  // original's metrics, and a second training its architecture, and would take a second place).
  std::vector<TrialRow> top_trained_trials(int count) const;
  // The first of top_done_trials: the best result so far.
  std::optional<TrialRow> best() const;
  // The first done trial of this architecture, whose result a new proposal of it can reuse.
  std::optional<TrialRow> find_done_by_hash(const std::string& arch_hash) const;
  // The checkpoint written last (its state_changes empty: see run_state()).
  std::optional<Checkpoint> latest_checkpoint() const;

  // The run's phases, by position (then name).
  std::vector<PhaseRow> phases() const;
  // Adds a phase, pending. Refuses (nas::Error) a name the log already holds, and an empty one.
  void add_phase(const std::string& name, int position);
  // Moves a phase to `status`. running: sets started_at the first time it runs; done or skipped: sets
  // finished_at and the outcome (how it ended); pending or running: clears outcome and finished_at (a
  // phase reopened by a resume with a larger budget). An outcome is refused for pending and running.
  // Refuses a phase the log does not hold.
  void set_phase_status(const std::string& name, PhaseStatus status, const std::string& outcome = "");
  // A phase's own checkpoint (its JSON state; null: none) and the shared-weights records that changed
  // with it, in ONE transaction: after a crash the log holds both or neither.
  void checkpoint_phase(const std::string& name, const Json& state, const StateChanges& changes);
  // The shared-weights records of `owner` (the latest of each key, from finish_trial and
  // checkpoint_phase), by key.
  std::vector<StateRecord> run_state(const std::string& owner) const;

  // Makes every read until the guard ends see the same committed state, even while another process
  // writes, so that counts, trials and best agree. Only for reading; no writes while it lives.
  class ReadSnapshot {
   public:
    explicit ReadSnapshot(const SearchLog& log);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

   private:
    const SearchLog& log_;
  };

 private:
  struct Impl;
  explicit SearchLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nas
