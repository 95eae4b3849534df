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

// Adversarial shape: built to defeat move-order heuristics of a search. Every
// thread has its own push/pop bias and the whole run goes through phases that
// push the queue to full (and hold it there), drain it to empty (and hold it
// there) or churn around the middle; intervals are long against the gaps
// between ops (heavy overlap); times are rounded to a coarse tick (many equal
// stamps across threads); blocking and timed ops wait through saturated
// stretches; closes (twice) towards the end. Linearizable by construction:
// every op takes effect on a reference queue at a point inside its interval
// (rounding widens intervals, never narrows them).
struct adversarial_options {
    std::uint32_t threads = 8;
    std::size_t ops = 1000;
    std::size_t capacity = 64;
    std::uint64_t seed = 1;
    std::uint64_t max_latency = 64;  // effect point and response each up to this far after the previous step
    std::uint64_t tick = 4;          // times are multiples of this (ties)
    bool blocking = true;            // blocking and timed ops
    bool closes = true;              // a close, and a second one, late in the run
};
history generate_adversarial(const adversarial_options& o);

// A violation by construction: finds pops p1, p2 (p1 returns before p2 is
// invoked) of values a, b whose pushes are ordered the same way, and swaps the
// popped values, so b is certainly dequeued before a although a was certainly
// enqueued first. Returns false if no such pair exists.
bool inject_fifo_violation(history& h, std::mt19937_64& rng);

enum class mutation { swap_values, duplicate_value, to_full, to_empty, to_closed, to_timeout, drop, shift, any };

// Mutates `h` in place (keeps it well formed). Returns false if nothing applied.
bool mutate(history& h, mutation m, std::mt19937_64& rng);

}  // namespace ringcheck::oracle
