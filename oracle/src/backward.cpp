// The history read backwards and the slot search on it (README "Read backwards").
#include <algorithm>

#include "internal.hpp"

namespace ringcheck::oracle::detail {

namespace {

op_kind mirror_kind(op_kind k) {
    switch (k) {
        case op_kind::try_push: return op_kind::try_pop;
        case op_kind::push: return op_kind::pop;
        case op_kind::try_push_for: return op_kind::try_pop_for;
        case op_kind::try_pop: return op_kind::try_push;
        case op_kind::pop: return op_kind::push;
        case op_kind::try_pop_for: return op_kind::try_push_for;
        case op_kind::close: return op_kind::close;
    }
    return k;
}

// The forward order of op indices by a time, read backwards: later times first, and
// ties still by index (as ops_by() sorts them), after the ops added in [0, 1].
big_vector<std::uint32_t> reversed_order(const history& h, const big_vector<std::uint32_t>& forward,
                                         std::uint64_t operation::*time, std::uint32_t added) {
    big_vector<std::uint32_t> order(forward.size() + added);
    const auto n = static_cast<std::uint32_t>(forward.size());
    for (std::uint32_t j = 0; j < added; ++j) order[j] = n + j;
    std::reverse_copy(forward.begin(), forward.end(), order.begin() + added);
    for (auto run = order.begin() + added; run != order.end();) {  // ties came out by index downwards
        auto end = run + 1;
        while (end != order.end() && h.ops[*end].*time == h.ops[*run].*time) ++end;
        std::reverse(run, end);
        run = end;
    }
    return order;
}

}  // namespace

history_read_backwards read_backwards(const history& h, const value_links& l) {
    // Times by rank among the distinct times (a merge of the two time orders), reversed:
    // only their order matters to the search, and ranks leave times 0 and 1 free for the
    // values never popped, which must be queued before anything else.
    const std::size_t n = h.ops.size();
    std::vector<std::uint64_t> invoke_rank(n), response_rank(n);
    std::uint64_t rank = 0, last = 0;
    for (std::size_t i = 0, j = 0; i < n || j < n;) {
        const bool invoke = j == n || (i < n && h.ops[l.by_invoke[i]].invoke <= h.ops[l.by_response[j]].response);
        const std::uint32_t op = invoke ? l.by_invoke[i++] : l.by_response[j++];
        const std::uint64_t t = invoke ? h.ops[op].invoke : h.ops[op].response;
        if (rank == 0 || t != last) ++rank, last = t;
        (invoke ? invoke_rank : response_rank)[op] = rank;
    }
    history_read_backwards r;
    r.h.capacity = h.capacity;
    r.h.ops.reserve(n + h.capacity);
    std::uint32_t threads = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
        operation o = h.ops[i];
        threads = std::max(threads, o.thread + 1);
        o.invoke = rank + 2 - response_rank[i], o.response = rank + 2 - invoke_rank[i];  // the latest time is 2
        if (is_push_ok(h.ops[i])) {  // enqueued: read backwards, dequeued
            o.op = mirror_kind(o.op), o.result = result_kind::value, o.value = o.arg, o.arg = 0;
        } else if (is_pop_value(h.ops[i])) {
            o.op = mirror_kind(o.op), o.result = result_kind::ok, o.arg = o.value, o.value = 0;
        }
        r.h.ops.push_back(o);
        r.mirror_of.push_back(i);
    }
    // Still queued at the end: read backwards, queued at the start, in any order (each
    // its own thread, all in [0, 1]), as they were at the tail in any order FIFO allowed.
    for (std::uint32_t i = 0; i < n; ++i) {
        if (!is_push_ok(h.ops[i]) || l.pop_of[i] != none) continue;
        operation o{threads++, op_kind::push, h.ops[i].arg, result_kind::ok, 0, 0, 1};
        r.h.ops.push_back(o);
        r.mirror_of.push_back(i);
    }
    // The links, read off the forward ones: link_values(r.h) gives the same, sorting again.
    const auto added = static_cast<std::uint32_t>(r.h.ops.size() - n);
    const std::size_t m = r.h.ops.size();
    r.links = value_links{big_vector<std::uint32_t>(m, none), big_vector<std::uint32_t>(m, none),
                          big_vector<std::uint32_t>(m, none), big_vector<std::uint32_t>(m, none),
                          reversed_order(r.h, l.by_invoke, &operation::response, added),
                          reversed_order(r.h, l.by_response, &operation::invoke, added)};
    auto link = [&](std::uint32_t push, std::uint32_t pop) { r.links.pop_of[push] = pop, r.links.push_of[pop] = push; };
    for (std::uint32_t i = 0; i < n; ++i)
        if (is_pop_value(h.ops[i]) && l.push_of[i] != none) link(i, l.push_of[i]);  // a pop, read backwards a push
    for (std::uint32_t j = 0; j < added; ++j) link(static_cast<std::uint32_t>(n + j), r.mirror_of[n + j]);
    return r;
}

backward_slot_search::backward_slot_search(const history& h, const value_links& l)
    : backwards_(read_backwards(h, l)),
      search_(backwards_.h, backwards_.links, move_order::slots_blaming_last_pop, {}, true) {}

search_result backward_slot_search::run(std::size_t budget, std::size_t fail_budget, search_limits& limits) {
    search_result r = search_.run(budget, fail_budget, limits);
    auto original = [&](std::uint32_t op) { return op == none ? none : backwards_.mirror_of[op]; };
    r.stuck = original(r.stuck);
    r.window_first = original(r.window_first), r.window_last = original(r.window_last);
    return r;
}

}  // namespace ringcheck::oracle::detail
