// ringcheck-models: runs the Relacy models of one binary (the real rings plus the order mutants
// compiled in, one catalogue mutant's copy of impl/, or a user's queue), replays failures, builds the
// matrix. The runner is a library (ringcheck::models_runner); a binary's main file defines the two
// functions below.
#pragma once

#include "ringcheck/models/model_entry.hpp"

namespace ringcheck::models {

/// The models this binary checks: each ring's list, unless the build limits it to one ring
/// (a catalogue mutant binary compiles only the models of the ring its patch changes).
std::vector<model_entry> binary_models();

/// The catalogue mutant this binary was built from ("" for the real rings).
std::string_view catalogue_mutant();

int runner_main(int argc, char** argv);

}  // namespace ringcheck::models
