// Reference checkers, written to be obviously correct rather than fast.
#include <map>
#include <stdexcept>
#include <tuple>

#include "internal.hpp"
#include "ringcheck/oracle/checker.hpp"
#include "ringcheck/oracle/reference_queue.hpp"

namespace ringcheck::oracle {

namespace {

// Wing & Gong: repeatedly pick a minimal (no unlinearized op responded before
// it was invoked) operation whose result the reference queue accepts.
// Memoised on (linearized set, queue state).
class wing_gong {
public:
    explicit wing_gong(const history& h) : h_(h), all_((1u << h.ops.size()) - 1) {}
    bool run() { return dfs(0, queue_state{}); }

private:
    using key = std::tuple<std::uint32_t, std::deque<std::uint64_t>, bool>;

    bool minimal(std::uint32_t done, std::size_t i) const {
        for (std::size_t j = 0; j < h_.ops.size(); ++j)
            if (!(done >> j & 1) && j != i && h_.ops[j].response < h_.ops[i].invoke) return false;
        return true;
    }
    bool dfs(std::uint32_t done, const queue_state& s) {
        if (done == all_) return true;
        key k{done, s.items, s.closed};
        if (failed_.count(k)) return false;
        for (std::size_t i = 0; i < h_.ops.size(); ++i) {
            if (done >> i & 1 || !minimal(done, i)) continue;
            auto next = step(s, h_.capacity, h_.ops[i]);
            if (next && dfs(done | 1u << i, *next)) return true;
        }
        failed_.emplace(std::move(k), true);
        return false;
    }

    const history& h_;
    std::uint32_t all_;
    std::map<key, bool> failed_;
};

bool precedes(const operation& a, const operation& b) { return a.response < b.invoke; }

std::optional<std::size_t> successful_push(const history& h, std::uint64_t v) {
    for (std::size_t i = 0; i < h.ops.size(); ++i)
        if (detail::is_push_ok(h.ops[i]) && h.ops[i].arg == v) return i;
    return std::nullopt;
}

std::vector<std::size_t> pops_of(const history& h, std::uint64_t v) {
    std::vector<std::size_t> r;
    for (std::size_t i = 0; i < h.ops.size(); ++i)
        if (detail::is_pop_value(h.ops[i]) && h.ops[i].value == v) r.push_back(i);
    return r;
}

verdict fail(rule_kind k, std::string rule) { return verdict{status::violation, std::move(rule), {}, k}; }

// The contracts' definitions, evaluated on every value and pair of values.
verdict relaxed_by_definition(const history& h, contract c) {
    for (const auto& o : h.ops) {
        if (!detail::is_pop_value(o)) continue;
        auto push = successful_push(h, o.value);
        if (!push) return fail(rule_kind::invented, "invented value");
        if (pops_of(h, o.value).size() > 1) return fail(rule_kind::duplicate, "duplicate");
        if (precedes(o, h.ops[*push])) return fail(rule_kind::pop_before_push, "popped before pushed");
    }
    for (const auto& d : h.ops) {  // a pop that found the queue closed and drained
        if (!is_pop(d.op) || d.result != result_kind::closed) continue;
        for (const auto& p : h.ops) {
            if (!detail::is_push_ok(p) || !precedes(p, d)) continue;
            auto pops = pops_of(h, p.arg);
            if (pops.empty() || precedes(d, h.ops[pops[0]])) return fail(rule_kind::lost, "lost");
        }
    }
    if (c != contract::per_producer_fifo) return {};
    for (const auto& a : h.ops) {
        for (const auto& b : h.ops) {
            if (!detail::is_push_ok(a) || !detail::is_push_ok(b) || a.thread != b.thread || !(a.invoke < b.invoke))
                continue;
            auto pa = pops_of(h, a.arg), pb = pops_of(h, b.arg);
            if (!pb.empty() && (pa.empty() || precedes(h.ops[pb[0]], h.ops[pa[0]])))
                return fail(rule_kind::producer_order, "producer order");
        }
    }
    return {};
}

}  // namespace

verdict check_exhaustive(const history& h, contract c) {
    if (c != contract::linearizable) return relaxed_by_definition(h, c);
    if (h.ops.size() > 24) throw std::length_error("check_exhaustive: more than 24 operations");
    if (wing_gong(h).run()) return {};
    return fail(rule_kind::no_linearization, "no linearization exists (exhaustive search)");
}

}  // namespace ringcheck::oracle
