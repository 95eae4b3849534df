// Quiet cuts (README "Quiet cuts: a queue standing in few orders").
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "internal.hpp"

namespace ringcheck::oracle::detail {

namespace {

// Whether popped value `u` (its push op) is queued ahead of `v` in some linearization that
// exists if any does: real time orders their pushes or their pops, or u ≺ v (the exchange
// normal form: u's push and u's pop each start and end no later than v's, ties by op index).
bool queued_ahead(const history& h, const value_links& l, std::uint32_t u, std::uint32_t v) {
    const operation &pu = h.ops[u], &pv = h.ops[v], &qu = h.ops[l.pop_of[u]], &qv = h.ops[l.pop_of[v]];
    if (pu.response < pv.invoke || qu.response < qv.invoke) return true;
    const bool no_later = pu.invoke <= pv.invoke && pu.response <= pv.response && qu.invoke <= qv.invoke &&
                          qu.response <= qv.response;
    const bool same = pu.invoke == pv.invoke && pu.response == pv.response && qu.invoke == qv.invoke &&
                      qu.response == qv.response;
    return no_later && (!same || u < v);
}

// The orders of `queued` (push ops of popped values) that extend queued_ahead, the first
// found first; empty if there are more than `max_orders`.
std::vector<std::vector<std::uint32_t>> queue_orders(const history& h, const value_links& l,
                                                     const std::vector<std::uint32_t>& queued,
                                                     std::size_t max_orders) {
    const std::size_t m = queued.size();
    std::vector<std::uint64_t> ahead(m, 0);  // bit j of ahead[i]: queued[j] goes before queued[i]
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < m; ++j)
            if (i != j && queued_ahead(h, l, queued[j], queued[i])) ahead[i] |= std::uint64_t{1} << j;
    std::vector<std::vector<std::uint32_t>> orders;
    std::vector<std::uint32_t> order;
    bool too_many = false;
    // Every partial order extends to a whole one, so each leaf is an order: at most
    // (max_orders + 1) * m nodes are visited.
    auto extend = [&](auto& self, std::uint64_t placed) -> void {
        if (order.size() == m) {
            too_many = orders.size() == max_orders;
            if (!too_many) orders.push_back(order);
            return;
        }
        for (std::size_t i = 0; i < m && !too_many; ++i) {
            if ((placed >> i & 1) != 0 || (ahead[i] & ~placed) != 0) continue;
            order.push_back(queued[i]);
            self(self, placed | std::uint64_t{1} << i);
            order.pop_back();
        }
    };
    extend(extend, 0);
    if (too_many) orders.clear();
    return orders;
}

}  // namespace

std::vector<quiet_cut> quiet_cuts(const history& h, const value_links& l, std::size_t max_orders,
                                  std::size_t min_ops, std::size_t max_queued) {
    max_queued = std::min(max_queued, max_quiet_cut_queue);
    std::vector<quiet_cut> cuts;
    // By push op: where its value stands among the ops swept so far.
    enum class value_state : std::uint8_t { not_pushed, queued, popped };
    std::vector<value_state> state(h.ops.size(), value_state::not_pushed);
    // Pushes of the values queued, by invoke; a popped one is dropped at the next cut tried
    // (a set would cost a tree update per op, on the path of every check that gets here).
    std::vector<std::uint32_t> pushed;
    std::size_t queued = 0;  // how many in `pushed` are still queued
    std::uint64_t latest_response = 0;
    std::size_t since_cut = 0;
    for (std::size_t rank = 0; rank < l.by_invoke.size(); ++rank) {
        const std::uint32_t op = l.by_invoke[rank];
        const operation& o = h.ops[op];
        if (rank > 0 && o.invoke > latest_response && since_cut >= min_ops && queued <= max_queued) {
            std::erase_if(pushed, [&](std::uint32_t p) { return state[p] == value_state::popped; });
            std::sort(pushed.begin(), pushed.end());  // in op order, as orders are looked for in it
            quiet_cut c{rank, {}, {}};
            std::vector<std::uint32_t> will_pop;
            for (std::uint32_t p : pushed) (l.pop_of[p] == none ? c.never_popped : will_pop).push_back(p);
            c.orders = queue_orders(h, l, will_pop, max_orders);
            if (!c.orders.empty()) cuts.push_back(std::move(c)), since_cut = 0;
        }
        if (o.op == op_kind::close) break;  // after a close the flag is not the initial state
        ++since_cut;
        latest_response = std::max(latest_response, o.response);
        if (is_push_ok(o) && state[op] == value_state::not_pushed)
            state[op] = value_state::queued, pushed.push_back(op), ++queued;
        if (is_pop_value(o) && l.push_of[op] != none) {
            auto& value = state[l.push_of[op]];
            queued -= value == value_state::queued;  // else its push comes later, and does not queue it
            value = value_state::popped;
        }
    }
    return cuts;
}

history cut_segment(const history& h, const std::vector<std::uint32_t>& ops, const std::vector<std::uint32_t>& entry,
                    const std::vector<std::uint32_t>& exit) {
    std::vector<std::uint64_t> times;
    std::set<std::uint32_t> threads;
    for (std::uint32_t op : ops) {
        times.push_back(h.ops[op].invoke), times.push_back(h.ops[op].response);
        threads.insert(h.ops[op].thread);
    }
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    std::uint32_t lane = 0;  // a thread none of the ops runs on (there are fewer ops than ids)
    while (threads.count(lane) != 0) ++lane;
    // Pinned pushes at [1, 2], [3, 4], ...; the ops' times by rank after them (only the
    // order of times counts); pinned pops after the ops.
    const std::uint64_t first = 2 * entry.size() + 1, after = first + times.size();
    history s{h.capacity, {}};
    s.ops.reserve(ops.size() + entry.size() + exit.size());
    for (std::uint32_t op : ops) {
        operation o = h.ops[op];
        auto rank = [&](std::uint64_t t) {
            return static_cast<std::uint64_t>(std::lower_bound(times.begin(), times.end(), t) - times.begin());
        };
        o.invoke = first + rank(o.invoke), o.response = first + rank(o.response);
        s.ops.push_back(o);
    }
    for (std::size_t i = 0; i < entry.size(); ++i)
        s.ops.push_back({lane, op_kind::push, h.ops[entry[i]].arg, result_kind::ok, 0, 2 * i + 1, 2 * i + 2});
    for (std::size_t i = 0; i < exit.size(); ++i)
        s.ops.push_back({lane, op_kind::pop, 0, result_kind::value, h.ops[exit[i]].arg, after + 2 * i,
                         after + 2 * i + 1});
    return s;
}

std::vector<std::vector<std::uint32_t>> quiet_segments(const value_links& l, const std::vector<quiet_cut>& cuts) {
    std::vector<std::vector<std::uint32_t>> segments(cuts.size() + 1);
    for (std::size_t rank = 0, c = 0; rank < l.by_invoke.size(); ++rank) {
        if (c < cuts.size() && rank == cuts[c].rank) ++c;
        segments[c].push_back(l.by_invoke[rank]);
    }
    for (auto& s : segments) std::sort(s.begin(), s.end());
    return segments;
}

std::vector<std::vector<std::uint32_t>> clean_pieces(const history& h, const value_links& l, std::size_t min_ops) {
    return quiet_segments(l, quiet_cuts(h, l, 1, min_ops, 0));  // a clean cut: a quiet cut with nothing queued
}

namespace {

// Depth first over the cuts' orders; an order at a cut from which the rest was refuted is
// not tried again, so each segment is judged at most once per pair of orders at its ends.
class between_quiet_cuts {
public:
    between_quiet_cuts(const history& h, const std::vector<quiet_cut>& cuts,
                       const std::vector<std::vector<std::uint32_t>>& segments, const segment_judge& judge)
        : h_(h), cuts_(cuts), segments_(segments), judge_(judge) {
        for (const auto& c : cuts_) refuted_.emplace_back(c.orders.size(), false);
    }
    segment_result run() {
        if (holds_from(0, {})) return segment_result::holds;
        return undecided_ ? segment_result::undecided : segment_result::violation;
    }

private:
    bool holds_from(std::size_t segment, const std::vector<std::uint32_t>& entry) {
        const bool last = segment == cuts_.size();
        const std::size_t exits = last ? 1 : cuts_[segment].orders.size();
        static const std::vector<std::uint32_t> nothing;
        for (std::size_t e = 0; e < exits; ++e) {
            if (!last && refuted_[segment][e]) continue;
            const auto& exit = last ? nothing : cuts_[segment].orders[e];
            const segment_result r =
                judge_(segment, cut_segment(h_, segments_[segment], entry, exit), entry.size());
            if (r == segment_result::undecided) undecided_ = true;
            if (r != segment_result::holds) {
                if (undecided_) return false;
                continue;
            }
            if (last) return true;
            std::vector<std::uint32_t> next = exit;  // the queue at the cut: these, then the values never popped
            next.insert(next.end(), cuts_[segment].never_popped.begin(), cuts_[segment].never_popped.end());
            if (holds_from(segment + 1, next)) return true;
            if (undecided_) return false;
            refuted_[segment][e] = true;
        }
        return false;
    }

    const history& h_;
    const std::vector<quiet_cut>& cuts_;
    const std::vector<std::vector<std::uint32_t>>& segments_;
    const segment_judge& judge_;
    std::vector<std::vector<bool>> refuted_;  // by cut and order: no way on from it holds
    bool undecided_ = false;
};

}  // namespace

segment_result judge_between_quiet_cuts(const history& h, const std::vector<quiet_cut>& cuts,
                                        const std::vector<std::vector<std::uint32_t>>& segments,
                                        const segment_judge& judge) {
    return between_quiet_cuts(h, cuts, segments, judge).run();
}

verdict segment_violation(const history& h, const value_links& l, const std::vector<quiet_cut>& cuts,
                          const std::vector<std::vector<std::uint32_t>>& segments, std::size_t segment,
                          std::size_t entry, const verdict& found) {
    const auto& ops = segments[segment];
    const std::size_t first = segment == 0 ? 0 : cuts[segment - 1].rank;
    const std::size_t last = (segment < cuts.size() ? cuts[segment].rank : l.by_invoke.size()) - 1;
    verdict v{status::violation, {}, {}, rule_kind::no_linearization};
    for (std::size_t w : found.witness)
        v.witness.push_back(w < ops.size() ? ops[w] : l.by_invoke[w < ops.size() + entry ? first : last]);
    if (v.witness.empty()) v.witness.push_back(l.by_invoke[first]);
    std::size_t most_orders = 0;
    for (const auto& c : cuts) most_orders = std::max(most_orders, c.orders.size());
    v.rule = "no linearization exists: cut at " + std::to_string(cuts.size()) +
             " instants at which no operation is open, the values queued standing in at most " +
             std::to_string(most_orders) +
             " orders at each, no choice of those orders gives every segment between two cuts a linearization "
             "(README \"Quiet cuts\"); the first segment refuted holds the ops invoked from " +
             op_where(h, l.by_invoke[first]) + " to " + op_where(h, l.by_invoke[last]);
    return v;
}

}  // namespace ringcheck::oracle::detail
