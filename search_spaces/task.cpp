#include "search_spaces/task.hpp"

#include <sstream>

#include "core/error.hpp"

namespace nas {

TaskShape parse_input_shape(const std::string& text, std::int64_t classes, const std::string& where) {
  TaskShape shape;
  char x1 = 0, x2 = 0;
  std::istringstream in(text);
  if (!(in >> shape.channels >> x1 >> shape.height >> x2 >> shape.width) || x1 != 'x' || x2 != 'x' ||
      !in.eof() || shape.channels < 1 || shape.height < 1 || shape.width < 1)
    throw Error(where, "expected an input shape CxHxW with positive sizes, e.g. 1x28x28, got '" + text + "'");
  if (shape.channels > kMaxInputChannels || shape.height > kMaxInputSide || shape.width > kMaxInputSide)
    throw Error(where, "input " + text + " is larger than nas takes: at most " + std::to_string(kMaxInputChannels) +
                           " channels (or graph features) and sides of at most " + std::to_string(kMaxInputSide));
  if (classes < 2) throw Error(where, "needs at least 2 classes, got " + std::to_string(classes));
  if (classes > kMaxClasses)
    throw Error(where, "takes at most " + std::to_string(kMaxClasses) + " classes, got " + std::to_string(classes));
  shape.classes = classes;
  return shape;
}

}  // namespace nas
