// ringcheck: spsc_ring, a bounded lock-free queue for exactly one producer and one consumer.
//
// Design (rigtorp's SPSCQueue, after Lamport): two indices into capacity + free_gap slots; at least
// free_gap slots between tail and head stay unused, so "full" and "empty" differ without a counter
// and, when the ring is full, the slot the producer fills is never on the line the consumer empties.
// Each side caches the other side's index and re-reads the shared one only when its cache says
// full (producer) or empty (consumer), so the common case touches no cache line the other side writes.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <utility>

#include "ringcheck/detail/cache_line.hpp"
#include "ringcheck/detail/ring_common.hpp"
#include "ringcheck/std_sync.hpp"

namespace ringcheck {

/// Memory order of every atomic site of spsc_ring, each with the access it pairs with.
struct spsc_orders {
    static constexpr std::memory_order producer_own_tail = std::memory_order_relaxed;  // own index: only the producer writes tail
    static constexpr std::memory_order consumer_own_head = std::memory_order_relaxed;  // own index: only the consumer writes head
    static constexpr std::memory_order publish_slot = std::memory_order_release;  // makes the element visible; pairs with refresh_tail's acquire
    static constexpr std::memory_order refresh_tail = std::memory_order_acquire;  // sees the element published; pairs with publish_slot
    static constexpr std::memory_order free_slot = std::memory_order_release;  // the element was moved out before the slot is reused; pairs with refresh_head
    static constexpr std::memory_order refresh_head = std::memory_order_acquire;  // the consumer is done with the slot; pairs with free_slot
    static constexpr std::memory_order confirm_fence = std::memory_order_seq_cst;  // only before answering full or empty: orders our last index store before re-reading the other side's index, pairing with its confirm_fence, so a "full" and an "empty" cannot both rest on stale indices (store buffering would break linearizability)
    static constexpr std::memory_order observe_index = std::memory_order_relaxed;  // size()/empty(): a snapshot that transfers no element
};

template <class T, class Sync = std_sync, class Orders = spsc_orders>
class spsc_ring {
    static_assert(detail::lock_free_element<T>,
                  "spsc_ring<T>: T must be nothrow move constructible and nothrow destructible");
    using index = std::size_t;

public:
    explicit spsc_ring(std::size_t capacity) : spsc_ring(capacity, counters_wrap_after{0}) {}

    /// Test hook: both indices wrap back to 0 after `hook.pushes` pushes.
    spsc_ring(std::size_t capacity, counters_wrap_after hook)
        : slot_count_(detail::checked_capacity("spsc_ring", capacity, max_capacity()) + free_gap),
          slots_(std::make_unique<cell[]>(slot_count_)),
          tail_(start_index(hook)),
          head_cache_(start_index(hook)),
          head_(start_index(hook)),
          tail_cache_(start_index(hook)) {
        static_assert(alignof(spsc_ring) == detail::cache_line,
                      "the producer's and consumer's fields must start on their own cache lines");
    }

    ~spsc_ring() {
        while (try_pop()) {
        }
    }

    spsc_ring(const spsc_ring&) = delete;
    spsc_ring& operator=(const spsc_ring&) = delete;

    static constexpr std::size_t max_capacity() noexcept { return detail::max_ring_capacity; }

    /// Producer only.
    bool try_push(const T& v) { return try_emplace(v); }
    /// Producer only. On false, `v` is left as it was.
    bool try_push(T&& v) { return try_emplace(std::move(v)); }

    /// Producer only. If constructing T throws, the ring is unchanged.
    template <class... A>
    bool try_emplace(A&&... args) {
        const index tail = tail_.load(Orders::producer_own_tail);
        const index full_head = wrap(tail + free_gap);  // head is here exactly when capacity() items are queued
        if (full_head == head_cache_) {
            head_cache_ = head_.load(Orders::refresh_head);
            if (full_head == head_cache_) {  // looks full: re-read after confirm_fence before saying so
                Sync::fence(Orders::confirm_fence);
                head_cache_ = head_.load(Orders::refresh_head);
                if (full_head == head_cache_) return false;
            }
        }
        slots_[tail].construct(source_site::here(), std::forward<A>(args)...);
        tail_.store(advance(tail), Orders::publish_slot);
        return true;
    }

    /// Producer only. Waits by spinning while the ring is full, then pushes: it never answers
    /// full and never sleeps, so it suits a producer with a core to itself.
    void spin_push(const T& v) { spin_emplace(v); }
    void spin_push(T&& v) { spin_emplace(std::move(v)); }

    /// Producer only. If constructing T throws, the ring is unchanged.
    template <class... A>
    void spin_emplace(A&&... args) {
        const index tail = tail_.load(Orders::producer_own_tail);
        const index full_head = wrap(tail + free_gap);
        for (unsigned attempt = 0; full_head == head_cache_; ++attempt) {
            head_cache_ = head_.load(Orders::refresh_head);  // never answers full: no confirm_fence
            if (full_head == head_cache_) Sync::spin_wait(detail::waiting_round(attempt));
        }
        slots_[tail].construct(source_site::here(), std::forward<A>(args)...);
        tail_.store(advance(tail), Orders::publish_slot);
    }

    /// Consumer only. Waits by spinning while the ring is empty, then pops: it never answers
    /// empty and never sleeps, so it suits a consumer with a core to itself.
    T spin_pop() {
        const index head = head_.load(Orders::consumer_own_head);
        for (unsigned attempt = 0; head == tail_cache_; ++attempt) {
            tail_cache_ = tail_.load(Orders::refresh_tail);  // never answers empty: no confirm_fence
            if (head == tail_cache_) Sync::spin_wait(detail::waiting_round(attempt));
        }
        T out = *slots_[head].take();
        head_.store(advance(head), Orders::free_slot);
        return out;
    }

    /// Consumer only.
    std::optional<T> try_pop() {
        const index head = head_.load(Orders::consumer_own_head);
        if (head == tail_cache_) {
            tail_cache_ = tail_.load(Orders::refresh_tail);
            if (head == tail_cache_) {  // looks empty: re-read after confirm_fence before saying so
                Sync::fence(Orders::confirm_fence);
                tail_cache_ = tail_.load(Orders::refresh_tail);
                if (head == tail_cache_) return std::nullopt;
            }
        }
        std::optional<T> out = slots_[head].take();
        head_.store(advance(head), Orders::free_slot);
        return out;
    }

    std::size_t capacity() const noexcept { return slot_count_ - free_gap; }

    /// Exact when no push or pop is in flight; otherwise a value the queue held recently.
    std::size_t size() const noexcept {
        const index head = head_.load(Orders::observe_index);
        const index tail = tail_.load(Orders::observe_index);
        return tail >= head ? tail - head : tail + slot_count_ - head;
    }
    bool empty() const noexcept { return size() == 0; }

private:
    using cell = typename Sync::template cell<T>;
    using atomic_index = typename Sync::template atomic<index>;

    // Slots kept free: enough that a cell and the one free_gap after it never share a cache line
    // (free_gap * sizeof(cell) >= cache_line + sizeof(cell)), so a full ring does not bounce the
    // consumer's current slot line to the producer on every push. One slot is the least (Lamport).
    static constexpr std::size_t free_gap = (detail::cache_line + sizeof(cell) - 1) / sizeof(cell) + 1;

    index advance(index i) const noexcept { return i + 1 == slot_count_ ? 0 : i + 1; }
    index wrap(index i) const noexcept { return i >= slot_count_ ? i - slot_count_ : i; }  // i < 2 * slot_count_
    index start_index(counters_wrap_after hook) const noexcept {
        return (slot_count_ - hook.pushes % slot_count_) % slot_count_;
    }

    // Read-only after construction: shared by both sides without contention.
    alignas(detail::cache_line) const index slot_count_;  // capacity + free_gap
    const std::unique_ptr<cell[]> slots_;

    // Producer's line: the consumer only reads tail_ (when its cache runs dry).
    alignas(detail::cache_line) atomic_index tail_;  // next slot to fill; written by the producer only
    index head_cache_;                               // producer only: last head seen

    // Consumer's line: the producer only reads head_ (when its cache says full).
    alignas(detail::cache_line) atomic_index head_;  // next slot to empty; written by the consumer only
    index tail_cache_;                               // consumer only: last tail seen
};

}  // namespace ringcheck
