// ringcheck: what a model runner holds: models with their search settings (model_entry), and the
// order mutants compiled into it. Shared by ringcheck's rings (registry.hpp) and the models of a
// user's queue (adapter_models.hpp); the runner (runner.hpp) needs nothing else.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ringcheck/models/op_log.hpp"
#include "ringcheck/models/relacy_sync.hpp"

namespace ringcheck::models {

struct model_entry {
    std::string name;
    std::string what;
    rl::scheduler_type_e scheduler;  // fixed per model: only this scheduler is compiled in
    rl::iteration_t iterations;  // random/bound: iterations run; full: ignored (the tree decides)
    unsigned context_bound;
    rl::test_result_e (*run)(rl::test_params&);
};

/// rl::simulate, for one scheduler only (rl::simulate instantiates all three, which triples the
/// compile time of every model). On a failure the failing iteration runs again from its recorded
/// state with the history collected, as rl::simulate does; params.final_state replays it.
template <class Model, template <rl::thread_id_t> class Scheduler>
rl::test_result_e run_model(rl::test_params& params) {
    using scheduler = Scheduler<Model::params::thread_count>;
    rl::ostringstream state;  // Relacy writes it while its allocator is live: malloc-backed
    const rl::test_result_e result = rl::run_test<Model, scheduler>(params, state, false);
    if (result != rl::test_result_success && !params.collect_history) {
        const rl::iteration_t failing = params.stop_iteration;
        params.initial_state = state.str();
        params.final_state = state.str();
        params.collect_history = true;
        rl::ostringstream unused;
        rl::run_test<Model, scheduler>(params, unused, true);
        params.stop_iteration = failing;
    }
    params.test_result = result;
    return result;
}

template <class Model>
model_entry exhaustive(std::string name, std::string what) {
    return {std::move(name), std::move(what), rl::sched_full, 0, 0, &run_model<Model, rl::full_search_scheduler>};
}
template <class Model>
model_entry random_search(std::string name, std::string what, rl::iteration_t iterations) {
    return {std::move(name), std::move(what), rl::sched_random, iterations, 0, &run_model<Model, rl::random_scheduler>};
}
template <class Model>
model_entry context_bound(std::string name, std::string what, rl::iteration_t iterations, unsigned bound) {
    return {std::move(name), std::move(what), rl::sched_bound, iterations, bound,
            &run_model<Model, rl::context_bound_scheduler>};
}

/// One mutant of an order table: the models that must kill it. `models()` also arms the mutant (sets
/// its site's order, every other site as declared, in a table the models read at run time), so a
/// process runs the models of one mutant at a time.
struct order_mutant {
    std::string ring, site, declared, mutant;
    std::vector<model_entry> (*models)();
    std::string name() const { return ring + "." + site + "=" + mutant; }
};

inline std::vector<order_mutant>& order_mutants() {
    static std::vector<order_mutant> all;
    return all;
}

struct register_order_mutant {
    explicit register_order_mutant(order_mutant m) { order_mutants().push_back(std::move(m)); }
};

}  // namespace ringcheck::models
