// Sequential differential fuzzer: locked_ring over tracked elements, large capacities, against the
// reference queue (input format: ringcheck/fuzz/sequential_harness.hpp).
#include "ringcheck/locked_ring.hpp"
#include "ringcheck/fuzz/sequential_harness.hpp"

#include <type_traits>

// Elements whose construction, copy and move throw when the input arms it: the strong guarantee.
static_assert(!std::is_nothrow_move_constructible_v<ringcheck::fuzz::tracked_copyable_fragile>);

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ringcheck::fuzz;
    return run_sequential<ringcheck::locked_ring<tracked_copyable_fragile>>(data, size, capacity_regime::large);
}
