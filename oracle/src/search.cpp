// Exact search for a linearization: a just-in-time tree search (Lowe 2017)
// specialised to the bounded queue. See README.md "The fast checker".
#include <algorithm>

#include "internal.hpp"
#include "search_common.hpp"
#include "ringcheck/oracle/reference_queue.hpp"

namespace ringcheck::oracle::detail {

namespace {

constexpr std::uint32_t group_still_open = none - 1;  // memo key: the last group takes pushes at this event

// Max over a range of positions; positions are rewritten as the search moves.
class max_tree {
public:
    explicit max_tree(std::size_t n) : n_(std::max<std::size_t>(n, 1)), t_(2 * n_, 0) {}
    void set(std::size_t i, std::uint64_t v) {
        for (t_[i += n_] = v; i > 1; i >>= 1) t_[i >> 1] = std::max(t_[i], t_[i ^ 1]);
    }
    std::uint64_t query(std::size_t lo, std::size_t hi) const {  // [lo, hi)
        std::uint64_t r = 0;
        for (lo += n_, hi += n_; lo < hi; lo >>= 1, hi >>= 1) {
            if (lo & 1) r = std::max(r, t_[lo++]);
            if (hi & 1) r = std::max(r, t_[--hi]);
        }
        return r;
    }

private:
    std::size_t n_;
    std::vector<std::uint64_t> t_;
};

class linearizer {
public:
    linearizer(const history& h, const value_links& l, move_order order);
    search_result run(std::size_t budget, std::size_t fail_budget, search_limits& limits);

private:
    enum class undo_kind : std::uint8_t { linearize, close, advance };
    struct undo_entry {
        undo_kind kind;
        std::uint32_t a;  // op (linearize/close) or position in open_ (advance)
        std::uint32_t b;  // ops opened by the advance; queue position of a popped value
    };

    // Values never popped are interchangeable (they stay at the tail, in any
    // order), so states that differ only in their order are one state.
    std::uint32_t token(std::uint32_t push) const { return l_.pop_of[push] == none ? 0 : push + 1; }
    // Hash weight of a value in the group ending at position `end`: order inside
    // a group does not count, and positions are a function of the state (head_
    // counts the pops placed), unlike the events at which groups were made.
    std::uint64_t weight(std::uint32_t push, std::size_t end) const { return mix(token(push)) * (mix(end + 7) | 1); }
    void move_last_group_end(std::size_t from, std::size_t to);
    std::size_t front_group_end() const;
    std::size_t tail_group_begin() const;
    bool mutates(std::uint32_t op) const;
    bool is_unpopped_push(std::uint32_t op) const;
    std::uint32_t earliest_unpopped_push() const;
    bool legal(std::uint32_t op) const;
    std::uint32_t find_in_front_group(std::uint32_t pop) const;
    void apply(std::uint32_t op);
    void advance();
    void open_until(std::uint64_t t);
    void undo_to(std::size_t mark);
    void settle();
    void eager_read_only();
    bool push_frame();
    void order_helpers(std::uint32_t o, std::vector<std::uint32_t>& helpers) const;
    bool last_group_open() const { return tail_group_begin() < tail_; }
    std::uint64_t key_hash(std::vector<std::uint32_t>& lin_open) const;
    void canonical_queue(std::vector<std::uint32_t>& out) const;
    bool memo_find();
    void memo_insert();

    const history& h_;
    const value_links& l_;
    move_order order_;
    std::size_t n_;
    const big_vector<std::uint32_t>& resp_order_;  // the links' time orders, shared by every search
    const big_vector<std::uint32_t>& inv_order_;
    big_vector<std::uint64_t> pop_inv_, pop_res_;  // per successful push: its pop's times, or `never`
    big_vector<std::uint64_t> pop_key_;            // per successful push: ~midpoint of its pop (estimated effect time)

    // search state
    big_vector<std::uint8_t> lin_;
    std::vector<std::uint32_t> open_;  // invoked, response event not yet passed
    std::size_t k_ = 0, next_inv_ = 0;
    big_vector<std::uint32_t> slots_;  // queue = slots_[head_, tail_): successful push ops
    big_vector<std::size_t> group_;    // per position: the event (slot) its push took effect in
    std::size_t head_ = 0, tail_ = 0;
    max_tree pop_inv_tree_;
    bool closed_ = false;
    std::uint64_t hash_ = 0;  // sum of weights over the queue
    big_vector<undo_entry> undo_;
    big_vector<search_frame> frames_;
    big_vector<std::uint32_t> cands_;

    refuted_states memo_;
    std::vector<std::uint32_t> scratch_, helpers_, lin_open_;

    std::size_t deepest_ = 0;
    std::uint32_t stuck_ = none;
};

linearizer::linearizer(const history& h, const value_links& l, move_order order)
    : h_(h), l_(l), order_(order), n_(h.ops.size()), resp_order_(l.by_response), inv_order_(l.by_invoke),
      pop_inv_(n_, never), pop_res_(n_, never), lin_(n_, 0), pop_inv_tree_(1) {
    std::size_t pushes = 0;
    for (std::uint32_t i = 0; i < n_; ++i) {
        if (!is_push_ok(h.ops[i])) continue;
        ++pushes;
        if (l.pop_of[i] != none) pop_inv_[i] = h.ops[l.pop_of[i]].invoke, pop_res_[i] = h.ops[l.pop_of[i]].response;
    }
    pop_key_.assign(n_, never);
    for (std::uint32_t i = 0; i < n_; ++i)
        if (pop_res_[i] != never)
            pop_key_[i] = order_ == move_order::pop_invoke     ? pop_inv_[i]
                          : order_ == move_order::pop_response ? pop_res_[i]
                                                               : pop_inv_[i] / 2 + pop_res_[i] / 2;
    slots_.resize(pushes + 1);
    group_.resize(pushes + 1);
    pop_inv_tree_ = max_tree(pushes + 1);
}

bool linearizer::is_unpopped_push(std::uint32_t op) const {
    return is_push_ok(h_.ops[op]) && l_.pop_of[op] == none;
}

// Pushes of values never popped are interchangeable: of those open and not yet
// placed, only the one that responds first needs to be tried (README).
std::uint32_t linearizer::earliest_unpopped_push() const {
    std::uint32_t best = none;
    for (auto x : open_) {
        if (lin_[x] || !is_unpopped_push(x)) continue;
        if (best == none || h_.ops[x].response < h_.ops[best].response ||
            (h_.ops[x].response == h_.ops[best].response && x < best))
            best = x;
    }
    return best;
}

bool linearizer::mutates(std::uint32_t op) const {
    const auto& o = h_.ops[op];
    return is_push_ok(o) || is_pop_value(o) || (o.op == op_kind::close && !closed_);
}

bool linearizer::legal(std::uint32_t op) const {
    const auto& o = h_.ops[op];
    queue_view q{tail_ - head_, closed_, std::nullopt};
    if (head_ < tail_) q.front = h_.ops[slots_[head_]].arg;
    if (is_pop_value(o) && find_in_front_group(op) != none) q.front = o.value;  // the group's order is open
    if (!result_legal(q, h_.capacity, o)) return false;
    // Pruning (sound): a value queued behind v (in an earlier group) must not be
    // popped before v's pop is invoked, and nothing popped may queue behind a
    // value never popped.
    return !is_push_ok(o) || pop_res_[op] == never || pop_res_[op] >= pop_inv_tree_.query(head_, tail_group_begin());
}

std::size_t linearizer::front_group_end() const {
    std::size_t e = head_;
    while (e < tail_ && group_[e] == group_[head_]) ++e;
    return e;
}

// Start of the group the current event's pushes join (or tail_ if none yet).
std::size_t linearizer::tail_group_begin() const {
    std::size_t b = tail_;
    while (b > head_ && group_[b - 1] == k_) --b;
    return b;
}

// The group still taking pushes at this event, [tail_group_begin(), tail_),
// ends at `to` instead of `from`: reweigh its values.
void linearizer::move_last_group_end(std::size_t from, std::size_t to) {
    for (std::size_t i = tail_group_begin(); i < tail_; ++i) hash_ += weight(slots_[i], to) - weight(slots_[i], from);
}

std::uint32_t linearizer::find_in_front_group(std::uint32_t pop) const {
    std::uint32_t push = l_.push_of[pop];
    if (push == none) return none;
    for (std::size_t i = head_, e = front_group_end(); i < e; ++i)
        if (slots_[i] == push) return static_cast<std::uint32_t>(i);
    return none;
}

void linearizer::apply(std::uint32_t op) {
    const auto& o = h_.ops[op];
    lin_[op] = 1;
    if (is_push_ok(o)) {
        if (last_group_open()) move_last_group_end(tail_ - 1, tail_);  // it joins this event's group
        slots_[tail_] = op;
        group_[tail_] = k_;
        pop_inv_tree_.set(tail_, pop_inv_[op]);
        hash_ += weight(op, tail_);
        ++tail_;
    } else if (is_pop_value(o)) {
        std::uint32_t at = find_in_front_group(op);  // move the popped value to the front of its group
        hash_ -= weight(slots_[at], front_group_end() - 1);
        std::swap(slots_[head_], slots_[at]);
        pop_inv_tree_.set(at, pop_inv_[slots_[at]]);
        ++head_;
        undo_.push_back({undo_kind::linearize, op, at});
        return;
    } else if (o.op == op_kind::close && !closed_) {
        closed_ = true;
        undo_.push_back({undo_kind::close, op, 0});
        return;
    }
    undo_.push_back({undo_kind::linearize, op, 0});
}

void linearizer::open_until(std::uint64_t t) {
    for (; next_inv_ < n_ && h_.ops[inv_order_[next_inv_]].invoke <= t; ++next_inv_)
        open_.push_back(inv_order_[next_inv_]);
}

// Pass the response event of resp_order_[k_] (already linearized).
void linearizer::advance() {
    std::uint32_t o = resp_order_[k_];
    auto pos = static_cast<std::uint32_t>(std::find(open_.begin(), open_.end(), o) - open_.begin());
    std::swap(open_[pos], open_.back());
    open_.pop_back();
    ++k_;
    std::size_t before = open_.size();
    if (k_ < n_) open_until(h_.ops[resp_order_[k_]].response);
    undo_.push_back({undo_kind::advance, pos, static_cast<std::uint32_t>(open_.size() - before)});
}

void linearizer::undo_to(std::size_t mark) {
    while (undo_.size() > mark) {
        undo_entry e = undo_.back();
        undo_.pop_back();
        if (e.kind == undo_kind::advance) {
            open_.resize(open_.size() - e.b);
            next_inv_ -= e.b;
            open_.push_back(resp_order_[--k_]);
            std::swap(open_[e.a], open_.back());
            continue;
        }
        lin_[e.a] = 0;
        if (e.kind == undo_kind::close) {
            closed_ = false;
        } else if (is_push_ok(h_.ops[e.a])) {
            hash_ -= weight(e.a, --tail_);
            if (last_group_open()) move_last_group_end(tail_, tail_ - 1);
        } else if (is_pop_value(h_.ops[e.a])) {
            --head_;
            hash_ += weight(slots_[head_], front_group_end() - 1);
            std::swap(slots_[head_], slots_[e.b]);
            pop_inv_tree_.set(e.b, pop_inv_[slots_[e.b]]);
        }
    }
}

// Ops that do not change the state are taken as soon as they are legal:
// moving such an op earlier within its interval never hurts (README).
void linearizer::eager_read_only() {
    for (std::size_t i = 0; i < open_.size(); ++i) {
        std::uint32_t op = open_[i];
        if (!lin_[op] && !mutates(op) && legal(op)) apply(op);
    }
}

void linearizer::settle() {
    for (;;) {
        eager_read_only();
        if (k_ == n_ || !lin_[resp_order_[k_]]) return;
        advance();
    }
}

void linearizer::order_helpers(std::uint32_t o, std::vector<std::uint32_t>& helpers) const {
    const auto& op = h_.ops[o];
    bool want_push = is_push(op.op) && op.result != result_kind::ok && op.result != result_kind::closed;
    if (is_pop_value(op) && l_.push_of[o] != none && !lin_[l_.push_of[o]]) want_push = true;
    auto rank = [&](std::uint32_t x) {
        const auto& c = h_.ops[x];
        if (x == l_.push_of[o]) return 0;
        if (c.op == op_kind::close) return op.result == result_kind::closed ? 1 : 3;
        if (is_push_ok(c)) return want_push ? 1 : 2;
        return want_push ? 2 : 1;
    };
    std::sort(helpers.begin(), helpers.end(), [&](auto a, auto b) {
        int ra = rank(a), rb = rank(b);
        if (ra != rb) return ra < rb;
        return pop_key_[a] != pop_key_[b] ? pop_key_[a] < pop_key_[b] : a < b;
    });
}

// Candidates at this state: the op whose response is next (if legal), then
// any other open op that changes the state and is legal now. A push goes
// after the open pushes whose values are expected to be popped earlier (by
// the midpoint of their pops): the likely queue order is tried first.
bool linearizer::push_frame() {
    if (k_ > deepest_ || stuck_ == none) deepest_ = k_, stuck_ = resp_order_[k_];
    if (memo_find()) return false;
    std::uint32_t o = resp_order_[k_];
    search_frame f{undo_.size(), static_cast<std::uint32_t>(cands_.size()), 0, 0, k_};
    auto& helpers = helpers_;
    helpers.clear();
    const std::uint32_t first_unpopped = earliest_unpopped_push();
    for (auto x : open_)
        if (x != o && !lin_[x] && mutates(x) && (!is_unpopped_push(x) || x == first_unpopped) && legal(x))
            helpers.push_back(x);
    order_helpers(o, helpers);
    if (legal(o)) {
        auto first = helpers.begin();
        if (is_push_ok(h_.ops[o]))
            first = std::stable_partition(helpers.begin(), helpers.end(), [&](std::uint32_t x) {
                return is_push_ok(h_.ops[x]) && (order_ == move_order::group_pushes || pop_key_[x] < pop_key_[o]);
            });
        cands_.insert(cands_.end(), helpers.begin(), first);
        cands_.push_back(o);
        cands_.insert(cands_.end(), first, helpers.end());
    } else {
        cands_.insert(cands_.end(), helpers.begin(), helpers.end());
    }
    f.cand_end = static_cast<std::uint32_t>(cands_.size());
    f.next = f.cand_begin;
    frames_.push_back(f);
    return true;
}

// The exact state as the future sees it: the event, the open ops already
// placed and the queue as groups (sorted tokens, each group closed by `none`;
// equal for states that differ only in the order inside a group), plus whether
// the last group was made at this event (a push now may still join it). When a
// group was made matters for nothing else, so it is not in the key (README "A
// bound for fixed capacity and width").
std::uint64_t linearizer::key_hash(std::vector<std::uint32_t>& lin_open) const {
    lin_open.clear();
    for (auto x : open_)
        if (lin_[x]) lin_open.push_back(x);
    std::sort(lin_open.begin(), lin_open.end());
    std::uint64_t k = mix(k_ * 0x9e3779b97f4a7c15ULL ^ hash_ ^ last_group_open());
    for (auto x : lin_open) k = mix(k ^ (x + 0x1234567ULL));
    return k;
}

void linearizer::canonical_queue(std::vector<std::uint32_t>& out) const {
    out.clear();
    for (std::size_t i = head_; i < tail_;) {
        std::size_t j = i;
        while (j < tail_ && group_[j] == group_[i]) out.push_back(token(slots_[j++]));
        std::sort(out.end() - static_cast<std::ptrdiff_t>(j - i), out.end());
        out.push_back(none);
        i = j;
    }
    if (last_group_open()) out.push_back(group_still_open);
}

bool linearizer::memo_find() {
    if (memo_.empty()) return false;
    auto queue = [&](std::vector<std::uint32_t>& out) { canonical_queue(out); };
    return memo_.contains(key_hash(lin_open_), k_, lin_open_, queue, scratch_);
}

void linearizer::memo_insert() {
    auto hash = key_hash(lin_open_);
    canonical_queue(scratch_);
    memo_.insert(hash, k_, lin_open_, scratch_);
}

search_result linearizer::run(std::size_t budget, std::size_t fail_budget, search_limits& limits) {
    const search_result found{search_result::linearizable, none};
    if (n_ == 0) return found;
    open_until(h_.ops[resp_order_[0]].response);
    settle();
    if (k_ == n_) return found;
    push_frame();
    std::size_t fails = 0;
    for (std::size_t steps = 0; !frames_.empty(); ++steps, ++limits.steps_used) {
        if (out_of_budget(steps, budget, fails, fail_budget, limits)) return gave_up_at(frames_, resp_order_, stuck_);
        search_frame& f = frames_.back();
        undo_to(f.undo_mark);
        if (f.next == f.cand_end) {
            ++fails;
            memo_insert();
            cands_.resize(f.cand_begin);
            frames_.pop_back();
            continue;
        }
        apply(cands_[f.next++]);
        settle();
        if (k_ == n_) return found;
        push_frame();
    }
    return {search_result::not_linearizable, stuck_};
}

}  // namespace

search_result search_linearization(const history& h, const value_links& l, std::size_t budget,
                                   std::size_t fail_budget, move_order order, search_limits& limits) {
    if (order == move_order::slots_backwards) {  // read backwards only what has no delivery violation
        if (auto v = find_delivery_violation(h, l))
            return {search_result::not_linearizable, static_cast<std::uint32_t>(v->witness.front())};
        return backward_slot_search(h, l).run(budget, fail_budget, limits);
    }
    if (is_slot_order(order)) return search_slots(h, l, order, budget, fail_budget, limits);
    return linearizer(h, l, order).run(budget, fail_budget, limits);
}

}  // namespace ringcheck::oracle::detail
