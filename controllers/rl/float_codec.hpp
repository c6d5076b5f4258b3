#pragma once
// Float vectors as text that restores them bit for bit: base64 of their IEEE-754 bytes, little-endian
// whatever the host. A third the size of the shortest decimal form, which matters for a checkpoint
// written after every trial.
#include <string>
#include <vector>

namespace nas::rl {

std::string encode_floats(const std::vector<float>& values);
// `what` names the vector in messages; fails unless the text holds exactly `count` floats.
std::vector<float> decode_floats(const std::string& text, std::size_t count, const std::string& what);

}  // namespace nas::rl
