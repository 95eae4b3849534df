// ringcheck fuzz: schedule fuzzing of any queue written against ringcheck's sync backend (a user's
// queue too): `Adapter<Sync>` is a queue_under_test whose queue uses Sync::atomic, Sync::cell, ...
// as the rings do. It runs over sched_sync; schedule_harness.hpp gives the input format.
//
// Thread roles follow the adapter's limits: with max_producers and max_consumers both 0 (any), 2 to
// 4 threads each push and pop (as mpmc_ring's fuzzer); otherwise threads [0, P) only push and
// [P, P + C) only pop, P and C the limits (at most 2; 0 counts as 2).
//   extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* d, std::size_t n) {
//       return ringcheck::fuzz::run_adapter_schedule<my::adapter_over>(d, n);
//   }
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ringcheck/adapters/queue_under_test.hpp"
#include "ringcheck/fuzz/sched_harnesses.hpp"

namespace ringcheck::fuzz {

/// The roles of Q's threads (see the header comment).
template <class Q>
struct adapter_roles {
    static constexpr unsigned limit(unsigned max) { return max == 0 ? 2 : std::min(max, 2u); }
    static constexpr bool unrestricted = Q::max_producers == 0 && Q::max_consumers == 0;
    static constexpr unsigned producers = limit(Q::max_producers), consumers = limit(Q::max_consumers);

    static std::vector<op_kind> ops_of(unsigned thread) {
        if (unrestricted) return {op_kind::try_push, op_kind::try_pop};
        return {thread < producers ? op_kind::try_push : op_kind::try_pop};
    }
    static schedule_traits traits() {
        if (unrestricted) return mpmc_traits;
        return {producers + consumers, producers + consumers, 6, &ops_of};
    }
};

template <template <class> class Adapter>
int run_adapter_schedule(const std::uint8_t* data, std::size_t size) {
    using queue = Adapter<sched_sync>;
    static_assert(adapters::queue_under_test<queue>, "SYNC_ADAPTER<sched_sync> must be a ringcheck::adapters::queue_under_test");
    static const schedule_traits traits = adapter_roles<queue>::traits();
    return run_schedule<queue>(data, size, traits);
}

}  // namespace ringcheck::fuzz
