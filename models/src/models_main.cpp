// The model list of a runner binary. By default every ring's models; a catalogue mutant binary
// is built with RINGCHECK_MODELS_ONLY_<RING> and RINGCHECK_MODELS_CATALOGUE="<patch name>".
#include "ringcheck/models/registry.hpp"
#include "ringcheck/models/runner.hpp"

#if !defined(RINGCHECK_MODELS_ONLY_SPSC) && !defined(RINGCHECK_MODELS_ONLY_MPMC) && \
    !defined(RINGCHECK_MODELS_ONLY_LOCKED)
#define RINGCHECK_MODELS_ONLY_SPSC
#define RINGCHECK_MODELS_ONLY_MPMC
#define RINGCHECK_MODELS_ONLY_LOCKED
#endif
#ifndef RINGCHECK_MODELS_CATALOGUE
#define RINGCHECK_MODELS_CATALOGUE ""
#endif

namespace ringcheck::models {

std::vector<model_entry> binary_models() {
    std::vector<model_entry> all;
    [[maybe_unused]] const auto add = [&](std::vector<model_entry> some) {
        all.insert(all.end(), std::make_move_iterator(some.begin()), std::make_move_iterator(some.end()));
    };
#ifdef RINGCHECK_MODELS_ONLY_SPSC
    add(spsc_models());
#endif
#ifdef RINGCHECK_MODELS_ONLY_MPMC
    add(mpmc_models());
#endif
#ifdef RINGCHECK_MODELS_ONLY_LOCKED
    add(locked_models());
#endif
    return all;
}

std::string_view catalogue_mutant() { return RINGCHECK_MODELS_CATALOGUE; }

}  // namespace ringcheck::models

int main(int argc, char** argv) { return ringcheck::models::runner_main(argc, argv); }
