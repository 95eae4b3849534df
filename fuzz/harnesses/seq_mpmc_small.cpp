// Sequential differential fuzzer: mpmc_ring over tracked elements, small capacities, against the
// reference queue (input format: ringcheck/fuzz/sequential_harness.hpp).
#include "ringcheck/mpmc_ring.hpp"
#include "ringcheck/fuzz/sequential_harness.hpp"

#include <type_traits>

// Elements whose construction and copy throw when the input arms it: the ring must stay unchanged.
// Throwing moves are not fuzzed here because the ring rejects them at compile time:
static_assert(!std::is_nothrow_constructible_v<ringcheck::fuzz::tracked_throwing, std::uint64_t>);
static_assert(!ringcheck::detail::lock_free_element<ringcheck::fuzz::tracked_fragile>,
              "lock-free rings static_assert nothrow moves; an element with a throwing move cannot be used");

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ringcheck::fuzz;
    return run_sequential<ringcheck::mpmc_ring<tracked_throwing>>(data, size, capacity_regime::small);
}
