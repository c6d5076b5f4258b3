#include "search_spaces/einspace/einspace_terminals.hpp"

namespace nas {
namespace {

std::vector<EinTerminal> make_terminals() {
  std::vector<EinTerminal> all;
  auto add = [&](EinTerminal t) { all.push_back(std::move(t)); };
  // B: clone(b) hands b references of the input on; group(b, dim) splits an axis into b equal parts.
  for (int b : {2, 4, 8}) add({"clone" + std::to_string(b), "B", EinOp::clone, b});
  for (int b : {2, 4, 8})
    for (int dim : {1, 2, 3})
      add({"group(" + std::to_string(b) + ",d" + std::to_string(dim) + ")", "B", EinOp::group, b, dim});
  // A: matmul (scaled or not), add, concat along an axis of b inputs.
  add({"matmul", "A", EinOp::matmul});
  add({"matmul_scaled", "A", EinOp::matmul, 0, 0, true});
  add({"add", "A", EinOp::add});
  for (int b : {2, 4, 8})
    for (int dim : {1, 2, 3})
      add({"concat(" + std::to_string(b) + ",d" + std::to_string(dim) + ")", "A", EinOp::concat, b, dim});
  // P and R share identity and the permutes; im2col only in P, col2im only in R.
  for (const char* symbol : {"P", "R"}) {
    add({"identity", symbol, EinOp::identity});
    EinTerminal swap{"permute(2,1)", symbol, EinOp::permute};
    swap.order[0] = 2;
    swap.order[1] = 1;
    add(swap);
    for (auto order : std::vector<std::array<int, 3>>{{1, 3, 2}, {2, 1, 3}, {2, 3, 1}, {3, 1, 2}, {3, 2, 1}}) {
      EinTerminal t{"permute(" + std::to_string(order[0]) + "," + std::to_string(order[1]) + "," +
                        std::to_string(order[2]) + ")",
                    symbol, EinOp::permute};
      for (int i = 0; i < 3; ++i) t.order[i] = order[i];
      add(t);
    }
    if (std::string(symbol) == "P") {
      for (auto kernel : std::vector<std::array<int, 3>>{{1, 1, 0}, {1, 2, 0}, {3, 1, 1}, {3, 2, 1}, {4, 4, 0},
                                                          {8, 8, 0}, {16, 16, 0}}) {
        EinTerminal t{"im2col(" + std::to_string(kernel[0]) + "," + std::to_string(kernel[1]) + "," +
                          std::to_string(kernel[2]) + ")",
                      "P", EinOp::im2col};
        t.kernel = kernel[0];
        t.stride = kernel[1];
        t.padding = kernel[2];
        add(t);
      }
    } else {
      add({"col2im", "R", EinOp::col2im});
    }
  }
  // C: identity, linear(d) on the last axis, norm, leaky ReLU, softmax on the last axis, learnable
  // positional encoding; then the seeds' relative linears.
  add({"identity", "C", EinOp::identity});
  for (std::int64_t d : {16, 32, 64, 128, 256, 512, 1024, 2048}) {
    EinTerminal t{"linear" + std::to_string(d), "C", EinOp::linear};
    t.width = d;
    add(t);
  }
  add({"norm", "C", EinOp::norm});
  add({"leakyrelu", "C", EinOp::leaky_relu});
  add({"softmax", "C", EinOp::softmax});
  add({"pos_enc", "C", EinOp::pos_enc});
  EinTerminal times4{"linear_x4", "C", EinOp::linear};
  times4.width_num = 4;
  times4.seed_only = true;
  add(times4);
  EinTerminal quarter{"linear_4th", "C", EinOp::linear};
  quarter.width_num = 1;
  quarter.width_den = 4;
  quarter.seed_only = true;
  add(quarter);
  return all;
}

}  // namespace

const std::vector<EinTerminal>& einspace_terminals() {
  static const std::vector<EinTerminal> terminals = make_terminals();
  return terminals;
}

const EinTerminal* find_einspace_terminal(const std::string& symbol, const std::string& label) {
  for (const auto& t : einspace_terminals())
    if (t.symbol == symbol && t.label == label) return &t;
  return nullptr;
}

}  // namespace nas
