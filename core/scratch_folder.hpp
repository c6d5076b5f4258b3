#pragma once
// A private folder under the system's temporary folder (TMPDIR), removed with everything in it when
// the object goes: where a command works on copies it must not leave behind (dot's input and output, a
// search log's commits applied to a copy before they are trusted).
#include <filesystem>
#include <string>

namespace nas {

class ScratchFolder {
 public:
  // `prefix` names the folder ("nas-dot" gives /tmp/nas-dot-XXXXXX). Throws nas::Error naming
  // `reported_as` (what the folder is for) when none can be made.
  ScratchFolder(const std::string& prefix, const std::string& reported_as);
  ~ScratchFolder();
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;

  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace nas
