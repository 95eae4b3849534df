// bench: which queues run in which case, ours first, then the reference points and the peers
// this build has. Shared by the benchmark and the callgrind driver.
#pragma once

#include <cstddef>

#include "queues.hpp"

namespace ringbench {

template <template <class, std::size_t> class... Q>
struct queue_list {};

/// Single-producer single-consumer cases (throughput 1x1 and round trip).
using spsc_contenders = queue_list<spsc_ring_queue, spsc_ring_spin_queue, mpmc_ring_queue, mpmc_ring_spin_queue, locked_ring_queue, seed_spsc_queue, spsc_unfenced_queue
#if defined(RINGBENCH_HAVE_BOOST)
                                   , boost_spsc_queue
#endif
#if defined(RINGBENCH_HAVE_READERWRITERQUEUE)
                                   , reader_writer_queue
#endif
#if defined(RINGBENCH_HAVE_ATOMIC_QUEUE)
                                   , atomic_queue_spsc_queue, atomic_queue_spsc_optimist_queue
#endif
                                   >;

/// N producers x N consumers cases.
using mpmc_contenders = queue_list<mpmc_ring_queue, mpmc_ring_spin_queue, locked_ring_queue, mutex_deque_queue
#if defined(RINGBENCH_HAVE_ATOMIC_QUEUE)
                                   , atomic_queue_queue, atomic_queue_optimist_queue
#endif
#if defined(RINGBENCH_HAVE_BOOST)
                                   , boost_queue
#endif
#if defined(RINGBENCH_HAVE_TBB)
                                   , tbb_bounded_queue
#endif
#if defined(RINGBENCH_HAVE_CONCURRENTQUEUE)
                                   , concurrent_queue
#endif
                                   >;

}  // namespace ringbench
