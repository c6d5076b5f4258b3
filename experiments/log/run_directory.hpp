#pragma once
// Where runs go without --out, and where `nas ls` looks by default.
#include <string>

namespace nas {

constexpr const char* kRunsDirectory = "runs";

// runs/<name>-<UTC time>, e.g. runs/quickstart-20261207-031500.
std::string default_run_dir(const std::string& name);

}  // namespace nas
