// ringcheck stress: the main of a runner for one queue (ringcheck_add_queue generates one per queue:
// a registry with the user's adapter, and this function).
#pragma once

#include "ringcheck/stress/registry.hpp"

namespace ringcheck::stress {

/// stress_main over a registry of exactly one queue. Its name is the default --ring; the thread
/// counts default to what the adapter allows (its maximum, or 2 when it allows any number), so
/// `runner --ops 10000 --seed 3` is a complete command. `--describe-queue` prints the queue's facts
/// (name, contract, thread limits, operations) as one JSON line, for `ringcheck gate`.
int queue_main(int argc, char** argv, const registry& queues);

}  // namespace ringcheck::stress
