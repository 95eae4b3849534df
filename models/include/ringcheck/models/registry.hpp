// ringcheck: the list of models a runner binary holds, with their search settings, and the order
// mutants compiled into it.
#pragma once

#include "ringcheck/locked_ring.hpp"
#include "ringcheck/models/relacy_sync.hpp"
#include "ringcheck/models/ring_models.hpp"
#include "ringcheck/mpmc_ring.hpp"
#include "ringcheck/spsc_ring.hpp"

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

template <class T, class Orders = spsc_orders>
using relacy_spsc = spsc_ring<T, relacy_sync, Orders>;
template <class T, class Orders = mpmc_orders>
using relacy_mpmc = mpmc_ring<T, relacy_sync, Orders>;
template <class T>
using relacy_locked = locked_ring<T, relacy_sync>;

/// Cheapest first: the mutation matrix stops at the first model that fails.
template <class Orders = spsc_orders>
std::vector<model_entry> spsc_models() {
    using ring = relacy_spsc<std::uint64_t, Orders>;
    return {
        exhaustive<spsc_model<ring, spsc_config{1, 2, 1, 0}>>(
            "spsc_cap1_exhaustive", "capacity 1, 2 pushes, 2 pops: fill, drain, refill"),
        exhaustive<spsc_model<ring, spsc_config{2, 2, 1, 1}>>(
            "spsc_cap2_near_wrap_exhaustive", "capacity 2, 2 pushes, indices wrap after 1 push"),
        random_search<spsc_model<ring, spsc_config{1, 5, 3, 0}>>(
            "spsc_cap1_wrap_twice", "capacity 1, 5 pushes: wraps the ring twice", 20000),
        random_search<spsc_model<ring, spsc_config{2, 7, 3, 0}>>(
            "spsc_cap2_wrap_twice", "capacity 2, 7 pushes: wraps the ring twice", 20000),
        random_search<spsc_model<ring, spsc_config{3, 9, 3, 0}>>(
            "spsc_cap3_wrap_twice", "capacity 3, 9 pushes: wraps the ring twice", 20000),
        random_search<spsc_model<ring, spsc_config{3, 6, 3, 3}>>(
            "spsc_cap3_near_wrap", "capacity 3, indices wrap after 3 pushes", 10000),
    };
}

template <class Orders = mpmc_orders>
std::vector<model_entry> mpmc_models() {
    using ring = relacy_mpmc<std::uint64_t, Orders>;
    return {
        context_bound<mpmc_model<ring, mpmc_config{2, 1, 2, 1, 1, 2, 0, 0, true}>>(
            "mpmc_2x1_cap2_preempted_producer_bound2",
            "2 producers x 1 consumer, capacity 2: empty never reported past a preempted claim", 0, 2),
        context_bound<mpmc_model<ring, mpmc_config{1, 2, 2, 1, 1, 1, 2, 0, true}>>(
            "mpmc_1x2_cap2_full_bound2",
            "1 x 2 on a full ring: full never reported past a returned pop", 0, 2),
        exhaustive<mpmc_model<ring, mpmc_config{1, 1, 1, 1, 1, 1, 0, 0}>>(
            "mpmc_1x1_cap1_exhaustive", "1 x 1, capacity 1, one push against one pop"),
        random_search<mpmc_model<ring, mpmc_config{2, 1, 1, 2, 2, 4, 0, 0}>>(
            "mpmc_2x1_cap1", "2 producers x 1 consumer, capacity 1", 20000),
        random_search<mpmc_model<ring, mpmc_config{1, 2, 1, 3, 2, 2, 0, 0}>>(
            "mpmc_1x2_cap1", "1 producer x 2 consumers, capacity 1", 20000),
        random_search<mpmc_model<ring, mpmc_config{2, 2, 1, 2, 2, 2, 0, 0}>>(
            "mpmc_2x2_cap1", "2 x 2, capacity 1", 20000),
        random_search<mpmc_model<ring, mpmc_config{2, 2, 2, 2, 2, 2, 1, 0}>>(
            "mpmc_2x2_cap2", "2 x 2, capacity 2, one element prefilled", 20000),
        context_bound<mpmc_model<ring, mpmc_config{2, 2, 2, 1, 1, 1, 0, 0}>>(
            "mpmc_2x2_cap2_bound1", "2 x 2, capacity 2, one op each, every schedule with at most 1 preemption",
            0, 1),
        random_search<mpmc_model<ring, mpmc_config{2, 1, 2, 3, 2, 5, 0, 3}>>(
            "mpmc_2x1_cap2_near_wrap", "2 x 1, capacity 2, stamps wrap past 2^64 after 4 pushes", 20000),
        random_search<mpmc_model<ring, mpmc_config{1, 2, 1, 3, 2, 3, 0, 1}>>(
            "mpmc_1x2_cap1_near_wrap", "1 x 2, capacity 1, stamps wrap past 2^64 after 1 push", 20000),
    };
}

inline std::vector<model_entry> locked_models() {
    using ring = relacy_locked<std::uint64_t>;
    return {
        context_bound<locked_blocking_model<ring, 1>>(
            "locked_2x2_blocking_cap1_bound2", "2 x 2 blocking push/pop, capacity 1, 1 item each", 0, 2),
        random_search<locked_blocking_model<ring, 2>>(
            "locked_2x2_blocking_cap1", "2 x 2 blocking push/pop, capacity 1, 2 items each", 20000),
        random_search<locked_timed_model<ring>>(
            "locked_timed", "timed push/pop on capacity 1, timeouts at the scheduler's choice", 20000),
        random_search<locked_close_model<ring>>(
            "locked_close_races_blocked", "close() racing blocked producers and consumers", 20000),
    };
}

/// One mutant of an order table: the models that must kill it.
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
