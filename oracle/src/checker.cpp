#include "ringcheck/oracle/checker.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <sstream>
#include <string>
#include <utility>

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

std::string op_where(const history& h, std::uint32_t i) {
    const auto& o = h.ops[i];
    return "op " + std::to_string(i + 1) + " (" + describe(o) + ", thread " + std::to_string(o.thread) + ", [" +
           std::to_string(o.invoke) + ", " + std::to_string(o.response) + "])";
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
    std::string why = limits.steps_used >= limits.max_steps
                          ? "the step budget (" + std::to_string(limits.max_steps) + " search steps) ran out"
                          : "the time budget (" + seconds_text(seconds) + " s) ran out";
    v.rule = why + " before the search decided the operations responding in [" + std::to_string(v.window_begin) +
             ", " + std::to_string(v.window_end) + "], from " + op_where(h, first) + " to " + op_where(h, last) +
             " (op numbers = line order of the history)";
    return v;
}

}  // namespace

// Cheap delivery patterns first; then the exact search with a work budget
// (a linearizable history is done here); then every pattern, which names the
// rule; then other move orders with a budget; then the search without one.
verdict check(const history& h, contract c, const check_budget& b) {
    auto links = detail::link_values(h);
    if (c != contract::linearizable) {
        if (auto v = detail::check_relaxed(h, links, c)) return *v;
        return {};
    }
    if (auto v = detail::find_delivery_violation(h, links)) return *v;
    // A linearizable history needs about one search frame per op and refutes
    // few states; a violating one should reach the patterns quickly.
    detail::search_limits limits;
    limits.max_steps = b.steps;
    // NaN or negative: no time at all; beyond 10^9 s (or infinite): 10^9 s, which
    // the clock's duration still holds.
    const double seconds = b.seconds > 0 ? std::min(b.seconds, 1e9) : 0.0;
    limits.deadline = std::chrono::steady_clock::now() +
                      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                          std::chrono::duration<double>(seconds));
    auto r = detail::search_linearization(h, links, 3 * h.ops.size() + 1000, h.ops.size() / 64 + 1000,
                                          detail::move_order::pop_midpoint, limits);
    const std::size_t budget = 8 * h.ops.size() + 1000;
    if (r.outcome == detail::search_result::linearizable) return {};
    // The slot searches are kept: later rounds go on with their trees. The one
    // that blames the last early pop goes first, with 2n steps (on the
    // adversarial shape it decided every history the one blaming the first did,
    // in fewer steps, most within 2n: README, step 2); the one expecting values
    // in the order of their pops' responses, which decides others, opens the
    // portfolio right after the patterns.
    detail::slot_search slots_last_pop(h, links, detail::move_order::slots_blaming_last_pop);
    if (!limits.exhausted) r = slots_last_pop.run(budget / 4, 0, limits);
    if (r.outcome == detail::search_result::linearizable) return {};
    if (auto v = detail::find_linearizable_pattern(h, links)) return *v;
    // A portfolio of move orders, each exact, taken in turn with a frame budget
    // that doubles every round, until one decides or the check's budget ends:
    // no order is best on every history, and none is left to run unbounded.
    // The slot searches go on where their last round stopped; the value
    // searches (cheaper to build, and their memo is not kept) start again.
    std::optional<detail::slot_search> slots_first_pop, slots_by_response;  // built when first needed
    const detail::move_order orders[] = {
        detail::move_order::slots_by_pop_response, detail::move_order::slots_blaming_last_pop,
        detail::move_order::slots_by_pop_invoke,   detail::move_order::pop_response,
        detail::move_order::pop_invoke,            detail::move_order::group_pushes,
        detail::move_order::pop_midpoint};
    // The doubling saturates instead of stopping at a cap, so without a check
    // budget some round lets a value search run to its end (README "A bound
    // for fixed capacity and width").
    for (std::size_t round_budget = budget; r.outcome == detail::search_result::gave_up && !limits.exhausted;
         round_budget = round_budget > SIZE_MAX / 2 ? SIZE_MAX : 2 * round_budget) {
        for (auto order : orders) {
            if (order == detail::move_order::slots_blaming_last_pop) {
                r = slots_last_pop.run(round_budget, 0, limits);
            } else if (order == detail::move_order::slots_by_pop_invoke) {
                if (!slots_first_pop) slots_first_pop.emplace(h, links, order);
                r = slots_first_pop->run(round_budget, 0, limits);
            } else if (order == detail::move_order::slots_by_pop_response) {
                if (!slots_by_response) slots_by_response.emplace(h, links, order);
                r = slots_by_response->run(round_budget, 0, limits);
            } else {  // it starts again each round, so a quarter (README "The fast checker", step 4)
                r = detail::search_linearization(h, links, round_budget / 4, 0, order, limits);
            }
            if (r.outcome != detail::search_result::gave_up || limits.exhausted) break;
        }
    }
    if (r.outcome == detail::search_result::gave_up) return undecided(h, r, limits, b.seconds);
    if (r.outcome == detail::search_result::linearizable) return {};
    return no_linearization(h, r.stuck);
}

}  // namespace ringcheck::oracle
