#pragma once
// A trained network's parameters and buffers in a file, so that `nas export` can rebuild the trained
// model from its architecture (built again, then loaded) long after the search ended.
#include <string>

namespace nas {

class Network;

// Writes to `path` through a temporary file renamed into place: a reader, or a search killed while
// writing, never leaves a half-written file under that name.
void save_network_weights(Network& net, const std::string& path);
// Loads into `net`, which must have been built from the same architecture; errors name the file.
void load_network_weights(Network& net, const std::string& path);

}  // namespace nas
