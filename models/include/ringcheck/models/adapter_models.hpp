// ringcheck: Relacy models of any queue written against ringcheck's sync backend (a user's queue,
// through ringcheck_add_queue(... SYNC_ADAPTER tmpl)): `Adapter<Sync>` is a queue_under_test whose
// queue uses Sync::atomic, Sync::cell, ... as the rings do (see ringcheck/std_sync.hpp).
//
// The models are ring_models.hpp's mpmc_model, which drives only try_push (producers) and try_pop
// (consumers) with bounded retries, records the history in an op_log and asks the oracle in after().
// Thread counts stay within the adapter's max_producers / max_consumers (0: any, here at most 2);
// capacities are 1 and 2. A runner's main file lists them:
//   std::vector<model_entry> binary_models() { return adapter_models<my::adapter_over>(); }
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "ringcheck/adapters/queue_under_test.hpp"
#include "ringcheck/models/model_entry.hpp"
#include "ringcheck/models/relacy_sync.hpp"
#include "ringcheck/models/ring_models.hpp"

namespace ringcheck::models {

/// The adapter as ring_model builds its rings: from a capacity and the wrap hook, which a user's
/// queue does not have (every model here passes wrap_after 0).
template <class Adapter>
struct adapter_ring : Adapter {
    adapter_ring(std::size_t capacity, counters_wrap_after) : Adapter(capacity) {}
};

/// How many producers (or consumers) a model may run: the adapter's limit, 0 meaning any.
constexpr unsigned threads_within(unsigned limit, unsigned wanted) { return limit == 0 ? wanted : std::min(limit, wanted); }

/// The models of Adapter<relacy_sync>, cheapest first. Bounds: the exhaustive model is one push
/// against two pops on capacity 1 (two pushes already take mpmc_ring 4.4 million schedules, 16 s);
/// fill, drain and refill run with at most 2 preemptions, which covers an operation preempted
/// between its index loads; the handshake model (threads see each other's returns) finds store
/// buffering on full/empty answers; the random models run 20000 iterations. All of them take
/// mpmc_ring 1.6 s here.
template <template <class> class Adapter>
std::vector<model_entry> adapter_models() {
    using queue = adapter_ring<Adapter<relacy_sync>>;
    static_assert(adapters::queue_under_test<Adapter<relacy_sync>>,
                  "SYNC_ADAPTER<relacy_sync> must be a ringcheck::adapters::queue_under_test");
    constexpr unsigned p = threads_within(queue::max_producers, 2), c = threads_within(queue::max_consumers, 2);
    std::vector<model_entry> models = {
        exhaustive<mpmc_model<queue, mpmc_config{1, 1, 1, 1, 1, 2, 0, 0}>>(
            "adapter_1x1_cap1_exhaustive", "1 x 1, capacity 1, 1 push against 2 pops"),
        context_bound<mpmc_model<queue, mpmc_config{1, 1, 1, 2, 1, 2, 0, 0}>>(
            "adapter_1x1_cap1_refill_bound2", "1 x 1, capacity 1, 2 pushes against 2 pops: fill, drain, refill", 0, 2),
        context_bound<mpmc_model<queue, mpmc_config{1, 1, 2, 3, 1, 3, 1, 0, true}>>(
            "adapter_1x1_cap2_bound2", "1 x 1, capacity 2, one element prefilled, threads see each other's returns",
            0, 2),
        random_search<mpmc_model<queue, mpmc_config{1, 1, 1, 4, 2, 6, 0, 0}>>(
            "adapter_1x1_cap1_wrap", "1 x 1, capacity 1, 4 pushes: wraps the queue", 20000),
        random_search<mpmc_model<queue, mpmc_config{1, 1, 2, 5, 2, 8, 0, 0}>>(
            "adapter_1x1_cap2_wrap", "1 x 1, capacity 2, 5 pushes: wraps the queue", 20000),
    };
    if constexpr (p > 1 || c > 1) {
        models.push_back(random_search<mpmc_model<queue, mpmc_config{p, c, 1, 2, 2, 3, 0, 0}>>(
            "adapter_" + std::to_string(p) + "x" + std::to_string(c) + "_cap1",
            std::to_string(p) + " x " + std::to_string(c) + ", capacity 1", 20000));
        models.push_back(random_search<mpmc_model<queue, mpmc_config{p, c, 2, 2, 2, 3, 1, 0}>>(
            "adapter_" + std::to_string(p) + "x" + std::to_string(c) + "_cap2",
            std::to_string(p) + " x " + std::to_string(c) + ", capacity 2, one element prefilled", 20000));
    }
    return models;
}

}  // namespace ringcheck::models
