// ringcheck: locked_ring, a bounded blocking queue for any number of producers and consumers.
//
// One mutex guards the whole ring; producers wait on not_full_, consumers on not_empty_. A thread
// notifies only when someone waits (counted under the mutex), and after unlocking, so the woken
// thread does not block on the mutex its waker still holds. close() wakes everyone: later pushes
// fail, pops drain what is left and then report closed.
// Exception safety: an element is constructed in its slot, or moved out of it, before any index
// changes, so a throwing copy or move leaves the ring exactly as it was (strong guarantee).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <utility>

#include "ringcheck/detail/cache_line.hpp"
#include "ringcheck/detail/ring_common.hpp"
#include "ringcheck/std_sync.hpp"

namespace ringcheck {

template <class T, class Sync = std_sync>
class locked_ring {
    using lock = detail::scoped_lock<typename Sync::mutex>;

public:
    explicit locked_ring(std::size_t capacity) : locked_ring(capacity, counters_wrap_after{0}) {}

    /// Test hook: the head and tail indices wrap from capacity-1 to 0 after `hook.pushes` pushes.
    locked_ring(std::size_t capacity, counters_wrap_after hook)
        : locked_ring(detail::checked_capacity("locked_ring", capacity, max_capacity()), hook, checked{}) {}

    ~locked_ring() {
        std::size_t at = head_.load();
        for (std::size_t left = count_.load(); left > 0; --left, at = advance(at)) slots_[at].destroy();
    }

    locked_ring(const locked_ring&) = delete;
    locked_ring& operator=(const locked_ring&) = delete;

    static constexpr std::size_t max_capacity() noexcept { return detail::max_ring_capacity; }

    bool try_push(const T& v) { return try_emplace(v); }
    /// On false, `v` is left as it was.
    bool try_push(T&& v) { return try_emplace(std::move(v)); }
    template <class... A>
    bool try_emplace(A&&... args) {
        return push_when(no_wait{}, std::forward<A>(args)...) == outcome::done;
    }

    /// Blocks while full. False once closed; `v` is then left as it was.
    bool push(const T& v) { return push_when(wait_forever{}, v) == outcome::done; }
    bool push(T&& v) { return push_when(wait_forever{}, std::move(v)) == outcome::done; }

    /// False on timeout or once closed; `v` is then left as it was.
    template <class Rep, class Period>
    bool try_push_for(const T& v, std::chrono::duration<Rep, Period> d) {
        return push_when(wait_until{Sync::deadline_after(d)}, v) == outcome::done;
    }
    template <class Rep, class Period>
    bool try_push_for(T&& v, std::chrono::duration<Rep, Period> d) {
        return push_when(wait_until{Sync::deadline_after(d)}, std::move(v)) == outcome::done;
    }

    std::optional<T> try_pop() { return pop_when(no_wait{}); }
    /// Blocks while empty. nullopt once closed and drained.
    std::optional<T> pop() { return pop_when(wait_forever{}); }
    /// nullopt on timeout, or once closed and drained.
    template <class Rep, class Period>
    std::optional<T> try_pop_for(std::chrono::duration<Rep, Period> d) {
        return pop_when(wait_until{Sync::deadline_after(d)});
    }

    /// Wakes every waiter; later pushes fail; pops drain what is left, then report closed.
    void close() {
        {
            lock held(mutex_);
            closed_.store(true);
        }
        not_full_.notify_all();
        not_empty_.notify_all();
    }

    bool closed() const {
        lock held(mutex_);
        return closed_.load();
    }

    std::size_t capacity() const noexcept { return capacity_; }
    std::size_t size() const noexcept {
        lock held(mutex_);
        return count_.load();
    }
    bool empty() const noexcept { return size() == 0; }

private:
    using cell = typename Sync::template cell<T>;

    struct checked {};  // the capacity is in range
    locked_ring(std::size_t capacity, counters_wrap_after hook, checked)
        : head_((capacity - hook.pushes % capacity) % capacity),
          capacity_(capacity),
          slots_(std::make_unique<cell[]>(capacity)) {}
    enum class outcome { done, refused };  // refused: full (or timed out) or closed

    // How long an operation waits for room or for an element.
    struct no_wait {
        bool wait(typename Sync::condition_variable&, typename Sync::mutex&) const { return false; }
    };
    struct wait_forever {
        bool wait(typename Sync::condition_variable& cv, typename Sync::mutex& m) const {
            cv.wait(m);
            return true;
        }
    };
    struct wait_until {
        typename Sync::deadline until;
        bool wait(typename Sync::condition_variable& cv, typename Sync::mutex& m) const {
            return cv.wait_until(m, until);
        }
    };

    template <class Wait, class... A>
    outcome push_when(Wait waiting, A&&... args) {
        {
            lock held(mutex_);
            if (!wait_for_room(waiting)) return outcome::refused;
            slots_[tail_index()].construct(source_site::here(), std::forward<A>(args)...);  // may throw: nothing has changed yet
            count_.store(count_.load() + 1);
            if (consumers_waiting_.load() == 0) return outcome::done;
        }
        not_empty_.notify_one();
        return outcome::done;
    }

    template <class Wait>
    std::optional<T> pop_when(Wait waiting) {
        bool wake_producer = false;
        std::optional<T> out = take_when(waiting, wake_producer);
        if (wake_producer) not_full_.notify_one();
        return out;
    }

    /// With the mutex held while it runs: the element at head, if one comes in time.
    template <class Wait>
    std::optional<T> take_when(const Wait& waiting, bool& wake_producer) {
        lock held(mutex_);
        return wait_for_element(waiting) ? take_head(wake_producer) : std::nullopt;
    }

    /// With the mutex held. `out` is the only object returned, so it is the caller's (no move
    /// after the indices change, which a throwing move would turn into a lost element).
    std::optional<T> take_head(bool& wake_producer) {
        const std::size_t head = head_.load();
        std::optional<T> out = slots_[head].take();  // may throw: nothing has changed yet
        head_.store(advance(head));
        count_.store(count_.load() - 1);
        if (producers_waiting_.load() != 0) wake_producer = true;
        return out;
    }

    /// With the mutex held: true once there is room and the ring is open.
    template <class Wait>
    bool wait_for_room(const Wait& waiting) {
        while (count_.load() == capacity_ && !closed_.load()) {
            producers_waiting_.store(producers_waiting_.load() + 1);
            const bool woken = waiting.wait(not_full_, mutex_);
            producers_waiting_.store(producers_waiting_.load() - 1);
            if (!woken) break;  // timed out (or never waits): decide on the state as it is now
        }
        return count_.load() < capacity_ && !closed_.load();
    }

    /// With the mutex held: true once there is an element (closed or not: pops drain).
    template <class Wait>
    bool wait_for_element(const Wait& waiting) {
        while (count_.load() == 0 && !closed_.load()) {
            consumers_waiting_.store(consumers_waiting_.load() + 1);
            const bool woken = waiting.wait(not_empty_, mutex_);
            consumers_waiting_.store(consumers_waiting_.load() - 1);
            if (!woken) break;
        }
        return count_.load() > 0;
    }

    std::size_t advance(std::size_t i) const noexcept { return i + 1 == capacity_ ? 0 : i + 1; }
    std::size_t tail_index() const noexcept {
        const std::size_t tail = head_.load() + count_.load();
        return tail >= capacity_ ? tail - capacity_ : tail;
    }

    // The state is guarded by mutex_. Backend vars (plain fields in std_sync), so that the models
    // and the schedule fuzzer see every access: one outside the mutex is a data race, not a silent read.
    // What every operation writes sits in the mutex's own line: the thread that takes the lock
    // finds the state there, so one line moves between threads per operation, not two.
    alignas(detail::cache_line) mutable typename Sync::mutex mutex_;
    typename Sync::template var<std::size_t> head_;
    typename Sync::template var<std::size_t> count_{0};
    typename Sync::template var<bool> closed_{false};  // read by every operation, written once
    // Read by every operation, written only around a wait: stays shared between the caches.
    typename Sync::template var<std::size_t> producers_waiting_{0};
    typename Sync::template var<std::size_t> consumers_waiting_{0};
    const std::size_t capacity_;
    const std::unique_ptr<cell[]> slots_;
    // Touched only by a thread that waits or wakes one: apart, so waiting does not slow the rest.
    alignas(detail::cache_line) typename Sync::condition_variable not_full_;  // producers wait here for room
    typename Sync::condition_variable not_empty_;  // consumers wait here for an element
};

}  // namespace ringcheck
