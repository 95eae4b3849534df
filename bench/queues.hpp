// bench: every queue of the comparison behind one face: bool push(const T&), bool pop(T&).
//
// Both calls are non-blocking (false: full / empty); the drivers retry them. Each adapter is a
// class template over the element type and the capacity, so the peers that fix their size at
// compile time get it that way (their fastest form). Peers are compiled in when their Debian
// package's header is there (TBB also needs its library: RINGBENCH_HAVE_TBB from CMake).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

#include "ringcheck/locked_ring.hpp"
#include "ringcheck/mpmc_ring.hpp"
#include "ringcheck/spsc_ring.hpp"
#include "seed_spsc.hpp"

#if __has_include(<boost/lockfree/spsc_queue.hpp>)
#include <boost/lockfree/queue.hpp>
#include <boost/lockfree/spsc_queue.hpp>
#define RINGBENCH_HAVE_BOOST 1
#endif
#if __has_include(<atomic_queue/atomic_queue.h>)
#include <atomic_queue/atomic_queue.h>
#define RINGBENCH_HAVE_ATOMIC_QUEUE 1
#endif
#if __has_include(<readerwriterqueue/readerwriterqueue.h>)
#include <readerwriterqueue/readerwriterqueue.h>
#define RINGBENCH_HAVE_READERWRITERQUEUE 1
#endif
#if __has_include(<concurrentqueue/concurrentqueue.h>)
#include <concurrentqueue/concurrentqueue.h>
#define RINGBENCH_HAVE_CONCURRENTQUEUE 1
#endif
#if defined(RINGBENCH_HAVE_TBB)
#include <tbb/concurrent_queue.h>
#endif

namespace ringbench {

/// The 64-byte element: every word carries the sequence number, so a torn copy is detected.
struct payload64 {
    std::uint64_t word[8];
};
static_assert(sizeof(payload64) == 64, "payload64 must be exactly 64 bytes");

inline void make_item(std::uint64_t seq, std::uint64_t& out) noexcept { out = seq; }
inline void make_item(std::uint64_t seq, payload64& out) noexcept {
    for (std::uint64_t& w : out.word) w = seq;
}
/// The sequence number an item carries; `intact` is cleared if its words disagree.
inline std::uint64_t item_seq(std::uint64_t item, bool&) noexcept { return item; }
inline std::uint64_t item_seq(const payload64& item, bool& intact) noexcept {
    intact &= item.word[0] == item.word[7];
    return item.word[0];
}

template <class T>
bool take(std::optional<T>&& popped, T& out) {
    if (!popped) return false;
    out = std::move(*popped);
    return true;
}

// ---- ours, and the seed article's ring: try_push, and try_pop returning an optional ---------

template <class T, class Ring, std::size_t Cap, const std::string_view& Name, bool Ours>
class optional_pop_queue {
public:
    static constexpr std::string_view name = Name;
    static constexpr bool ours = Ours;
    bool push(const T& v) { return ring_.try_push(v); }
    bool pop(T& out) { return take(ring_.try_pop(), out); }

private:
    Ring ring_{Cap};
};

inline constexpr std::string_view spsc_ring_name = "ringcheck::spsc_ring";
inline constexpr std::string_view mpmc_ring_name = "ringcheck::mpmc_ring";
inline constexpr std::string_view locked_ring_name = "ringcheck::locked_ring";
inline constexpr std::string_view seed_spsc_name = "seed_spsc";

template <class T, std::size_t Cap>
using spsc_ring_queue = optional_pop_queue<T, ringcheck::spsc_ring<T>, Cap, spsc_ring_name, true>;
template <class T, std::size_t Cap>
using mpmc_ring_queue = optional_pop_queue<T, ringcheck::mpmc_ring<T>, Cap, mpmc_ring_name, true>;
template <class T, std::size_t Cap>
using locked_ring_queue = optional_pop_queue<T, ringcheck::locked_ring<T>, Cap, locked_ring_name, true>;

/// Ours through spin_push/spin_pop: wait inside the call, never answer full or empty (the
/// interface the "(optimist)" rows drive the peers through). Every run pushes as many as it pops.
template <class T, class Ring, std::size_t Cap, const std::string_view& Name>
class spin_queue {
public:
    static constexpr std::string_view name = Name;
    static constexpr bool ours = true;
    bool push(const T& v) {
        ring_.spin_push(v);
        return true;
    }
    bool pop(T& out) {
        out = ring_.spin_pop();
        return true;
    }

private:
    Ring ring_{Cap};
};

inline constexpr std::string_view spsc_ring_spin_name = "ringcheck::spsc_ring(spin)";
inline constexpr std::string_view mpmc_ring_spin_name = "ringcheck::mpmc_ring(spin)";
template <class T, std::size_t Cap>
using spsc_ring_spin_queue = spin_queue<T, ringcheck::spsc_ring<T>, Cap, spsc_ring_spin_name>;
template <class T, std::size_t Cap>
using mpmc_ring_spin_queue = spin_queue<T, ringcheck::mpmc_ring<T>, Cap, mpmc_ring_spin_name>;

// ---- reference points written here ----------------------------------------------------------

template <class T, std::size_t Cap>
using seed_spsc_queue = optional_pop_queue<T, seed_spsc<T>, Cap, seed_spsc_name, false>;

/// spsc_ring with confirm_fence relaxed: NOT linearizable (the models reject it: a "full" and an
/// "empty" on stale indices); a reference point that shows, in the same run, what the fence costs.
struct spsc_unfenced_orders : ringcheck::spsc_orders {
    static constexpr std::memory_order confirm_fence = std::memory_order_relaxed;
};
inline constexpr std::string_view spsc_unfenced_name = "spsc_ring unfenced (not linearizable)";
template <class T, std::size_t Cap>
using spsc_unfenced_queue =
    optional_pop_queue<T, ringcheck::spsc_ring<T, ringcheck::std_sync, spsc_unfenced_orders>, Cap, spsc_unfenced_name, false>;

/// The textbook baseline: one std::mutex around a std::deque, bounded by a size check.
template <class T, std::size_t Cap>
class mutex_deque_queue {
public:
    static constexpr std::string_view name = "std::mutex+std::deque";
    static constexpr bool ours = false;
    bool push(const T& v) {
        std::lock_guard<std::mutex> held(mutex_);
        if (items_.size() == Cap) return false;
        items_.push_back(v);
        return true;
    }
    bool pop(T& out) {
        std::lock_guard<std::mutex> held(mutex_);
        if (items_.empty()) return false;
        out = items_.front();
        items_.pop_front();
        return true;
    }

private:
    std::mutex mutex_;
    std::deque<T> items_;
};

// ---- packaged peers -------------------------------------------------------------------------

#if defined(RINGBENCH_HAVE_BOOST)
template <class T, std::size_t Cap>
class boost_spsc_queue {
public:
    static constexpr std::string_view name = "boost::lockfree::spsc_queue";
    static constexpr bool ours = false;
    bool push(const T& v) { return queue_.push(v); }
    bool pop(T& out) { return queue_.pop(out); }

private:
    boost::lockfree::spsc_queue<T, boost::lockfree::capacity<Cap>> queue_;
};

/// Fixed-size (array-based free list): never allocates after construction.
template <class T, std::size_t Cap>
class boost_queue {
public:
    static constexpr std::string_view name = "boost::lockfree::queue";
    static constexpr bool ours = false;
    bool push(const T& v) { return queue_.bounded_push(v); }
    bool pop(T& out) { return queue_.pop(out); }

private:
    boost::lockfree::queue<T, boost::lockfree::fixed_sized<true>, boost::lockfree::capacity<Cap>> queue_;
};
#endif

#if defined(RINGBENCH_HAVE_ATOMIC_QUEUE)
/// AtomicQueue2 (any T, a state byte per slot) with its SPSC option: no CAS on the indices.
template <class T, std::size_t Cap>
class atomic_queue_spsc_queue {
public:
    static constexpr std::string_view name = "atomic_queue::AtomicQueue2<SPSC>";
    static constexpr bool ours = false;
    bool push(const T& v) { return queue_.try_push(v); }
    bool pop(T& out) { return queue_.try_pop(out); }

private:
    atomic_queue::AtomicQueue2<T, Cap, true, true, false, true> queue_;
};

/// The same queue driven the way atomic_queue's own benchmarks drive it ("optimist"): push and
/// pop claim an index unconditionally and spin inside the queue until their slot is ready, so
/// they never fail. Safe here because every run pushes exactly as many items as it pops.
template <class T, std::size_t Cap>
class atomic_queue_spsc_optimist_queue {
public:
    static constexpr std::string_view name = "atomic_queue::AtomicQueue2<SPSC>(optimist)";
    static constexpr bool ours = false;
    bool push(const T& v) {
        queue_.push(v);
        return true;
    }
    bool pop(T& out) {
        out = queue_.pop();
        return true;
    }

private:
    atomic_queue::AtomicQueue2<T, Cap, true, true, false, true> queue_;
};

template <class T, std::size_t Cap>
class atomic_queue_optimist_queue {
public:
    static constexpr std::string_view name = "atomic_queue::AtomicQueue2(optimist)";
    static constexpr bool ours = false;
    bool push(const T& v) {
        queue_.push(v);
        return true;
    }
    bool pop(T& out) {
        out = queue_.pop();
        return true;
    }

private:
    atomic_queue::AtomicQueue2<T, Cap> queue_;
};

template <class T, std::size_t Cap>
class atomic_queue_queue {
public:
    static constexpr std::string_view name = "atomic_queue::AtomicQueue2";
    static constexpr bool ours = false;
    bool push(const T& v) { return queue_.try_push(v); }
    bool pop(T& out) { return queue_.try_pop(out); }

private:
    atomic_queue::AtomicQueue2<T, Cap> queue_;
};
#endif

#if defined(RINGBENCH_HAVE_READERWRITERQUEUE)
/// try_enqueue never allocates: the queue stays within the block sized at construction.
template <class T, std::size_t Cap>
class reader_writer_queue {
public:
    static constexpr std::string_view name = "moodycamel::ReaderWriterQueue";
    static constexpr bool ours = false;
    bool push(const T& v) { return queue_.try_enqueue(v); }
    bool pop(T& out) { return queue_.try_dequeue(out); }

private:
    moodycamel::ReaderWriterQueue<T> queue_{Cap};
};
#endif

#if defined(RINGBENCH_HAVE_CONCURRENTQUEUE)
/// Unbounded by design; try_enqueue uses only the blocks preallocated for Cap elements, which
/// bounds it loosely. Its order is per-producer FIFO, weaker than our rings' linearizability.
template <class T, std::size_t Cap>
class concurrent_queue {
public:
    static constexpr std::string_view name = "moodycamel::ConcurrentQueue";
    static constexpr bool ours = false;
    bool push(const T& v) { return queue_.try_enqueue(v); }
    bool pop(T& out) { return queue_.try_dequeue(out); }

private:
    moodycamel::ConcurrentQueue<T> queue_{Cap};
};
#endif

#if defined(RINGBENCH_HAVE_TBB)
template <class T, std::size_t Cap>
class tbb_bounded_queue {
public:
    static constexpr std::string_view name = "tbb::concurrent_bounded_queue";
    static constexpr bool ours = false;
    tbb_bounded_queue() { queue_.set_capacity(static_cast<std::ptrdiff_t>(Cap)); }
    bool push(const T& v) { return queue_.try_push(v); }
    bool pop(T& out) { return queue_.try_pop(out); }

private:
    tbb::concurrent_bounded_queue<T> queue_;
};
#endif

}  // namespace ringbench
