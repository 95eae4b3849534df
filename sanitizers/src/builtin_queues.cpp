// ringcheck stress: the registry of queues the runner knows. One line per queue.
#include "ringcheck/adapters/rings.hpp"
#if RINGCHECK_STRESS_PEERS
#include "ringcheck/adapters/peers.hpp"
#endif
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
#if RINGCHECK_STRESS_PEERS
    r.add<adapters::boost_spsc_adapter>("boost-spsc");
    r.add<adapters::boost_queue_adapter>("boost-queue");
    r.add<adapters::atomic_queue2_adapter>("atomic-queue2");
    r.add<adapters::reader_writer_queue_adapter>("reader-writer-queue");
    r.add<adapters::concurrent_queue_adapter>("concurrent-queue");
    r.add<adapters::tbb_bounded_queue_adapter>("tbb-bounded-queue");
#endif
    return r;
}

}  // namespace ringcheck::stress
