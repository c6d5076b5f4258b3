#pragma once
// An error of the machine rather than of the input or of the candidate: a write that failed (a full
// disk, an I/O error). A trial that meets one has not failed: the run stops, naming the file and the
// reason, and a resume trains the trial again once the disk is fixed. (A candidate whose network cannot
// be built or trained fails its trial and the search goes on.)
#include "core/error.hpp"

namespace nas {

class IoError : public Error {
 public:
  using Error::Error;
};

}  // namespace nas
