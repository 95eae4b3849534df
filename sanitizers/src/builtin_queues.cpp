// ringcheck stress: the registry of queues the runner knows. One line per queue.
#include "ringcheck/adapters/rings.hpp"
#include "ringcheck/stress/perturb.hpp"
#include "ringcheck/stress/registry.hpp"

namespace ringcheck::stress {
namespace {

// Our rings over perturbing_sync: the same source, with seeded delays at every shared access.
struct perturbed_spsc : adapters::ring_adapter<spsc_ring<std::uint64_t, perturbing_sync>, 1, 1> {
    static constexpr std::string_view name = "ringcheck::spsc_ring<perturbing_sync>";
    using ring_adapter::ring_adapter;
};
struct perturbed_mpmc : adapters::ring_adapter<mpmc_ring<std::uint64_t, perturbing_sync>, 0, 0> {
    static constexpr std::string_view name = "ringcheck::mpmc_ring<perturbing_sync>";
    using ring_adapter::ring_adapter;
};
struct perturbed_locked : adapters::ring_adapter<locked_ring<std::uint64_t, perturbing_sync>, 0, 0> {
    static constexpr std::string_view name = "ringcheck::locked_ring<perturbing_sync>";
    using ring_adapter::ring_adapter;
};

}  // namespace

registry builtin_registry() {
    registry r;
    r.add<adapters::spsc_adapter, perturbed_spsc>("spsc");
    r.add<adapters::mpmc_adapter, perturbed_mpmc>("mpmc");
    r.add<adapters::locked_adapter, perturbed_locked>("locked");
    return r;
}

}  // namespace ringcheck::stress
