#pragma once
// An einspace derivation tree compiled into a straight-line program over numbered tensors: what the
// LibTorch network runs, what TorchScript export writes out line by line, and what describe() counts.
// Compiling is where the code's rewrites happen: a routing module (im2col, linear, col2im) becomes
// one convolution, identities and clones become no step at all, and the head is appended.
#include <cstdint>
#include <string>
#include <vector>

#include "search_spaces/einspace/einspace_semantics.hpp"

namespace nas {

enum class EinStepKind {
  permute, im2col, col2im, linear, conv, batch_norm, layer_norm, leaky_relu, softmax, pos_enc,
  split, matmul, add, concat, head,
};

struct EinStep {
  EinStepKind kind = EinStepKind::linear;
  std::vector<int> inputs;   // tensor numbers; 0 is the network's input
  std::vector<int> outputs;  // one tensor, or `parts` for split
  EinShape input_shape;      // of inputs[0]
  EinShape output_shape;     // of each output
  int order[3] = {0, 0, 0};  // permute, 1-based non-batch axes
  int kernel = 0, stride = 0, padding = 0;  // im2col, conv
  std::int64_t fold_h = 0, fold_w = 0;      // col2im
  std::int64_t in_features = 0, out_features = 0;  // linear, conv (in channels), head; norm: features
  int dim = 0;    // split, concat: 1-based non-batch axis
  int parts = 0;  // split
  bool scaled = false;  // matmul
  std::int64_t params = 0, madds = 0;  // for one example

  std::string name() const;  // e.g. "conv3x3s1", "linear64", "matmul"
};

struct EinProgram {
  EinShape input;
  std::int64_t classes = 0;
  std::vector<EinStep> steps;
  int tensors = 1;  // numbered 0 .. tensors-1
  int output = 0;   // the logits
  std::int64_t params = 0, madds = 0;
};

// `root` must hold inferred contexts and results (a derived or re-inferred tree).
EinProgram compile_einspace(const EinspaceGrammar& grammar, const EinNode& root, std::int64_t classes);

}  // namespace nas
