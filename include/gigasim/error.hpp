#pragma once
// The exception hierarchy. Only the CLI's main() maps these to exit codes:
// InputError -> 2 (the user's scenario, trace or command line is wrong), Error -> 1.
#include <stdexcept>
#include <string>

namespace gigasim {

/// Any failure gigasim reports to a user; the message is complete and user-readable.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Bad input: a scenario, trace file or command-line value. Message starts with "file:line:col: "
/// when a position is known, e.g. "s.yaml:4:12: factories[0].chips: expected a positive integer, got '-5'".
class InputError : public Error {
 public:
  using Error::Error;
};

/// A scheduler made a decision the engine refuses (a job that does not fit, a factory it may
/// not use, a job that is not waiting, ...). The message names the job, the factory and why.
class PolicyError : public Error {
 public:
  using Error::Error;
};

/// An output file could not be written.
class OutputError : public Error {
 public:
  using Error::Error;
};

}  // namespace gigasim
