#include "ringcheck/oracle/checker.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <exception>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "internal.hpp"

namespace ringcheck::oracle {

std::optional<contract> parse_contract(std::string_view name) noexcept {
    if (name == "linearizable") return contract::linearizable;
    if (name == "per-producer-fifo") return contract::per_producer_fifo;
    if (name == "bag") return contract::bag;
    return std::nullopt;
}

std::string_view to_string(contract c) noexcept {
    switch (c) {
        case contract::linearizable: return "linearizable";
        case contract::per_producer_fifo: return "per-producer-fifo";
        case contract::bag: return "bag";
    }
    return "?";
}

std::string_view to_string(status s) noexcept {
    switch (s) {
        case status::holds: return "holds";
        case status::violation: return "violation";
        case status::undecided: return "undecided";
    }
    return "?";
}

namespace {

verdict no_linearization(const history& h, std::uint32_t stuck) {
    const auto& o = h.ops[stuck];
    std::string rule = "no linearization exists: " + describe(o) + " (thread " + std::to_string(o.thread) + ", [" +
                       std::to_string(o.invoke) + ", " + std::to_string(o.response) +
                       "]) cannot take effect at any point of its interval consistent with the other results";
    return verdict{status::violation, rule, {stuck}, rule_kind::no_linearization};
}

std::string seconds_text(double s) {
    std::ostringstream out;
    out << s;
    return out.str();
}

verdict undecided(const history& h, const detail::search_result& r, const detail::search_limits& limits,
                  double seconds) {
    verdict v;
    v.result = status::undecided;
    v.kind = rule_kind::none;
    v.steps = limits.steps_used;
    std::uint32_t first = r.window_first == detail::none ? r.stuck : r.window_first;
    std::uint32_t last = r.window_last == detail::none ? r.stuck : r.window_last;
    if (h.ops[first].response > h.ops[last].response) std::swap(first, last);
    v.window_first = first, v.window_last = last;
    v.window_begin = h.ops[first].response, v.window_end = h.ops[last].response;
    v.witness = {first, last};
    std::string why = limits.out_of_steps
                          ? "the step budget (" + std::to_string(limits.max_steps) + " search steps) ran out"
                          : "the time budget (" + seconds_text(seconds) + " s) ran out";
    v.rule = why + " before the search decided the operations responding in [" + std::to_string(v.window_begin) +
             ", " + std::to_string(v.window_end) + "], from " + detail::op_where(h, first) + " to " +
             detail::op_where(h, last) + " (op numbers = line order of the history)";
    return v;
}

}  // namespace

namespace detail {

std::string op_where(const history& h, std::uint32_t i) {
    const auto& o = h.ops[i];
    return "op " + std::to_string(i + 1) + " (" + describe(o) + ", thread " + std::to_string(o.thread) + ", [" +
           std::to_string(o.invoke) + ", " + std::to_string(o.response) + "])";
}

namespace {

constexpr move_order portfolio_orders[portfolio::size] = {
    move_order::slots_backwards,  move_order::slots_by_pop_response, move_order::slots_blaming_last_pop,
    move_order::slots_by_pop_invoke, move_order::pop_response,       move_order::pop_invoke,
    move_order::group_pushes,     move_order::pop_midpoint};

// A value search starts again each round, so it gets a quarter; so does the
// backward search, which decides in about one frame per op where it decides
// early, so that the others wait little for it (README "The fast checker", step 4).
std::size_t member_frames(std::size_t i, std::size_t round_budget) {
    const move_order o = portfolio_orders[i];
    return is_slot_order(o) && o != move_order::slots_backwards ? round_budget : round_budget / 4;
}

}  // namespace

slot_search& portfolio::kept(std::optional<slot_search>& s, std::size_t i) {
    if (!s) s.emplace(h_, links_, portfolio_orders[i]);
    return *s;
}

search_result portfolio::run(std::size_t i, std::size_t round_budget, search_limits& limits) {
    switch (portfolio_orders[i]) {
        case move_order::slots_blaming_last_pop: return last_pop_.run(round_budget, 0, limits);
        case move_order::slots_by_pop_invoke: return kept(first_pop_, i).run(round_budget, 0, limits);
        case move_order::slots_by_pop_response: return kept(by_response_, i).run(round_budget, 0, limits);
        case move_order::slots_backwards:
            if (!backwards_) backwards_.emplace(h_, links_);
            return backwards_->run(member_frames(i, round_budget), 0, limits);
        default: return search_linearization(h_, links_, member_frames(i, round_budget), 0, portfolio_orders[i], limits);
    }
}

search_result portfolio::round(std::size_t round_budget, search_limits& limits) {
    search_result r;
    for (std::size_t i = 0; i < size; ++i) {
        r = run(i, round_budget, limits);
        if (r.outcome != search_result::gave_up || limits.exhausted) break;
    }
    return r;
}

// Each thread takes the next member not yet run. A linearization found
// cancels every other member; a violation cancels the members after it, so
// the member named is the one round() would name. Before the round each
// member gets its share of the check's steps left, in portfolio order, so a
// step budget ends the round the same way on every run.
search_result portfolio::parallel_round(std::size_t round_budget, search_limits& limits, unsigned jobs) {
    std::array<search_limits, size> own;
    std::array<search_result, size> result;
    std::array<std::atomic<bool>, size> cancelled{};
    std::array<bool, size> ran{};
    std::size_t left = limits.max_steps > limits.steps_used ? limits.max_steps - limits.steps_used : 0;
    for (std::size_t i = 0; i < size; ++i) {
        // A search stops at frames + 1 steps on its own budget (out_of_budget); 0 frames is no budget.
        const std::size_t frames = member_frames(i, round_budget);
        const std::size_t wants = frames == 0 || frames > SIZE_MAX - 2 ? SIZE_MAX : frames + 2;
        own[i].max_steps = std::min(wants, left), left -= own[i].max_steps;
        own[i].deadline = limits.deadline, own[i].cancelled = &cancelled[i];
    }
    // A member that throws (std::bad_alloc, say) ends the members after it, as it would end the
    // round on one thread; its exception is thrown again after the join, unless a search found a
    // linearization (a proven verdict is worth more than the error) or one before it decided.
    std::array<std::exception_ptr, size> failed;
    std::atomic<std::size_t> next{0};
    auto cancel_from = [&](std::size_t first, std::size_t but) {
        for (std::size_t j = first; j < size; ++j)
            if (j != but) cancelled[j].store(true, std::memory_order_relaxed);
    };
    auto work = [&] {
        for (std::size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < size;) {
            // Relaxed: the flag carries no data; a cancelled member's result is never read.
            if (cancelled[i].load(std::memory_order_relaxed)) continue;
            try {
                result[i] = run(i, round_budget, own[i]), ran[i] = true;
            } catch (...) {
                failed[i] = std::current_exception();
                cancel_from(i + 1, i);
                continue;
            }
            if (result[i].outcome != search_result::gave_up)
                cancel_from(result[i].outcome == search_result::linearizable ? 0 : i + 1, i);
        }
    };
    // Reserved before any thread starts: a failed allocation must not leave one unjoined.
    std::vector<std::thread> helpers;
    helpers.reserve(std::min<std::size_t>(jobs, size));
    try {
        for (unsigned t = 1; t < jobs && t < size; ++t) helpers.emplace_back(work);
    } catch (const std::system_error&) {  // no more threads to be had: the ones there are take every member
    }
    work();
    for (auto& t : helpers) t.join();  // makes every member's result and state this thread's again
    for (std::size_t i = 0; i < size; ++i) limits.steps_used += own[i].steps_used;
    for (std::size_t i = 0; i < size; ++i)
        if (ran[i] && result[i].outcome == search_result::linearizable) return result[i];
    // Undecided: the window of the member that got farthest into the history.
    auto reached = [&](const search_result& g) {
        return h_.ops[g.window_last == none ? g.stuck : g.window_last].response;
    };
    std::optional<search_result> farthest;
    for (std::size_t i = 0; i < size; ++i) {
        if (failed[i]) std::rethrow_exception(failed[i]);
        if (!ran[i]) continue;
        if (result[i].outcome != search_result::gave_up) return result[i];
        limits.exhausted = limits.exhausted || own[i].exhausted;
        limits.out_of_steps = limits.out_of_steps || own[i].out_of_steps;  // its share of the steps
        // Read backwards, a member's window runs from the other end: not compared.
        if (portfolio_orders[i] == move_order::slots_backwards) continue;
        if (!farthest || reached(result[i]) > reached(*farthest)) farthest = result[i];
    }
    // Every member runs (none is cancelled before one decides or throws), so a forward one is here.
    return farthest.value_or(search_result{search_result::gave_up, 0});
}

}  // namespace detail

namespace {

// Where judging one history (the whole, or a piece between clean cuts) ends: a violation
// with that history's op indices, or the search's result (gave_up: its window).
struct judgement {
    std::optional<verdict> violation;
    detail::search_result r;
};

// Pieces shorter than this are joined to the next: each piece is a check of its own.
constexpr std::size_t min_piece_ops = 256;

// What judge() may cut a history into before its portfolio: clean pieces, then segments
// between quiet cuts (a piece or a segment is not cut again the same way).
enum class cutting { pieces_and_quiet, quiet, none };

judgement judge(const history& h, const detail::value_links& links, detail::search_limits& limits, unsigned jobs,
                cutting cuts);

// Each piece judged alone (README "Pieces between clean cuts"): the first violation is the
// history's; else the first piece left undecided makes it undecided; else it holds.
judgement judge_pieces(const history& h, const std::vector<std::vector<std::uint32_t>>& pieces,
                       detail::search_limits& limits, unsigned jobs) {
    std::optional<detail::search_result> undecided_piece;
    for (const auto& piece : pieces) {
        history part{h.capacity, {}};
        part.ops.reserve(piece.size());
        for (std::uint32_t op : piece) part.ops.push_back(h.ops[op]);
        judgement j = judge(part, detail::link_values(part), limits, jobs, cutting::quiet);
        // The piece's op indices as the history's.
        auto whole = [&](std::uint32_t op) { return op == detail::none ? op : piece[op]; };
        if (j.violation) {
            for (auto& w : j.violation->witness) w = whole(static_cast<std::uint32_t>(w));
            return j;
        }
        if (j.r.outcome == detail::search_result::gave_up && !undecided_piece) {
            j.r.stuck = whole(j.r.stuck), j.r.window_first = whole(j.r.window_first);
            j.r.window_last = whole(j.r.window_last);
            undecided_piece = j.r;
        }
    }
    if (undecided_piece) return {std::nullopt, *undecided_piece};
    return {std::nullopt, {detail::search_result::linearizable, 0}};
}

// Quiet cuts whose queue stands in at most this many orders, segments of at least this many ops,
// and the steps the segments get before the portfolio takes the whole history instead.
constexpr std::size_t max_cut_orders = 32, min_segment_ops = 1024;
std::uint64_t quiet_stage_steps(std::size_t ops) { return 16 * std::uint64_t{ops} + 10000; }

// The quiet stage on its own share of the check's steps; nullopt if it did not decide.
std::optional<judgement> judge_at_quiet_cuts(const history& h, const detail::value_links& links,
                                             detail::search_limits& limits, unsigned jobs) {
    auto cuts = detail::quiet_cuts(h, links, max_cut_orders, min_segment_ops);
    if (cuts.empty()) return std::nullopt;
    const std::uint64_t left = limits.max_steps > limits.steps_used ? limits.max_steps - limits.steps_used : 0;
    detail::search_limits stage;
    stage.max_steps = std::min(left, quiet_stage_steps(h.ops.size()));
    stage.deadline = limits.deadline, stage.cancelled = limits.cancelled;
    const auto segments = detail::quiet_segments(links, cuts);
    std::optional<verdict> refuted;  // the first segment refuted, named in the history's ops
    auto judge_segment = [&](std::size_t segment, const history& part, std::size_t entry) {
        const judgement j = judge(part, detail::link_values(part), stage, jobs, cutting::none);
        if (!j.violation)
            return j.r.outcome == detail::search_result::gave_up ? detail::segment_result::undecided
                                                                  : detail::segment_result::holds;
        if (!refuted) refuted = detail::segment_violation(h, links, cuts, segments, segment, entry, *j.violation);
        return detail::segment_result::violation;
    };
    const auto result = detail::judge_between_quiet_cuts(h, cuts, segments, judge_segment);
    limits.steps_used += stage.steps_used;
    // Out of time or of the check's own steps: the check is over; of the stage's: the portfolio goes on.
    if (stage.exhausted && (!stage.out_of_steps || stage.max_steps == left))
        limits.exhausted = true, limits.out_of_steps = stage.out_of_steps;
    if (result == detail::segment_result::undecided) return std::nullopt;
    if (result == detail::segment_result::holds)
        return judgement{std::nullopt, {detail::search_result::linearizable, 0}};
    const auto first_witness = static_cast<std::uint32_t>(refuted->witness.front());
    return judgement{refuted, {detail::search_result::not_linearizable, first_witness}};
}

// Where real time forces the queue order (one producer, one consumer that pops every value, and
// more: detail::queue_order_real_time_forces), the walk over places decides in polynomial time
// (README "Which histories give π"), on the steps its bound allows, within the check's; nullopt if
// real time forces no order, or the check's budget ran out first.
std::optional<judgement> judge_in_the_order_real_time_forces(const history& h, const detail::value_links& links,
                                                             detail::search_limits& limits) {
    if (limits.exhausted) return std::nullopt;
    const auto order = detail::queue_order_real_time_forces(h, links);
    if (!order) return std::nullopt;
    const auto r = detail::walk_in_queue_order(h, links, *order, limits);
    if (r.outcome == detail::search_result::gave_up) return std::nullopt;
    if (r.outcome == detail::search_result::linearizable) return judgement{std::nullopt, r};
    return judgement{no_linearization(h, r.stuck), r};
}

// The exact search with a work budget (a linearizable history is done here);
// then every pattern, which names the rule; then, if the history has clean
// cuts, each piece alone; then, if it has quiet cuts, its segments on a share of
// the steps; else (or if they were not decided) other move orders with a budget
// that doubles.
judgement judge(const history& h, const detail::value_links& links, detail::search_limits& limits, unsigned jobs,
                cutting cuts) {
    // A linearizable history needs about one search frame per op and refutes
    // few states; a violating one should reach the patterns quickly.
    auto r = detail::search_linearization(h, links, 3 * h.ops.size() + 1000, h.ops.size() / 64 + 1000,
                                          detail::move_order::pop_midpoint, limits);
    const std::size_t budget = 8 * h.ops.size() + 1000;
    if (r.outcome == detail::search_result::linearizable) return {std::nullopt, r};
    // The slot searches are kept: later rounds go on with their trees. The one
    // that blames the last early pop goes first, with 2n steps (on the
    // adversarial shape it decided every history the one blaming the first did,
    // in fewer steps, most within 2n: README, step 2); the one expecting values
    // in the order of their pops' responses, which decides others, opens the
    // portfolio right after the patterns.
    detail::slot_search slots_last_pop(h, links, detail::move_order::slots_blaming_last_pop);
    if (!limits.exhausted) r = slots_last_pop.run(budget / 4, 0, limits);
    if (r.outcome == detail::search_result::linearizable) return {std::nullopt, r};
    if (auto v = detail::find_linearizable_pattern(h, links)) return {v, r};
    if (auto j = judge_in_the_order_real_time_forces(h, links, limits)) return *j;
    if (cuts == cutting::pieces_and_quiet) {
        const auto pieces = detail::clean_pieces(h, links, min_piece_ops);
        if (pieces.size() > 1) return judge_pieces(h, pieces, limits, jobs);
    }
    if (cuts != cutting::none && r.outcome == detail::search_result::gave_up && !limits.exhausted)
        if (auto j = judge_at_quiet_cuts(h, links, limits, jobs)) return *j;
    // A portfolio of move orders, each exact, taken in turn with a frame budget
    // that doubles every round, until one decides or the check's budget ends:
    // no order is best on every history, and none is left to run unbounded.
    detail::portfolio members(h, links, slots_last_pop);
    // The doubling saturates instead of stopping at a cap, so without a check
    // budget some round lets a value search run to its end (README "A bound
    // for fixed capacity and width").
    for (std::size_t round_budget = budget; r.outcome == detail::search_result::gave_up && !limits.exhausted;
         round_budget = round_budget > SIZE_MAX / 2 ? SIZE_MAX : 2 * round_budget)
        r = jobs == 1 ? members.round(round_budget, limits) : members.parallel_round(round_budget, limits, jobs);
    if (r.outcome == detail::search_result::not_linearizable) return {no_linearization(h, r.stuck), r};
    return {std::nullopt, r};
}

}  // namespace

// Cheap delivery patterns first; then the searches and the patterns (judge()).
verdict check(const history& h, contract c, const check_budget& b) {
    auto links = detail::link_values(h);
    if (c != contract::linearizable) {
        if (auto v = detail::check_relaxed(h, links, c)) return *v;
        return {};
    }
    if (auto v = detail::find_delivery_violation(h, links)) return *v;
    detail::search_limits limits;
    limits.max_steps = b.steps;
    // NaN or negative: no time at all; beyond 10^9 s (or infinite): 10^9 s, which
    // the clock's duration still holds.
    const double seconds = b.seconds > 0 ? std::min(b.seconds, 1e9) : 0.0;
    limits.deadline = std::chrono::steady_clock::now() +
                      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                          std::chrono::duration<double>(seconds));
    const judgement j = judge(h, links, limits, std::max(b.jobs, 1u), cutting::pieces_and_quiet);
    if (j.violation) return *j.violation;
    if (j.r.outcome == detail::search_result::gave_up) return undecided(h, j.r, limits, b.seconds);
    return {};
}

}  // namespace ringcheck::oracle
