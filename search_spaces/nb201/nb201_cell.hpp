#pragma once
// One NAS-Bench-201 cell as a LibTorch module (the benchmark's InferCell): node 0 is the input, node
// j the sum of its incoming edges' ops, node 3 the output; `channels` and the size stay as they are.
#include <array>
#include <memory>
#include <vector>

#include "ops/unary_op.hpp"
#include "search_spaces/nb201/nb201_genotype.hpp"

namespace nas {

class Nb201Cell : public UnaryOp {
 public:
  Nb201Cell(const Nb201Genotype& genotype, std::int64_t channels);
  torch::Tensor forward(torch::Tensor input) override;
  // `forward(self, x: Tensor) -> Tensor`, one line per node, named node0..node3 as in the benchmark.
  torch::jit::Module to_script(ScriptEmitter& emitter) const override;

 private:
  // An incoming edge whose op is not none (none contributes zeros, which a sum can leave out).
  struct Input {
    int from = 0;
    std::shared_ptr<UnaryOp> op;  // null for skip_connect
  };
  std::array<std::vector<Input>, kNb201Nodes> inputs_;  // per node; node 0 has none
};

}  // namespace nas
