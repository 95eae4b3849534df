// The generic models of a sync adapter (adapter_models.hpp: what ringcheck_add_queue builds for a
// user's SYNC_ADAPTER), here over mpmc_ring's adapter: they must pass, and this build instantiates
// the header (2 x 2 threads; examples/own_queue checks 1 x 1 and a broken queue through it).
#include "ringcheck/adapters/rings.hpp"
#include "ringcheck/models/adapter_models.hpp"
#include "ringcheck/models/runner.hpp"
#include "ringcheck/mpmc_ring.hpp"

namespace ringcheck::models {
namespace {

template <class Sync>
struct mpmc_adapter_over : adapters::ring_adapter<mpmc_ring<std::uint64_t, Sync>, 0, 0> {
    static constexpr std::string_view name = "ringcheck::mpmc_ring";
    using mpmc_adapter_over::ring_adapter::ring_adapter;
};

}  // namespace

std::vector<model_entry> binary_models() { return adapter_models<mpmc_adapter_over>(); }
std::string_view catalogue_mutant() { return ""; }

}  // namespace ringcheck::models

int main(int argc, char** argv) { return ringcheck::models::runner_main(argc, argv); }
