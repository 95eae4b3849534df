// ringcheck: the history of one Relacy iteration, judged by the oracle.
//
// Relacy runs a model's threads as fibers on one OS thread and switches only at its own
// operations, so plain variables here are invisible to it (not shared state it checks) and need no
// synchronization. Logical time is one step counter for all threads, advanced at every invoke and
// every response: an operation's interval then contains exactly the ring's own steps.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "ringcheck/models/relacy_include.hpp"
#include "ringcheck/oracle/checker.hpp"
#include "ringcheck/oracle/counterexample.hpp"
#include "ringcheck/oracle/history.hpp"

namespace ringcheck::models {

namespace oracle = ringcheck::oracle;

/// The oracle's verdict on the last failing iteration, printed by the runner after Relacy's
/// history. A fixed buffer, not a std::string: memory allocated inside an iteration belongs to
/// Relacy's allocator and must be freed before the iteration ends (or Relacy reports a leak).
/// While alive, Relacy's global operator new and delete fall through to malloc and free.
/// Relacy otherwise serves a simulated thread's allocations itself and turns every free into a
/// scheduling choice (deferred reuse), which would multiply the search by the bookkeeping of the
/// model. Everything the model allocates (ring, history, oracle) is allocated and freed under it.
class plain_heap {
public:
    plain_heap() noexcept { ++alloc_disabled(); }
    ~plain_heap() { --alloc_disabled(); }
    plain_heap(const plain_heap&) = delete;
    plain_heap& operator=(const plain_heap&) = delete;

private:
    struct access : rl::context {
        static int& flag(rl::context& c) noexcept { return c.*(&access::disable_alloc_); }
    };
    static int& alloc_disabled() noexcept { return access::flag(rl::ctx()); }
};

class counterexample_buffer {
public:
    void clear() noexcept { length_ = 0; }
    void assign(std::string_view text) noexcept {
        length_ = std::min(text.size(), sizeof text_);
        std::copy_n(text.data(), length_, text_);
    }
    std::string_view view() const noexcept { return {text_, length_}; }

private:
    char text_[1 << 16] = {};
    std::size_t length_ = 0;
};

inline counterexample_buffer& last_counterexample() noexcept {
    static counterexample_buffer buffer;
    return buffer;
}

/// Relacy's happens-before clock of the running simulated thread.
inline rl::thread_info_base& current_thread() { return *rl::ctx().threadx_; }

class op_log {
public:
    static constexpr std::size_t max_threads = 8;

    explicit op_log(std::size_t capacity) { capacity_ = capacity; }

    /// Starts an operation; returns its handle for finish().
    std::size_t invoke(std::uint32_t thread, oracle::op_kind op, std::uint64_t arg = 0) {
        entry e;
        e.op.thread = thread;
        e.op.op = op;
        e.op.arg = arg;
        e.op.invoke = ++clock_;
        e.setup = !threads_started_;
        const rl::thread_info_base& self = current_thread();
        e.relacy_thread = self.index_;
        for (std::size_t t = 0; t < max_threads; ++t) e.seen[t] = t < thread_count() ? self.acq_rel_order_[t] : 0;
        const plain_heap heap;
        entries_.push_back(e);
        return entries_.size() - 1;
    }

    void finish(std::size_t handle, oracle::result_kind result, std::uint64_t value = 0) {
        entry& e = entries_[handle];
        e.op.result = result;
        e.op.value = value;
        e.op.response = ++clock_;
        e.done_at = current_thread().own_acq_rel_order_;
    }

    /// Ops recorded from now on run in the model's threads (before: in before(), which
    /// happens-before every thread).
    void threads_started() { threads_started_ = true; }

    /// True when the history is linearizable; otherwise keeps the counterexample for the runner.
    bool judge() const {
        const oracle::history h = happens_before_history();
        const oracle::verdict v = oracle::check(h, oracle::contract::linearizable);
        if (v.holds()) return true;
        if (v.undecided()) {  // neither pass nor bug: stop the model run with its own message
            std::fprintf(stderr, "ringcheck models: oracle UNDECIDED (not a verdict on the ring): %s\n",
                         v.rule.c_str());
            oracle::write_history(std::cerr, h);
            std::abort();  // histories here are a few dozen ops: the budget never runs out in practice
        }
        std::ostringstream text;
        text << "oracle: not linearizable (" << v.rule << ")\n";
        oracle::print_timeline(text, h, v);
        text << "history (thread = model thread * 1000 + its op number):\n";
        oracle::write_history(text, h);
        last_counterexample().assign(text.str());
        return false;
    }

private:
    struct entry {
        oracle::operation op;
        bool setup = false;
        rl::thread_id_t relacy_thread = 0;
        rl::timestamp_t seen[max_threads] = {};  // Relacy's vector clock at invoke
        rl::timestamp_t done_at = 0;             // the thread's own clock at response
    };

    static std::size_t thread_count() { return rl::ctx().get_thread_count(); }

    bool happens_before(const entry& a, const entry& c) const {
        if (a.setup) return true;
        if (a.relacy_thread == c.relacy_thread) return a.op.response < c.op.invoke;
        return c.seen[a.relacy_thread] >= a.done_at;
    }

    /// Relacy's step order is not real time under a weak memory model: a load may return a value
    /// older than a store that ran earlier in the interleaving, unless happens-before forbids it.
    /// So an operation A counts as finished before C only when A's response happens-before C's
    /// invocation: A's response is moved to the latest invocation that A does not happen-before,
    /// and every op gets its own thread id (a thread's ops may then overlap, which weakens only the
    /// program-order constraint between them).
    oracle::history happens_before_history() const {
        oracle::history h;
        h.capacity = capacity_;
        std::map<std::uint32_t, std::uint32_t> numbered;
        for (const entry& a : entries_) {
            oracle::operation o = a.op;
            for (const entry& c : entries_) {
                if (c.op.invoke > o.response && !happens_before(a, c)) o.response = c.op.invoke;
            }
            o.thread = a.op.thread * 1000 + numbered[a.op.thread]++;
            h.ops.push_back(o);
        }
        return h;
    }

    std::size_t capacity_ = 1;
    std::vector<entry> entries_;
    std::uint64_t clock_ = 0;
    bool threads_started_ = false;
};

}  // namespace ringcheck::models
