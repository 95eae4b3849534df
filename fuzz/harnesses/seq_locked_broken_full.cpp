// MUST FAIL: the sequential harness on a locked_ring whose full check is off by one (generated copy,
// fuzz/cmake/FuzzMutants.cmake). ctest proves libFuzzer finds it from seq_locked_small's corpus.
#include "ringcheck/fuzz/sequential_harness.hpp"
#include "ringcheck/fuzz_mutants/locked_off_by_one_full.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ringcheck::fuzz;
    return run_sequential<ringcheck::fuzz_mutants::locked_ring<tracked>>(data, size, capacity_regime::small);
}
