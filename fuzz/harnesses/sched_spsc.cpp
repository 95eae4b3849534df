// Schedule fuzzer: spsc_ring over sched_sync, one producer (thread 0) and one consumer (thread 1);
// histories judged linearizable by the oracle.
#include "ringcheck/fuzz/sched_harnesses.hpp"
#include "ringcheck/spsc_ring.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ringcheck::fuzz;
    return run_schedule<ringcheck::spsc_ring<std::uint64_t, sched_sync>>(data, size, spsc_traits);
}
