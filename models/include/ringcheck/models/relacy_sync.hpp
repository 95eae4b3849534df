// ringcheck: the Relacy synchronization backend (rl::atomic, rl::var for cells and plain fields, rl::mutex,
// rl::condition_variable), so the unmodified rings run under Relacy's memory-model checker.
//
// Same interface as ringcheck::std_sync (see impl/include/ringcheck/std_sync.hpp). Every call
// turns the ring's source_site into an rl::debug_info, so Relacy's histories name the ring's lines.
//
// Include order matters: relacy/relacy.hpp #defines new, delete, malloc, free, assert, errno and
// memory_order_relaxed..seq_cst (as "mo_relaxed, $" for its own tests), which breaks any later
// std::memory_order_* spelling. This header therefore includes every standard header the rings
// need first, then Relacy, then #undefs those macros (see relacy_include.hpp). Allocation thus
// stays the real heap: Relacy does not track the rings' slot arrays, only its own objects.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <utility>

#include "ringcheck/detail/source_site.hpp"
#include "ringcheck/std_sync.hpp"
#include "ringcheck/models/relacy_include.hpp"

namespace ringcheck::models {

/// The ring's line, as Relacy prints it in a history.
inline rl::debug_info relacy_info(source_site site) noexcept {
    return rl::debug_info(site.function, site.file, site.line);
}

/// Set when a ring (a mutant order table) used an order that is not valid at that kind of
/// operation (release on a load, acquire on a store); the matrix drops such mutants as not
/// applicable. The operation then runs with the nearest valid weaker order.
inline bool& inapplicable_order_seen() noexcept {
    static bool seen = false;
    return seen;
}

inline rl::memory_order relacy_order(std::memory_order order) noexcept {
    switch (order) {
        case std::memory_order_relaxed: return rl::mo_relaxed;
        case std::memory_order_consume: return rl::mo_consume;
        case std::memory_order_acquire: return rl::mo_acquire;
        case std::memory_order_release: return rl::mo_release;
        case std::memory_order_acq_rel: return rl::mo_acq_rel;
        case std::memory_order_seq_cst: break;
    }
    return rl::mo_seq_cst;
}

/// Loads (and a failed CAS) may not release.
inline rl::memory_order load_order(std::memory_order order) noexcept {
    if (order == std::memory_order_release || order == std::memory_order_acq_rel) {
        inapplicable_order_seen() = true;
        return order == std::memory_order_release ? rl::mo_relaxed : rl::mo_acquire;
    }
    return relacy_order(order);
}

/// Stores may not acquire.
inline rl::memory_order store_order(std::memory_order order) noexcept {
    if (order == std::memory_order_acquire || order == std::memory_order_consume ||
        order == std::memory_order_acq_rel) {
        inapplicable_order_seen() = true;
        return order == std::memory_order_acq_rel ? rl::mo_release : rl::mo_relaxed;
    }
    return relacy_order(order);
}

/// Relacy still applies the C++11 rule "failure no stronger than success"; clamp to it.
inline rl::memory_order cas_failure_order(std::memory_order success, std::memory_order failure) noexcept {
    const rl::memory_order wanted = load_order(failure);
    switch (relacy_order(success)) {
        case rl::mo_relaxed:
        case rl::mo_release: return rl::mo_relaxed;
        case rl::mo_acquire:
        case rl::mo_acq_rel: return wanted == rl::mo_seq_cst ? rl::mo_acquire : wanted;
        default: return wanted;
    }
}

struct relacy_sync {
    template <class U>
    class atomic {
    public:
        explicit atomic(U initial = U{}) : value_(initial) {}
        U load(std::memory_order order, source_site site = source_site::here()) const {
            return value_.load(load_order(order), relacy_info(site));
        }
        void store(U desired, std::memory_order order, source_site site = source_site::here()) {
            value_.store(desired, store_order(order), relacy_info(site));
        }
        bool compare_exchange_weak(U& expected, U desired, std::memory_order success,
                                   std::memory_order failure, source_site site = source_site::here()) {
            const rl::debug_info info = relacy_info(site);
            return value_.compare_exchange_weak(expected, desired, relacy_order(success), info,
                                                cas_failure_order(success, failure), info);
        }

    private:
        rl::atomic<U> value_;
    };

    /// rl::var: Relacy reports a data race on two accesses that happens-before does not order
    /// (e.g. one made outside the mutex that guards the field).
    template <class U>
    class var {
    public:
        explicit var(U initial = U{}) : value_(initial) {}
        U load(source_site site = source_site::here()) const { return value_(relacy_info(site)).load(); }
        void store(U desired, source_site site = source_site::here()) { value_(relacy_info(site)).store(desired); }

    private:
        rl::var<U> value_;
    };

    /// std_sync's cell plus an access token: every access to the element is a plain store to the
    /// token, made inside the call that performs the access, so Relacy reports a data race when two
    /// accesses are not ordered by happens-before (a ring cannot touch the element later).
    template <class T>
    class cell {
    public:
        template <class... A>
        void construct(source_site site, A&&... args) {
            touch(site);
            inner_.construct(site, std::forward<A>(args)...);
        }
        std::optional<T> take(source_site site = source_site::here()) {
            touch(site);
            return inner_.take(site);
        }
        void destroy(source_site site = source_site::here()) {
            touch(site);
            inner_.destroy(site);
        }

    private:
        void touch(source_site site) { token_(relacy_info(site)).store(1); }

        rl::var<int> token_;
        std_sync::cell<T> inner_;
    };

    class mutex {
    public:
        void lock(source_site site = source_site::here()) { native_.lock(relacy_info(site)); }
        void unlock(source_site site = source_site::here()) { native_.unlock(relacy_info(site)); }
        rl::mutex& native() noexcept { return native_; }

    private:
        rl::mutex native_;
    };

    /// Relacy has no clock: a timed wait times out nondeterministically, at the scheduler's choice.
    struct deadline {};
    template <class Rep, class Period>
    static deadline deadline_after(std::chrono::duration<Rep, Period>) noexcept {
        return {};
    }

    class condition_variable {
    public:
        void wait(mutex& m, source_site site = source_site::here()) {
            native_.wait(m.native(), relacy_info(site));
        }
        /// wait_for, not Relacy's wait_until: the latter converts its wake-up reason to bool the
        /// wrong way round. A spurious wake-up also returns false, which the rings read as a timeout.
        bool wait_until(mutex& m, deadline, source_site site = source_site::here()) {
            return native_.wait_for(m.native(), 0, relacy_info(site));
        }
        void notify_one(source_site site = source_site::here()) { native_.notify_one(relacy_info(site)); }
        void notify_all(source_site site = source_site::here()) { native_.notify_all(relacy_info(site)); }

    private:
        rl::condition_variable native_;
    };

    static void fence(std::memory_order order, source_site site = source_site::here()) {
        rl::atomic_thread_fence(relacy_order(order), relacy_info(site));
    }

    /// A yield tells Relacy's fair schedulers that this thread waits for another one, which keeps
    /// the spin loops of the lock-free rings from blowing up the search.
    static void spin_wait(unsigned, source_site site = source_site::here()) {
        rl::yield(1, relacy_info(site));
    }
};

}  // namespace ringcheck::models
