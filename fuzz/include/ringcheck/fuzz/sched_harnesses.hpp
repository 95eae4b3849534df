// ringcheck fuzz: the thread roles of each ring's schedule fuzzer.
#pragma once

#include <vector>

#include "ringcheck/fuzz/schedule_harness.hpp"

namespace ringcheck::fuzz {

/// mpmc_ring: 2 to 4 threads, each pushing and popping (4 operations at most).
inline const schedule_traits mpmc_traits{2, 4, 4, [](unsigned) {
    return std::vector<op_kind>{op_kind::try_push, op_kind::try_pop};
}};

/// spsc_ring: thread 0 is the producer, thread 1 the consumer (6 operations at most).
inline const schedule_traits spsc_traits{2, 2, 6, [](unsigned thread) {
    return std::vector<op_kind>{thread == 0 ? op_kind::try_push : op_kind::try_pop};
}};

/// locked_ring: 2 or 3 threads, each running any operation (4 at most), close included.
inline const schedule_traits locked_traits{2, 3, 4, [](unsigned) {
    return std::vector<op_kind>{op_kind::try_push, op_kind::push, op_kind::try_push_for, op_kind::try_pop,
                                op_kind::pop, op_kind::try_pop_for, op_kind::close};
}};

}  // namespace ringcheck::fuzz
