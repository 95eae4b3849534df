// The schedule harness over a sync adapter (adapter_schedule.hpp: what ringcheck_add_queue builds for
// a user's SYNC_ADAPTER), here over mpmc_ring's adapter: it must pass mpmc_ring's schedule corpus,
// and this build instantiates the header (unrestricted thread roles; examples/own_queue the others).
#include "ringcheck/adapters/rings.hpp"
#include "ringcheck/fuzz/adapter_schedule.hpp"
#include "ringcheck/mpmc_ring.hpp"

namespace {

template <class Sync>
struct mpmc_adapter_over : ringcheck::adapters::ring_adapter<ringcheck::mpmc_ring<std::uint64_t, Sync>, 0, 0> {
    static constexpr std::string_view name = "ringcheck::mpmc_ring";
    using mpmc_adapter_over::ring_adapter::ring_adapter;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return ringcheck::fuzz::run_adapter_schedule<mpmc_adapter_over>(data, size);
}
