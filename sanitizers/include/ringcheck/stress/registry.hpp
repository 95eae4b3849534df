// ringcheck stress: the queues the runner knows, by name.
//
// Adding a queue is one line in builtin_registry() (src/builtin_queues.cpp), or in a program's own
// registry:   r.add<my_queue_adapter>("myqueue");
// and, for a queue written against the sync backend, a second adapter over perturbing_sync gives
// --perturb its yield points inside the queue:   r.add<my_adapter, my_perturbed_adapter>("myqueue");
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ringcheck/adapters/queue_under_test.hpp"
#include "ringcheck/stress/run_stress.hpp"

namespace ringcheck::stress {

using run_function = stress_result (*)(const stress_config&, const run_hooks&);

struct queue_entry {
    std::string name;            // the --ring name
    std::string queue;           // Adapter::name
    std::string contract;        // Adapter::contract
    unsigned max_producers = 0;  // 0: any number
    unsigned max_consumers = 0;
    bool blocking = false;       // offers push/pop/timed/close
    run_function run = nullptr;
    run_function run_perturbed = nullptr;  // the same queue over perturbing_sync, if there is one
};

class registry {
public:
    template <adapters::queue_under_test Adapter, class PerturbedAdapter = void>
    registry& add(std::string_view name) {
        queue_entry e{std::string(name), std::string(Adapter::name), std::string(Adapter::contract),
                      Adapter::max_producers, Adapter::max_consumers,
                      adapters::blocking_queue_under_test<Adapter>, &run_stress<Adapter>, nullptr};
        if constexpr (!std::is_void_v<PerturbedAdapter>) {
            static_assert(adapters::blocking_queue_under_test<Adapter> ==
                              adapters::blocking_queue_under_test<PerturbedAdapter>,
                          "the perturbed adapter must offer the same operations");
            e.run_perturbed = &run_stress<PerturbedAdapter>;
        }
        entries_.push_back(std::move(e));
        return *this;
    }

    const queue_entry* find(std::string_view name) const {
        for (const auto& e : entries_) {
            if (e.name == name) return &e;
        }
        return nullptr;
    }
    const std::vector<queue_entry>& entries() const noexcept { return entries_; }

private:
    std::vector<queue_entry> entries_;
};

/// ringcheck's own rings: spsc, mpmc, locked.
registry builtin_registry();

/// The runner's command line over `queues`: parses, runs, writes reproducers. Returns the exit code.
int stress_main(int argc, char** argv, const registry& queues);

}  // namespace ringcheck::stress
