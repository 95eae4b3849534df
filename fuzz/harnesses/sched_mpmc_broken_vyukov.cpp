// MUST FAIL: the mpmc schedule fuzzer on a copy of mpmc_ring whose try_pop reports empty while a
// preempted producer holds a claimed slot (the original Vyukov queue; fuzz/cmake/FuzzMutants.cmake).
// ctest proves libFuzzer finds the non-linearizable history from sched_mpmc's corpus.
#include "ringcheck/fuzz/sched_harnesses.hpp"
#include "ringcheck/fuzz_mutants/mpmc_vyukov_empty.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ringcheck::fuzz;
    return run_schedule<ringcheck::fuzz_mutants::mpmc_ring<std::uint64_t, sched_sync>>(data, size, mpmc_traits);
}
