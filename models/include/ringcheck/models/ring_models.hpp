// ringcheck: the Relacy models of the three rings, templated over the ring type so that the same
// models check the real rings, every order mutant and every catalogue mutant.
//
// Every thread runs a bounded program (bounded retry counts, no unbounded waiting of its own), so
// a full search terminates. Each iteration records its operations in an op_log, and after() asks
// the oracle whether the history is linearizable, on top of Relacy's own checks (data races on
// element storage, deadlock, livelock, leaks of Relacy objects, uninitialised reads).
#pragma once

#include "ringcheck/detail/ring_common.hpp"
#include "ringcheck/models/op_log.hpp"

namespace ringcheck::models {

using oracle::op_kind;
using oracle::result_kind;

/// A ring whose every operation goes into the history, as `thread`.
template <class Ring>
class recorded {
public:
    recorded(Ring& ring, op_log& log, std::uint32_t thread) : ring_(ring), log_(log), thread_(thread) {}

    bool try_push(std::uint64_t v) {
        const std::size_t h = log_.invoke(thread_, op_kind::try_push, v);
        const bool ok = ring_.try_push(v);
        log_.finish(h, ok ? result_kind::ok : result_kind::full);
        return ok;
    }
    std::optional<std::uint64_t> try_pop() { return pop_like(op_kind::try_pop, result_kind::empty, [&] { return ring_.try_pop(); }); }
    bool push(std::uint64_t v) {
        const std::size_t h = log_.invoke(thread_, op_kind::push, v);
        const bool ok = ring_.push(v);
        log_.finish(h, ok ? result_kind::ok : result_kind::closed);
        return ok;
    }
    std::optional<std::uint64_t> pop() { return pop_like(op_kind::pop, result_kind::closed, [&] { return ring_.pop(); }); }
    /// spin_push/spin_pop wait until served: in the history, a blocking push that always succeeds
    /// and a blocking pop that always returns a value.
    void spin_push(std::uint64_t v) {
        const std::size_t h = log_.invoke(thread_, op_kind::push, v);
        ring_.spin_push(v);
        log_.finish(h, result_kind::ok);
    }
    std::uint64_t spin_pop() {
        const std::size_t h = log_.invoke(thread_, op_kind::pop);
        const std::uint64_t got = ring_.spin_pop();
        log_.finish(h, result_kind::value, got);
        return got;
    }
    /// Used only where nobody closes the ring, so a refusal is a timeout.
    bool try_push_for(std::uint64_t v) {
        const std::size_t h = log_.invoke(thread_, op_kind::try_push_for, v);
        const bool ok = ring_.try_push_for(v, std::chrono::milliseconds(1));
        log_.finish(h, ok ? result_kind::ok : result_kind::timeout);
        return ok;
    }
    std::optional<std::uint64_t> try_pop_for() {
        return pop_like(op_kind::try_pop_for, result_kind::timeout,
                        [&] { return ring_.try_pop_for(std::chrono::milliseconds(1)); });
    }
    void close() {
        const std::size_t h = log_.invoke(thread_, op_kind::close);
        ring_.close();
        log_.finish(h, result_kind::ok);
    }

private:
    template <class Pop>
    std::optional<std::uint64_t> pop_like(op_kind op, result_kind none, Pop&& pop) {
        const std::size_t h = log_.invoke(thread_, op);
        const std::optional<std::uint64_t> got = pop();
        if (got) {
            log_.finish(h, result_kind::value, *got);
        } else {
            log_.finish(h, none);
        }
        return got;
    }

    Ring& ring_;
    op_log& log_;
    std::uint32_t thread_;
};

/// What every model shares: the ring (heap-allocated: Relacy mallocs the suite, and the rings are
/// over-aligned), its history, and the judgment in after().
template <class Derived, rl::thread_id_t Threads, class Ring>
struct ring_model : rl::test_suite<Derived, Threads> {
    std::unique_ptr<Ring> ring;
    std::optional<op_log> log;

    /// Call from before(), with a plain_heap alive. The history's capacity is what the ring says it
    /// holds (a user's queue may hold more than it was asked for).
    void start(std::size_t capacity, std::size_t wrap_after) {
        ring = std::make_unique<Ring>(capacity, counters_wrap_after{wrap_after});
        log.emplace(ring->capacity());
    }
    recorded<Ring> as(unsigned thread) { return recorded<Ring>(*ring, *log, thread); }

    /// A thread's ops count as finished before another thread's op only through happens-before
    /// (see op_log). A handshake provides it, as a program that learns "the push has returned"
    /// from another thread would: after each op a thread publishes its progress (release), and
    /// before each op it reads everybody's (acquire).
    rl::atomic<unsigned> progress[Threads];
    void announce(unsigned thread, unsigned done) {
        progress[thread].store(done, rl::mo_release, rl::debug_info("announce", __FILE__, __LINE__));
    }
    void look_around() {
        for (rl::thread_id_t t = 0; t < Threads; ++t) {
            progress[t].load(rl::mo_acquire, rl::debug_info("look_around", __FILE__, __LINE__));
        }
    }
    void threads_start() {
        for (rl::thread_id_t t = 0; t < Threads; ++t) {
            progress[t].store(0, rl::mo_relaxed, rl::debug_info("threads_start", __FILE__, __LINE__));
        }
        log->threads_started();
    }

    void after() {
        bool linearizable = false;
        {
            const plain_heap heap;
            ring.reset();
            linearizable = log->judge();
            log.reset();
        }
        RL_ASSERT(linearizable);
    }
};

/// A value no other push attempt of the same iteration uses (a retry after "full" offers a new
/// one): the oracle matches pops to pushes by value.
constexpr std::uint64_t value_of(unsigned thread, unsigned attempt) { return (thread + 1) * 100 + attempt; }

// ---- spsc_ring ------------------------------------------------------------------------------

struct spsc_config {
    std::size_t capacity;
    unsigned pushes;      // values the producer offers
    unsigned attempts;    // try_push attempts per value; the consumer gets pushes * attempts try_pops
    std::size_t wrap_after;  // counters_wrap_after: 0 = start at 0
};

/// Thread 0 produces, thread 1 consumes.
template <class Ring, spsc_config C>
struct spsc_model : ring_model<spsc_model<Ring, C>, 2, Ring> {
    void before() {
        const plain_heap heap;
        this->start(C.capacity, C.wrap_after);
        this->threads_start();
    }
    void thread(unsigned index) {
        auto q = this->as(index);
        if (index == 0) {
            unsigned offered = 0;
            for (unsigned k = 0; k < C.pushes; ++k) {
                for (unsigned a = 0; a < C.attempts && !q.try_push(value_of(0, offered++)); ++a) {
                }
            }
        } else {
            unsigned received = 0;
            for (unsigned a = 0; a < C.pushes * C.attempts && received < C.pushes; ++a) {
                if (q.try_pop()) ++received;
            }
        }
    }
};

// ---- mpmc_ring ------------------------------------------------------------------------------

struct mpmc_config {
    unsigned producers, consumers;
    std::size_t capacity;
    unsigned pushes;      // per producer
    unsigned attempts;    // per push; each consumer gets pops_each try_pops
    unsigned pops_each;
    unsigned prefill;     // elements pushed in before(), so early pops and full pushes race
    std::size_t wrap_after;
    bool handshake = false;  // threads learn of each other's finished ops (see ring_model)
};

/// Threads [0, producers) produce, the rest consume. The prefill is recorded as a thread of its
/// own that finishes before any other starts.
template <class Ring, mpmc_config C>
struct mpmc_model : ring_model<mpmc_model<Ring, C>, C.producers + C.consumers, Ring> {
    static constexpr unsigned prefill_thread = C.producers + C.consumers;

    void before() {
        const plain_heap heap;
        this->start(C.capacity, C.wrap_after);
        auto q = this->as(prefill_thread);
        for (unsigned k = 0; k < C.prefill; ++k) q.try_push(value_of(prefill_thread, k));
        this->threads_start();
    }
    void thread(unsigned index) {
        auto q = this->as(index);
        unsigned done = 0;
        const auto step = [&] {
            if (C.handshake) this->announce(index, ++done);
        };
        if (index < C.producers) {
            unsigned offered = 0;
            for (unsigned k = 0; k < C.pushes; ++k) {
                for (unsigned a = 0; a < C.attempts; ++a) {
                    if (C.handshake) this->look_around();
                    const bool pushed = q.try_push(value_of(index, offered++));
                    step();
                    if (pushed) break;
                }
            }
        } else {
            for (unsigned a = 0; a < C.pops_each; ++a) {
                if (C.handshake) this->look_around();
                q.try_pop();
                step();
            }
        }
    }
};

// ---- spin_push / spin_pop (spsc_ring and mpmc_ring) ------------------------------------------

struct spin_config {
    unsigned producers, consumers;
    std::size_t capacity;
    unsigned each;  // values each producer gets in; producers * each must divide among consumers
};

/// Producers get `each` values in, alternately by spin_push and by one try_push (spin_push of a
/// fresh value if it answered full); consumers take their share alternately by try_pop and by
/// spin_pop, so spin_pop is called only while a value is still owed and nobody waits forever.
/// Spinning and answering full/empty race on the same slots and indices.
template <class Ring, spin_config C>
struct spin_model : ring_model<spin_model<Ring, C>, C.producers + C.consumers, Ring> {
    static_assert(C.producers * C.each % C.consumers == 0, "every consumer takes the same share");

    void before() {
        const plain_heap heap;
        this->start(C.capacity, 0);
        this->threads_start();
    }
    void thread(unsigned index) {
        auto q = this->as(index);
        if (index < C.producers) {
            unsigned offered = 0;
            for (unsigned k = 0; k < C.each; ++k) {
                if (k % 2 == 1 && q.try_push(value_of(index, offered++))) continue;
                q.spin_push(value_of(index, offered++));
            }
        } else {
            const unsigned share = C.producers * C.each / C.consumers;
            for (unsigned received = 0, k = 0; received < share; ++k) {
                if (k % 2 == 0) {
                    if (q.try_pop()) ++received;
                } else {
                    q.spin_pop();
                    ++received;
                }
            }
        }
    }
};

// ---- locked_ring ----------------------------------------------------------------------------

/// 2 producers x 2 consumers on capacity 1, blocking push and pop, `each` items per thread:
/// every item fits, so nobody may stay blocked (Relacy reports a deadlock otherwise).
template <class Ring, unsigned Each>
struct locked_blocking_model : ring_model<locked_blocking_model<Ring, Each>, 4, Ring> {
    void before() {
        const plain_heap heap;
        this->start(1, 0);
        this->threads_start();
    }
    void thread(unsigned index) {
        auto q = this->as(index);
        for (unsigned k = 0; k < Each; ++k) {
            if (index < 2) {
                q.push(value_of(index, k));
            } else {
                q.pop();
            }
        }
    }
};

/// 1 producer x 2 consumers on capacity 1 with timed operations: Relacy's timed waits time out
/// at the scheduler's choice, so timeouts race with pushes and pops.
template <class Ring>
struct locked_timed_model : ring_model<locked_timed_model<Ring>, 3, Ring> {
    void before() {
        const plain_heap heap;
        this->start(1, 0);
        this->threads_start();
    }
    void thread(unsigned index) {
        auto q = this->as(index);
        if (index == 2) {
            q.try_pop_for();
            return;
        }
        for (unsigned k = 0; k < 2; ++k) {
            if (index == 0) {
                q.try_push_for(value_of(index, k));
            } else {
                q.try_pop_for();
            }
        }
    }
};

/// close() racing blocked producers and consumers on capacity 1: 4 blocking pushes against 2
/// blocking pops, so without close some producer stays blocked; consumers block while empty.
template <class Ring>
struct locked_close_model : ring_model<locked_close_model<Ring>, 5, Ring> {
    void before() {
        const plain_heap heap;
        this->start(1, 0);
        this->threads_start();
    }
    void thread(unsigned index) {
        auto q = this->as(index);
        if (index < 2) {
            q.push(value_of(index, 0));
            q.push(value_of(index, 1));
        } else if (index < 4) {
            q.pop();
        } else {
            q.close();
        }
    }
};

}  // namespace ringcheck::models
