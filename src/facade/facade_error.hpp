#pragma once

#include <stdexcept>
#include <string>

namespace aveloxis::facade {

// Every failure of the facade code (libgit2 errors, limits, bad input) is reported as this.
class FacadeError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// should_abort asked to stop: a distinct type so callers can tell a cancel from a failure
// without comparing messages.
class FacadeInterrupted : public FacadeError {
  public:
    FacadeInterrupted() : FacadeError("interrupted") {}
};

}  // namespace aveloxis::facade
