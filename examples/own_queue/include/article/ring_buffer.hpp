// The seed article's Rust RingBuffer<T>, ported to C++: a single-producer single-consumer ring with
// modulo indices, one slot kept empty to tell full from empty (n slots hold n - 1 elements), and
// optional slots (Rust's Option<T>: a slot holds an element or nothing). This is "your queue":
// ringcheck knows nothing of it but its adapter.
//
// One change to the straight port, found by ringcheck's Relacy models: with acquire/release alone, a
// push can answer "full" on a stale tail while a pop answers "empty" on a stale head (store
// buffering), a pair of answers no order of the operations explains (not linearizable). So before
// answering full or empty each side re-reads the other's index after a seq_cst fence, which pairs
// with the other side's fence (as ringcheck's spsc_ring does).
//
// Its shared state goes through a sync backend, as ringcheck's rings do: Sync::atomic for the two
// indices and Sync::cell for a slot (construct = Some(value), take = Option::take). With the default,
// ringcheck::std_sync, that is std::atomic and plain storage; ringcheck swaps in Relacy's backend for
// its models and a deterministic scheduler for its schedule fuzzer, over this same source.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

#include "ringcheck/std_sync.hpp"

namespace article {

template <class T, class Sync = ringcheck::std_sync>
class ring_buffer {
public:
    /// `slots` slots, of which one always stays empty: at most slots - 1 elements.
    explicit ring_buffer(std::size_t slots) : buffer_(make_slots(slots)), slots_(slots) {}

    ~ring_buffer() {
        while (pop()) {
        }
    }

    ring_buffer(const ring_buffer&) = delete;
    ring_buffer& operator=(const ring_buffer&) = delete;

    std::size_t slots() const noexcept { return slots_; }

    /// Producer only. False when full (the value is not taken).
    bool push(T value) {
        const std::size_t head = head_.load(std::memory_order_relaxed);  // own index: only the producer writes it
        const std::size_t next = (head + 1) % slots_;
        if (is_tail(next)) return false;
        buffer_[head].construct(ringcheck::source_site::here(), std::move(value));  // Some(value)
        head_.store(next, std::memory_order_release);  // publishes the slot; pairs with pop's acquire load of head_
        return true;
    }

    /// Consumer only. Empty when there is nothing to take.
    std::optional<T> pop() {
        const std::size_t tail = tail_.load(std::memory_order_relaxed);  // own index: only the consumer writes it
        if (is_head(tail)) return std::nullopt;
        std::optional<T> value = buffer_[tail].take();  // Option::take
        tail_.store((tail + 1) % slots_, std::memory_order_release);  // frees the slot; pairs with push's acquire
        return value;
    }

protected:
    using slot = typename Sync::template cell<T>;

    /// Producer only: whether the consumer's next slot is `slot` (then the ring is full up to it).
    /// acquire: pairs with pop's release store of tail_, so the slot the consumer emptied is ours.
    bool is_tail(std::size_t slot) {
        if (slot != tail_.load(std::memory_order_acquire)) return false;
        // seq_cst: orders our last head_ store before the re-read; pairs with is_head's fence.
        Sync::fence(std::memory_order_seq_cst);
        return slot == tail_.load(std::memory_order_acquire);
    }

    /// Consumer only: whether the producer's next slot is `slot` (then the ring is empty from it).
    /// acquire: pairs with push's release store of head_, so the element written there is visible.
    bool is_head(std::size_t slot) {
        if (slot != head_.load(std::memory_order_acquire)) return false;
        // seq_cst: orders our last tail_ store before the re-read; pairs with is_tail's fence.
        Sync::fence(std::memory_order_seq_cst);
        return slot == head_.load(std::memory_order_acquire);
    }

    static std::unique_ptr<slot[]> make_slots(std::size_t slots) {
        if (slots < 2) throw std::invalid_argument("ring_buffer: needs at least 2 slots (one stays empty)");
        return std::make_unique<slot[]>(slots);
    }

    std::unique_ptr<slot[]> buffer_;
    std::size_t slots_;
    typename Sync::template atomic<std::size_t> head_{0};  // next slot to fill: written by the producer only
    typename Sync::template atomic<std::size_t> tail_{0};  // next slot to empty: written by the consumer only
};

}  // namespace article
