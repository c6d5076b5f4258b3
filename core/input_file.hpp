#pragma once
// The check every reader of a data file makes before it opens one. On Linux a directory opens as a
// stream that reads nothing, so a table given as a folder was reported as "empty" (a parse error),
// and a device such as /dev/zero never ends.
#include <string>

namespace nas {

// Throws nas::Error naming `path` when it exists but is not a regular file: "is a directory, not
// <what>" or "is not a regular file (a device or a pipe?); <what> must be a file". A missing path
// passes, for the caller to report as it reports a file it cannot open. `what`: e.g. "a .npy file".
void require_regular_file(const std::string& path, const std::string& what);

}  // namespace nas
