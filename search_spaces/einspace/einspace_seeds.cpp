#include "search_spaces/einspace/einspace_seeds.hpp"

#include "core/error.hpp"
#include "core/suggest.hpp"
#include "search_spaces/einspace/einspace_tree_builder.hpp"

namespace nas {
namespace {

using namespace einspace_tree;

Json residual(Json body) { return branch("clone2", {std::move(body), op("identity")}, "add"); }
// conv(k, s, d) = route[im2col(k, s, p)](linear d)[col2im], with "same" padding for k = 3.
Json conv(int kernel, int stride, int width) {
  const std::string im2col = "im2col(" + std::to_string(kernel) + "," + std::to_string(stride) + "," +
                             std::to_string(kernel == 3 ? 1 : 0) + ")";
  return route(im2col, op("linear" + std::to_string(width)), "col2im");
}
Json norm_relu() { return seq({op("norm"), op("leakyrelu")}); }
Json patch_embedding() { return seq({route("im2col(4,4,0)", op("linear512"), "identity"), op("pos_enc")}); }

Json resnet18() {
  auto block = [](int width) {
    return seq({residual(seq({conv(3, 1, width), op("norm"), op("leakyrelu"), conv(3, 1, width), op("norm")})),
                op("leakyrelu")});
  };
  auto strided_block = [](int width) {
    Json body = seq({conv(3, 2, width), op("norm"), op("leakyrelu"), conv(3, 1, width), op("norm")});
    Json shortcut = seq({conv(1, 2, width), op("norm")});
    return seq({branch("clone2", {body, shortcut}, "add"), op("leakyrelu")});
  };
  // The stem's strided convolution stands where ResNet's max-pool was.
  Json stem = seq({conv(3, 1, 64), op("norm"), op("leakyrelu"), conv(3, 2, 64)});
  return as_root(seq({stem, block(64), block(64), strided_block(128), block(128), strided_block(256), block(256),
                      strided_block(512), block(512)}));
}

Json wide_resnet16_4() {
  auto body = [](int stride, int width) { return seq({conv(3, stride, width), norm_relu(), conv(3, 1, width)}); };
  auto shortcut_block = [&](int stride, int width) {
    return seq({branch("clone2", {body(stride, width), conv(1, stride, width)}, "add"), norm_relu()});
  };
  auto identity_block = [&](int width) { return seq({residual(body(1, width)), norm_relu()}); };
  Json stem = seq({conv(3, 1, 16), norm_relu()});
  return as_root(seq({stem, shortcut_block(1, 64), identity_block(64), shortcut_block(2, 128), identity_block(128),
                      shortcut_block(2, 256), identity_block(256)}));
}

Json vit() {
  // One head: softmax(q k^T / sqrt(d)) v with q, k, v linear maps to 64; k^T by a routing permute.
  Json scores = branch("clone2", {op("linear64"), route("identity", op("linear64"), "permute(2,1)")}, "matmul_scaled");
  Json head = branch("clone2", {seq({scores, op("softmax")}), op("linear64")}, "matmul");
  Json attention = seq({branch("clone4", {head}, "concat(4,d2)"), op("linear512")});
  Json feed_forward = seq({op("linear512"), op("leakyrelu"), op("linear512")});
  Json layer = seq({residual(attention), op("norm"), residual(feed_forward), op("norm")});
  return as_root(seq({patch_embedding(), layer, layer, layer, layer}));
}

Json mlp_mixer() {
  // Token mixing on the transposed tokens (x4 then /4), then channel mixing 512 -> 256 -> 512.
  Json token_mixing = seq({route("permute(2,1)", op("linear_x4"), "identity"), op("leakyrelu"),
                           route("identity", op("linear_4th"), "permute(2,1)")});
  Json channel_mixing = seq({op("linear256"), op("leakyrelu"), op("linear512")});
  Json layer = residual(seq({op("norm"), token_mixing, channel_mixing}));
  std::vector<Json> modules{patch_embedding()};
  for (int i = 0; i < 8; ++i) modules.push_back(layer);
  return as_root(seq(modules));
}

using SeedBuilder = Json (*)();
const std::vector<std::pair<std::string, SeedBuilder>>& seed_builders() {
  static const std::vector<std::pair<std::string, SeedBuilder>> builders{
      {"resnet18", resnet18}, {"wrn16-4", wide_resnet16_4}, {"vit", vit}, {"mlp-mixer", mlp_mixer}};
  return builders;
}

}  // namespace

const std::vector<std::string>& einspace_seed_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> list;
    for (const auto& entry : seed_builders()) list.push_back(entry.first);
    return list;
  }();
  return names;
}

Json einspace_seed(const std::string& name) {
  for (const auto& entry : seed_builders())
    if (entry.first == name) return entry.second();
  throw Error("--arch", "einspace has no seed architecture '" + name + "'; " + accepted_list(name, einspace_seed_names()));
}

}  // namespace nas
