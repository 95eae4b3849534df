// Schedule fuzzer: locked_ring over sched_sync, 2 or 3 threads running blocking, timed, try and
// close operations; timeouts, notify choices and interleavings chosen by the input; histories judged
// linearizable by the oracle, lost wake-ups and deadlocks caught by the scheduler.
#include "ringcheck/fuzz/sched_harnesses.hpp"
#include "ringcheck/locked_ring.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ringcheck::fuzz;
    return run_schedule<ringcheck::locked_ring<std::uint64_t, sched_sync>>(data, size, locked_traits);
}
