// The walk over places (README "Given π" and "Which histories give π"): with the queue order π
// fixed, whether a linearization enqueues π's values in that order, in O(n·w^5) states.
#include <array>
#include <unordered_set>

#include "internal.hpp"
#include "search_common.hpp"

namespace ringcheck::oracle::detail {
namespace {

// Whether every linearization enqueues v's value before u's (v, u: successful pushes; README
// "Which histories give π"): push before push, a popped value before one never popped (FIFO: it
// would stay behind it), pop before pop (FIFO) or pop before push. Equal instants overlap.
bool enqueued_before(const history& h, const value_links& l, std::uint32_t v, std::uint32_t u) {
    if (h.ops[v].response < h.ops[u].invoke) return true;
    const std::uint32_t pop_v = l.pop_of[v], pop_u = l.pop_of[u];
    if (pop_v == none) return false;
    if (pop_u == none) return true;
    const std::uint64_t popped_by = h.ops[pop_v].response;
    return popped_by < h.ops[pop_u].invoke || popped_by < h.ops[u].invoke;
}

// Whether `order` is the only one real time allows: each value forced before the next.
bool forced_chain(const history& h, const value_links& l, const std::vector<std::uint32_t>& order) {
    for (std::size_t k = 1; k < order.size(); ++k)
        if (!enqueued_before(h, l, order[k - 1], order[k])) return false;
    return true;
}

// What a read needs at an instant of its interval: the size C, 0, or 0 with the queue closed.
enum read_kind : std::uint8_t { full_read, empty_read, closed_empty_read, reads, not_a_read = reads };

read_kind kind_of(const operation& o) {
    if (is_push_ok(o) || is_pop_value(o) || o.op == op_kind::close) return not_a_read;
    if (needs_full(o)) return full_read;
    if (o.result == result_kind::closed) return is_push(o.op) ? not_a_read : closed_empty_read;
    return empty_read;  // an empty or timed-out pop
}

constexpr std::size_t none_yet = SIZE_MAX;

// A state at a place: values enqueued and dequeued, the flag, and for each read kind the last
// place its size held, as the reads still to be judged tell it apart.
struct walk_state {
    std::uint32_t enqueued, dequeued;
    bool closed;
    std::array<std::size_t, reads> last;
    bool operator==(const walk_state&) const = default;
};
struct walk_state_hash {
    std::size_t operator()(const walk_state& s) const noexcept {
        std::uint64_t x = (std::uint64_t{s.enqueued} << 32 | s.dequeued) * 0x9e3779b97f4a7c15ull + s.closed;
        for (std::size_t l : s.last) x = (x ^ l) * 0xbf58476d1ce4e5b9ull;
        return static_cast<std::size_t>(x ^ (x >> 31));
    }
};

class queue_order_walk {
public:
    queue_order_walk(const history& h, const value_links& l, const std::vector<std::uint32_t>& order)
        : h_(h), order_(order) {
        std::vector<std::uint64_t> times;
        times.reserve(2 * h.ops.size());
        for (const auto& o : h.ops) times.push_back(o.invoke), times.push_back(o.response);
        std::sort(times.begin(), times.end());
        times.erase(std::unique(times.begin(), times.end()), times.end());
        // Place 2j + 1 is times[j]; place 2j the open gap before it; the last, the gap after all.
        auto place = [&](std::uint64_t t) {
            return 2 * static_cast<std::size_t>(std::lower_bound(times.begin(), times.end(), t) - times.begin()) + 1;
        };
        places_ = 2 * times.size() + 1;
        first_.resize(h.ops.size()), last_.resize(h.ops.size());
        ending_.assign(places_ + 1, 0);
        for (std::uint32_t i = 0; i < h.ops.size(); ++i) {
            first_[i] = place(h.ops[i].invoke), last_[i] = place(h.ops[i].response);
            ++ending_[last_[i] + 1];
        }
        for (std::size_t p = 0; p < places_; ++p) ending_[p + 1] += ending_[p];
        ending_ops_.resize(h.ops.size());
        std::vector<std::size_t> fill(ending_.begin(), ending_.end() - 1);
        for (std::uint32_t i = 0; i < h.ops.size(); ++i) ending_ops_[fill[last_[i]]++] = i;
        for (std::uint32_t v : order) pops_.push_back(l.pop_of[v]);
        popped_ = static_cast<std::size_t>(std::count_if(pops_.begin(), pops_.end(), [](auto p) { return p != none; }));
        position_.assign(h.ops.size(), none);
        for (std::uint32_t k = 0; k < order.size(); ++k) {
            position_[order[k]] = k;
            if (pops_[k] != none) position_[pops_[k]] = k;
        }
        for (std::uint32_t i = 0; i < h.ops.size(); ++i)
            if (kind_of(h.ops[i]) != not_a_read) reads_by_first_.push_back(i);
        std::sort(reads_by_first_.begin(), reads_by_first_.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return first_[a] < first_[b]; });
        std::vector<std::int32_t> closes(places_ + 1, 0);
        for (std::uint32_t i = 0; i < h.ops.size(); ++i)
            if (h.ops[i].op == op_kind::close) ++closes[first_[i]], --closes[last_[i] + 1];
        closes_open_.assign(places_, 0);
        std::int64_t open = 0;
        for (std::size_t p = 0; p < places_; ++p) open += closes[p], closes_open_[p] = open > 0;
    }

    // The states the walk may need: 2(P+1)(Q+1)(F+1)(E+1)(Z+1) at each place (README), saturating.
    std::uint64_t state_bound() const {
        std::vector<std::array<std::int64_t, 5>> delta(places_ + 1);  // the three reads, pushes, pops
        for (std::uint32_t i = 0; i < h_.ops.size(); ++i) {
            const operation& o = h_.ops[i];
            const int k = is_push_ok(o) ? 3 : is_pop_value(o) ? 4 : kind_of(o) == not_a_read ? -1 : kind_of(o);
            if (k < 0) continue;
            ++delta[first_[i]][k], --delta[last_[i] + 1][k];
        }
        std::array<std::int64_t, 5> open{};
        std::uint64_t total = 0;
        for (std::size_t p = 0; p < places_; ++p) {
            std::uint64_t here = 2;
            for (int k = 0; k < 5; ++k) {
                open[k] += delta[p][k];
                here = here > (std::uint64_t{1} << 40) ? here : here * static_cast<std::uint64_t>(open[k] + 1);
            }
            total = total > UINT64_MAX - here ? UINT64_MAX : total + here;
        }
        return total;
    }

    search_result run(search_limits& limits) {
        std::vector<walk_state> here{{0, 0, false, {none_yet, none_yet, none_yet}}};
        std::size_t next_read = 0, steps = 0;
        for (std::size_t p = 0; p < places_; ++p) {
            while (next_read < reads_by_first_.size() && first_[reads_by_first_[next_read]] == p) {
                const std::uint32_t r = reads_by_first_[next_read++];
                open_firsts_[kind_of(h_.ops[r])].push_back(first_[r]);  // places grow: stays sorted
            }
            std::unordered_set<walk_state, walk_state_hash> seen;
            std::vector<walk_state> work;
            for (const walk_state& s : here)
                if (auto t = observed(s, p); seen.insert(t).second) work.push_back(t);
            while (!work.empty()) {
                const walk_state s = work.back();
                work.pop_back();
                ++limits.steps_used;
                if (out_of_budget(++steps, 0, 0, 0, limits)) return gave_up_at(p);
                for (walk_state t : moves(s, p))
                    if (seen.insert(t).second) work.push_back(t);
            }
            here.clear();
            for (const walk_state& s : seen)
                if (may_leave(s, p)) here.push_back(s);
            if (here.empty()) return {search_result::not_linearizable, blocked_op(seen, p)};
            close_reads_ending_at(p);
        }
        for (const walk_state& s : here)
            if (s.enqueued == order_.size() && s.dequeued == popped_) return {search_result::linearizable, 0};
        return {search_result::not_linearizable, order_.empty() ? 0 : order_.back()};
    }

private:
    bool fits(std::uint32_t op, std::size_t p) const { return first_[op] <= p && p <= last_[op]; }
    static bool seen_since(std::size_t last, std::size_t first) { return last != none_yet && last >= first; }

    // The size at this place's instant, as the reads see it; each last place kept as the reads
    // still open tell it apart (the latest first place among them at or before it).
    walk_state observed(walk_state s, std::size_t p) const {
        const std::size_t size = s.enqueued - s.dequeued;
        if (size == h_.capacity) s.last[full_read] = p;
        if (size == 0) s.last[empty_read] = p;
        if (size == 0 && s.closed) s.last[closed_empty_read] = p;
        for (int k = 0; k < reads; ++k) {
            const auto& firsts = open_firsts_[k];
            const auto it = std::upper_bound(firsts.begin(), firsts.end(), s.last[k]);
            s.last[k] = s.last[k] == none_yet || it == firsts.begin() ? none_yet : *std::prev(it);
        }
        return s;
    }

    // Enqueue π's next value, dequeue the next, or set the flag with a close that fits the place.
    std::vector<walk_state> moves(const walk_state& s, std::size_t p) const {
        std::vector<walk_state> next;
        if (s.enqueued < order_.size() && !s.closed && s.enqueued - s.dequeued < h_.capacity &&
            fits(order_[s.enqueued], p)) {
            walk_state t = s;
            ++t.enqueued;
            next.push_back(observed(t, p));
        }
        if (s.dequeued < std::min<std::size_t>(s.enqueued, popped_) && fits(pops_[s.dequeued], p)) {
            walk_state t = s;
            ++t.dequeued;
            next.push_back(observed(t, p));
        }
        if (!s.closed && closes_open_[p]) {
            walk_state t = s;
            t.closed = true;
            next.push_back(observed(t, p));
        }
        return next;
    }

    bool done(const walk_state& s, std::uint32_t i) const {
        const operation& o = h_.ops[i];
        if (is_push_ok(o)) return s.enqueued > position_[i];
        if (is_pop_value(o)) return s.dequeued > position_[i];
        const read_kind k = kind_of(o);
        if (k == not_a_read) return s.closed;  // a close, or a push that answered closed
        return seen_since(s.last[k], first_[i]);  // (a last place of size 0 with the flag: closed since)
    }
    bool may_leave(const walk_state& s, std::size_t p) const {
        for (std::size_t j = ending_[p]; j < ending_[p + 1]; ++j)
            if (!done(s, ending_ops_[j])) return false;
        return true;
    }
    // The op that no state could finish at place p: the first that none finishes, else the first
    // that some state leaves undone.
    std::uint32_t blocked_op(const std::unordered_set<walk_state, walk_state_hash>& seen, std::size_t p) const {
        std::uint32_t some = none;
        for (std::size_t j = ending_[p]; j < ending_[p + 1]; ++j) {
            const std::uint32_t i = ending_ops_[j];
            const auto undone = std::count_if(seen.begin(), seen.end(), [&](const auto& s) { return !done(s, i); });
            if (undone == static_cast<std::ptrdiff_t>(seen.size())) return i;
            if (undone && some == none) some = i;
        }
        return some != none ? some : ending_[p] < ending_[p + 1] ? ending_ops_[ending_[p]] : 0;
    }
    void close_reads_ending_at(std::size_t p) {
        for (std::size_t j = ending_[p]; j < ending_[p + 1]; ++j) {
            const std::uint32_t i = ending_ops_[j];
            const read_kind k = kind_of(h_.ops[i]);
            if (k == not_a_read) continue;
            auto& firsts = open_firsts_[k];
            firsts.erase(std::lower_bound(firsts.begin(), firsts.end(), first_[i]));
        }
    }
    search_result gave_up_at(std::size_t p) const {
        std::uint32_t stuck = h_.ops.empty() ? 0 : ending_ops_.back();
        for (std::size_t q = p; q < places_; ++q)
            if (ending_[q] < ending_[q + 1]) {
                stuck = ending_ops_[ending_[q]];
                break;
            }
        return {search_result::gave_up, stuck};
    }

    const history& h_;
    const std::vector<std::uint32_t>& order_;
    std::size_t places_ = 0, popped_ = 0;
    std::vector<std::size_t> first_, last_;
    std::vector<std::size_t> ending_;          // ops ending at place p: ending_ops_[ending_[p], ending_[p + 1])
    std::vector<std::uint32_t> ending_ops_;
    std::vector<std::uint32_t> pops_, position_;  // position_: an ok push's or a value pop's index in order_
    std::vector<std::uint32_t> reads_by_first_;
    std::vector<std::uint8_t> closes_open_;    // a close fits place p
    std::array<std::vector<std::size_t>, reads> open_firsts_;  // first places of the open reads, sorted
};

}  // namespace

std::optional<std::vector<std::uint32_t>> queue_order_real_time_forces(const history& h, const value_links& l) {
    std::vector<std::uint32_t> by_push, popped_by_pop, never_popped;  // successful pushes
    for (std::uint32_t op : l.by_invoke) {
        if (is_push_ok(h.ops[op])) {
            by_push.push_back(op);
            if (l.pop_of[op] == none) never_popped.push_back(op);
        }
        const std::uint32_t push = is_pop_value(h.ops[op]) ? l.push_of[op] : none;
        if (push != none && l.pop_of[push] == op) popped_by_pop.push_back(push);
    }
    // An order in which each value is forced before the next is the one every linearization
    // takes. Two are tried: the pushes by invoke (one producer's), then the values by their pops'
    // invokes, those never popped last (one consumer's, with what it left if pushed in turn).
    if (forced_chain(h, l, by_push)) return by_push;
    popped_by_pop.insert(popped_by_pop.end(), never_popped.begin(), never_popped.end());
    if (forced_chain(h, l, popped_by_pop)) return popped_by_pop;
    return std::nullopt;
}

search_result walk_in_queue_order(const history& h, const value_links& l, const std::vector<std::uint32_t>& order,
                                  search_limits& limits) {
    const auto first_never_popped =
        std::find_if(order.begin(), order.end(), [&](std::uint32_t v) { return l.pop_of[v] == none; });
    const auto popped_after =
        std::find_if(first_never_popped, order.end(), [&](std::uint32_t v) { return l.pop_of[v] != none; });
    if (popped_after != order.end()) return {search_result::not_linearizable, *popped_after};  // FIFO
    return queue_order_walk(h, l, order).run(limits);
}

std::uint64_t walk_state_bound(const history& h, const value_links& l, const std::vector<std::uint32_t>& order) {
    return queue_order_walk(h, l, order).state_bound();
}

}  // namespace ringcheck::oracle::detail
