// ringcheck stress: seeded perturbation, to widen race windows on real threads.
//
// Each worker thread owns a perturber seeded from the run's seed and its thread number, so the
// choice of where to yield or spin is the same in every replay (only the OS scheduler differs).
// Two kinds of points: between the operations of the stress loop, and inside the ring at each
// access to shared state (perturbing_sync below, a backend that wraps std_sync).
#pragma once

#include <cstdint>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include "ringcheck/std_sync.hpp"

namespace ringcheck::stress {

/// A small, fast, seedable generator (splitmix64): good enough to pick yields and spins.
class rng {
public:
    explicit rng(std::uint64_t seed) noexcept : state_(seed) {}
    std::uint64_t next() noexcept {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, n) for n > 0 (the tiny modulo bias does not matter here).
    std::uint64_t below(std::uint64_t n) noexcept { return next() % n; }

private:
    std::uint64_t state_;
};

/// The per-thread perturbation state; a thread without one (e.g. the main thread) is never delayed.
class perturber {
public:
    perturber(std::uint64_t seed, unsigned thread) noexcept
        : rng_(seed * 0x100000001b3ULL + thread + 1) {}

    /// Between two operations of the stress loop: often, and sometimes long.
    void between_ops() noexcept { delay(8, 64, 512); }
    /// At a backend access inside the ring: rarer and shorter, so the ring still makes progress.
    void at_sync_point() noexcept { delay(32, 256, 128); }

    /// Installs `p` as the calling thread's perturber (nullptr: none).
    static void install(perturber* p) noexcept { current_ = p; }
    static perturber* current() noexcept { return current_; }

private:
    /// With probability 1/spin_one_in spin up to max_spin pauses; with 1/yield_one_in yield.
    void delay(std::uint64_t spin_one_in, std::uint64_t yield_one_in, std::uint64_t max_spin) noexcept {
        const std::uint64_t r = rng_.next();
        if (r % yield_one_in == 0) {
            std::this_thread::yield();
        } else if ((r >> 16) % spin_one_in == 0) {
            for (std::uint64_t i = (r >> 32) % max_spin; i > 0; --i) pause();
        }
    }
    static void pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#elif defined(__aarch64__)
        asm volatile("yield");
#endif
    }

    rng rng_;
    static inline thread_local perturber* current_ = nullptr;
};

inline void perturb_sync_point() noexcept {
    if (perturber* p = perturber::current()) p->at_sync_point();
}

/// std_sync with a seeded random delay before every access to shared state: the same ring source,
/// with its race windows widened. Orders, sites and semantics are exactly std_sync's.
struct perturbing_sync {
    template <class U>
    class atomic {
    public:
        explicit atomic(U initial = U{}) noexcept : inner_(initial) {}
        U load(std::memory_order order, source_site site = source_site::here()) const noexcept {
            perturb_sync_point();
            return inner_.load(order, site);
        }
        void store(U desired, std::memory_order order, source_site site = source_site::here()) noexcept {
            perturb_sync_point();
            inner_.store(desired, order, site);
        }
        bool compare_exchange_weak(U& expected, U desired, std::memory_order success,
                                   std::memory_order failure,
                                   source_site site = source_site::here()) noexcept {
            perturb_sync_point();
            return inner_.compare_exchange_weak(expected, desired, success, failure, site);
        }

    private:
        std_sync::atomic<U> inner_;
    };

    template <class U>
    class var {
    public:
        explicit var(U initial = U{}) noexcept : inner_(initial) {}
        U load(source_site site = source_site::here()) const noexcept {
            perturb_sync_point();
            return inner_.load(site);
        }
        void store(U desired, source_site site = source_site::here()) noexcept {
            perturb_sync_point();
            inner_.store(desired, site);
        }

    private:
        std_sync::var<U> inner_;
    };

    template <class T>
    class cell {
    public:
        template <class... A>
        void construct(source_site site, A&&... args) noexcept(std::is_nothrow_constructible_v<T, A&&...>) {
            perturb_sync_point();
            inner_.construct(site, std::forward<A>(args)...);
        }
        std::optional<T> take(source_site site = source_site::here()) noexcept(std::is_nothrow_move_constructible_v<T>) {
            perturb_sync_point();
            return inner_.take(site);
        }
        void destroy(source_site site = source_site::here()) noexcept {
            perturb_sync_point();
            inner_.destroy(site);
        }

    private:
        std_sync::cell<T> inner_;
    };

    class mutex {
    public:
        void lock(source_site site = source_site::here()) {
            perturb_sync_point();
            inner_.lock(site);
        }
        void unlock(source_site site = source_site::here()) noexcept {
            inner_.unlock(site);
            perturb_sync_point();
        }
        std_sync::mutex& inner() noexcept { return inner_; }

    private:
        std_sync::mutex inner_;
    };

    using deadline = std_sync::deadline;
    template <class Rep, class Period>
    static deadline deadline_after(std::chrono::duration<Rep, Period> d) {
        return std_sync::deadline_after(d);
    }

    class condition_variable {
    public:
        void wait(mutex& m, source_site site = source_site::here()) { inner_.wait(m.inner(), site); }
        bool wait_until(mutex& m, deadline until, source_site site = source_site::here()) {
            return inner_.wait_until(m.inner(), until, site);
        }
        void notify_one(source_site site = source_site::here()) noexcept {
            perturb_sync_point();
            inner_.notify_one(site);
        }
        void notify_all(source_site site = source_site::here()) noexcept {
            perturb_sync_point();
            inner_.notify_all(site);
        }

    private:
        std_sync::condition_variable inner_;
    };

    static void fence(std::memory_order order, source_site site = source_site::here()) noexcept {
        perturb_sync_point();
        std_sync::fence(order, site);
    }
    static void spin_wait(unsigned attempt, source_site site = source_site::here()) noexcept {
        perturb_sync_point();
        std_sync::spin_wait(attempt, site);
    }
};

}  // namespace ringcheck::stress
