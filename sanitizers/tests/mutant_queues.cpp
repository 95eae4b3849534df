// ringcheck-stress-mutants: the runner with deliberately broken queues added, to prove it fails.
// Kept in test code only; the production headers have no switches for these bugs.
#include <algorithm>

#include "ringcheck/adapters/rings.hpp"
#include "ringcheck/stress/perturb.hpp"
#include "ringcheck/stress/registry.hpp"

namespace {

using namespace ringcheck;

/// The publication store weakened to relaxed: the consumer may read the slot before the element
/// written into it is visible. x86 hardware never shows it (stores are not reordered with
/// stores), so ThreadSanitizer is what must catch it: no happens-before from write to read.
struct relaxed_publish_orders : spsc_orders {
    static constexpr std::memory_order publish_slot = std::memory_order_relaxed;
};
struct relaxed_publish_spsc
    : adapters::ring_adapter<spsc_ring<std::uint64_t, std_sync, relaxed_publish_orders>, 1, 1> {
    static constexpr std::string_view name = "mutant: spsc_ring with publish_slot relaxed";
    using ring_adapter::ring_adapter;
};
struct relaxed_publish_spsc_perturbed
    : adapters::ring_adapter<spsc_ring<std::uint64_t, stress::perturbing_sync, relaxed_publish_orders>, 1, 1> {
    static constexpr std::string_view name = "mutant: spsc_ring<perturbing_sync> with publish_slot relaxed";
    using ring_adapter::ring_adapter;
};

/// Off by one in the full check: a ring sold as capacity C that reports full at C-1 elements.
/// Exactly-once delivery holds, so the linearizability checker is what must catch it.
struct full_one_early_mpmc : adapters::ring_adapter<mpmc_ring<std::uint64_t>, 0, 0> {
    static constexpr std::string_view name = "mutant: mpmc_ring reporting full one element early";
    explicit full_one_early_mpmc(std::size_t capacity)
        : ring_adapter(std::max<std::size_t>(capacity, 2) - 1), claimed_(std::max<std::size_t>(capacity, 2)) {}
    std::size_t capacity() const noexcept { return claimed_; }

private:
    std::size_t claimed_;
};

/// close() that does nothing: consumers blocked in pop() are never woken, so the run hangs and
/// the watchdog must report it.
struct close_ignored_locked : adapters::ring_adapter<locked_ring<std::uint64_t>, 0, 0> {
    static constexpr std::string_view name = "mutant: locked_ring whose close() is a no-op";
    using ring_adapter::ring_adapter;
    void close() noexcept {}
};

}  // namespace

int main(int argc, char** argv) {
    stress::registry queues = stress::builtin_registry();
    queues.add<relaxed_publish_spsc, relaxed_publish_spsc_perturbed>("spsc-relaxed-publish");
    queues.add<full_one_early_mpmc>("mpmc-full-one-early");
    queues.add<close_ignored_locked>("locked-close-ignored");
    return stress::stress_main(argc, argv, queues);
}
