// ringcheck: the models of ringcheck's own rings (their lists, cheapest first).
#pragma once

#include "ringcheck/locked_ring.hpp"
#include "ringcheck/models/model_entry.hpp"
#include "ringcheck/models/relacy_sync.hpp"
#include "ringcheck/models/ring_models.hpp"
#include "ringcheck/mpmc_ring.hpp"
#include "ringcheck/spsc_ring.hpp"

namespace ringcheck::models {

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
        random_search<spin_model<ring, spin_config{1, 1, 1, 4}>>(
            "spsc_spin_cap1", "capacity 1, spin_push/spin_pop mixed with try_push/try_pop", 20000),
        random_search<spin_model<ring, spin_config{1, 1, 2, 5}>>(
            "spsc_spin_cap2_wrap", "capacity 2, spin_push/spin_pop mixed with try ops, wraps twice", 20000),
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
        random_search<spin_model<ring, spin_config{2, 2, 1, 2}>>(
            "mpmc_spin_2x2_cap1", "2 x 2, capacity 1, spin_push/spin_pop mixed with try ops", 20000),
        random_search<spin_model<ring, spin_config{2, 1, 2, 3}>>(
            "mpmc_spin_2x1_cap2", "2 x 1, capacity 2, spin_push/spin_pop mixed with try ops", 20000),
        context_bound<spin_model<ring, spin_config{1, 2, 1, 2}>>(
            "mpmc_spin_1x2_cap1_bound1", "1 x 2, capacity 1, spin ops, every schedule with at most 1 preemption",
            0, 1),
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

}  // namespace ringcheck::models
