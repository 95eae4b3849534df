// Executable sequential specification of the bounded FIFO queue with a
// closed flag: the single definition of "correct" for every checker.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include "ringcheck/oracle/history.hpp"

namespace ringcheck::oracle {

// What the specification needs to know about a queue state.
struct queue_view {
    std::size_t size = 0;
    bool closed = false;
    std::optional<std::uint64_t> front;  // oldest value, when size > 0
};

// Is `o.result` a legal answer of operation `o` taking effect atomically in
// state `q` of a queue with `capacity` slots?
//   push kinds   ok: open and size < C    full/timeout: size == C    closed: closed
//   pop kinds    v: front == v            empty/timeout: size == 0   closed: closed and size == 0
//   close        ok: always
// Blocking push/pop have no full/empty answer: they take effect only at a
// point where one of their legal results holds.
constexpr bool result_legal(const queue_view& q, std::size_t capacity, const operation& o) noexcept {
    switch (o.result) {
        case result_kind::ok:
            return o.op == op_kind::close || (is_push(o.op) && !q.closed && q.size < capacity);
        case result_kind::full: return o.op == op_kind::try_push && q.size == capacity;
        case result_kind::timeout:
            if (o.op == op_kind::try_push_for) return q.size == capacity;
            return o.op == op_kind::try_pop_for && q.size == 0;
        case result_kind::closed:
            if (is_push(o.op)) return q.closed;
            return is_pop(o.op) && q.closed && q.size == 0;
        case result_kind::value: return is_pop(o.op) && q.front && *q.front == o.value;
        case result_kind::empty: return o.op == op_kind::try_pop && q.size == 0;
    }
    return false;
}

// Does a legal `o` change the state? (successful push, successful pop, first close)
constexpr bool changes_state(const queue_view& q, const operation& o) noexcept {
    if (o.result == result_kind::value) return true;
    if (o.op == op_kind::close) return !q.closed;
    return is_push(o.op) && o.result == result_kind::ok;
}

struct queue_state {
    std::deque<std::uint64_t> items;
    bool closed = false;

    queue_view view() const {
        queue_view v{items.size(), closed, std::nullopt};
        if (!items.empty()) v.front = items.front();
        return v;
    }
    friend bool operator==(const queue_state&, const queue_state&) = default;
};

// Given a state, an operation and its observed result: the next state when the
// result is legal, std::nullopt when it is not.
inline std::optional<queue_state> step(const queue_state& s, std::size_t capacity, const operation& o) {
    if (!result_legal(s.view(), capacity, o)) return std::nullopt;
    queue_state next = s;
    if (o.result == result_kind::value) next.items.pop_front();
    else if (o.op == op_kind::close) next.closed = true;
    else if (is_push(o.op) && o.result == result_kind::ok) next.items.push_back(o.arg);
    return next;
}

// Convenience object: a queue that accepts operations with observed results.
class reference_queue {
public:
    explicit reference_queue(std::size_t capacity) : capacity_(capacity) {}

    // Applies `o` if its result is legal now; returns whether it was.
    bool apply(const operation& o) {
        auto next = step(state_, capacity_, o);
        if (!next) return false;
        state_ = std::move(*next);
        return true;
    }
    bool legal(const operation& o) const { return result_legal(state_.view(), capacity_, o); }
    const queue_state& state() const noexcept { return state_; }
    std::size_t capacity() const noexcept { return capacity_; }

private:
    std::size_t capacity_;
    queue_state state_;
};

}  // namespace ringcheck::oracle
