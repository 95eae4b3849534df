// Sequential differential fuzzer over the generic queue_under_test adapter, instantiated for our
// mpmc_adapter: the template a user's queue gets too (ringcheck/fuzz/adapter_harness.hpp).
#include "ringcheck/adapters/rings.hpp"
#include "ringcheck/fuzz/adapter_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return ringcheck::fuzz::run_adapter_sequential<ringcheck::adapters::mpmc_adapter>(data, size);
}
