// Cheap history recording for real threads: one pre-reserved buffer per
// thread, no lock and no shared write on the hot path beyond reading a clock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "ringcheck/oracle/history.hpp"

namespace ringcheck::oracle {

namespace detail {
inline std::uint64_t read_steady_ns() noexcept {
    auto t = std::chrono::steady_clock::now().time_since_epoch();
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t).count());
}
// Orders the clock read against the operation's memory accesses in the hardware: all earlier loads
// and stores are globally visible, and no later instruction starts, before the clock is read
// (Intel's "MFENCE; LFENCE" before RDTSC, which the vDSO clock reads; ARM's DMB + ISB). A C++ fence
// is not enough (RDTSC is not a memory access), and under TSan a C++ fence would not even be
// emitted as one. Without this, a timestamp can be taken while the operation is still in flight,
// and the checker would see a real-time order that did not happen: a false alarm.
inline void order_clock_read() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    asm volatile("mfence\n\tlfence" ::: "memory");
#elif defined(__aarch64__)
    asm volatile("dmb ish\n\tisb" ::: "memory");
#else
    std::atomic_thread_fence(std::memory_order_seq_cst);
#endif
}
}  // namespace detail

// Monotonic clock (steady_clock, ns). Take invoke_stamp() right before the
// operation and response_stamp() right after it returns.
inline std::uint64_t invoke_stamp() noexcept {
    std::uint64_t t = detail::read_steady_ns();
    detail::order_clock_read();  // the op starts after the stamp
    return t;
}
inline std::uint64_t response_stamp() noexcept {
    detail::order_clock_read();  // the stamp is read after the op finished
    return detail::read_steady_ns();
}

// One thread's log. Only its owning thread may call record().
class thread_log {
public:
    thread_log(std::uint32_t thread, std::size_t reserve) : thread_(thread) { ops_.reserve(reserve); }

    // Stamps are made strictly increasing within the thread (the format needs
    // invoke < response and no overlap; a coarse clock may repeat a value).
    void record(op_kind op, std::uint64_t arg, result_kind result, std::uint64_t value,
                std::uint64_t invoke, std::uint64_t response) {
        if (invoke <= last_) invoke = last_ + 1;
        if (response <= invoke) response = invoke + 1;
        last_ = response;
        ops_.push_back(operation{thread_, op, arg, result, value, invoke, response});
    }
    const std::vector<operation>& ops() const noexcept { return ops_; }
    std::uint32_t thread() const noexcept { return thread_; }

private:
    std::uint32_t thread_;
    std::uint64_t last_ = 0;
    std::vector<operation> ops_;
};

// Owns the per-thread logs. Create every log before the threads start
// (add_thread is not thread-safe); merge after they have joined.
class history_recorder {
public:
    explicit history_recorder(std::size_t capacity) : capacity_(capacity) {}

    thread_log& add_thread(std::uint32_t thread, std::size_t reserve) {
        logs_.push_back(std::make_unique<padded_log>(thread, reserve));
        return logs_.back()->log;
    }
    history merge() const {
        history h{capacity_, {}};
        std::size_t total = 0;
        for (const auto& l : logs_) total += l->log.ops().size();
        h.ops.reserve(total);
        for (const auto& l : logs_) h.ops.insert(h.ops.end(), l->log.ops().begin(), l->log.ops().end());
        return h;
    }

private:
    struct alignas(128) padded_log {  // own cache lines: no false sharing between threads
        padded_log(std::uint32_t t, std::size_t r) : log(t, r) {}
        thread_log log;
    };
    std::size_t capacity_;
    std::vector<std::unique_ptr<padded_log>> logs_;
};

}  // namespace ringcheck::oracle
