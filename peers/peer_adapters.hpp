// ringcheck: adapters for the bounded queues that Debian packages, each with the contract it
// promises; peers/CMakeLists.txt declares each with ringcheck_add_queue, as a user would. Their
// verdicts are reported, not gated: a weaker contract is a finding to explain.
#pragma once

#include <boost/lockfree/queue.hpp>
#include <boost/lockfree/spsc_queue.hpp>
#include <concurrentqueue/concurrentqueue.h>
#include <readerwriterqueue/readerwriterqueue.h>
#include <tbb/concurrent_queue.h>

#include <atomic_queue/atomic_queue.h>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ringcheck/adapters/queue_under_test.hpp"

namespace ringcheck::adapters {

/// Turns a `bool pop(T&)`-style call into the optional the explorers expect.
template <class Pop>
std::optional<std::uint64_t> popped(Pop&& pop) {
    std::uint64_t v;
    return pop(v) ? std::optional(v) : std::nullopt;
}

struct boost_spsc_adapter {
    static constexpr std::string_view name = "boost::lockfree::spsc_queue", contract = "linearizable";
    static constexpr unsigned max_producers = 1, max_consumers = 1;
    explicit boost_spsc_adapter(std::size_t capacity) : q(capacity), cap(capacity) {}
    std::size_t capacity() const { return cap; }
    bool try_push(std::uint64_t v) { return q.push(v); }
    std::optional<std::uint64_t> try_pop() { return popped([&](auto& v) { return q.pop(v); }); }
    boost::lockfree::spsc_queue<std::uint64_t> q;
    std::size_t cap;
};

struct boost_queue_adapter {
    static constexpr std::string_view name = "boost::lockfree::queue", contract = "linearizable";
    static constexpr unsigned max_producers = 0, max_consumers = 0;
    explicit boost_queue_adapter(std::size_t capacity) : q(capacity), cap(capacity) {}
    std::size_t capacity() const { return cap; }
    bool try_push(std::uint64_t v) { return q.bounded_push(v); }
    std::optional<std::uint64_t> try_pop() { return popped([&](auto& v) { return q.pop(v); }); }
    boost::lockfree::queue<std::uint64_t, boost::lockfree::fixed_sized<true>> q;
    std::size_t cap;
};

/// AtomicQueueB2 rounds the capacity up (to at least 4096 here); capacity() reports what it holds.
struct atomic_queue2_adapter {
    static constexpr std::string_view name = "atomic_queue::AtomicQueueB2", contract = "linearizable";
    static constexpr unsigned max_producers = 0, max_consumers = 0;
    explicit atomic_queue2_adapter(std::size_t capacity) : q(static_cast<unsigned>(capacity)) {}
    std::size_t capacity() const { return q.capacity(); }
    bool try_push(std::uint64_t v) { return q.try_push(v); }
    std::optional<std::uint64_t> try_pop() { return popped([&](auto& v) { return q.try_pop(v); }); }
    atomic_queue::AtomicQueueB2<std::uint64_t> q;
};

/// ReaderWriterQueue rounds the capacity up to 2^k - 1; try_enqueue never allocates.
struct reader_writer_queue_adapter {
    static constexpr std::string_view name = "moodycamel::ReaderWriterQueue", contract = "linearizable";
    static constexpr unsigned max_producers = 1, max_consumers = 1;
    explicit reader_writer_queue_adapter(std::size_t capacity) : q(capacity) {}
    std::size_t capacity() const { return q.max_capacity(); }
    bool try_push(std::uint64_t v) { return q.try_enqueue(v); }
    std::optional<std::uint64_t> try_pop() { return popped([&](auto& v) { return q.try_dequeue(v); }); }
    moodycamel::ReaderWriterQueue<std::uint64_t> q;
};

/// ConcurrentQueue promises FIFO per producer only. It is unbounded: try_enqueue only uses blocks
/// already allocated, which other producers' blocks never replenish (4 producers on a small queue
/// then refuse forever), so pushes allocate; the contract does not judge full or empty answers.
struct concurrent_queue_adapter {
    static constexpr std::string_view name = "moodycamel::ConcurrentQueue", contract = "per-producer-fifo";
    static constexpr unsigned max_producers = 0, max_consumers = 0;
    explicit concurrent_queue_adapter(std::size_t capacity) : q(capacity), cap(capacity) {}
    std::size_t capacity() const { return cap; }
    bool try_push(std::uint64_t v) { return q.enqueue(v); }
    std::optional<std::uint64_t> try_pop() { return popped([&](auto& v) { return q.try_dequeue(v); }); }
    moodycamel::ConcurrentQueue<std::uint64_t> q;
    std::size_t cap;
};

struct tbb_bounded_queue_adapter {
    static constexpr std::string_view name = "tbb::concurrent_bounded_queue", contract = "linearizable";
    static constexpr unsigned max_producers = 0, max_consumers = 0;
    explicit tbb_bounded_queue_adapter(std::size_t capacity) { q.set_capacity(std::ptrdiff_t(capacity)); }
    std::size_t capacity() const { return std::size_t(q.capacity()); }
    bool try_push(std::uint64_t v) { return q.try_push(v); }
    std::optional<std::uint64_t> try_pop() { return popped([&](auto& v) { return q.try_pop(v); }); }
    tbb::concurrent_bounded_queue<std::uint64_t> q;
};

static_assert(queue_under_test<boost_spsc_adapter> && queue_under_test<boost_queue_adapter> &&
              queue_under_test<atomic_queue2_adapter> && queue_under_test<reader_writer_queue_adapter> &&
              queue_under_test<concurrent_queue_adapter> && queue_under_test<tbb_bounded_queue_adapter>);

}  // namespace ringcheck::adapters
