#include "evaluators/training/supernet_options.hpp"

#include "evaluators/training/trainer_options.hpp"

namespace nas {

SupernetOptions read_supernet_options(const ConfigNode& section) {
  SupernetOptions options;
  options.epochs = section.integer("epochs", options.epochs, 1, 100000);
  options.batch_size = section.integer("batch_size", options.batch_size, 1, 1 << 20);
  options.examples_per_arch = section.integer("examples_per_arch", options.examples_per_arch, 1, 1 << 20);
  if (options.batch_size % options.examples_per_arch != 0)
    throw section.error("examples_per_arch",
                        "must divide supernet.batch_size (" + std::to_string(options.batch_size) +
                            ") so that every sub-network of a step gets as many examples; got " +
                            std::to_string(options.examples_per_arch));
  options.warmup_epochs = static_cast<int>(section.integer("warmup_epochs", options.warmup_epochs, 0, 100000));
  options.rewire = section.boolean("rewire", options.rewire);
  options.min_lr = section.number("min_lr", options.min_lr, 0);
  options.lr_warmup_epochs = section.integer("lr_warmup_epochs", options.lr_warmup_epochs, 0, 100000);
  options.label_smoothing = section.number("label_smoothing", options.label_smoothing, 0, 0.999);
  options.grad_clip = section.number("grad_clip", options.grad_clip, 0);
  options.max_steps_per_epoch = section.integer("max_steps_per_epoch", options.max_steps_per_epoch, 0);
  options.device = read_device(section);
  // AdamW's default rate is the official 5e-4 unscaled: the recipe's 5e-4 x batch / 512 is tuned for
  // 120 ImageNet epochs and leaves a few Fashion-MNIST epochs far from trained.
  options.make_optimizer = read_optimizer(section.section("optimizer"), "adamw");
  section.finish();
  return options;
}

}  // namespace nas
