// bench: the two workloads every queue runs, identical for all of them.
//
// transfer: N producers push `per_thread` items each, N consumers pop `per_thread` each; the
// consumers' sums prove every item arrived once and whole. ping_pong: one thread sends an item
// over `there` and waits for it on `back`, the other echoes it; each round trip is timed.
// Threads are pinned round-robin to the CPUs the process may use (failure tolerated: reported).
#pragma once

#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

namespace ringbench {

/// The CPUs this process may run on, in order (empty if the kernel will not say).
inline std::vector<int> allowed_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    std::vector<int> cpus;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
    }
    return cpus;
}

/// Pins the calling thread to the slot-th allowed CPU (round-robin); false if not allowed.
inline bool pin_to_slot(std::size_t slot) {
    static const std::vector<int> cpus = allowed_cpus();
    if (cpus.empty()) return false;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpus[slot % cpus.size()], &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

/// Retries a push or pop until it succeeds, the same way for every queue: throughput runs pause
/// once per failure, latency runs spin flat out; a wait that has lasted longer than `patience`
/// yields, so a spinner cannot starve a preempted partner when threads outnumber cores. The
/// patience is time, not a count of failures: counted in failures, a queue whose failed attempt
/// is cheap would yield sooner and look slower (it did: every peer's round trip was ~1.4 us, a
/// yield, against 0.2 us for a ring whose failing pop ran a fence).
template <bool Pause>
struct retry {
    static constexpr std::chrono::microseconds patience{50};

    /// Returns how many attempts failed before one succeeded.
    template <class Attempt>
    std::uint64_t until(Attempt&& attempt) const noexcept {
        std::chrono::steady_clock::time_point began{};
        std::uint64_t failures = 0;
        while (!attempt()) {
            if (++failures % 64 == 0) {  // the clock is read once per 64 failures
                const auto now = std::chrono::steady_clock::now();
                if (failures == 64) began = now;
                else if (now - began > patience) std::this_thread::yield();
            }
            if constexpr (Pause) cpu_relax();
        }
        return failures;
    }
};

/// Per-item work a producer or consumer does besides the queue operation: `units` rounds of an
/// empty loop that the compiler may not remove (about a cycle each). Slowing one side holds the
/// ring near empty (slow producer) or near full (slow consumer), whatever the queue's own speed.
inline void spend(unsigned units) noexcept {
    for (unsigned i = 0; i < units; ++i) std::atomic_signal_fence(std::memory_order_seq_cst);
}

/// Threads get ready (pinned, spawned) before the clock starts; then all start at once.
class start_gate {
public:
    explicit start_gate(int threads) : expected_(threads) {}
    void arrive_and_wait() noexcept {
        ready_.fetch_add(1, std::memory_order_acq_rel);
        while (!open_.load(std::memory_order_acquire)) std::this_thread::yield();
    }
    void open_when_all_ready() noexcept {
        while (ready_.load(std::memory_order_acquire) < expected_) std::this_thread::yield();
        open_.store(true, std::memory_order_release);
    }

private:
    const int expected_;
    std::atomic<int> ready_{0};
    std::atomic<bool> open_{false};
};

using wall_clock = std::chrono::steady_clock;

inline double seconds_since(wall_clock::time_point start) {
    return std::chrono::duration<double>(wall_clock::now() - start).count();
}

struct transfer_result {
    double seconds;
    bool pinned;
    bool intact;
    std::uint64_t failed_pushes;  // attempts that found the queue full: how often it ran near full
    std::uint64_t failed_pops;    // attempts that found it empty: how often it ran near empty
};

/// Work per item on each side (`spend` units); zero for both in the free-running cases.
struct side_work {
    unsigned producer = 0;
    unsigned consumer = 0;
};

/// Pushes `count` items; returns the failed attempts.
template <class T, class Q>
std::uint64_t produce(Q& queue, std::size_t count, unsigned work) {
    const retry<true> again;
    std::uint64_t failed = 0;
    for (std::size_t i = 0; i < count; ++i) {
        T item;
        make_item(i, item);
        spend(work);
        failed += again.until([&] { return queue.push(item); });
    }
    return failed;
}

/// Pops `count` items, adding their sequence numbers to `sum`; returns the failed attempts.
template <class T, class Q>
std::uint64_t consume(Q& queue, std::size_t count, unsigned work, std::uint64_t& sum, bool& intact) {
    const retry<true> again;
    std::uint64_t failed = 0;
    T item{};
    for (std::size_t i = 0; i < count; ++i) {
        failed += again.until([&] { return queue.pop(item); });
        sum += item_seq(item, intact);
        spend(work);
    }
    return failed;
}

template <class T, class Q>
transfer_result transfer(Q& queue, int pairs, std::size_t per_thread, side_work work = {}) {
    start_gate gate(2 * pairs);
    std::atomic<int> pinned{0};
    std::atomic<std::uint64_t> received{0}, failed_pushes{0}, failed_pops{0};
    std::atomic<bool> intact{true};
    std::vector<std::thread> threads;
    for (int p = 0; p < pairs; ++p) {
        threads.emplace_back([&, p] {
            pinned += pin_to_slot(2 * static_cast<std::size_t>(p));
            gate.arrive_and_wait();
            failed_pushes += produce<T>(queue, per_thread, work.producer);
        });
        threads.emplace_back([&, p] {
            pinned += pin_to_slot(2 * static_cast<std::size_t>(p) + 1);
            gate.arrive_and_wait();
            bool whole = true;
            std::uint64_t sum = 0;
            failed_pops += consume<T>(queue, per_thread, work.consumer, sum, whole);
            received += sum;
            if (!whole) intact = false;
        });
    }
    gate.open_when_all_ready();
    const auto start = wall_clock::now();
    for (std::thread& t : threads) t.join();
    const double seconds = seconds_since(start);
    const std::uint64_t per_producer = per_thread * (per_thread - 1) / 2;
    return {seconds, pinned == 2 * pairs, intact && received == per_producer * static_cast<std::uint64_t>(pairs),
            failed_pushes.load(), failed_pops.load()};
}

/// A cheap timestamp for one round trip: the TSC where there is one (converted with a rate
/// measured against steady_clock over the same run), steady_clock's nanoseconds elsewhere.
inline std::uint64_t ticks() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    unsigned aux;
    return __rdtscp(&aux);
#else
    return static_cast<std::uint64_t>(wall_clock::now().time_since_epoch().count());
#endif
}

struct ping_pong_result {
    double seconds;
    bool pinned;
    bool intact;
};

/// Appends one round-trip time (ns) per sample to `rtt_ns`.
template <class T, class Q>
ping_pong_result ping_pong(Q& there, Q& back, std::size_t samples, std::vector<double>& rtt_ns) {
    start_gate gate(2);
    std::atomic<int> pinned{0};
    std::atomic<bool> intact{true};
    std::vector<std::uint64_t> rtt_ticks(samples);
    std::thread echo([&] {
        pinned += pin_to_slot(1);
        gate.arrive_and_wait();
        const retry<false> again;
        T item{};
        for (std::size_t i = 0; i < samples; ++i) {
            again.until([&] { return there.pop(item); });
            again.until([&] { return back.push(item); });
        }
    });
    std::thread ping([&] {
        pinned += pin_to_slot(0);
        gate.arrive_and_wait();
        const retry<false> again;
        bool whole = true;
        T item{};
        for (std::size_t i = 0; i < samples; ++i) {
            make_item(i, item);
            const std::uint64_t sent = ticks();
            again.until([&] { return there.push(item); });
            again.until([&] { return back.pop(item); });
            rtt_ticks[i] = ticks() - sent;
            const bool echoed = item_seq(item, whole) == i;
            whole = whole && echoed;
        }
        if (!whole) intact = false;
    });
    gate.open_when_all_ready();
    const auto start = wall_clock::now();
    const std::uint64_t first_tick = ticks();
    ping.join();
    echo.join();
    const double seconds = seconds_since(start);
    const double ns_per_tick = seconds * 1e9 / static_cast<double>(ticks() - first_tick);
    for (std::uint64_t t : rtt_ticks) rtt_ns.push_back(static_cast<double>(t) * ns_per_tick);
    return {seconds, pinned == 2, intact};
}

}  // namespace ringbench
