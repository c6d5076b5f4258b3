#include "core/yaml_json.hpp"

namespace nas {

Json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json object = Json::object();
      for (const auto& entry : node) object[entry.first.Scalar()] = yaml_to_json(entry.second);
      return object;
    }
    case YAML::NodeType::Sequence: {
      Json array = Json::array();
      for (const auto& item : node) array.push_back(yaml_to_json(item));
      return array;
    }
    case YAML::NodeType::Scalar: {
      // Quoted scalars stay strings ("0" is a string, 0 a number), as YAML itself reads them.
      if (node.Tag() == "!") return node.Scalar();
      std::int64_t integer = 0;
      if (YAML::convert<std::int64_t>::decode(node, integer)) return integer;
      double number = 0;
      if (YAML::convert<double>::decode(node, number)) return number;
      bool flag = false;
      if (YAML::convert<bool>::decode(node, flag)) return flag;
      return node.Scalar();
    }
    default: return nullptr;
  }
}

}  // namespace nas
