// ringcheck: mpmc_ring, a bounded lock-free queue for any number of producers and consumers.
//
// Design (Vyukov's bounded MPMC queue as refined by crossbeam's ArrayQueue): every slot carries a
// stamp saying which lap may use it next. head and tail are {lap, index} packed in one word, where
// a lap is the next power of two above capacity. A producer claims the slot at tail by CAS when the
// slot's stamp equals tail, writes the element, then publishes the stamp tail+1; a consumer claims
// the slot at head when its stamp equals head+1, moves the element out, then frees the slot for
// the next lap with stamp head+lap.
// Unlike the original Vyukov queue, a stamp that says "not ready" is not taken as empty (or full)
// on its own: try_pop reports empty only when tail == head, so an element whose push has returned
// is never missed while another producer sits between its claim and its publish.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "ringcheck/detail/cache_line.hpp"
#include "ringcheck/detail/ring_common.hpp"
#include "ringcheck/std_sync.hpp"

namespace ringcheck {

/// Memory order of every atomic site of mpmc_ring, each with the access it pairs with.
struct mpmc_orders {
    static constexpr std::memory_order guess_tail = std::memory_order_relaxed;  // a starting guess: the claim CAS validates it
    static constexpr std::memory_order guess_head = std::memory_order_relaxed;  // a starting guess: the claim CAS validates it
    static constexpr std::memory_order push_read_stamp = std::memory_order_acquire;  // the previous lap's element was moved out; pairs with free_slot
    static constexpr std::memory_order pop_read_stamp = std::memory_order_acquire;  // sees the element published; pairs with publish_slot
    static constexpr std::memory_order claim_tail = std::memory_order_seq_cst;  // claims join one total order with check_head_if_full/check_tail_if_empty
    static constexpr std::memory_order claim_head = std::memory_order_seq_cst;  // claims join one total order with check_head_if_full/check_tail_if_empty
    static constexpr std::memory_order claim_failed = std::memory_order_relaxed;  // a failed CAS only refreshes the guess
    static constexpr std::memory_order publish_slot = std::memory_order_release;  // makes the element visible; pairs with pop_read_stamp
    static constexpr std::memory_order free_slot = std::memory_order_release;  // the element was moved out; pairs with push_read_stamp
    static constexpr std::memory_order check_head_if_full = std::memory_order_seq_cst;  // "full" must see every returned pop's claim_head (linearizability)
    static constexpr std::memory_order check_tail_if_empty = std::memory_order_seq_cst;  // "empty" must see every returned push's claim_tail (linearizability)
    static constexpr std::memory_order initial_stamp = std::memory_order_relaxed;  // constructor: the ring is not shared yet
    static constexpr std::memory_order observe_index = std::memory_order_seq_cst;  // size(): head and tail read in one consistent total order
};

template <class T, class Sync = std_sync, class Orders = mpmc_orders>
class mpmc_ring {
    static_assert(detail::lock_free_element<T>,
                  "mpmc_ring<T>: T must be nothrow move constructible and nothrow destructible");
    using stamp_t = std::size_t;  // {lap, index}: lap in the high bits, index below one_lap_

public:
    explicit mpmc_ring(std::size_t capacity) : mpmc_ring(capacity, counters_wrap_after{0}) {}

    /// Test hook: head, tail and every stamp wrap past 2^64 within the first whole laps that
    /// cover `hook.pushes` pushes (0: they start at 0 and wrap only after 2^64 / lap laps).
    mpmc_ring(std::size_t capacity, counters_wrap_after hook)
        : capacity_(detail::checked_capacity("mpmc_ring", capacity, max_capacity())),
          one_lap_(std::bit_ceil(capacity_ + 1)),
          slots_(make_slots(start_stamp(hook))),
          head_(start_stamp(hook)),
          tail_(start_stamp(hook)) {
        static_assert(alignof(mpmc_ring) == detail::cache_line,
                      "head and tail must start on their own cache lines");
    }

    ~mpmc_ring() {
        while (try_pop()) {
        }
    }

    mpmc_ring(const mpmc_ring&) = delete;
    mpmc_ring& operator=(const mpmc_ring&) = delete;

    static constexpr std::size_t max_capacity() noexcept { return detail::max_ring_capacity; }

    bool try_push(const T& v) { return try_emplace(v); }
    /// On false, `v` is left as it was.
    bool try_push(T&& v) { return try_emplace(std::move(v)); }

    /// If constructing T may throw, T is built before a slot is claimed, so a throw leaves the
    /// ring unchanged (a claimed slot must always be published).
    template <class... A>
    bool try_emplace(A&&... args) {
        if constexpr (std::is_nothrow_constructible_v<T, A&&...>) {
            return push_claimed<when_full::answer>([&](value_cell& c) { c.construct(source_site::here(), std::forward<A>(args)...); });
        } else {
            T built(std::forward<A>(args)...);
            return push_claimed<when_full::answer>([&](value_cell& c) { c.construct(source_site::here(), std::move(built)); });
        }
    }

    std::optional<T> try_pop() { return pop_claimed<when_empty::answer>(); }

    /// Waits by spinning while the ring is full, then pushes: it never answers full and never
    /// sleeps, so it suits producers with a core each. A waiting producer reads only its slot.
    void spin_push(const T& v) { spin_emplace(v); }
    void spin_push(T&& v) { spin_emplace(std::move(v)); }

    /// As try_emplace, waiting (spinning) for room instead of answering full.
    template <class... A>
    void spin_emplace(A&&... args) {
        if constexpr (std::is_nothrow_constructible_v<T, A&&...>) {
            push_claimed<when_full::wait>([&](value_cell& c) { c.construct(source_site::here(), std::forward<A>(args)...); });
        } else {
            T built(std::forward<A>(args)...);
            push_claimed<when_full::wait>([&](value_cell& c) { c.construct(source_site::here(), std::move(built)); });
        }
    }

    /// Waits by spinning while the ring is empty, then pops: it never answers empty and never
    /// sleeps, so it suits consumers with a core each. A waiting consumer reads only its slot.
    T spin_pop() { return *pop_claimed<when_empty::wait>(); }

    std::size_t capacity() const noexcept { return capacity_; }

    /// Exact when no push or pop is in flight; otherwise a value the queue held recently.
    std::size_t size() const noexcept {
        for (;;) {
            const stamp_t tail = tail_.load(Orders::observe_index);
            const stamp_t head = head_.load(Orders::observe_index);
            if (tail_.load(Orders::observe_index) != tail) continue;  // moved: head may not match
            const std::size_t head_index = head & (one_lap_ - 1);
            const std::size_t tail_index = tail & (one_lap_ - 1);
            if (head_index < tail_index) return tail_index - head_index;
            if (head_index > tail_index) return capacity_ - head_index + tail_index;
            return tail == head ? 0 : capacity_;
        }
    }
    bool empty() const noexcept { return size() == 0; }

private:
    using atomic_stamp = typename Sync::template atomic<stamp_t>;
    using value_cell = typename Sync::template cell<T>;

    struct slot {
        atomic_stamp stamp;
        value_cell value;
    };

    enum class when_full { answer, wait };
    enum class when_empty { answer, wait };

    template <when_full full, class Construct>
    bool push_claimed(Construct&& construct) {
        stamp_t tail = tail_.load(Orders::guess_tail);
        for (unsigned attempt = 0;; ++attempt) {
            slot& s = slots_[tail & (one_lap_ - 1)];
            const stamp_t stamp = s.stamp.load(Orders::push_read_stamp);
            if (stamp == tail) {  // free for this lap: try to claim it
                if (tail_.compare_exchange_weak(tail, next_position(tail), Orders::claim_tail,
                                                Orders::claim_failed)) {
                    construct(s.value);
                    s.stamp.store(tail + 1, Orders::publish_slot);
                    return true;
                }
            } else if (stamp + one_lap_ == tail + 1) {  // still holds last lap's element
                if constexpr (full == when_full::wait) {
                    Sync::spin_wait(detail::waiting_round(attempt));  // full, or being freed: wait on the slot
                    continue;
                }
                if (head_.load(Orders::check_head_if_full) + one_lap_ == tail) return false;
                Sync::spin_wait(attempt);  // a consumer claimed it and will free it soon
                tail = tail_.load(Orders::guess_tail);
            } else {  // our tail is stale: another producer took this slot
                Sync::spin_wait(attempt);
                tail = tail_.load(Orders::guess_tail);
            }
        }
    }

    template <when_empty empty>
    std::optional<T> pop_claimed() {
        stamp_t head = head_.load(Orders::guess_head);
        for (unsigned attempt = 0;; ++attempt) {
            slot& s = slots_[head & (one_lap_ - 1)];
            const stamp_t stamp = s.stamp.load(Orders::pop_read_stamp);
            if (stamp == head + 1) {  // published for this lap: try to claim it
                if (head_.compare_exchange_weak(head, next_position(head), Orders::claim_head,
                                                Orders::claim_failed)) {
                    return take_claimed(s, head);
                }
            } else if (stamp == head) {  // not yet published: empty only if nobody claimed it
                if constexpr (empty == when_empty::wait) {
                    Sync::spin_wait(detail::waiting_round(attempt));  // empty, or being published: wait on the slot
                    continue;
                }
                if (tail_.load(Orders::check_tail_if_empty) == head) return std::nullopt;
                Sync::spin_wait(attempt);  // a producer claimed it and will publish it soon
                head = head_.load(Orders::guess_head);
            } else {  // our head is stale: another consumer took this slot
                Sync::spin_wait(attempt);
                head = head_.load(Orders::guess_head);
            }
        }
    }

    std::optional<T> take_claimed(slot& s, stamp_t head) {
        std::optional<T> out = s.value.take();
        s.stamp.store(head + one_lap_, Orders::free_slot);
        return out;
    }

    /// The position after `at`: the next index of the same lap, or index 0 of the next lap.
    stamp_t next_position(stamp_t at) const noexcept {
        const std::size_t index = at & (one_lap_ - 1);
        const stamp_t lap = at & ~(one_lap_ - 1);
        return index + 1 < capacity_ ? at + 1 : lap + one_lap_;
    }

    /// Lap-aligned start: 0, or far enough below 2^64 to wrap within the requested pushes.
    stamp_t start_stamp(counters_wrap_after hook) const noexcept {
        const std::size_t laps = (hook.pushes + capacity_ - 1) / capacity_;
        return stamp_t{0} - laps * one_lap_;
    }

    std::unique_ptr<slot[]> make_slots(stamp_t start) const {
        auto slots = std::unique_ptr<slot[]>(new slot[capacity_]);
        for (std::size_t i = 0; i < capacity_; ++i) {
            slots[i].stamp.store(start + i, Orders::initial_stamp);
        }
        return slots;
    }

    // Read-only after construction.
    alignas(detail::cache_line) const std::size_t capacity_;
    const stamp_t one_lap_;
    const std::unique_ptr<slot[]> slots_;

    alignas(detail::cache_line) atomic_stamp head_;  // next position to pop; claimed by consumers' CAS
    alignas(detail::cache_line) atomic_stamp tail_;  // next position to push; claimed by producers' CAS
};

}  // namespace ringcheck
