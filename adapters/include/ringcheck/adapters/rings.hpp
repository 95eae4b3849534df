// ringcheck: adapters for the project's own rings (the rings already have the explorers' API).
#pragma once

#include <cstdint>
#include <string_view>

#include "ringcheck/adapters/queue_under_test.hpp"
#include "ringcheck/locked_ring.hpp"
#include "ringcheck/mpmc_ring.hpp"
#include "ringcheck/spsc_ring.hpp"

namespace ringcheck::adapters {

/// Ring is any of the three ring templates, instantiated with std::uint64_t (any backend).
template <class Ring, unsigned Producers, unsigned Consumers>
struct ring_adapter : Ring {
    static constexpr std::string_view contract = "linearizable";
    static constexpr unsigned max_producers = Producers, max_consumers = Consumers;
    using Ring::Ring;
};

struct spsc_adapter : ring_adapter<spsc_ring<std::uint64_t>, 1, 1> {
    static constexpr std::string_view name = "ringcheck::spsc_ring";
    using ring_adapter::ring_adapter;
};
struct mpmc_adapter : ring_adapter<mpmc_ring<std::uint64_t>, 0, 0> {
    static constexpr std::string_view name = "ringcheck::mpmc_ring";
    using ring_adapter::ring_adapter;
};
struct locked_adapter : ring_adapter<locked_ring<std::uint64_t>, 0, 0> {
    static constexpr std::string_view name = "ringcheck::locked_ring";
    using ring_adapter::ring_adapter;
};

static_assert(queue_under_test<spsc_adapter> && queue_under_test<mpmc_adapter>);
static_assert(blocking_queue_under_test<locked_adapter>);

}  // namespace ringcheck::adapters
