#include "search_spaces/einspace/einspace_program.hpp"

#include <cmath>

#include "core/error.hpp"

namespace nas {
namespace {

class Compiler {
 public:
  Compiler(const EinspaceGrammar& grammar, EinProgram& program) : grammar_(grammar), y_(grammar.symbols()), program_(program) {}

  int module(const EinNode& node, int input) {
    const auto& kids = node.children;
    switch (node.production) {
      case kSequential:
        return module(*kids[1], module(*kids[0], input));
      case kBranching:
        return branching(node, input);
      case kRouting:
        if (is_convolution(node)) return convolution(node, input);
        return terminal(*kids[2], module(*kids[1], terminal(*kids[0], input)));
      default:
        return terminal(*kids[0], input);
    }
  }

  void head(int input, const EinShape& shape) {
    // The code's head: Im, mean over H and W, then Linear(C, classes); Col, mean over D (the token
    // axis stays), then Linear(S, classes).
    EinStep step = make(EinStepKind::head, {input}, shape);
    step.in_features = shape.dims[0];
    step.out_features = program_.classes;
    step.output_shape = EinShape{1, {program_.classes, 0, 0}};  // logits
    step.params = step.in_features * step.out_features + step.out_features;
    step.madds = shape.elements() + step.in_features * step.out_features;
    program_.output = push(step);
  }

 private:
  const EinTerminal& term(const EinNode& node) const { return *grammar_.terminal(node.symbol, node.production); }

  // A routing module (im2col, C(linear), col2im) is a convolution with the im2col's kernel, as the code
  // compiles it: unfold's feature order is channel-major, which is Conv2d's weight layout.
  bool is_convolution(const EinNode& node) const {
    const EinNode& p = *node.children[0];
    const EinNode& m = *node.children[1];
    const EinNode& r = *node.children[2];
    return term(p).op == EinOp::im2col && term(r).op == EinOp::col2im && m.symbol == y_.m &&
           m.production == kComputation && term(*m.children[0]).op == EinOp::linear;
  }

  int convolution(const EinNode& node, int input) {
    const EinTerminal& im2col = term(*node.children[0]);
    EinStep step = make(EinStepKind::conv, {input}, node.context.input);
    step.kernel = im2col.kernel;
    step.stride = im2col.stride;
    step.padding = im2col.padding;
    step.in_features = node.context.input.dims[0];
    step.output_shape = node.result.output;
    step.out_features = step.output_shape.dims[0];
    step.params = node.result.params;
    step.madds = step.output_shape.elements() * step.in_features * step.kernel * step.kernel;
    return push(step);
  }

  int branching(const EinNode& node, int input) {
    const auto& kids = node.children;
    const EinNode& b = *kids[0];
    const EinTerminal& split = term(b);
    std::vector<int> branches(split.branches, input);  // clone: every branch reads the input itself
    if (split.op == EinOp::group) {
      EinStep step = make(EinStepKind::split, {input}, b.context.input);
      step.dim = split.dim;
      step.parts = split.branches;
      step.output_shape = b.result.output;
      step.outputs.clear();
      for (int i = 0; i < split.branches; ++i) step.outputs.push_back(program_.tensors++);
      branches = step.outputs;
      program_.steps.push_back(step);
    }
    const bool shared = kids.size() == 3;  // b > 2: one module, compiled b times (separate weights)
    std::vector<int> outputs;
    for (int i = 0; i < split.branches; ++i) outputs.push_back(module(*kids[shared ? 1 : 1 + i], branches[i]));
    const EinNode& a = *kids.back();
    const EinTerminal& join = term(a);
    EinStepKind kind = join.op == EinOp::matmul ? EinStepKind::matmul
                       : join.op == EinOp::add  ? EinStepKind::add
                                                : EinStepKind::concat;
    EinStep step = make(kind, outputs, a.context.input);
    step.output_shape = a.result.output;
    step.scaled = join.scaled;
    step.dim = join.dim;
    if (kind == EinStepKind::matmul) step.madds = step.output_shape.elements() * a.context.input.last();
    return push(step);
  }

  int terminal(const EinNode& node, int input) {
    const EinTerminal& t = term(node);
    const EinShape& in = node.context.input;
    EinStep step = make(EinStepKind::linear, {input}, in);
    step.output_shape = node.result.output;
    step.params = node.result.params;
    switch (t.op) {
      case EinOp::identity:
        return input;
      case EinOp::permute:
        step.kind = EinStepKind::permute;
        for (int i = 0; i < 3; ++i) step.order[i] = t.order[i];
        break;
      case EinOp::im2col:
        step.kind = EinStepKind::im2col;
        step.kernel = t.kernel;
        step.stride = t.stride;
        step.padding = t.padding;
        break;
      case EinOp::col2im:
        step.kind = EinStepKind::col2im;
        step.fold_h = node.context.fold_h;
        step.fold_w = node.context.fold_w;
        break;
      case EinOp::linear:
        step.in_features = in.last();
        step.out_features = step.output_shape.last();
        step.madds = step.output_shape.elements() * step.in_features;
        break;
      case EinOp::norm:
        step.kind = in.is_image() ? EinStepKind::batch_norm : EinStepKind::layer_norm;
        step.in_features = in.is_image() ? in.dims[0] : in.dims[1];
        break;
      case EinOp::leaky_relu:
        step.kind = EinStepKind::leaky_relu;
        break;
      case EinOp::softmax:
        step.kind = EinStepKind::softmax;
        break;
      case EinOp::pos_enc:
        step.kind = EinStepKind::pos_enc;
        break;
      default:
        throw Error("einspace", "terminal '" + t.label + "' cannot stand in a routing or computation slot");
    }
    return push(step);
  }

  EinStep make(EinStepKind kind, std::vector<int> inputs, const EinShape& shape) {
    EinStep step;
    step.kind = kind;
    step.inputs = std::move(inputs);
    step.input_shape = shape;
    return step;
  }

  int push(EinStep& step) {
    const int output = program_.tensors++;
    step.outputs = {output};
    program_.params += step.params;
    program_.madds += step.madds;
    program_.steps.push_back(step);
    return output;
  }

  const EinspaceGrammar& grammar_;
  const EinSymbols& y_;
  EinProgram& program_;
};

}  // namespace

std::string EinStep::name() const {
  switch (kind) {
    case EinStepKind::permute:
      return order[2] ? "permute(" + std::to_string(order[0]) + "," + std::to_string(order[1]) + "," +
                            std::to_string(order[2]) + ")"
                      : "permute(2,1)";
    case EinStepKind::im2col:
      return "im2col(" + std::to_string(kernel) + "," + std::to_string(stride) + "," + std::to_string(padding) + ")";
    case EinStepKind::col2im: return "col2im";
    case EinStepKind::linear: return "linear" + std::to_string(out_features);
    case EinStepKind::conv:
      return "conv" + std::to_string(kernel) + "x" + std::to_string(kernel) + "s" + std::to_string(stride) + "/" +
             std::to_string(out_features);
    case EinStepKind::batch_norm: return "batch_norm";
    case EinStepKind::layer_norm: return "layer_norm";
    case EinStepKind::leaky_relu: return "leakyrelu";
    case EinStepKind::softmax: return "softmax";
    case EinStepKind::pos_enc: return "pos_enc";
    case EinStepKind::split: return "group(" + std::to_string(parts) + ",d" + std::to_string(dim) + ")";
    case EinStepKind::matmul: return scaled ? "matmul_scaled" : "matmul";
    case EinStepKind::add: return "add";
    case EinStepKind::concat: return "concat(d" + std::to_string(dim) + ")";
    case EinStepKind::head: return "head";
  }
  return "?";
}

EinProgram compile_einspace(const EinspaceGrammar& grammar, const EinNode& root, std::int64_t classes) {
  EinProgram program;
  program.input = root.context.input;
  program.classes = classes;
  Compiler compiler(grammar, program);
  const int features = compiler.module(root, 0);
  compiler.head(features, root.result.output);
  return program;
}

}  // namespace nas
