#include "evaluators/builtin/supernet_weights.hpp"

#include <torch/torch.h>

#include <sstream>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "evaluators/datasets/image_dataset.hpp"
#include "evaluators/training/supernet_training.hpp"
#include "ops/supernet.hpp"

namespace nas {

struct SupernetState {
  std::shared_ptr<Supernet> supernet;
  std::unique_ptr<torch::optim::Optimizer> optimizer;
  std::vector<double> base_lr;  // the optimizer's configured rates, before any schedule touched them
  int epochs_done = 0;
};

namespace {

constexpr const char* kWeightsKey = "weights";
constexpr const char* kOptimizerKey = "optimizer";
constexpr const char* kProgressKey = "progress";
// The initial weights' stream of the experiment seed (trials use derive_seed(seed, trial id) for theirs).
constexpr std::uint64_t kInitialWeightsStream = 0x5e9e7ull;

// A supernet frozen for the search: a copy of the trained weights that no training touches, so workers
// extract sub-networks from it without locks while the run goes on.
class SupernetView : public SharedWeightsView {
 public:
  explicit SupernetView(std::shared_ptr<const Supernet> supernet) : supernet(std::move(supernet)) {}
  std::string kind() const override { return SupernetWeights::kKind; }
  std::vector<StateRecord> records() const override;
  const std::shared_ptr<const Supernet> supernet;
};

std::vector<torch::Tensor> tensors_of(const torch::nn::Module& module) {
  std::vector<torch::Tensor> tensors = module.parameters();
  for (const auto& buffer : module.buffers()) tensors.push_back(buffer);
  return tensors;
}

// LibTorch's pickle of the tensor list keeps every bit, so a resumed training starts from exactly the
// checkpointed weights.
std::string encode_tensors(const torch::nn::Module& module) {
  c10::List<at::Tensor> list;
  for (const auto& tensor : tensors_of(module)) list.push_back(tensor.detach().cpu());
  const std::vector<char> bytes = torch::pickle_save(c10::IValue(list));
  return std::string(bytes.begin(), bytes.end());
}

// The weights alone: a process that only extracts sub-networks needs no optimizer state.
std::vector<StateRecord> SupernetView::records() const {
  return {StateRecord{kWeightsKey, encode_tensors(*supernet)}};
}

void decode_tensors(const std::string& bytes, torch::nn::Module& module) {
  const c10::IValue value = torch::pickle_load(std::vector<char>(bytes.begin(), bytes.end()));
  const auto stored = value.toTensorList();
  std::vector<torch::Tensor> targets = tensors_of(module);
  if (stored.size() != targets.size())
    throw Error("", "holds " + std::to_string(stored.size()) + " tensors; this supernet has " +
                        std::to_string(targets.size()) + " (was the space configured differently?)");
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const at::Tensor source = stored.get(i);
    if (source.sizes() != targets[i].sizes())
      throw Error("", "tensor " + std::to_string(i) + " has another shape than this supernet's");
    targets[i].copy_(source);
  }
}

std::string encode_optimizer(const torch::optim::Optimizer& optimizer) {
  torch::serialize::OutputArchive archive;
  optimizer.save(archive);
  std::ostringstream out;
  archive.save_to(out);
  return out.str();
}

void decode_optimizer(const std::string& bytes, torch::optim::Optimizer& optimizer) {
  std::istringstream in(bytes);
  torch::serialize::InputArchive archive;
  archive.load_from(in);
  optimizer.load(archive);
}

std::string first_line(const std::string& text) { return text.substr(0, std::min(text.find('\n'), std::size_t{300})); }

}  // namespace

SupernetWeights::SupernetWeights(const SearchSpace& space, std::shared_ptr<const ImageDataset> data,
                                 std::shared_ptr<const SupernetOptions> options, std::uint64_t seed)
    : space_(space), data_(std::move(data)), options_(std::move(options)), seed_(seed),
      state_(std::make_unique<SupernetState>()) {
  // The initial weights come from torch's global generator, seeded for this run: the run makes its
  // shared weights on its own thread before any worker starts.
  torch::manual_seed(derive_seed(seed_, kInitialWeightsStream));
  state_->supernet = space_.build_supernet(data_->shape);
  if (!state_->supernet) throw Error("space." + space_.name(), "offers no supernet");
  state_->supernet->to(options_->device);
  state_->optimizer = options_->make_optimizer(state_->supernet->parameters());
  for (auto& group : state_->optimizer->param_groups()) state_->base_lr.push_back(group.options().get_lr());
}

SupernetWeights::~SupernetWeights() = default;

int SupernetWeights::epochs_planned() const { return static_cast<int>(options_->epochs); }
int SupernetWeights::epochs_done() const { return state_->epochs_done; }

PretrainingEpoch SupernetWeights::train_epoch(DataParallel& team) {
  PretrainingEpoch result;
  result.epoch = state_->epochs_done;
  const SupernetEpochFigures figures = train_supernet_epoch(*state_->supernet, *state_->optimizer, state_->base_lr,
                                                            *data_, *options_, seed_, result.epoch, team);
  ++state_->epochs_done;
  view_.reset();
  result.figures = figures.to_json();
  result.records = records();
  return result;
}

std::vector<StateRecord> SupernetWeights::records() const {
  return {StateRecord{kWeightsKey, encode_tensors(*state_->supernet)},
          StateRecord{kOptimizerKey, encode_optimizer(*state_->optimizer)},
          StateRecord{kProgressKey, Json{{"epochs_done", state_->epochs_done}}.dump()}};
}

std::shared_ptr<const SharedWeightsView> SupernetWeights::view() const {
  if (view_) return view_;
  // A fresh module of the same shape, then the trained tensors copied in: extraction reads it from
  // several workers while nothing writes it.
  std::shared_ptr<Supernet> frozen = space_.build_supernet(data_->shape);
  {
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> targets = tensors_of(*frozen);
    const std::vector<torch::Tensor> sources = tensors_of(*state_->supernet);
    for (std::size_t i = 0; i < targets.size(); ++i) targets[i].copy_(sources[i].cpu());
  }
  frozen->eval();
  view_ = std::make_shared<const SupernetView>(std::move(frozen));
  return view_;
}

std::vector<StateRecord> SupernetWeights::absorb(const std::vector<StateRecord>& offer) {
  if (!offer.empty())
    throw Error("shared weights", "a trial offered records to the supernet, which the search never changes");
  return {};
}

void SupernetWeights::restore(const std::vector<StateRecord>& records) {
  for (const StateRecord& record : records) {
    const std::string where = std::string(kKind) + " record '" + record.key + "'";
    try {
      if (record.key == kWeightsKey) {
        decode_tensors(record.bytes, *state_->supernet);
      } else if (record.key == kOptimizerKey) {
        decode_optimizer(record.bytes, *state_->optimizer);
      } else if (record.key == kProgressKey) {
        const Json progress = Json::parse(record.bytes);
        const auto done = progress.at("epochs_done").get<std::int64_t>();
        if (done < 0 || done > 1000000) throw Error("", "epochs_done out of range");
        state_->epochs_done = static_cast<int>(done);
      } else {
        throw Error("", "is not a record a supernet writes (weights, optimizer, progress)");
      }
    } catch (const Error& e) {
      throw Error(where, std::string("cannot be read: ") + e.what());
    } catch (const std::exception& e) {
      throw Error(where, "cannot be read: " + first_line(e.what()));
    }
  }
  view_.reset();
}

std::shared_ptr<Network> inherit_from_supernet(const SharedWeightsView& view, const Architecture& arch) {
  const auto* supernet = dynamic_cast<const SupernetView*>(&view);
  if (!supernet)
    throw Error("shared weights", "are of kind '" + view.kind() + "'; inherited weights come from a " +
                                      SupernetWeights::kKind);
  return supernet->supernet->extract(arch);
}

}  // namespace nas
