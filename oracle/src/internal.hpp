// Shared internals of the checkers (not installed).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "huge_pages.hpp"
#include "ringcheck/oracle/checker.hpp"
#include "ringcheck/oracle/history.hpp"
#include "ringcheck/oracle/reference_queue.hpp"

namespace ringcheck::oracle::detail {

constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t never = std::numeric_limits<std::uint64_t>::max();

inline bool is_push_ok(const operation& o) { return is_push(o.op) && o.result == result_kind::ok; }
inline bool is_pop_value(const operation& o) { return o.result == result_kind::value; }
// A push that answered full or timed out: it saw every slot taken.
inline bool needs_full(const operation& o) {
    return is_push(o.op) && (o.result == result_kind::full || o.result == result_kind::timeout);
}

// What a real queue in state `s` answers op `k` now, or nullopt while a blocking op, or a timed
// one that does not give up yet, would wait. `give_up()` is asked only when a timed op would
// wait (so a generator's random draws are made only then).
template <class GiveUp>
std::optional<result_kind> answer_now(const queue_view& s, std::size_t capacity, op_kind k, GiveUp&& give_up) {
    const bool full = s.size == capacity;
    switch (k) {
        case op_kind::close: return result_kind::ok;
        case op_kind::try_push: return s.closed ? result_kind::closed : full ? result_kind::full : result_kind::ok;
        case op_kind::push:
        case op_kind::try_push_for:
            if (s.closed) return result_kind::closed;
            if (!full) return result_kind::ok;
            break;
        case op_kind::try_pop: return s.size ? result_kind::value : result_kind::empty;
        case op_kind::pop:
        case op_kind::try_pop_for:
            if (s.size) return result_kind::value;
            if (s.closed) return result_kind::closed;
            break;
    }
    if ((k == op_kind::try_push_for || k == op_kind::try_pop_for) && give_up()) return result_kind::timeout;
    return std::nullopt;
}

// Op indices sorted by a time (invoke or response), ties by index: the searches'
// response events and the order in which ops open.
inline big_vector<std::uint32_t> ops_by(const history& h, std::uint64_t operation::*time) {
    big_vector<std::pair<std::uint64_t, std::uint32_t>> keyed(h.ops.size());  // sorting reads no op
    for (std::uint32_t i = 0; i < keyed.size(); ++i) keyed[i] = {h.ops[i].*time, i};
    std::sort(keyed.begin(), keyed.end());
    big_vector<std::uint32_t> order(h.ops.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = keyed[i].second;
    return order;
}

// Links between the push and the pop(s) of each value, and the ops in time
// order: computed once per check, read by every search.
struct value_links {
    big_vector<std::uint32_t> push_of;     // pop-value op -> its value's successful push, or none
    big_vector<std::uint32_t> pop_of;      // successful push -> first pop of its value, or none
    big_vector<std::uint32_t> failed_push; // pop-value op -> a failed push of that value, or none
    big_vector<std::uint32_t> second_pop;  // first pop -> another pop of the same value, or none
    big_vector<std::uint32_t> by_response; // ops_by(h, &operation::response): the response events
    big_vector<std::uint32_t> by_invoke;   // ops_by(h, &operation::invoke): the order ops open in
};
value_links link_values(const history& h);

// "op 12 (push 5 -> ok, thread 2, [30, 41])": op i (0-based) as a message names it.
std::string op_where(const history& h, std::uint32_t i);

// Sound violation patterns (each proves non-linearizability on its own).
std::optional<verdict> find_delivery_violation(const history& h, const value_links& l);  // invented, duplicate, early pop
std::optional<verdict> find_linearizable_pattern(const history& h, const value_links& l);
std::optional<verdict> check_relaxed(const history& h, const value_links& l, contract c);

// Exact search for a linearization (JIT tree search with memoisation);
// `stuck` is the op at the deepest point reached.
struct search_result {
    enum { linearizable, not_linearizable, gave_up } outcome;
    std::uint32_t stuck;
    // gave_up: the responses (op indices) between which the search was still
    // backtracking: the lowest choice point it had revisited, and the deepest.
    std::uint32_t window_first = none, window_last = none;
};
// The check's overall budget, shared by every search of one check().
struct search_limits {
    std::uint64_t max_steps = 0;  // frames allowed over all searches
    std::chrono::steady_clock::time_point deadline;
    std::size_t steps_used = 0;
    bool exhausted = false;     // set when a search stopped on this budget (not its own)
    bool out_of_steps = false;  // ... and it was max_steps that ran out
    // Set by another search of a parallel portfolio round whose result makes this one's moot.
    const std::atomic<bool>* cancelled = nullptr;
};
// Move orders only change speed, never the verdict (each search is exact).
enum class move_order {
    pop_midpoint,  // a push goes after open pushes whose pops' midpoints are earlier
    pop_invoke,    // ... whose pops are invoked earlier
    pop_response,  // ... whose pops respond earlier
    group_pushes,  // a push takes every open push into its group first
    slots_by_pop_invoke,    // anonymous enqueues (which value fills which slot is decided at its
    slots_by_pop_response,  // pop), expecting values dequeued in the order of their pops' invokes/responses
    slots_blaming_last_pop, // slots_by_pop_invoke, but a full read that finds room blames the last pop
                            // taken early on the path, not the first
    slots_backwards,        // slots_blaming_last_pop on the history read backwards (backward.cpp)
};
constexpr bool is_slot_order(move_order o) {
    return o == move_order::slots_by_pop_invoke || o == move_order::slots_by_pop_response ||
           o == move_order::slots_blaming_last_pop || o == move_order::slots_backwards;
}
// The search over anonymous enqueues (slot_search.cpp), `move_order::slots_*`.
search_result search_slots(const history& h, const value_links& l, move_order order, std::size_t budget,
                           std::size_t fail_budget, search_limits& limits);
class slot_linearizer;
// When a slot search tries detours (README "Detours"): after `after` states
// refuted below its deepest point; each detour searched for `fails` refuted states (0: no limit);
// at most `rounds` rounds at one deepest point (the first four reach farther back each, the
// next ones go over the same four windows with 4x, 16x, 64x the budget per detour).
// `hints`: whether a forward search stuck at one deepest point takes the dequeue order a backward
// search finds for the window it is stuck in (README "Hints from the window read backwards");
// `follow_hints`: whether it then also takes its moves in the window in the order that search's
// linearization takes the ops; `hint_reach`: the capacity up to which a hint's window grows with
// it (8 and 16 times min(C, hint_reach) events before and after the deepest point);
// `drop_hints`: whether a search still stuck there after the last round of hints drops what
// they set and searches on as without them; `other_ends`: whether, when the window read
// backwards gives no hint, it takes the order of the window's pops' other ends instead.
struct detour_tuning {
    std::size_t after = 1024, fails = 64, rounds = 16, hint_reach = 64;
    bool hints = true, follow_hints = true, drop_hints = true, other_ends = true;
};
// The same search kept between calls: run() after it gave up goes on where it
// stopped, so a portfolio round adds to its tree instead of searching it again.
class slot_search {
public:
    // `order`: one of the slot orders but slots_backwards. `backwards`: h is a history read
    // backwards (read_backwards), whose flag is set until its last close (README "Read backwards").
    slot_search(const history& h, const value_links& l, move_order order, detour_tuning tuning = {},
                bool backwards = false);
    ~slot_search();
    slot_search(const slot_search&) = delete;
    slot_search& operator=(const slot_search&) = delete;
    search_result run(std::size_t budget, std::size_t fail_budget, search_limits& limits);
    struct detour_count {
        std::size_t tried, kept;  // moves tried as detours; detours that got deeper (or found it)
    };
    detour_count detours() const;

private:
    std::unique_ptr<slot_linearizer> impl_;
};
// A history read backwards (README "Read backwards"): time reversed, each successful push
// a pop of its value and each pop of a value a push of it, the values never popped pushed
// before everything else. `mirror_of[i]`: the op of the original that op i of `h` mirrors
// (ops keep their index; an added push mirrors its value's push). Needs a history without
// delivery violations (find_delivery_violation).
struct history_read_backwards {
    history h;
    std::vector<std::uint32_t> mirror_of;
    value_links links;  // of h
};
history_read_backwards read_backwards(const history& h, const value_links& l);

// A slot search on the history read backwards, kept between calls like slot_search;
// its results name ops of the original history.
class backward_slot_search {
public:
    backward_slot_search(const history& h, const value_links& l);
    search_result run(std::size_t budget, std::size_t fail_budget, search_limits& limits);

private:
    history_read_backwards backwards_;
    slot_search search_;
};

// `budget` bounds search frames, `fail_budget` refuted states (0 = unbounded).
search_result search_linearization(const history& h, const value_links& l, std::size_t budget,
                                   std::size_t fail_budget, move_order order, search_limits& limits);

// README "Which histories give π": the queue order (push ops) every linearization takes, if the
// successful pushes by invoke, or the values by their pops' invokes (those never popped last),
// list each value forced by real time before the next (one producer; one consumer; more).
std::optional<std::vector<std::uint32_t>> queue_order_real_time_forces(const history& h, const value_links& l);
// README "Given π": whether some linearization enqueues `order`'s values (push ops) in that order,
// by the walk over places: one step per state, at most walk_state_bound() of them. not_linearizable
// names the op no state could finish; gave_up, the check's budget ran out.
search_result walk_in_queue_order(const history& h, const value_links& l, const std::vector<std::uint32_t>& order,
                                  search_limits& limits);
std::uint64_t walk_state_bound(const history& h, const value_links& l, const std::vector<std::uint32_t>& order);

// The history cut at its clean cuts (README "Pieces between clean cuts": instants at which no
// op is open, every value pushed by the ops before was popped by them and no close was invoked
// before; quiet cuts with nothing queued), consecutive pieces joined until each has `min_ops`
// ops (the last may have fewer): op indices, each piece in op order. The history holds iff
// every piece, judged alone from an empty open queue, holds.
std::vector<std::vector<std::uint32_t>> clean_pieces(const history& h, const value_links& l, std::size_t min_ops);

// A quiet cut (README "Quiet cuts"): an instant at which no op is open, before any close is
// invoked. `rank`: the ops before it (in by_invoke order). `orders`: each order (push ops,
// front first) in which the queued values that are popped later may stand there, so that
// some linearization, if any exists, has one of them; `never_popped`: the other queued
// values (pushes), which stay behind them in any order.
struct quiet_cut {
    std::size_t rank;
    std::vector<std::vector<std::uint32_t>> orders;
    std::vector<std::uint32_t> never_popped;
};
// Queues wider than this are not cut through (an order is a 64-bit set of predecessors).
constexpr std::size_t max_quiet_cut_queue = 64;
// The quiet cuts whose queue holds at most `max_queued` values (at most max_quiet_cut_queue)
// standing in at most `max_orders` orders, each at least `min_ops` ops (by invoke) after the
// one before. Needs a history without delivery violations.
std::vector<quiet_cut> quiet_cuts(const history& h, const value_links& l, std::size_t max_orders,
                                  std::size_t min_ops, std::size_t max_queued = max_quiet_cut_queue);
// `ops` (in op order, first in the result) as a history of their own, after pushes of the
// values of `entry` and before pops of the values of `exit` (push ops, in queue order),
// pinned one after another on a thread of their own; times replaced by their ranks.
history cut_segment(const history& h, const std::vector<std::uint32_t>& ops, const std::vector<std::uint32_t>& entry,
                    const std::vector<std::uint32_t>& exit);

// The ops between consecutive cuts (the last segment runs to the end), each in op order.
std::vector<std::vector<std::uint32_t>> quiet_segments(const value_links& l, const std::vector<quiet_cut>& cuts);
enum class segment_result { holds, violation, undecided };
// Judges segment `segment` (its ops first, then `entry` pinned pushes, then the pinned pops).
using segment_judge =
    std::function<segment_result(std::size_t segment, const history& part, std::size_t entry)>;
// The history holds iff for some order at each cut every segment holds, entered with the
// queue in the order at the cut before it and left in the order at the cut after it
// (README "Quiet cuts"); violation if every choice has a segment judged a violation;
// undecided as soon as a segment is.
segment_result judge_between_quiet_cuts(const history& h, const std::vector<quiet_cut>& cuts,
                                        const std::vector<std::vector<std::uint32_t>>& segments,
                                        const segment_judge& judge);

// `found`, a violation of the segment's history (cut_segment with `entry` pinned pushes), as
// one of the history: its ops renamed, a pinned push as the segment's first op by invoke and
// a pinned pop as its last.
verdict segment_violation(const history& h, const value_links& l, const std::vector<quiet_cut>& cuts,
                          const std::vector<std::vector<std::uint32_t>>& segments, std::size_t segment,
                          std::size_t entry, const verdict& found);

// check()'s portfolio of move orders, in the order a round takes them. The
// slot searches go on where their last round stopped; the value searches
// (cheaper to build, and their memo is not kept) start again.
class portfolio {
public:
    static constexpr std::size_t size = 8;
    portfolio(const history& h, const value_links& l, slot_search& last_pop) : h_(h), links_(l), last_pop_(last_pop) {}
    // Member i with the round's frame budget (a value search a quarter of it).
    search_result run(std::size_t i, std::size_t round_budget, search_limits& limits);
    // The members one after another, until one decides or the check's budget ends.
    search_result round(std::size_t round_budget, search_limits& limits);
    // The members on `jobs` threads, the same verdict as round() (and, while
    // the budget lasts, the same member naming a violation).
    search_result parallel_round(std::size_t round_budget, search_limits& limits, unsigned jobs);

private:
    slot_search& kept(std::optional<slot_search>& s, std::size_t i);
    const history& h_;
    const value_links& links_;
    slot_search& last_pop_;
    std::optional<slot_search> first_pop_, by_response_;  // built when first needed
    std::optional<backward_slot_search> backwards_;
};

}  // namespace ringcheck::oracle::detail
