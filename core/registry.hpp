#pragma once
// A name -> factory table. Spaces, controllers, datasets and optimizers register themselves here,
// so nothing else in the code switches on their names.
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace nas {

template <typename Factory>
class Registry {
 public:
  // Called from static initialisers in the file that defines the component.
  bool add(const std::string& name, Factory factory) {
    factories_[name] = std::move(factory);
    return true;
  }
  const Factory* find(const std::string& name) const {
    auto it = factories_.find(name);
    return it == factories_.end() ? nullptr : &it->second;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> result;
    for (const auto& entry : factories_) result.push_back(entry.first);
    return result;
  }

 private:
  std::map<std::string, Factory> factories_;
};

}  // namespace nas
