#include "search_spaces/vit_resnas/vit_resnas_summary.hpp"

#include "search_spaces/op_graph.hpp"

namespace nas {
namespace {

// A convolution with a bias and no BatchNorm (the stem's projection to tokens, a reduction's conv).
OpVertex conv_bias_op(std::int64_t in, const FeatureShape& out, std::int64_t kernel) {
  OpVertex op = shaped_op(out);
  op.params = in * kernel * kernel * out.channels + out.channels;
  op.madds = in * kernel * kernel * out.channels * out.height * out.width;
  return op;
}

std::int64_t layer_norm_params(std::int64_t channels) { return 2 * channels; }

OpVertex block_op(const VitResnasBlockPlan& block, const VitResnasStagePlan& stage) {
  const std::int64_t c = block.embed, a = block.attention_width(), m = block.mlp, n = stage.sequence();
  OpVertex op = shaped_op(FeatureShape{c, stage.grid_h, stage.grid_w});
  op.params =
      layer_norm_params(c) + (c * 3 * a + 3 * a) + (a * c + c) + layer_norm_params(c) + (c * m + m) + (m * c + c);
  // qkv, the two attention products, proj, then the MLP's two layers.
  op.madds = n * c * 3 * a + 2 * n * n * a + n * a * c + 2 * n * c * m;
  return op;
}

OpVertex reduction_op(std::int64_t in, const VitResnasStagePlan& stage) {
  const std::int64_t out = stage.embed, patches = stage.grid_h * stage.grid_w;
  OpVertex op = shaped_op(FeatureShape{out, stage.grid_h, stage.grid_w});
  // LayerNorm, the 3x3 conv with bias, the new position embedding, the class token's linear layer.
  op.params = layer_norm_params(in) + (in * 9 * out + out) + patches * out + (in * out + out);
  op.madds = patches * out * 9 * in + in * out;
  return op;
}

}  // namespace

ModelSummary summarize_vit_resnas(const VitResnasPlan& plan) {
  OpGraph graph;
  OpGraphBuilder builder(graph);
  const VitResnasStagePlan& first = plan.stages.front();
  const std::int64_t sc = plan.stem_channels;
  const FeatureShape stem_shape{sc, plan.stem_h, plan.stem_w};
  const FeatureShape token_shape{first.embed, first.grid_h, first.grid_w};

  OpVertexId x =
      builder.add(shaped_op(FeatureShape{plan.in_channels, plan.input_h, plan.input_w}), "input", "input", -1, {});
  if (plan.stem == VitResnasStemKind::kConvResidual) {
    const OpVertexId conv1 =
        builder.add(conv_bn_op(plan.in_channels, stem_shape, 3), "stem/conv1", "conv_bn_relu_3x3_s2", -1, {x});
    const OpVertexId conv2 = builder.add(conv_bn_op(sc, stem_shape, 3), "stem/conv2", "conv_bn_relu_3x3", -1, {conv1});
    const OpVertexId conv3 = builder.add(conv_bn_op(sc, stem_shape, 3), "stem/conv3", "conv_bn_relu_3x3", -1, {conv2});
    const OpVertexId sum = builder.add(shaped_op(stem_shape), "stem/add", "add", -1, {conv1, conv3});
    x = builder.add(conv_bias_op(sc, token_shape, 7), "stem/proj", "conv_7x7_s7", -1, {sum});
  } else {
    const OpVertexId conv1 =
        builder.add(conv_bn_op(plan.in_channels, stem_shape, 3), "stem/conv1", "pad_conv_bn_relu_3x3_s2", -1, {x});
    x = builder.add(conv_bias_op(sc, token_shape, 2), "stem/proj", "conv_2x2_s2", -1, {conv1});
  }
  OpVertex tokens = shaped_op(token_shape);
  tokens.params = first.embed + first.sequence() * first.embed;  // class token, position embedding
  x = builder.add(tokens, "tokens", "class_token+position_embedding", -1, {x});

  for (std::size_t s = 0; s < plan.stages.size(); ++s) {
    const VitResnasStagePlan& stage = plan.stages[s];
    const int cluster = static_cast<int>(s);
    if (s > 0)
      x = builder.add(reduction_op(plan.stages[s - 1].embed, stage), vit_resnas_reduction_name(s),
                      "residual_spatial_reduction", cluster, {x});
    for (const VitResnasBlockPlan& block : stage.blocks)
      x = builder.add(block_op(block, stage), vit_resnas_block_name(s, block.position),
                      "transformer " + std::to_string(block.heads) + "x" + std::to_string(block.head_dim) +
                          " heads, mlp " + std::to_string(block.mlp),
                      cluster, {x});
  }
  const std::int64_t last = plan.stages.back().embed;
  OpVertex head = linear_op(last, plan.classes);
  head.params += layer_norm_params(last);
  builder.add(head, "head", "layer_norm+linear", -1, {x});

  ModelSummary summary = summarize_op_graph(graph);
  summary.dot = draw_op_graph(graph, [&](int stage) {
    const VitResnasStagePlan& s = plan.stages[static_cast<std::size_t>(stage)];
    return "stage " + std::to_string(stage + 1) + ": " + std::to_string(s.embed) + " wide, " +
           std::to_string(s.grid_h) + "x" + std::to_string(s.grid_w) + " tokens";
  });
  return summary;
}

}  // namespace nas
