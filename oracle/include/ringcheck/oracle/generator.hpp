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

// Busy shape: threads almost always inside an operation, so that no instant is quiet (at every
// instant several ops are open, and the checker's cuts find no place to cut). Each thread's ops
// last a Pareto-tailed latency (mostly near `latency`, now and then a stall of thousands of them)
// and follow each other after a fraction of one; each thread leans to pushing or to popping in
// phases of up to 200 ops; try, blocking and timed ops mixed; blocking ops wait until they can take
// effect. A close on a thread of its own ends the run once every op has started (or earlier, if
// every thread waits in a blocking op), so every blocking op returns; with `closes`, one thread
// also closes near the end. Linearizable by construction; ops written in effect order.
struct busy_options {
    std::uint32_t threads = 14;
    std::size_t ops = 1000;
    std::size_t capacity = 64;
    std::uint64_t seed = 1;
    double tail = 1.1;                   // Pareto exponent of latencies (smaller: longer stalls)
    std::uint64_t latency = 32;          // their scale
    std::uint64_t max_latency = 200000;  // the longest stall
    std::uint64_t gap_divisor = 16;      // a thread's gap between ops: a latency divided by this
    std::uint64_t tick = 2;              // times are widened to multiples of this (ties)
    bool closes = true;
};
history generate_busy(const busy_options& o);

// A violation by construction: finds pops p1, p2 (p1 returns before p2 is
// invoked) of values a, b whose pushes are ordered the same way, and swaps the
// popped values, so b is certainly dequeued before a although a was certainly
// enqueued first. Returns false if no such pair exists.
bool inject_fifo_violation(history& h, std::mt19937_64& rng);

enum class mutation { swap_values, duplicate_value, to_full, to_empty, to_closed, to_timeout, drop, shift, any };

// Mutates `h` in place (keeps it well formed). Returns false if nothing applied.
bool mutate(history& h, mutation m, std::mt19937_64& rng);

}  // namespace ringcheck::oracle
