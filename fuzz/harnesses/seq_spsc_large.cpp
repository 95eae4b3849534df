// Sequential differential fuzzer: spsc_ring over tracked elements, large capacities, against the
// reference queue (input format: ringcheck/fuzz/sequential_harness.hpp).
#include "ringcheck/spsc_ring.hpp"
#include "ringcheck/fuzz/sequential_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ringcheck::fuzz;
    return run_sequential<ringcheck::spsc_ring<tracked_copyable>>(data, size, capacity_regime::large);
}
