// The seed article's Rust RingBuffer<T>, ported to C++: a single-producer single-consumer ring with
// modulo indices, one slot kept empty to tell full from empty (n slots hold n - 1 elements), and
// optional slots (Rust's Option<T>). This is "your queue": ringcheck knows nothing of it but its adapter.
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace article {

template <class T>
class ring_buffer {
public:
    /// `slots` slots, of which one always stays empty: at most slots - 1 elements.
    explicit ring_buffer(std::size_t slots) : buffer_(slots), slots_(slots) {
        if (slots < 2) throw std::invalid_argument("ring_buffer: needs at least 2 slots (one stays empty)");
    }

    std::size_t slots() const noexcept { return slots_; }

    /// Producer only. False when full (the value is not taken).
    bool push(T value) {
        const std::size_t head = head_.load(std::memory_order_relaxed);  // own index: only the producer writes it
        const std::size_t next = (head + 1) % slots_;
        // acquire: pairs with pop's release store of tail_, so the slot the consumer emptied is ours.
        if (next == tail_.load(std::memory_order_acquire)) return false;
        buffer_[head] = std::move(value);
        head_.store(next, std::memory_order_release);  // publishes the slot; pairs with pop's acquire load of head_
        return true;
    }

    /// Consumer only. Empty when there is nothing to take.
    std::optional<T> pop() {
        const std::size_t tail = tail_.load(std::memory_order_relaxed);  // own index: only the consumer writes it
        // acquire: pairs with push's release store of head_, so the element written there is visible.
        if (tail == head_.load(std::memory_order_acquire)) return std::nullopt;
        std::optional<T> value = std::exchange(buffer_[tail], std::nullopt);  // Option::take
        tail_.store((tail + 1) % slots_, std::memory_order_release);  // frees the slot; pairs with push's acquire
        return value;
    }

protected:
    std::vector<std::optional<T>> buffer_;
    std::size_t slots_;
    std::atomic<std::size_t> head_{0};  // next slot to fill: written by the producer only
    std::atomic<std::size_t> tail_{0};  // next slot to empty: written by the consumer only
};

}  // namespace article
