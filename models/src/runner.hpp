// ringcheck-models: runs the Relacy models of one binary (the real rings plus the order mutants
// compiled in, or one catalogue mutant's copy of impl/), replays failures, builds the matrix.
#pragma once

#include "ringcheck/models/registry.hpp"

namespace ringcheck::models {

/// The models this binary checks: each ring's list, unless the build limits it to one ring
/// (a catalogue mutant binary compiles only the models of the ring its patch changes).
std::vector<model_entry> binary_models();

/// The catalogue mutant this binary was built from ("" for the real rings).
std::string_view catalogue_mutant();

int runner_main(int argc, char** argv);

}  // namespace ringcheck::models
