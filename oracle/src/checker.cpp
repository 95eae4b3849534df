#include "ringcheck/oracle/checker.hpp"

#include <string>

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

namespace {

verdict no_linearization(const history& h, std::uint32_t stuck) {
    const auto& o = h.ops[stuck];
    std::string rule = "no linearization exists: " + describe(o) + " (thread " + std::to_string(o.thread) + ", [" +
                       std::to_string(o.invoke) + ", " + std::to_string(o.response) +
                       "]) cannot take effect at any point of its interval consistent with the other results";
    return verdict{false, rule, {stuck}, rule_kind::no_linearization};
}

}  // namespace

// Cheap delivery patterns first; then the exact search with a work budget
// (a linearizable history is done here); then every pattern, which names the
// rule; then other move orders with a budget; then the search without one.
verdict check(const history& h, contract c) {
    auto links = detail::link_values(h);
    if (c != contract::linearizable) {
        if (auto v = detail::check_relaxed(h, links, c)) return *v;
        return {};
    }
    if (auto v = detail::find_delivery_violation(h, links)) return *v;
    // A linearizable history needs about one search frame per op and refutes
    // few states; a violating one should reach the patterns quickly.
    auto r = detail::search_linearization(h, links, 3 * h.ops.size() + 1000, h.ops.size() / 64 + 1000);
    const std::size_t budget = 8 * h.ops.size() + 1000;
    if (r.outcome == detail::search_result::linearizable) return {};
    if (auto v = detail::find_linearizable_pattern(h, links)) return *v;
    // A portfolio of move orders, each exact, each with a budget; then no budget.
    for (auto order : {detail::move_order::pop_invoke, detail::move_order::group_pushes}) {
        if (r.outcome != detail::search_result::gave_up) break;
        r = detail::search_linearization(h, links, budget, 0, order);
    }
    if (r.outcome == detail::search_result::gave_up) r = detail::search_linearization(h, links, 0, 0);
    if (r.outcome == detail::search_result::linearizable) return {};
    return no_linearization(h, r.stuck);
}

}  // namespace ringcheck::oracle
