#include "evaluators/training/trainer_options.hpp"

#include <cmath>

namespace nas {
namespace {

std::string key_path(const ConfigNode& section, const std::string& key) {
  return section.path().empty() ? key : section.path() + "." + key;
}

}  // namespace

torch::Device read_device(const ConfigNode& section) {
  const std::string text = section.string("device", "cpu");
  if (text == "cpu") return torch::kCPU;
  if (text != "cuda" && text.rfind("cuda:", 0) != 0)
    throw section.error("device", "unknown device '" + text + "'; accepted: cpu, cuda, cuda:N");
  std::int64_t index = 0;
  if (text != "cuda") {
    const std::string digits = text.substr(5);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 4)
      throw section.error("device", "expected cuda:N with a device number N, got '" + text + "'");
    index = std::stoll(digits);
  }
  if (!torch::cuda::is_available())
    throw section.error("device", "'" + text +
                                      "' needs CUDA, but this LibTorch has no CUDA support or no CUDA device is "
                                      "visible; use device: cpu");
  const auto count = static_cast<std::int64_t>(torch::cuda::device_count());
  if (index >= count)
    throw section.error("device", "'" + text + "' does not exist: this machine has only " + std::to_string(count) +
                                      " CUDA device" + (count == 1 ? "" : "s") + " (cuda:0..cuda:" +
                                      std::to_string(count - 1) + ")");
  return torch::Device(torch::kCUDA, static_cast<torch::DeviceIndex>(index));
}

TrainerOptions read_trainer_options(const ConfigNode& section) {
  TrainerOptions options;
  options.epochs = section.integer("epochs", options.epochs, 1);
  options.max_steps = section.integer("max_steps", options.max_steps, 0);
  options.batch_size = section.integer("batch_size", options.batch_size, 1);
  options.eval_batch_size = section.integer("eval_batch_size", options.eval_batch_size, 1);
  options.make_optimizer = read_optimizer(section.section("optimizer"));
  const std::string schedule = section.choice("schedule", "cosine", {"cosine", "constant"}, "schedule");
  options.schedule = schedule == "cosine" ? LrSchedule::cosine : LrSchedule::constant;
  options.grad_clip = section.number("grad_clip", options.grad_clip, 0);
  options.trial_time_limit = section.number("trial_time_limit", options.trial_time_limit, 0);
  options.max_params = section.integer("max_params", options.max_params, 0);
  options.device = read_device(section);
  options.trial_time_limit_key = key_path(section, "trial_time_limit");
  options.max_params_key = key_path(section, "max_params");
  return options;
}

double schedule_factor(LrSchedule schedule, std::int64_t step, std::int64_t total_steps) {
  if (schedule == LrSchedule::constant) return 1.0;
  const double pi = std::acos(-1.0);
  return 0.5 * (1.0 + std::cos(pi * static_cast<double>(step) / static_cast<double>(total_steps)));
}

}  // namespace nas
