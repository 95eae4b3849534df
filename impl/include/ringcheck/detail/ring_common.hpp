// ringcheck: pieces shared by the three rings (capacity checks, the wraparound test hook).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace ringcheck {

/// Test hook: construct a ring whose internal index counters wrap around after `pushes`
/// successful pushes, so that every counter's wraparound is reachable without 2^64 operations.
struct counters_wrap_after {
    std::size_t pushes;
};

namespace detail {

/// Every ring accepts capacities in [1, 2^31]: far above any useful ring, and it leaves the
/// mpmc_ring's stamps at least 31 bits of lap counter on a 64-bit machine.
inline constexpr std::size_t max_ring_capacity = std::size_t{1} << 31;

inline std::size_t checked_capacity(const char* ring, std::size_t capacity, std::size_t max) {
    if (capacity == 0 || capacity > max) {
        throw std::invalid_argument(std::string(ring) + ": capacity " + std::to_string(capacity) +
                                    " is outside [1, " + std::to_string(max) + "]");
    }
    return capacity;
}

/// The lock-free rings move elements in and out while other threads proceed; a throwing move or
/// destructor there would lose or duplicate an element, so they are rejected at compile time.
template <class T>
inline constexpr bool lock_free_element =
    std::is_nothrow_move_constructible_v<T> && std::is_nothrow_destructible_v<T>;

/// Sync::spin_wait pauses longer each round up to spin_yield_round, where it gives the core away.
inline constexpr unsigned spin_yield_round = 6;
/// The spin_wait round for attempt `attempt` of a wait that lasts until it is served: one pause
/// (round 0), so the waiter sees the change soon after it lands, and every 256th attempt the
/// yielding round, so a peer preempted on the waiter's core still gets to run.
inline unsigned waiting_round(unsigned attempt) noexcept { return attempt % 256 == 255 ? spin_yield_round : 0; }

}  // namespace detail
}  // namespace ringcheck
