// A genotype file as `nas space describe SPACE --genotype FILE` reads it: bounded JSON, the space's
// from_genotype, then describe() (which walks the whole architecture). Built twice: fuzz_genotype
// tries every space but einspace (the first byte picks the space), fuzz_einspace_tree einspace alone,
// whose genotype is a derivation tree of its grammar.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>

#include "core/bounded_json.hpp"
#include "core/config_node.hpp"
#include "fuzz_support.hpp"
#include "search_spaces/search_space.hpp"

namespace {

const nas::TaskShape kTask{1, 28, 28, 10};

std::vector<std::string> fuzzed_spaces() {
#ifdef NAS_FUZZ_ONLY_SPACE
  return {NAS_FUZZ_ONLY_SPACE};
#else
  std::vector<std::string> names;
  for (const std::string& name : nas::search_space_registry().names())
    if (name != "einspace") names.push_back(name);
  return names;
#endif
}

const nas::SearchSpace& space_named(const std::string& name) {
  static std::map<std::string, std::unique_ptr<nas::SearchSpace>> made;
  auto& space = made[name];
  if (!space) {
    const nas::ConfigNode root = nas::ConfigNode::parse("", "fuzz", {"space.name=" + name});
    space = nas::make_search_space(root.section("space"), &kTask);
  }
  return *space;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<std::string> spaces = fuzzed_spaces();
  if (size == 0) return 0;
  const std::string& name = spaces[data[0] % spaces.size()];
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  nas::fuzz::expect_clean_refusal([&] {
    const nas::SearchSpace& space = space_named(name);
    nas::Json genotype = nas::parse_json(text, "genotype.json");
    if (genotype.is_object() && genotype.contains("genotype")) genotype = genotype["genotype"];
    const nas::Architecture arch = space.from_genotype(genotype);
    space.describe(arch, kTask);
  });
  return 0;
}
