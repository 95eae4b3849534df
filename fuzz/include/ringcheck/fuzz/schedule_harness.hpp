// ringcheck fuzz: schedule fuzzing. Threads run small operation programs on a ring built over
// sched_sync; the input bytes choose the programs and the interleaving; the recorded history
// (logical clock ticks around every operation) is judged by the oracle (linearizable).
//
// Input format (total: every byte string is valid; missing bytes read as 0):
//   byte 0        capacity: {1, 1, 2, 2, 3, 4}[byte % 6]
//   byte 1        thread count: min + byte % (max - min + 1)          (per ring: see the traits)
//   per thread    1 byte: program length 1 + byte % max_ops; then per operation 1 byte,
//                 `byte % N` over the operations that thread's role may run; a timed operation
//                 takes one more byte: duration {zero, short, an hour}[byte % 3]
//   the rest      schedule choices, consumed by sched_sync at each yield point
// Pushed values are unique: (thread + 1) * 1000 + index in the program.
// A blocking ring whose threads all wait legitimately (pops on an empty ring, pushes on a full
// one, not closed) is closed once by an extra "rescuer" thread id, recorded in the history; any
// other state where no thread can run is a deadlock or a lost wake-up, and aborts.
// On a violation: the oracle's timeline, the last yield points with ring source lines, and an SVG
// when the environment variable RINGCHECK_FUZZ_SVG names a file.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <vector>

#include "ringcheck/fuzz/byte_reader.hpp"
#include "ringcheck/fuzz/reference.hpp"
#include "ringcheck/fuzz/sched_sync.hpp"

namespace ringcheck::fuzz {

/// One operation of a thread's program; `wait` is the duration of a timed operation.
struct scheduled_op {
    op_kind op;
    std::chrono::nanoseconds wait{0};
};

/// Decodes the programs of `threads` threads; `ops_of(thread)` lists what that thread may run.
template <class OpsOf>
std::vector<std::vector<scheduled_op>> decode_programs(byte_reader& in, unsigned threads, unsigned max_ops,
                                                       OpsOf&& ops_of) {
    using namespace std::chrono;
    static constexpr nanoseconds waits[] = {nanoseconds(0), microseconds(5), hours(1)};
    std::vector<std::vector<scheduled_op>> programs(threads);
    for (unsigned t = 0; t < threads; ++t) {
        const unsigned length = 1 + in.below(max_ops);
        const std::vector<op_kind>& allowed = ops_of(t);
        for (unsigned i = 0; i < length; ++i) {
            scheduled_op op{allowed[in.below(static_cast<unsigned>(allowed.size()))]};
            if (op.op == op_kind::try_push_for || op.op == op_kind::try_pop_for) op.wait = in.pick(waits);
            programs[t].push_back(op);
        }
    }
    return programs;
}

/// Runs the programs on `ring` under the scheduler and returns the recorded history.
template <class Ring>
class scheduled_run {
public:
    scheduled_run(Ring& ring, std::size_t capacity, std::vector<std::vector<scheduled_op>> programs, byte_reader schedule)
        : ring_(ring), capacity_(capacity), programs_(std::move(programs)), scheduler_(schedule),
          pending_(programs_.size()), records_(programs_.size()) {}

    oracle::history run() {
        scheduler_.run(static_cast<unsigned>(programs_.size()), [this](unsigned t) { run_thread(t); },
                       [this] { return rescue(); });
        oracle::history h{capacity_, {}};
        for (const auto& r : records_) h.ops.insert(h.ops.end(), r.begin(), r.end());
        if (rescue_) h.ops.push_back(*rescue_);
        return h;
    }
    const scheduler& schedule() const { return scheduler_; }

private:
    static constexpr bool blocking = requires(Ring& r) { r.close(); };

    void run_thread(unsigned t) {
        for (std::size_t i = 0; i < programs_[t].size(); ++i) {
            const scheduled_op op = programs_[t][i];
            pending_[t] = op.op;
            oracle::operation rec{t, op.op, (t + 1) * 1000ull + i, result_kind::ok, 0, scheduler_.tick(), 0};
            execute(op, rec);
            rec.response = scheduler_.tick();
            records_[t].push_back(rec);
        }
    }

    void execute(const scheduled_op& op, oracle::operation& rec) {
        switch (op.op) {
            case op_kind::try_push: return pushed(rec, ring_.try_push(rec.arg));
            case op_kind::try_pop: return popped(rec, ring_.try_pop());
            default: break;
        }
        if constexpr (blocking) {
            switch (op.op) {
                case op_kind::push: return pushed(rec, ring_.push(rec.arg));
                case op_kind::try_push_for: return pushed(rec, ring_.try_push_for(rec.arg, op.wait));
                case op_kind::pop: return popped(rec, ring_.pop());
                case op_kind::try_pop_for: return popped(rec, ring_.try_pop_for(op.wait));
                case op_kind::close: ring_.close(); return;
                default: return;
            }
        }
    }

    void pushed(oracle::operation& rec, bool ok) { rec.result = ok ? result_kind::ok : refusal(rec.op); }
    void popped(oracle::operation& rec, std::optional<std::uint64_t> got) {
        rec.result = got ? result_kind::value : refusal(rec.op);
        rec.value = got.value_or(0);
    }

    /// What a refused operation means, from whether the ring is closed as it returns (a snapshot:
    /// nothing else runs meanwhile).
    result_kind refusal(op_kind op) {
        bool closed = false;
        if constexpr (blocking) closed = scheduler_.quietly([&] { return ring_.closed(); });
        return reference::refusal(op, closed);
    }

    /// Every thread waits. Legitimate only if pops wait on an empty ring and pushes on a full one
    /// that is still open; then the rescuer closes the ring once, which must wake them all.
    bool rescue() {
        if constexpr (blocking) {
            if (rescue_) return false;
            const std::size_t size = ring_.size();
            if (ring_.closed()) scheduler_.fail("threads still wait on a closed ring (close must wake every waiter)");
            for (unsigned t = 0; t < pending_.size(); ++t) {
                const auto st = scheduler_.state_of(t);
                if (st == scheduler::state::finished) continue;
                if (st != scheduler::state::waiting) scheduler_.fail("deadlock: a thread waits for a mutex nobody can release");
                const bool pushes = pending_[t] == op_kind::push || pending_[t] == op_kind::try_push_for;
                if (pushes ? size < capacity_ : size > 0) {
                    std::fprintf(stderr, "ringcheck fuzz: lost wake-up: thread %u waits in %s while the ring holds %zu of %zu\n",
                                 t, op_name(pending_[t]), size, capacity_);
                    scheduler_.fail("a thread waits although its operation could complete");
                }
            }
            const auto rescuer = static_cast<std::uint32_t>(pending_.size());
            rescue_ = oracle::operation{rescuer, op_kind::close, 0, result_kind::ok, 0, scheduler_.tick(), 0};
            ring_.close();
            rescue_->response = scheduler_.tick();
            return true;
        } else {
            return false;
        }
    }

    Ring& ring_;
    std::size_t capacity_;
    std::vector<std::vector<scheduled_op>> programs_;
    scheduler scheduler_;
    std::vector<op_kind> pending_;
    std::vector<std::vector<oracle::operation>> records_;
    std::optional<oracle::operation> rescue_;
};

/// Judges the history; on a violation prints the counterexample and aborts.
template <class Ring>
void judge(const oracle::history& h, const scheduled_run<Ring>& run) {
    if (const auto bad = oracle::validate(h)) {
        std::fprintf(stderr, "ringcheck fuzz: harness bug: invalid history (op %zu): %s\n", bad->line, bad->message.c_str());
        std::abort();
    }
    const oracle::verdict v = oracle::check(h, oracle::contract::linearizable);
    if (v.holds()) return;
    if (v.undecided()) {  // neither pass nor bug; the harness's histories are tiny, so this should never happen
        std::fprintf(stderr, "ringcheck fuzz: oracle UNDECIDED (not a bug in the ring; the search budget ran out): %s\n",
                     v.rule.c_str());
        oracle::write_history(std::cerr, h);
        std::abort();
    }
    std::fprintf(stderr, "ringcheck fuzz: schedule produced a non-linearizable history: %s\n", v.rule.c_str());
    oracle::print_timeline(std::cerr, h, v);
    std::cerr << "history (ringcheck-history format):\n";
    oracle::write_history(std::cerr, h);
    run.schedule().print_trace(stderr, 80);
    if (const char* svg = std::getenv("RINGCHECK_FUZZ_SVG")) {
        std::ofstream out(svg);
        oracle::write_svg(out, h, v);
        std::fprintf(stderr, "timeline picture written to %s\n", svg);
    }
    std::abort();
}

/// Per-ring choices: how many threads, how long their programs, which operations each may run.
struct schedule_traits {
    unsigned min_threads, max_threads, max_ops;
    std::vector<op_kind> (*ops_of)(unsigned thread);
};

/// The body of a schedule harness for `Ring` (a ring over sched_sync and std::uint64_t).
template <class Ring>
int run_schedule(const std::uint8_t* data, std::size_t size, const schedule_traits& traits) {
    static constexpr std::size_t capacities[] = {1, 1, 2, 2, 3, 4};
    byte_reader in(data, size);
    const std::size_t capacity = in.pick(capacities);
    const unsigned threads = traits.min_threads + in.below(traits.max_threads - traits.min_threads + 1);
    auto programs = decode_programs(in, threads, traits.max_ops, [&](unsigned t) { return traits.ops_of(t); });
    Ring ring(capacity);
    // What "full" means is what the ring says it holds (a user's queue may hold more than asked).
    scheduled_run<Ring> run(ring, ring.capacity(), std::move(programs), in);
    judge(run.run(), run);
    return 0;
}

}  // namespace ringcheck::fuzz
