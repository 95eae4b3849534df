// A deliberately broken ring_buffer, to prove that ringcheck catches a bug in your queue: its full
// check looks one slot too far ahead (an off-by-one), so it reports "full" one element early.
// Everything else is the ring of ring_buffer.hpp.
#pragma once

#include "article/ring_buffer.hpp"

namespace article {

template <class T, class Sync = ringcheck::std_sync>
class ring_buffer_full_one_early : public ring_buffer<T, Sync> {
public:
    using ring_buffer<T, Sync>::ring_buffer;

    bool push(T value) {
        const std::size_t head = this->head_.load(std::memory_order_relaxed);
        const std::size_t next = (head + 1) % this->slots_;
        const std::size_t after = (head + 2) % this->slots_;  // BUG: should compare `next`
        if (this->is_tail(next) || this->is_tail(after)) return false;
        this->buffer_[head].construct(ringcheck::source_site::here(), std::move(value));
        this->head_.store(next, std::memory_order_release);
        return true;
    }
};

}  // namespace article
