// Sound violation patterns: each one, when found, proves the history violates
// the contract. Used first because they are O(n log n) and name the rule.
#include <algorithm>
#include <string>
#include <unordered_map>

#include "internal.hpp"

namespace ringcheck::oracle::detail {

namespace {

std::string num(std::uint64_t v) { return std::to_string(v); }

verdict violation(rule_kind k, std::string rule, std::vector<std::size_t> witness) {
    std::sort(witness.begin(), witness.end());
    witness.erase(std::unique(witness.begin(), witness.end()), witness.end());
    return verdict{status::violation, std::move(rule), std::move(witness), k};
}

std::string op_name(const operation& o) { return is_push(o.op) ? "push" : "pop"; }

std::vector<std::uint32_t> successful_pushes(const history& h) {
    std::vector<std::uint32_t> v;
    for (std::uint32_t i = 0; i < h.ops.size(); ++i)
        if (is_push_ok(h.ops[i])) v.push_back(i);
    return v;
}

// Invoke of the pop of push `p`'s value, or `never` when it is never popped.
std::uint64_t pop_invoke(const history& h, const value_links& l, std::uint32_t p) {
    return l.pop_of[p] == none ? never : h.ops[l.pop_of[p]].invoke;
}

// For each query op q (in any order): is there a successful push a with
// a.response < q.invoke and pop_invoke(a) > limit(q)?  Returns (q, a) for the
// first hit in invoke order of q. O(n log n).
template <class Limit>
std::optional<std::pair<std::uint32_t, std::uint32_t>> sweep_certainly_queued(
    const history& h, const value_links& l, std::vector<std::uint32_t> queries, Limit limit) {
    auto pushes = successful_pushes(h);
    std::sort(pushes.begin(), pushes.end(),
              [&](auto a, auto b) { return h.ops[a].response < h.ops[b].response; });
    std::sort(queries.begin(), queries.end(), [&](auto a, auto b) { return h.ops[a].invoke < h.ops[b].invoke; });
    std::size_t next = 0;
    std::uint64_t best = 0;
    std::uint32_t best_op = none;
    for (auto q : queries) {
        for (; next < pushes.size() && h.ops[pushes[next]].response < h.ops[q].invoke; ++next) {
            auto pi = pop_invoke(h, l, pushes[next]);
            if (best_op == none || pi > best) best = pi, best_op = pushes[next];
        }
        if (best_op != none && best_op != q && best > limit(q)) return std::pair{q, best_op};
    }
    return std::nullopt;
}

// Iterative segment tree for range min or max over a fixed array.
class range_tree {
public:
    range_tree(const big_vector<int>& a, bool want_max) : n_(a.size()), max_(want_max), t_(2 * a.size()) {
        std::copy(a.begin(), a.end(), t_.begin() + static_cast<std::ptrdiff_t>(n_));
        for (std::size_t i = n_ - 1; i > 0; --i) t_[i] = pick(t_[2 * i], t_[2 * i + 1]);
    }
    int query(std::size_t lo, std::size_t hi) const {  // inclusive
        int r = t_[lo + n_];
        for (lo += n_, hi += n_ + 1; lo < hi; lo >>= 1, hi >>= 1) {
            if (lo & 1) r = pick(r, t_[lo++]);
            if (hi & 1) r = pick(r, t_[--hi]);
        }
        return r;
    }

private:
    int pick(int a, int b) const { return max_ ? std::max(a, b) : std::min(a, b); }
    std::size_t n_;
    bool max_;
    big_vector<int> t_;
};

// How many values can / must be in the queue at each distinct timestamp.
struct occupancy {
    big_vector<std::uint64_t> times;                   // distinct timestamps, sorted
    big_vector<std::uint32_t> invoke_at, response_at;  // per op: where its invoke / response is in `times`
    big_vector<int> certain_at;     // values certainly queued at exactly t: push.res < t < pop.inv
    big_vector<int> certain_after;  // ... just after t: push.res <= t < pop.inv
    big_vector<int> possible_at;    // values possibly queued at t: push.inv <= t <= pop.res
};

// The distinct times: the ops' invokes and responses, each already in order
// (the links' orders), merged; each op learns its places on the way.
void merge_times(const history& h, const value_links& l, occupancy& oc) {
    const std::size_t n = h.ops.size();
    oc.times.reserve(2 * n), oc.invoke_at.resize(n), oc.response_at.resize(n);
    for (std::size_t i = 0, r = 0; i < n || r < n;) {
        const bool invoke = r == n || (i < n && h.ops[l.by_invoke[i]].invoke <= h.ops[l.by_response[r]].response);
        const std::uint64_t t = invoke ? h.ops[l.by_invoke[i]].invoke : h.ops[l.by_response[r]].response;
        if (oc.times.empty() || oc.times.back() != t) oc.times.push_back(t);
        const auto at = static_cast<std::uint32_t>(oc.times.size() - 1);
        if (invoke) oc.invoke_at[l.by_invoke[i++]] = at;
        else oc.response_at[l.by_response[r++]] = at;
    }
}

occupancy build_occupancy(const history& h, const value_links& l) {
    occupancy oc;
    merge_times(h, l, oc);
    std::size_t n = oc.times.size();
    big_vector<int> at(n + 1), after(n + 1), poss(n + 1);
    for (std::uint32_t p = 0; p < h.ops.size(); ++p) {
        if (!is_push_ok(h.ops[p])) continue;
        std::size_t pr = oc.response_at[p], pi = oc.invoke_at[p];
        std::size_t qi = l.pop_of[p] == none ? n : oc.invoke_at[l.pop_of[p]];
        std::size_t qr = l.pop_of[p] == none ? n : oc.response_at[l.pop_of[p]] + std::size_t{1};
        if (pr + 1 < qi) ++at[pr + 1], --at[qi];
        if (pr < qi) ++after[pr], --after[qi];
        if (pi < qr) ++poss[pi], --poss[qr];
    }
    oc.certain_at.resize(n), oc.certain_after.resize(n), oc.possible_at.resize(n);
    int a = 0, b = 0, c = 0;
    for (std::size_t i = 0; i < n; ++i) {
        oc.certain_at[i] = a += at[i];
        oc.certain_after[i] = b += after[i];
        oc.possible_at[i] = c += poss[i];
    }
    return oc;
}

bool needs_empty(const operation& o) {
    return is_pop(o.op) && (o.result == result_kind::empty || o.result == result_kind::timeout ||
                            o.result == result_kind::closed);
}

// Some value certainly queued at time t (exists when certain_at(t) > 0).
std::uint32_t queued_at(const history& h, const value_links& l, std::uint64_t t) {
    for (std::uint32_t p = 0; p < h.ops.size(); ++p)
        if (is_push_ok(h.ops[p]) && h.ops[p].response < t && pop_invoke(h, l, p) > t) return p;
    return none;
}

std::vector<std::size_t> value_ops(const value_links& l, std::uint32_t push) {
    std::vector<std::size_t> w{push};
    if (l.pop_of[push] != none) w.push_back(l.pop_of[push]);
    return w;
}

std::optional<verdict> close_violation(const history& h) {
    std::uint32_t first_res = none, first_inv = none;
    for (std::uint32_t i = 0; i < h.ops.size(); ++i) {
        if (h.ops[i].op != op_kind::close) continue;
        if (first_res == none || h.ops[i].response < h.ops[first_res].response) first_res = i;
        if (first_inv == none || h.ops[i].invoke < h.ops[first_inv].invoke) first_inv = i;
    }
    for (std::uint32_t i = 0; i < h.ops.size(); ++i) {
        const auto& o = h.ops[i];
        if (first_res != none && is_push_ok(o) && o.invoke > h.ops[first_res].response)
            return violation(rule_kind::push_after_close,
                             "push of " + num(o.arg) + " returned ok after a close had returned", {first_res, i});
        if (o.result == result_kind::closed && (first_inv == none || o.response < h.ops[first_inv].invoke))
            return violation(rule_kind::closed_too_early, op_name(o) + " returned closed before any close", {i});
    }
    return std::nullopt;
}

std::optional<verdict> fifo_violation(const history& h, const value_links& l) {
    std::vector<std::uint32_t> popped;
    for (std::uint32_t p = 0; p < h.ops.size(); ++p)
        if (is_push_ok(h.ops[p]) && l.pop_of[p] != none) popped.push_back(p);
    auto hit = sweep_certainly_queued(h, l, popped, [&](std::uint32_t b) { return h.ops[l.pop_of[b]].response; });
    if (!hit) return std::nullopt;
    auto [b, a] = *hit;
    auto w = value_ops(l, a);
    w.push_back(b), w.push_back(l.pop_of[b]);
    std::string va = num(h.ops[a].arg), vb = num(h.ops[b].arg);
    if (l.pop_of[a] == none)
        return violation(rule_kind::fifo_order, "value " + va + " was pushed before " + vb + " and " + vb +
                                                    " was popped, but " + va + " never was", w);
    return violation(rule_kind::fifo_order,
                     "value " + va + " was pushed before " + vb + " but " + vb + " was popped first", w);
}

std::optional<verdict> single_value_empty(const history& h, const value_links& l, bool closed_only, rule_kind k) {
    std::vector<std::uint32_t> q;
    for (std::uint32_t i = 0; i < h.ops.size(); ++i)
        if (needs_empty(h.ops[i]) && (!closed_only || h.ops[i].result == result_kind::closed)) q.push_back(i);
    auto hit = sweep_certainly_queued(h, l, q, [&](std::uint32_t e) { return h.ops[e].response; });
    if (!hit) return std::nullopt;
    auto [e, v] = *hit;
    auto w = value_ops(l, v);
    w.push_back(e);
    std::string what = h.ops[e].result == result_kind::closed ? "closed (drained)" : result_text(h.ops[e]);
    return violation(k, "pop returned " + what + " while " + num(h.ops[v].arg) + " was certainly in the queue", w);
}

std::optional<verdict> occupancy_violation(const history& h, const value_links& l) {
    auto oc = build_occupancy(h, l);
    if (oc.times.empty()) return std::nullopt;
    range_tree min_certain(oc.certain_at, false), max_possible(oc.possible_at, true);
    const auto cap = static_cast<long long>(h.capacity);
    for (std::uint32_t i = 0; i < h.ops.size(); ++i) {
        const auto& o = h.ops[i];
        std::size_t lo = oc.invoke_at[i], hi = oc.response_at[i];
        if (needs_empty(o) && min_certain.query(lo, hi) >= 1) {
            std::size_t t = lo;
            while (oc.certain_at[t] < 1 && t < hi) ++t;
            for (std::size_t j = lo; j <= hi; ++j)
                if (oc.certain_at[j] < oc.certain_at[t]) t = j;
            auto v = queued_at(h, l, oc.times[t]);
            auto w = value_ops(l, v);
            w.push_back(i);
            return violation(rule_kind::empty_nonempty,
                             "pop returned " + result_text(o) +
                                 " although the queue certainly held a value at every point of its interval (e.g. " +
                                 num(h.ops[v].arg) + " at time " + num(oc.times[t]) + ")",
                             w);
        }
        if (needs_full(o) && max_possible.query(lo, hi) < cap) {
            return violation(rule_kind::full_not_full,
                             "push of " + num(o.arg) + " returned " + result_text(o) + " while at most " +
                                 num(static_cast<std::uint64_t>(max_possible.query(lo, hi))) + " of " +
                                 num(h.capacity) + " slots could be occupied",
                             {i});
        }
        if (is_push_ok(o) && min_certain.query(lo, hi) >= cap) {
            return violation(rule_kind::push_when_full,
                             "push of " + num(o.arg) + " returned ok while all " + num(h.capacity) +
                                 " slots were certainly occupied",
                             {i});
        }
    }
    for (std::size_t t = 0; t < oc.times.size(); ++t) {
        if (oc.certain_after[t] <= cap) continue;
        std::vector<std::size_t> w;
        for (std::uint32_t p = 0; p < h.ops.size(); ++p)
            if (is_push_ok(h.ops[p]) && h.ops[p].response <= oc.times[t] && pop_invoke(h, l, p) > oc.times[t])
                w.push_back(p);
        return violation(rule_kind::over_capacity,
                         num(static_cast<std::uint64_t>(oc.certain_after[t])) +
                             " values were certainly in the queue at once after time " + num(oc.times[t]) +
                             ", but its capacity is " + num(h.capacity),
                         w);
    }
    return std::nullopt;
}

std::optional<verdict> producer_order_violation(const history& h, const value_links& l) {
    std::vector<std::uint32_t> pushes = successful_pushes(h);
    std::sort(pushes.begin(), pushes.end(), [&](auto a, auto b) {
        const auto &x = h.ops[a], &y = h.ops[b];
        return x.thread != y.thread ? x.thread < y.thread : x.invoke < y.invoke;
    });
    std::uint32_t best = none;
    for (std::size_t i = 0; i < pushes.size(); ++i) {
        auto b = pushes[i];
        if (i > 0 && h.ops[pushes[i - 1]].thread != h.ops[b].thread) best = none;
        if (best != none && l.pop_of[b] != none && pop_invoke(h, l, best) > h.ops[l.pop_of[b]].response) {
            auto w = value_ops(l, best);
            w.push_back(b), w.push_back(l.pop_of[b]);
            std::string va = num(h.ops[best].arg), vb = num(h.ops[b].arg), t = num(h.ops[b].thread);
            std::string tail = l.pop_of[best] == none ? " was popped, but " + va + " never was"
                                                      : " was popped first";
            return violation(rule_kind::producer_order,
                             "thread " + t + " pushed " + va + " before " + vb + " but " + vb + tail, w);
        }
        if (best == none || pop_invoke(h, l, b) > pop_invoke(h, l, best)) best = b;
    }
    return std::nullopt;
}

}  // namespace

value_links link_values(const history& h) {
    std::size_t n = h.ops.size();
    value_links l{big_vector<std::uint32_t>(n, none), big_vector<std::uint32_t>(n, none),
                  big_vector<std::uint32_t>(n, none), big_vector<std::uint32_t>(n, none),
                  ops_by(h, &operation::response), ops_by(h, &operation::invoke)};
    std::unordered_map<std::uint64_t, std::uint32_t> push_by_value, first_pop;
    push_by_value.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i)
        if (is_push(h.ops[i].op)) push_by_value.emplace(h.ops[i].arg, i);
    for (std::uint32_t i = 0; i < n; ++i) {
        if (!is_pop_value(h.ops[i])) continue;
        auto it = push_by_value.find(h.ops[i].value);
        if (it != push_by_value.end()) (is_push_ok(h.ops[it->second]) ? l.push_of : l.failed_push)[i] = it->second;
        auto [fp, fresh] = first_pop.emplace(h.ops[i].value, i);
        if (!fresh) {
            if (l.second_pop[fp->second] == none) l.second_pop[fp->second] = i;
            continue;
        }
        if (l.push_of[i] != none) l.pop_of[l.push_of[i]] = i;
    }
    return l;
}

std::optional<verdict> find_delivery_violation(const history& h, const value_links& l) {
    for (std::uint32_t i = 0; i < h.ops.size(); ++i)
        if (l.second_pop[i] != none)
            return violation(rule_kind::duplicate, "value " + num(h.ops[i].value) + " was popped twice",
                             {i, l.second_pop[i]});
    for (std::uint32_t i = 0; i < h.ops.size(); ++i) {
        if (!is_pop_value(h.ops[i]) || l.push_of[i] != none) continue;
        std::string v = num(h.ops[i].value);
        if (l.failed_push[i] != none)
            return violation(rule_kind::invented,
                             "value " + v + " was popped but its push returned " +
                                 std::string(to_string(h.ops[l.failed_push[i]].result)),
                             {l.failed_push[i], i});
        return violation(rule_kind::invented, "value " + v + " was popped but never pushed", {i});
    }
    for (std::uint32_t i = 0; i < h.ops.size(); ++i)
        if (is_pop_value(h.ops[i]) && h.ops[i].response < h.ops[l.push_of[i]].invoke)
            return violation(rule_kind::pop_before_push,
                             "value " + num(h.ops[i].value) + " was popped before it was pushed", {l.push_of[i], i});
    return std::nullopt;
}

std::optional<verdict> find_linearizable_pattern(const history& h, const value_links& l) {
    if (auto v = close_violation(h)) return v;
    if (auto v = fifo_violation(h, l)) return v;
    if (auto v = single_value_empty(h, l, false, rule_kind::empty_nonempty)) return v;
    return occupancy_violation(h, l);
}

std::optional<verdict> check_relaxed(const history& h, const value_links& l, contract c) {
    if (auto v = find_delivery_violation(h, l)) return v;
    if (auto v = single_value_empty(h, l, true, rule_kind::lost)) return v;
    if (c == contract::per_producer_fifo) return producer_order_violation(h, l);
    return std::nullopt;
}

}  // namespace ringcheck::oracle::detail
