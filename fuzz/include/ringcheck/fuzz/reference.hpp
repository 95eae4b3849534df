// ringcheck fuzz: the one place where the fuzzers meet the oracle (reference queue, history, check),
// plus printable names for its operations and results.
#pragma once

#include <cstdint>

#include <cstdlib>
#include <deque>
#include <optional>
#include <span>

#include "ringcheck/oracle/checker.hpp"
#include "ringcheck/oracle/counterexample.hpp"
#include "ringcheck/oracle/history.hpp"
#include "ringcheck/oracle/reference_queue.hpp"

namespace ringcheck::fuzz {

using oracle::op_kind;
using oracle::result_kind;

inline const char* op_name(op_kind op) {
    switch (op) {
        case op_kind::try_push: return "try_push";
        case op_kind::push: return "push";
        case op_kind::try_push_for: return "try_push_for";
        case op_kind::try_pop: return "try_pop";
        case op_kind::pop: return "pop";
        case op_kind::try_pop_for: return "try_pop_for";
        case op_kind::close: return "close";
    }
    return "?";
}

inline const char* result_name(result_kind r) {
    switch (r) {
        case result_kind::ok: return "ok";
        case result_kind::full: return "full";
        case result_kind::closed: return "closed";
        case result_kind::timeout: return "timeout";
        case result_kind::value: return "value";
        case result_kind::empty: return "empty";
    }
    return "?";
}

/// The sequential specification: the answer the oracle's rule (oracle::result_legal) allows for
/// each operation in the current state. A push is accepted when `ok` is legal, a pop when a value
/// is; otherwise the first legal refusal is the answer. The state is kept here and changed by the
/// oracle's own rule (oracle::changes_state), in place: reference_queue::apply copies its whole
/// state per operation, too slow for fuzzing large capacities.
class reference {
public:
    struct outcome {
        result_kind result;
        std::uint64_t value;
        bool accepted() const noexcept { return result == result_kind::ok || result == result_kind::value; }
    };

    explicit reference(std::size_t capacity) : capacity_(capacity) {}

    outcome apply(op_kind op, std::uint64_t arg = 0) {
        const oracle::queue_view now = view();
        oracle::operation o{};
        o.op = op;
        o.arg = arg;
        if (oracle::is_pop(op) && now.front) {
            o.result = result_kind::value;
            o.value = *now.front;
        } else {
            for (const result_kind r : candidates(op)) {
                o.result = r;
                if (oracle::result_allowed(op, r) && oracle::result_legal(now, capacity_, o)) break;
            }
        }
        if (!oracle::result_legal(now, capacity_, o)) std::abort();  // unreachable: some answer is always legal
        if (oracle::changes_state(now, o)) change(o);
        return {o.result, o.value};
    }

    /// True when a blocking push or pop would wait forever in a sequential run.
    bool would_block(op_kind op) const {
        if (closed_) return false;
        return oracle::is_push(op) ? items_.size() == capacity_ : items_.empty();
    }
    std::size_t size() const { return items_.size(); }
    bool closed() const { return closed_; }

    /// The result to record for a ring's refusal (false or nullopt) of `op`, given whether the
    /// ring is closed as the operation returns. It must be legal at the moment the ring decided:
    /// - a refused pop saw an empty ring then, so empty/timeout is legal there, closed or not
    ///   (but "closed" is not: an element may have arrived since, so closed+empty may never hold);
    /// - a refused push saw a full or a closed ring: if it is closed at the response, "closed" is
    ///   legal then (closed is permanent); if not, it was open when it decided, hence full.
    /// Blocking push and pop refuse only once closed (and, for pop, drained).
    static result_kind refusal(op_kind op, bool closed_at_response) {
        switch (op) {
            case op_kind::try_push: return closed_at_response ? result_kind::closed : result_kind::full;
            case op_kind::try_push_for: return closed_at_response ? result_kind::closed : result_kind::timeout;
            case op_kind::try_pop: return result_kind::empty;
            case op_kind::try_pop_for: return result_kind::timeout;
            default: return result_kind::closed;
        }
    }

private:
    static std::span<const result_kind> candidates(op_kind op) {
        static constexpr result_kind close[] = {result_kind::ok};
        static constexpr result_kind push[] = {result_kind::ok, result_kind::full, result_kind::timeout, result_kind::closed};
        static constexpr result_kind pop[] = {result_kind::empty, result_kind::timeout, result_kind::closed};
        if (op == op_kind::close) return close;
        return oracle::is_push(op) ? std::span<const result_kind>(push) : std::span<const result_kind>(pop);
    }

    oracle::queue_view view() const {
        oracle::queue_view v{items_.size(), closed_, std::nullopt};
        if (!items_.empty()) v.front = items_.front();
        return v;
    }
    void change(const oracle::operation& o) {
        if (o.result == result_kind::value) items_.pop_front();
        else if (o.op == op_kind::close) closed_ = true;
        else items_.push_back(o.arg);
    }

    std::size_t capacity_;
    std::deque<std::uint64_t> items_;
    bool closed_ = false;
};

}  // namespace ringcheck::fuzz
