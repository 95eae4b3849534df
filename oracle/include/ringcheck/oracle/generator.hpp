// Random history generation: linearizable by construction (a reference queue
// simulated under random intervals around linearization points) and mutations
// that may break it. Used by tests, ringcheck-histgen and the benchmark.
#pragma once

#include <cstdint>
#include <random>

#include "ringcheck/oracle/history.hpp"

namespace ringcheck::oracle {

struct generator_options {
    std::uint32_t threads = 8;
    std::size_t ops = 1000;
    std::size_t capacity = 64;
    std::uint64_t seed = 1;
    bool roles = true;           // half producers, half consumers (else any thread does anything)
    bool blocking = true;        // include push/pop and timed ops
    bool closes = false;         // a close may happen (then pushes fail, pops drain)
    std::uint64_t max_latency = 40;  // op interval length is 1..max_latency time units
};

// A linearizable history of about `ops` operations.
history generate_history(const generator_options& o);

enum class mutation { swap_values, duplicate_value, to_full, to_empty, to_closed, to_timeout, drop, shift, any };

// Mutates `h` in place (keeps it well formed). Returns false if nothing applied.
bool mutate(history& h, mutation m, std::mt19937_64& rng);

}  // namespace ringcheck::oracle
