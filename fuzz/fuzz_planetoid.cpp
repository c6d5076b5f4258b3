// A Planetoid graph in the plain-text form of shared/datasets/README.md, as `dataset: {name: planetoid}`
// loads it. Input: the features, labels, edges, train, val and test files, separated by NUL bytes.
#include <cstddef>
#include <cstdint>

#include "core/config_node.hpp"
#include "evaluators/datasets/graph_dataset.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* const kFiles[] = {"features", "labels", "edges", "train", "val", "test"};
  const auto parts = nas::fuzz::split_at_nul(std::string(reinterpret_cast<const char*>(data), size), 6);
  const std::filesystem::path graph = nas::fuzz::scratch_folder() / "graph";
  std::filesystem::create_directories(graph);
  for (std::size_t i = 0; i < 6; ++i) {
    const std::string name = std::string("graph/g.") + kFiles[i] + ".txt";
    if (i < parts.size()) {
      nas::fuzz::write_scratch_file(name, parts[i]);
    } else {
      std::error_code ignored;
      std::filesystem::remove(nas::fuzz::scratch_folder() / name, ignored);
    }
  }
  nas::fuzz::expect_clean_refusal([&] {
    const nas::ConfigNode root =
        nas::ConfigNode::parse("dataset: {name: planetoid, graph: g, path: " + graph.string() + "}", "fuzz.yaml");
    nas::load_graph_dataset(root.section("dataset"));
  });
  return 0;
}
