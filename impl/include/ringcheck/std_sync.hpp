// ringcheck: the production synchronization backend (std::atomic, std::mutex, std::condition_variable).
//
// A backend is the one place where a ring touches shared state. Each ring is a template over it, so
// the same ring source runs on std (here), on Relacy (models/) and on a deterministic scheduler
// (fuzz/). A backend provides, with these exact signatures (each `site` defaults to the caller's
// line via source_site::here(), so traces name the ring's lines):
//
//   template <class U> class atomic;      // U an unsigned integer
//       atomic(U initial);
//       U load(std::memory_order, site) const;   void store(U, std::memory_order, site);
//       bool compare_exchange_weak(U& expected, U desired, std::memory_order success,
//                                  std::memory_order failure, site);
//   template <class T> class cell;        // storage for at most one element; every access to the
//                                         // element happens inside one of these calls, so a backend
//                                         // records, yields or perturbs at the access itself:
//       template <class... A> void construct(site, A&&... args);  // placement-new T(args...) (a write);
//                                         //   if it throws, the cell stays empty
//       std::optional<T> take(site);      // moves the element out, then destroys it (a read and a
//                                         //   write); if the move throws, the element stays and
//                                         //   nothing counts as taken. An optional, not a T: the
//                                         //   element moves once, straight into what the ring
//                                         //   returns (a second move could throw after the destroy)
//       void destroy(site);               // destroys the element unread (a ring's destructor)
//     No call hands out a pointer or a reference to the element: a ring cannot touch a slot
//     after the call that a checker saw (e.g. after the release that hands the slot over).
//   template <class U> class var;         // a plain field that a mutex guards (locked_ring's state)
//       var(U initial);  U load(site) const;  void store(U, site);
//   class mutex;                          // lock(site), unlock(site)
//   class condition_variable;             // wait(mutex&, site), notify_one(site), notify_all(site),
//                                         // bool wait_until(mutex&, deadline, site): false on timeout
//   using deadline = ...;  template <class Rep, class Period> static deadline deadline_after(duration);
//   static void fence(std::memory_order, site);      // a standalone fence
//   static void spin_wait(unsigned attempt, site);   // one round of a busy-wait loop
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <new>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include "ringcheck/detail/ring_common.hpp"
#include "ringcheck/detail/source_site.hpp"

namespace ringcheck {

struct std_sync {
    template <class U>
    class atomic {
    public:
        explicit atomic(U initial = U{}) noexcept : value_(initial) {}
        U load(std::memory_order order, source_site = source_site::here()) const noexcept {
            return value_.load(order);
        }
        void store(U desired, std::memory_order order, source_site = source_site::here()) noexcept {
            value_.store(desired, order);
        }
        bool compare_exchange_weak(U& expected, U desired, std::memory_order success,
                                   std::memory_order failure,
                                   source_site = source_site::here()) noexcept {
            return value_.compare_exchange_weak(expected, desired, success, failure);
        }

    private:
        std::atomic<U> value_;
    };

    template <class U>
    class var {
    public:
        explicit var(U initial = U{}) noexcept : value_(initial) {}
        U load(source_site = source_site::here()) const noexcept { return value_; }
        void store(U desired, source_site = source_site::here()) noexcept { value_ = desired; }

    private:
        U value_;
    };

    template <class T>
    class cell {
    public:
        template <class... A>
        void construct(source_site, A&&... args) noexcept(std::is_nothrow_constructible_v<T, A&&...>) {
            ::new (static_cast<void*>(bytes_)) T(std::forward<A>(args)...);
        }
        std::optional<T> take(source_site = source_site::here()) noexcept(std::is_nothrow_move_constructible_v<T>) {
            T& element = held();
            std::optional<T> out(std::move(element));  // may throw: the element stays
            element.~T();
            return out;
        }
        void destroy(source_site = source_site::here()) noexcept { held().~T(); }

    private:
        T& held() noexcept { return *std::launder(reinterpret_cast<T*>(bytes_)); }

        alignas(T) unsigned char bytes_[sizeof(T)];
    };

    class mutex {
    public:
        void lock(source_site = source_site::here()) { native_.lock(); }
        void unlock(source_site = source_site::here()) noexcept { native_.unlock(); }
        std::mutex& native() noexcept { return native_; }

    private:
        std::mutex native_;
    };

    using clock = std::chrono::steady_clock;
    using deadline = clock::time_point;

    /// now + d, saturating instead of overflowing for huge durations (e.g. hours::max()).
    template <class Rep, class Period>
    static deadline deadline_after(std::chrono::duration<Rep, Period> d) {
        const auto now = clock::now();
        if (d <= d.zero()) return now;
        const std::chrono::duration<double> wanted = d;
        const std::chrono::duration<double> room = deadline::max() - now;
        if (wanted >= room) return deadline::max();
        return now + std::chrono::ceil<clock::duration>(d);
    }

    class condition_variable {
    public:
        /// The caller holds `m`, as with std::condition_variable; it holds it again on return.
        void wait(mutex& m, source_site = source_site::here()) {
            std::unique_lock<std::mutex> lock(m.native(), std::adopt_lock);
            native_.wait(lock);
            lock.release();  // ownership stays with the caller's guard
        }
        bool wait_until(mutex& m, deadline until, source_site = source_site::here()) {
            std::unique_lock<std::mutex> lock(m.native(), std::adopt_lock);
            const bool woken = native_.wait_until(lock, until) == std::cv_status::no_timeout;
            lock.release();
            return woken;
        }
        void notify_one(source_site = source_site::here()) noexcept { native_.notify_one(); }
        void notify_all(source_site = source_site::here()) noexcept { native_.notify_all(); }

    private:
        std::condition_variable native_;
    };

    static void fence(std::memory_order order, source_site = source_site::here()) noexcept {
        std::atomic_thread_fence(order);
    }

    /// Busy-wait politely: a pause for the first rounds, then give the core away, so that a
    /// preempted thread that the spinner waits for can run (we may have more threads than cores).
    static void spin_wait(unsigned attempt, source_site = source_site::here()) noexcept {
        if (attempt < detail::spin_yield_round) {
            for (unsigned i = 0; i < (1u << attempt); ++i) cpu_relax();
        } else {
            std::this_thread::yield();
        }
    }

private:
    static void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#elif defined(__aarch64__)
        asm volatile("yield");
#endif
    }
};

namespace detail {

/// Holds a backend mutex for a scope; the site of the lock names the ring's line.
template <class Mutex>
class scoped_lock {
public:
    explicit scoped_lock(Mutex& m, source_site site = source_site::here()) : mutex_(m), site_(site) {
        mutex_.lock(site_);
    }
    ~scoped_lock() { mutex_.unlock(site_); }
    scoped_lock(const scoped_lock&) = delete;
    scoped_lock& operator=(const scoped_lock&) = delete;

private:
    Mutex& mutex_;
    source_site site_;
};

}  // namespace detail
}  // namespace ringcheck
