// Schedule fuzzer: mpmc_ring over sched_sync, 2 to 4 threads each running pushes and pops, the
// interleaving chosen by the input; histories judged linearizable by the oracle
// (input format: ringcheck/fuzz/schedule_harness.hpp).
#include "ringcheck/fuzz/sched_harnesses.hpp"
#include "ringcheck/mpmc_ring.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ringcheck::fuzz;
    return run_schedule<ringcheck::mpmc_ring<std::uint64_t, sched_sync>>(data, size, mpmc_traits);
}
