// bench: seed_spsc, the plain SPSC ring of the article this project starts from, as the floor.
//
// A C++ rendering of the article's Rust RingBuffer: modulo indexing, both indices re-read on
// every operation (no cached copies), no padding (both indices and the buffer pointer share one
// cache line), each slot an optional that pop takes from. One slot stays unused to tell full
// from empty, so the ring gets capacity + 1 slots and holds `capacity` elements, like ours.
// Benchmark code only: it shows what cached indices and padding buy, it is not a ring to use.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <utility>

namespace ringbench {

template <class T>
class seed_spsc {
public:
    explicit seed_spsc(std::size_t capacity)
        : slot_count_(capacity + 1), buffer_(std::make_unique<std::optional<T>[]>(slot_count_)) {}

    /// Producer only. The article's head is the producer's index.
    bool try_push(T value) {
        const std::size_t head = head_.load(std::memory_order_relaxed);
        const std::size_t next = (head + 1) % slot_count_;
        if (next == tail_.load(std::memory_order_acquire)) return false;  // full
        buffer_[head] = std::move(value);
        head_.store(next, std::memory_order_release);
        return true;
    }

    /// Consumer only. The article's tail is the consumer's index.
    std::optional<T> try_pop() {
        const std::size_t tail = tail_.load(std::memory_order_relaxed);
        if (tail == head_.load(std::memory_order_acquire)) return std::nullopt;  // empty
        std::optional<T> value = std::exchange(buffer_[tail], std::nullopt);    // Option::take
        tail_.store((tail + 1) % slot_count_, std::memory_order_release);
        return value;
    }

private:
    const std::size_t slot_count_;
    const std::unique_ptr<std::optional<T>[]> buffer_;
    std::atomic<std::size_t> head_{0};
    std::atomic<std::size_t> tail_{0};
};

}  // namespace ringbench
