// ringcheck mutation explorers: the stress runner over the three rings only, compiled against one
// catalogue mutant's copy of impl/ (the include path decides which ring source it gets). The other
// runner sources do not include a ring, so they are compiled once for every mutant.
#include "ringcheck/adapters/rings.hpp"
#include "ringcheck/stress/perturb.hpp"
#include "ringcheck/stress/registry.hpp"

namespace {

using namespace ringcheck;

struct perturbed_spsc : adapters::ring_adapter<spsc_ring<std::uint64_t, stress::perturbing_sync>, 1, 1> {
    static constexpr std::string_view name = "ringcheck::spsc_ring<perturbing_sync>";
    using ring_adapter::ring_adapter;
};
struct perturbed_mpmc : adapters::ring_adapter<mpmc_ring<std::uint64_t, stress::perturbing_sync>, 0, 0> {
    static constexpr std::string_view name = "ringcheck::mpmc_ring<perturbing_sync>";
    using ring_adapter::ring_adapter;
};
struct perturbed_locked : adapters::ring_adapter<locked_ring<std::uint64_t, stress::perturbing_sync>, 0, 0> {
    static constexpr std::string_view name = "ringcheck::locked_ring<perturbing_sync>";
    using ring_adapter::ring_adapter;
};

}  // namespace

int main(int argc, char** argv) {
    stress::registry r;
    r.add<adapters::spsc_adapter, perturbed_spsc>("spsc");
    r.add<adapters::mpmc_adapter, perturbed_mpmc>("mpmc");
    r.add<adapters::locked_adapter, perturbed_locked>("locked");
    return stress::stress_main(argc, argv, r);
}
