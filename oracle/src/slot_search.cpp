// Exact search over anonymous enqueues ("slots"): the queue is a list of the
// events at which values were enqueued; which value sits in which slot is left
// open until a pop takes the front slot. See README.md "Anonymous slots".
#include <algorithm>
#include <span>
#include <tuple>

#include "internal.hpp"
#include "search_common.hpp"
#include "ringcheck/oracle/reference_queue.hpp"

namespace ringcheck::oracle::detail {

namespace {

// Moves other than "place op i": pass the response of a successful push (its
// value must then sit in a slot), or enqueue into a new slot for a value that
// is popped later / never popped.
constexpr std::uint32_t pass_push = none - 1;
constexpr std::uint32_t enqueue_popped = none - 2;
constexpr std::uint32_t enqueue_kept = none - 3;
// A pop of op i whose value the front slot holds only if its enqueue took
// effect later than the search made it: i | retimed (ops are fewer than 2^30).
constexpr std::uint32_t retimed = 1u << 30;

}  // namespace

class slot_linearizer {
public:
    slot_linearizer(const history& h, const value_links& l, move_order order, detour_tuning detours, bool backwards);
    search_result run(std::size_t budget, std::size_t fail_budget, search_limits& limits);
    slot_search::detour_count detours() const { return detours_; }

private:
    enum class undo_kind : std::uint8_t { place, pop, close, enqueue, advance, pin, retime };
    struct undo_entry {
        undo_kind kind;
        std::uint32_t a;  // op (place/pop/close), position in open_ (advance), front slot's event before (retime)
        std::uint32_t b;  // advance: ops opened
        std::uint32_t c;  // advance: values added to live_kept_
    };
    // Events at which an op placed relied on the size (a full read, a close), in path order.
    std::vector<std::uint32_t> pins_;
    void pin() { pins_.push_back(static_cast<std::uint32_t>(k_)), undo_.push_back({undo_kind::pin, 0, 0, 0}); }
    void pin_if_it_reads_size(const operation& o) {
        if (needs_full(o)) pin();  // it relied on every slot there was
    }
    std::uint32_t retime_for(std::uint32_t pop) const;
    struct slot {
        std::uint32_t event;  // response event at which the enqueue took effect
        bool kept;            // holds a value never popped (never dequeued)
    };

    bool fits(std::uint32_t push, std::uint32_t event) const { return lo_[push] <= event && event <= hi_[push]; }
    void narrow_by_pop_order();
    std::size_t size() const { return tail_ - head_; }
    std::uint64_t pop_key(std::uint32_t push) const { return key_[push]; }
    bool repair();
    std::size_t popped_slots() const { return size() - kept_slots_; }
    bool matchable(std::size_t must_before);
    bool popped_matchable(std::size_t to, std::size_t must_before, bool all_must, std::uint64_t expect_key = never);
    bool kept_matchable(std::size_t from, std::size_t must_before);
    // An earliest-deadline-first pass giving the slots [from, to) values in
    // event order. The popped slots' pass is kept between moves while its slots
    // and the values it took in stay as they were (README "The matching kept
    // between moves"); each version counts the changes to one of the two.
    struct edf_pass {
        std::size_t from = 0, to = 0;   // slots passed
        std::size_t taken_in = 0;       // values (in the order of the first event they fit) taken into the heap
        bool failed = false;            // the slot to - 1 got no value
        std::uint64_t slots_version = 0, values_version = 0;
        std::vector<std::uint32_t> heap;   // values taken in and given no slot, earliest deadline on top
        // Per passed slot from [first_pick]: the value it got, and how many values were taken in before
        // it plus first_pick (each slot dropped from the front took one of those values with it).
        std::vector<std::uint32_t> picks, taken_in_before;
        std::size_t first_pick = 0;
    };
    edf_pass popped_pass_, kept_pass_;
    std::uint64_t slots_version_ = 1, values_version_ = 1;
    bool pass_current(const edf_pass& p) const {
        return p.slots_version == slots_version_ && p.values_version == values_version_;
    }
    // The heap's order: earliest deadline first, ties by op, so that which value a
    // slot gets depends only on which values are in the heap, not on how it got there.
    bool later_deadline(std::uint32_t a, std::uint32_t b) const { return hi_[a] != hi_[b] ? hi_[a] > hi_[b] : a > b; }
    void start_pass(edf_pass& p, std::size_t from);
    void extend_pass(edf_pass& p, std::size_t to, const std::vector<std::uint32_t>& values);
    void take_back_last_slot(edf_pass& p, const std::vector<std::uint32_t>& values);
    bool none_left_must(const edf_pass& p, const std::vector<std::uint32_t>& values, std::size_t must_before,
                        bool all_must, std::uint64_t expect_key) const;
    void live_values_changed(std::uint32_t v);
    bool apply(std::uint32_t move);
    void advance();
    void open_until(std::uint64_t t);
    void undo_to(std::size_t mark);
    void settle();
    void eager_read_only();
    bool push_frame();
    bool pop_fits_front(std::uint32_t pop) const;
    bool pop_keeps_matching(std::uint32_t pop);
    std::uint64_t key_hash(std::vector<std::uint32_t>& placed) const;
    void canonical_queue(std::vector<std::uint32_t>& out) const;
    bool memo_find();
    void memo_insert();

    const history& h_;
    const value_links& l_;
    std::size_t n_;
    const big_vector<std::uint32_t>& resp_order_;  // the links' time orders, shared by every search
    const big_vector<std::uint32_t>& inv_order_;
    big_vector<std::uint32_t> lo_, hi_;     // per op: first event at which it is open, its response event
    big_vector<std::uint32_t> cls_;         // per event: class of events no push's fit tells apart
    std::size_t values_popped_total_ = 0;   // successful pushes whose value is popped
    std::size_t values_kept_total_ = 0;     // ... whose value is never popped

    // search state
    big_vector<std::uint8_t> placed_;
    std::vector<std::uint32_t> open_;
    std::size_t k_ = 0, next_inv_ = 0;
    big_vector<slot> queue_;
    std::size_t head_ = 0, tail_ = 0, kept_slots_ = 0, pops_done_ = 0;
    // The queue's part of the memo key, kept as slots come and go: the sum of
    // each slot's word (mixed) times P^index, with P^head and P^-head to make it
    // relative to the front (P odd, so invertible modulo 2^64).
    static constexpr std::uint64_t P = 0x9e3779b97f4a7c15ULL;
    static constexpr std::uint64_t P_inverse = [] {
        std::uint64_t x = P;  // Newton's iteration doubles the correct low bits each step
        for (int i = 0; i < 6; ++i) x *= 2 - P * x;
        return x;
    }();
    static_assert(P * P_inverse == 1);
    std::uint64_t queue_sum_ = 0, head_power_ = 1, head_inverse_ = 1, tail_power_ = 1;
    std::uint64_t slot_word(std::size_t i) const { return mix(cls_[queue_[i].event] * 2ULL + queue_[i].kept + 1); }
    void hash_enqueue() { queue_sum_ += slot_word(tail_ - 1) * tail_power_, tail_power_ *= P; }
    void hash_unenqueue() { tail_power_ *= P_inverse, queue_sum_ -= slot_word(tail_) * tail_power_; }
    void hash_dequeue() {
        queue_sum_ -= slot_word(head_ - 1) * head_power_, head_power_ *= P, head_inverse_ *= P_inverse;
    }
    void hash_undequeue() {
        head_power_ *= P_inverse, head_inverse_ *= P, queue_sum_ += slot_word(head_) * head_power_;
    }
    void set_front_event(std::uint32_t e) {  // the retimed pop and its undo
        ++slots_version_;
        queue_sum_ -= slot_word(head_) * head_power_;
        queue_[head_].event = e;
        queue_sum_ += slot_word(head_) * head_power_;
    }
    // The flag: set by the first close; on a history read backwards (README "Read backwards")
    // set from the start and cleared by `opening_close_`, the close that responds last, once
    // every other close is placed. Read backwards, a successful push needs no flag and a
    // successful pop needs it cleared.
    const bool backwards_;
    std::uint32_t opening_close_ = none;
    std::size_t closes_left_ = 0;  // backwards: closes not yet placed
    bool closed_ = false;
    void place(std::uint32_t op) {  // an op other than a pop of a value
        placed_[op] = 1;
        closes_left_ -= backwards_ && h_.ops[op].op == op_kind::close;
    }
    bool flips_flag(std::uint32_t op) const {
        return backwards_ ? op == opening_close_ && closed_ : h_.ops[op].op == op_kind::close && !closed_;
    }
    std::vector<std::uint32_t> live_popped_;  // invoked pushes whose value is popped later (not yet), by lo_
    big_vector<std::uint8_t> live_;           // per push: in live_popped_
    std::vector<std::uint32_t>::iterator live_place(std::uint32_t v);
    void add_live(std::uint32_t v);
    void remove_live(std::uint32_t v);
    std::vector<std::uint32_t> live_kept_;    // invoked pushes whose value is never popped
    big_vector<undo_entry> undo_;
    big_vector<search_frame> frames_;
    big_vector<std::uint32_t> cands_;

    refuted_states memo_;
    std::vector<std::uint32_t> scratch_, sorted_, placed_open_, queue_words_;

    std::size_t deepest_ = 0;
    std::uint32_t stuck_ = none;
    // Repairs of the expected dequeue order (move order only, never a verdict).
    big_vector<std::uint64_t> key_;          // per popped value: expected dequeue time (its pop's invoke or response)
    big_vector<std::uint8_t> repairs_;       // per popped value: times its key was changed
    big_vector<std::uint64_t> latest_key_;   // per popped value: when it must have been dequeued at the latest
    void find_latest_keys();
    big_vector<std::uint64_t> earliest_keys() const;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> popped_values_by(std::uint64_t operation::*time,
                                                                          bool of_pop) const;
    std::size_t probe_deepest_ = 0, fails_ = 0, fails_at_probe_ = 0, repairs_total_ = 0;
    // What a repair changes: y (popped out of turn at event k, for the responding
    // pop of x or for another op) should be expected later; or (y == none) x
    // should be expected before key_front, the key of the value at the front.
    struct out_of_turn {
        std::size_t k;
        std::uint32_t x, y;
        std::uint64_t key_front;
        std::uint32_t front = none;
        std::uint32_t slot_event = none;  // the expectations were right, the front slot's event was not
        std::uint32_t late_pop = none;    // ... and this value's pop, placed before that event, made room too early
    };
    big_vector<std::uint8_t> enqueue_late_;  // per event: try enqueueing there after the other moves
    out_of_turn last_out_of_turn_{0, none, none, 0};
    out_of_turn deepest_need_{0, none, none, 0};  // noted at the deepest point itself; preferred
    out_of_turn fallback_need_{0, none, none, 0};  // an early enqueue, tried when the preferred repair changes nothing
    bool repair_with(out_of_turn& note);
    void note_deepest_need();
    std::uint32_t pop_before(std::uint32_t want) const;
    std::uint32_t early_pop(bool last) const;
    bool blame_last_pop_ = false;  // a full read that finds room blames the last early pop, not the first
    std::uint32_t early_enqueued_value() const;
    std::size_t first_frame_from(std::size_t k) const;
    // Hints (move order only): stuck, the search reads the window it is stuck in
    // backwards from the state a few queue lengths before, and expects the values
    // in the order a linearization of that window found backwards dequeues them.
    std::size_t hinted_at_ = none, hint_round_ = 0, hints_ = 0, fails_at_hint_ = 0;
    static constexpr std::size_t hint_rounds = 4;
    // After 4,096 states refuted at the deepest point (and since the last hint); four rounds at
    // one deepest point (and one more that drops them), 64 in all; forward only (read backwards,
    // the search is the hint's).
    bool wants_hint() const {
        const std::size_t rounds = tuning_.drop_hints ? hint_rounds + 1 : hint_rounds;
        return tuning_.hints && !backwards_ && fails_ - fails_at_deepest_ >= 4 * tuning_.after &&
               fails_ - fails_at_hint_ >= 4 * tuning_.after && (hinted_at_ != deepest_ || hint_round_ + 1 < rounds) &&
               hints_ < 64;
    }
    void take_hint(std::size_t& steps, search_limits& limits);
    // The expectations the hints at this deepest point replaced: (value, its expectation before).
    std::vector<std::pair<std::uint32_t, std::uint64_t>> hinted_keys_;
    void drop_hints(std::size_t back);
    void search_again_from(std::size_t frame);
    bool hint_from_window_read_backwards(std::size_t ahead, std::size_t& steps, search_limits& limits);
    bool hint_from_the_pops_other_ends(std::size_t ahead);
    bool expect_by_hint(std::uint32_t value, std::uint64_t key);
    bool by_pop_response_ = false;  // expects values dequeued in the order of their pops' responses
    history window_from_now(std::size_t ahead, std::vector<std::uint32_t>& original);
    big_vector<std::uint8_t> window_queued_;  // per push: its value is queued where a hint's window starts
    // The order the hint's linearization of its window takes the ops in, followed over the window's
    // events [guide_from_, guide_until_): per op its place in that order (none: not in it), the
    // pushes not queued where the window starts in that order, and the slots there were then.
    big_vector<std::uint32_t> guide_place_;
    std::vector<std::uint32_t> guide_ops_, guide_pushes_;
    std::size_t guide_tail_ = 0, guide_from_ = 0, guide_until_ = 0;
    void follow_guide(std::uint32_t cand_begin, std::uint32_t responding);
    void guide_by(const history& w, const history_read_backwards& rb, const slot_linearizer& back,
                  const std::vector<std::uint32_t>& original, std::size_t until);
    std::vector<std::uint32_t> ops_in_path_order() const;
    std::vector<std::uint32_t> values_dequeued() const;
    std::uint32_t impossible_ = none;  // the pop of a value that fits no slot at all
    bool started_ = false;
    std::optional<search_result> decided_;  // once decided, every later call says the same

    // Detours (move order only, never a verdict): stuck below the deepest point,
    // try one other move at an earlier choice point, searched below with a small
    // budget, and keep it if it gets deeper than the search has been.
    enum class step_result { go_on, found };
    step_result step();
    step_result detour(std::size_t& steps, std::size_t budget, search_limits& limits);
    enum class detour_result { found, deeper, refuted, gave_up };
    detour_result search_detour(std::size_t i, std::uint32_t move, std::size_t deepest, std::size_t& steps,
                                std::size_t budget, search_limits& limits);
    void put_replaced_move_last(std::uint32_t cand_begin);
    detour_result try_detour(std::size_t i, std::uint32_t move, std::size_t deepest, std::size_t& steps,
                             std::size_t budget, search_limits& limits);
    void set_aside_path_above(std::size_t i);
    void walk_down_set_aside_path(std::size_t i);
    void bring_back_path_above(std::size_t i);
    void replay_path_from(std::size_t i);
    void retake_move_of(std::size_t i, std::size_t mark_above);
    const detour_tuning tuning_;
    bool in_detour_ = false;
    std::size_t fails_at_deepest_ = 0, fails_at_detour_ = 0;
    std::size_t search_steps_ = 0, detour_steps_ = 0;  // detours get no more steps than the search itself
    // Rounds at this deepest point: each of the first four reaches farther back; the next twelve go
    // over the same four windows again with 4x, 16x and 64x the budget per detour.
    std::size_t detoured_at_ = 0, detour_round_ = 0;
    std::size_t detour_scale() const { return std::size_t{1} << (2 * (detour_round_ / 4)); }
    slot_search::detour_count detours_{0, 0};
    big_vector<search_frame> saved_frames_;  // the path set aside in a round of detours: frames aside_from_...
    std::size_t aside_from_ = 0;
    // Inside a detour: the move it replaced, tried last up to the deepest point (`none` outside detours).
    std::uint32_t replaced_move_ = none;
    std::size_t detour_deepest_ = 0;
    std::vector<std::uint32_t> saved_cands_, detour_moves_;
};

slot_linearizer::slot_linearizer(const history& h, const value_links& l, move_order order,
                                 detour_tuning detours, bool backwards)
    : h_(h), l_(l), n_(h.ops.size()), resp_order_(l.by_response), inv_order_(l.by_invoke), lo_(n_), hi_(n_),
      placed_(n_, 0), backwards_(backwards), live_(n_, 0),
      blame_last_pop_(order == move_order::slots_blaming_last_pop),
      by_pop_response_(order == move_order::slots_by_pop_response), tuning_(detours) {
    // The path's arrays reach about one frame, four undo entries and four moves per op
    // (10^6-op adversarial histories); reserved now, they need not be copied while they
    // grow, and pages are touched only as the path gets there.
    frames_.reserve(n_ + 16), undo_.reserve(4 * n_ + 16), cands_.reserve(4 * n_ + 16);
    for (std::uint32_t k = 0; k < n_; ++k) hi_[resp_order_[k]] = k;
    if (backwards_)
        for (std::uint32_t o : resp_order_)
            if (h.ops[o].op == op_kind::close) opening_close_ = o, ++closes_left_, closed_ = true;
    // Open from the first response event not before its invoke: ops by invoke
    // meet the response events in order, so one merge instead of a search per op.
    std::uint32_t first_not_before = 0;
    for (std::uint32_t i : inv_order_) {
        while (first_not_before < n_ && h.ops[resp_order_[first_not_before]].response < h.ops[i].invoke)
            ++first_not_before;
        lo_[i] = first_not_before;
    }
    // Two events are one class when no successful push starts or stops fitting
    // between them: cls = #pushes open by k + #pushes responded before k.
    std::vector<std::uint32_t> starts(n_ + 1, 0), ends(n_ + 1, 0);
    for (std::uint32_t i = 0; i < n_; ++i) {
        if (!is_push_ok(h.ops[i])) continue;
        ++starts[lo_[i]], ++ends[hi_[i] + 1];
        (l.pop_of[i] == none ? values_kept_total_ : values_popped_total_)++;
    }
    cls_.resize(n_ + 1);
    std::uint32_t c = 0;
    for (std::size_t k = 0; k <= n_; ++k) cls_[k] = c += starts[k] + ends[k];
    queue_.resize(values_popped_total_ + values_kept_total_ + 1);
    narrow_by_pop_order();
    key_.assign(n_, 0), repairs_.assign(n_, 0), enqueue_late_.assign(n_ + 1, 0);
    for (std::uint32_t i = 0; i < n_; ++i)
        if (is_push_ok(h.ops[i]) && l.pop_of[i] != none)
            key_[i] = by_pop_response_ ? h.ops[l.pop_of[i]].response : h.ops[l.pop_of[i]].invoke;
    find_latest_keys();
    const auto earliest = earliest_keys();
    for (std::uint32_t i = 0; i < n_; ++i) key_[i] = std::min(std::max(key_[i], earliest[i]), latest_key_[i]);
}

// A popped value is dequeued after every popped value whose push returned
// before its own push was invoked (FIFO), so no earlier than the last of their
// pops' invokes, nor than its own pop's.
big_vector<std::uint64_t> slot_linearizer::earliest_keys() const {
    big_vector<std::uint64_t> earliest(n_, 0);
    const auto by_res = popped_values_by(&operation::response, false);
    std::size_t before = 0;
    std::uint64_t last_invoke = 0;  // of the pops of the values whose push returned before this one's invoke
    for (std::uint32_t v : inv_order_) {
        if (!is_push_ok(h_.ops[v]) || l_.pop_of[v] == none) continue;
        for (; before < by_res.size() && by_res[before].first < h_.ops[v].invoke; ++before)
            last_invoke = std::max(last_invoke, h_.ops[l_.pop_of[by_res[before].second]].invoke);
        earliest[v] = std::max(h_.ops[l_.pop_of[v]].invoke, last_invoke);
    }
    return earliest;
}

// A popped value is dequeued before every popped value whose push was invoked
// after its own push returned (FIFO), so no later than the first of their pops'
// responses, nor than its own pop's.
void slot_linearizer::find_latest_keys() {
    latest_key_.assign(n_, never);
    // The values by their push's invoke, and the first pop response among them from each position on.
    const auto by_inv = popped_values_by(&operation::invoke, false);
    std::vector<std::uint64_t> suffix(by_inv.size() + 1, never);
    for (std::size_t i = by_inv.size(); i-- > 0;)
        suffix[i] = std::min(suffix[i + 1], h_.ops[l_.pop_of[by_inv[i].second]].response);
    // Values by their push's response: the first push invoked after it only moves on.
    std::size_t after = 0;
    for (std::uint32_t v : resp_order_) {
        if (!is_push_ok(h_.ops[v]) || l_.pop_of[v] == none) continue;
        while (after < by_inv.size() && by_inv[after].first <= h_.ops[v].response) ++after;
        latest_key_[v] = std::min(h_.ops[l_.pop_of[v]].response, suffix[after]);
    }
}

// At a new deepest point, note which expectation was likely wrong: a full push
// that finds room, or a push that finds the queue full with no open pop able to
// make room, blames the first pop taken before its response that could have come
// later; a push that finds the queue full while the open pops' values are all
// behind the front blames the expected order of the one that responds first.
void slot_linearizer::note_deepest_need() {
    const std::uint32_t o = resp_order_[k_];
    const auto& op = h_.ops[o];
    if (needs_full(op) && !placed_[o] &&
        size() < h_.capacity) {
        // A full push that finds room: a pop was taken too early.
        const std::uint32_t early = early_pop(blame_last_pop_);
        if (early != none) deepest_need_ = {k_, none, early, 0};
        return;
    }
    if (!is_push_ok(h_.ops[o]) || size() < h_.capacity || popped_slots() == 0) return;
    std::uint32_t want = none, behind = none;  // behind: a value that does not fit the front slot
    for (auto p : open_) {
        if (placed_[p] || !is_pop_value(h_.ops[p])) continue;
        const std::uint32_t v = l_.push_of[p];
        if (v == none || !live_[v]) continue;
        const bool at_front = pop_fits_front(p);
        if (at_front && pop_keeps_matching(p)) return;  // it can make room
        if (want == none || hi_[p] < hi_[l_.pop_of[want]]) want = v;
        if (!at_front && (behind == none || hi_[p] < hi_[l_.pop_of[behind]])) behind = v;
    }
    const std::uint32_t enqueued_early = early_enqueued_value();
    if (enqueued_early != none) fallback_need_ = {k_, none, enqueued_early, 0};
    if (want == none) {  // no pop can make room: an earlier one should have waited for it
        const std::uint32_t early = early_pop(false);
        if (early != none) deepest_need_ = {k_, none, early, 0};
        return;
    }
    std::uint64_t front = never;
    std::uint32_t front_value = none;
    for (auto v : live_popped_)
        if (fits(v, queue_[head_].event) && key_[v] < front) front = key_[v], front_value = v;
    if (front_value == want && behind != none) want = behind;  // want is expected first already: move the one behind
    if (front != never && front > 0 && key_[want] >= front) deepest_need_ = {k_, want, none, front, front_value};
    else if (front != never) deepest_need_ = {k_, want, none, 0, front_value, queue_[head_].event, pop_before(want)};
}

// The queue is full and no open pop can make room. If fewer values had to be
// queued (their pushes responded) than there are slots, a slot was filled before
// it had to be: blame the value with a push still open that can be dequeued latest.
std::uint32_t slot_linearizer::early_enqueued_value() const {
    const std::uint64_t now = h_.ops[resp_order_[k_]].response;
    std::size_t must_be_queued = 0;
    std::uint32_t latest = none;
    for (auto v : live_popped_) {
        if (h_.ops[v].response < now) {
            ++must_be_queued;
            continue;
        }
        if (lo_[v] > k_ || key_[v] >= latest_key_[v]) continue;  // not in a slot yet, or expected late already
        if (latest == none || latest_key_[v] > latest_key_[latest]) latest = v;
    }
    return must_be_queued < popped_slots() ? latest : none;
}

// Whether taking the front slot for `pop` leaves the values a matching.
bool slot_linearizer::pop_keeps_matching(std::uint32_t pop) {
    const std::size_t mark = undo_.size();
    const bool ok = apply(pop);
    undo_to(mark);
    return ok;
}

// The value of a pop on the path, since the first event of an op still open,
// that was placed before its response event and could be expected later: the
// first such pop (the pops after it may only have followed it) or, if `last`,
// the last (the one whose value would be at the front again had it waited).
std::uint32_t slot_linearizer::early_pop(bool last) const {
    std::size_t first_open = k_;
    for (auto p : open_) first_open = std::min<std::size_t>(first_open, lo_[p]);
    std::size_t f = first_frame_from(first_open);
    std::uint32_t found = none;
    for (std::size_t u = f == frames_.size() ? undo_.size() : frames_[f].undo_mark; u < undo_.size(); ++u) {
        while (f + 1 < frames_.size() && frames_[f + 1].undo_mark <= u) ++f;  // the frame that made entry u
        const std::uint32_t p = undo_[u].a;
        if (undo_[u].kind != undo_kind::pop || frames_[f].k >= hi_[p]) continue;
        const std::uint32_t v = l_.push_of[p];
        if (v == none || key_[v] >= latest_key_[v]) continue;
        found = v;
        if (!last) break;
    }
    return found;
}

// The front slot, made at an event `want` does not fit, was needed because a
// pop placed before that event had made room: the latest such pop on the path
// that could instead have waited until `want` fits.
std::uint32_t slot_linearizer::pop_before(std::uint32_t want) const {
    const std::uint32_t e = queue_[head_].event;
    const std::size_t after = first_frame_from(e + std::size_t{1});
    const std::size_t mark = after == frames_.size() ? undo_.size() : frames_[after].undo_mark;
    for (std::size_t i = mark; i-- > 0;) {
        const undo_entry& u = undo_[i];
        if (u.kind != undo_kind::pop) continue;
        const std::uint32_t v = l_.push_of[u.a];
        if (hi_[u.a] >= lo_[want] && key_[v] < latest_key_[v]) return v;
        if (hi_[u.a] + h_.capacity < e) break;  // long done before the slot: look no further
    }
    return none;
}

// The first choice point on the path at event k or later (events never decrease along it).
std::size_t slot_linearizer::first_frame_from(std::size_t k) const {
    return static_cast<std::size_t>(
        std::partition_point(frames_.begin(), frames_.end(), [&](const search_frame& f) { return f.k < k; }) -
        frames_.begin());
}

// Stuck below the deepest point for a while: change the key the note blames and
// search again from the first frame at or after the event where the values
// involved could first be enqueued. The frames above are dropped unexplored
// (nothing is memoised for them) and that frame tries all its moves again, so
// the search stays exact; keys change a bounded number of times.
bool slot_linearizer::repair() {
    if (fails_ - fails_at_probe_ < 64 || repairs_total_ >= 4 * values_popped_total_) return false;
    out_of_turn& note = deepest_need_.x != none || deepest_need_.y != none ? deepest_need_ : last_out_of_turn_;
    return repair_with(note) || repair_with(fallback_need_);
}

// One repair from one note; false (nothing changed) if the note has nothing left to change.
bool slot_linearizer::repair_with(out_of_turn& note) {
    const auto [k, x, y, key_front, front_value, slot_event, late_pop] = note;
    if (x == none && y == none) return false;
    note.x = note.y = none;
    const bool postpone = slot_event != none && late_pop != none && key_[late_pop] < latest_key_[late_pop];
    const std::uint32_t moved = postpone ? late_pop : y == none ? x : y;
    if (repairs_[moved] >= 4) return false;
    std::size_t from;
    if (postpone) {  // the pop that made room for the pinned slot: expect it as late as it can be
        key_[late_pop] = latest_key_[late_pop];
        from = std::min<std::size_t>(lo_[late_pop], slot_event);
    } else if (slot_event != none) {  // enqueues where x cannot fit yet are tried last
        bool marked = false;
        for (std::size_t e = slot_event; e < std::max<std::size_t>(lo_[x], slot_event + 1); ++e)
            if (!enqueue_late_[e]) enqueue_late_[e] = 1, marked = true;
        if (!marked) return false;
        from = std::min<std::size_t>(slot_event, lo_[front_value]);
    } else if (y == none) {  // x was needed at the front: expect it before the values there
        if (key_[x] < key_front) return false;
        key_[x] = key_front - 1;
        from = front_value != none ? std::min(lo_[x], lo_[front_value]) : lo_[x];
    } else {  // y was popped out of turn: expect it as late as it can be dequeued
        const std::uint64_t later = std::max(x == none ? 0 : key_[x] + 1, latest_key_[y]);
        if (key_[y] >= later) return false;
        key_[y] = later;
        from = x == none ? lo_[y] : std::min(lo_[x], lo_[y]);
    }
    ++repairs_[moved], ++repairs_total_;
    const std::size_t i = first_frame_from(from);
    if (i == frames_.size()) return false;
    undo_to(frames_[i].undo_mark);
    search_again_from(i);
    return true;
}

// Values are dequeued in slot order, so if pop(a) returns before pop(b) is
// invoked, a's slot comes before b's: a's slot is no later than the last event
// b fits, and b's no earlier than the first a fits. The relation is an
// interval order (transitive), so one pass over the direct successors gives
// the final windows. Afterwards lo_/hi_ of a popped value's push are these
// narrowed windows (README "Anonymous slots").
void slot_linearizer::narrow_by_pop_order() {
    const auto by_inv = popped_values_by(&operation::invoke, true), by_res = popped_values_by(&operation::response, true);
    const std::size_t m = by_inv.size();
    std::vector<std::uint32_t> suffix_hi(m + 1, none), prefix_lo(m + 1, 0);
    for (std::size_t i = m; i-- > 0;) suffix_hi[i] = std::min(suffix_hi[i + 1], hi_[by_inv[i].second]);
    for (std::size_t i = 0; i < m; ++i) prefix_lo[i + 1] = std::max(prefix_lo[i], lo_[by_res[i].second]);
    // Each pass meets the other order's times in order (two pointers, no search
    // per value); both read the windows as they were before this function.
    std::size_t later = 0;  // first pop invoked after this one returned
    for (auto [res, v] : by_res) {
        while (later < m && by_inv[later].first <= res) ++later;
        hi_[v] = std::min(hi_[v], suffix_hi[later]);
    }
    std::size_t earlier = 0;  // first pop that returns no earlier than this one is invoked
    for (auto [inv, v] : by_inv) {
        while (earlier < m && by_res[earlier].first < inv) ++earlier;
        lo_[v] = std::max(lo_[v], prefix_lo[earlier]);
    }
    // The one named is the last by (pop invoke, push), as when these were sorted pairs.
    std::pair<std::uint64_t, std::uint32_t> named{0, none};
    for (auto [inv, v] : by_inv)
        if (lo_[v] > hi_[v] && (named.second == none || std::pair{inv, v} > named)) named = {inv, v};
    if (named.second != none) impossible_ = l_.pop_of[named.second];
}

// The popped values (their successful pushes), each with `time` of its pop
// (`of_pop`) or of its push, in that order: the links' time order filtered,
// ties by op index, no sort.
std::vector<std::pair<std::uint64_t, std::uint32_t>> slot_linearizer::popped_values_by(std::uint64_t operation::*time,
                                                                                      bool of_pop) const {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> values;
    for (std::uint32_t op : time == &operation::invoke ? l_.by_invoke : l_.by_response) {
        std::uint32_t v = op;
        if (of_pop) {
            if (!is_pop_value(h_.ops[op]) || l_.push_of[op] == none || l_.pop_of[l_.push_of[op]] != op) continue;
            v = l_.push_of[op];
        } else if (!is_push_ok(h_.ops[op]) || l_.pop_of[op] == none) {
            continue;
        }
        values.emplace_back(h_.ops[op].*time, v);
    }
    return values;
}

// live_popped_ stays sorted by the first event each value fits (then op), the
// order the matching takes values in: no sort per state.
std::vector<std::uint32_t>::iterator slot_linearizer::live_place(std::uint32_t v) {
    return std::lower_bound(live_popped_.begin(), live_popped_.end(), v,
                            [&](auto a, auto b) { return lo_[a] != lo_[b] ? lo_[a] < lo_[b] : a < b; });
}
void slot_linearizer::add_live(std::uint32_t v) {
    live_values_changed(v);
    live_popped_.insert(live_place(v), v), live_[v] = 1;
}
void slot_linearizer::remove_live(std::uint32_t v) {
    live_values_changed(v);
    live_popped_.erase(live_place(v)), live_[v] = 0;
}

// A value that fits no slot the popped pass has passed (its first event is
// later) is not in the pass yet: its coming or going leaves the pass as it is.
// The slots dropped from the pass's front count as passed (a pop's undo takes
// them back).
void slot_linearizer::live_values_changed(std::uint32_t v) {
    auto& p = popped_pass_;
    const std::size_t passed_end = p.to > p.from ? p.to : p.from;
    const bool not_taken_in = passed_end == p.from - p.first_pick || lo_[v] > queue_[passed_end - 1].event;
    const bool current = pass_current(p);
    ++values_version_;
    if (current && not_taken_in) p.values_version = values_version_;
}

void slot_linearizer::open_until(std::uint64_t t) {
    for (; next_inv_ < n_ && h_.ops[inv_order_[next_inv_]].invoke <= t; ++next_inv_) {
        std::uint32_t op = inv_order_[next_inv_];
        open_.push_back(op);
        if (!is_push_ok(h_.ops[op])) continue;
        if (l_.pop_of[op] == none) {
            live_kept_.push_back(op);
        } else {
            add_live(op);
        }
    }
}

void slot_linearizer::advance() {
    std::uint32_t o = resp_order_[k_];
    auto pos = static_cast<std::uint32_t>(std::find(open_.begin(), open_.end(), o) - open_.begin());
    std::swap(open_[pos], open_.back());
    open_.pop_back();
    ++k_;
    std::size_t before = open_.size(), kept_before = live_kept_.size();
    if (k_ < n_) open_until(h_.ops[resp_order_[k_]].response);
    undo_.push_back({undo_kind::advance, pos, static_cast<std::uint32_t>(open_.size() - before),
                     static_cast<std::uint32_t>(live_kept_.size() - kept_before)});
}

void slot_linearizer::undo_to(std::size_t mark) {
    while (undo_.size() > mark) {
        undo_entry e = undo_.back();
        undo_.pop_back();
        switch (e.kind) {
            case undo_kind::advance:
                live_kept_.resize(live_kept_.size() - e.c);
                for (std::uint32_t i = 0; i < e.b; ++i) {
                    std::uint32_t op = inv_order_[--next_inv_];
                    if (is_push_ok(h_.ops[op]) && l_.pop_of[op] != none) remove_live(op);
                }
                open_.resize(open_.size() - e.b);
                open_.push_back(resp_order_[--k_]);
                std::swap(open_[e.a], open_.back());
                break;
            case undo_kind::enqueue:
                if (queue_[--tail_].kept) --kept_slots_;
                if (tail_ < popped_pass_.to) {  // a slot the popped pass had reached is gone
                    if (pass_current(popped_pass_) && popped_pass_.to > popped_pass_.from)
                        take_back_last_slot(popped_pass_, live_popped_);
                    else
                        ++slots_version_;
                }
                hash_unenqueue();
                break;
            case undo_kind::pin: pins_.pop_back(); break;
            case undo_kind::retime: set_front_event(e.a); break;
            case undo_kind::pop: {
                placed_[e.a] = 0;
                --head_, --pops_done_;
                hash_undequeue();
                const std::uint32_t v = l_.push_of[e.a];
                // The popped pass went on without this slot and its value: it takes both back.
                auto& p = popped_pass_;
                const bool pass_goes_back =
                    pass_current(p) && p.from == head_ + 1 && p.first_pick > 0 && p.picks[p.first_pick - 1] == v;
                add_live(v);
                if (pass_goes_back) --p.from, --p.first_pick, ++p.taken_in, p.values_version = values_version_;
                break;
            }
            case undo_kind::close: closed_ = !closed_; [[fallthrough]];
            case undo_kind::place:
                placed_[e.a] = 0;
                closes_left_ += backwards_ && h_.ops[e.a].op == op_kind::close;
                break;
        }
    }
}

// Can the values still to be popped be given distinct slots of queue_[head_,
// to), each slot one value whose push interval contains the slot's event, with
// every value whose push responded before event `must_before` (and all of them
// if `all_must`; and, for the move order, every value expected no later than
// `expect_key`) among them? Slots are in event order and each value fits a
// contiguous run of them, so earliest-deadline-first decides it exactly
// (README). The pass goes on from where it stopped if it covers a prefix of
// these slots.
bool slot_linearizer::popped_matchable(std::size_t to, std::size_t must_before, bool all_must,
                                       std::uint64_t expect_key) {
    const auto& values = live_popped_;  // in the order of the first event each fits
    if (values.size() < to - head_) return false;
    if (all_must && values.size() != to - head_) return false;
    auto& p = popped_pass_;
    if (!(pass_current(p) && p.from == head_ && p.to <= to)) {
        start_pass(p, head_);
        p.slots_version = slots_version_, p.values_version = values_version_;
    }
    extend_pass(p, to, values);
    return !p.failed && none_left_must(p, values, must_before, all_must, expect_key);
}

// The same for the values never popped and the slots [from, tail_) after the
// popped ones; few, so a new pass each time.
bool slot_linearizer::kept_matchable(std::size_t from, std::size_t must_before) {
    if (live_kept_.size() < tail_ - from) return false;
    sorted_.assign(live_kept_.begin(), live_kept_.end());
    std::sort(sorted_.begin(), sorted_.end(), [&](auto a, auto b) { return lo_[a] < lo_[b]; });
    start_pass(kept_pass_, from);
    extend_pass(kept_pass_, tail_, sorted_);
    return !kept_pass_.failed && none_left_must(kept_pass_, sorted_, must_before, false, never);
}

void slot_linearizer::start_pass(edf_pass& p, std::size_t from) {
    p.from = p.to = from, p.taken_in = 0, p.failed = false;
    p.heap.clear(), p.picks.clear(), p.taken_in_before.clear(), p.first_pick = 0;
}

// Each slot in event order takes, of the values that fit it by then, the one
// whose push responded first: values fit contiguous runs of slots, so this
// earliest-deadline-first rule finds a matching whenever one exists (README).
void slot_linearizer::extend_pass(edf_pass& p, std::size_t to, const std::vector<std::uint32_t>& values) {
    auto later = [&](auto a, auto b) { return later_deadline(a, b); };
    for (; !p.failed && p.to < to; ++p.to) {
        const std::uint32_t e = queue_[p.to].event;
        p.taken_in_before.push_back(static_cast<std::uint32_t>(p.taken_in + p.first_pick));
        for (; p.taken_in < values.size() && lo_[values[p.taken_in]] <= e; ++p.taken_in)
            p.heap.push_back(values[p.taken_in]), std::push_heap(p.heap.begin(), p.heap.end(), later);
        // None fits, or a value whose push responded before this slot can use no later slot.
        if (p.heap.empty() || hi_[p.heap.front()] < e) {
            p.failed = true;
            p.picks.push_back(none);
            continue;
        }
        std::pop_heap(p.heap.begin(), p.heap.end(), later);
        p.picks.push_back(p.heap.back());
        p.heap.pop_back();
    }
}

// The pass as it was before it reached its last slot: that slot's value goes
// back into the heap, the values first taken in at it come out.
void slot_linearizer::take_back_last_slot(edf_pass& p, const std::vector<std::uint32_t>& values) {
    auto later = [&](auto a, auto b) { return later_deadline(a, b); };
    const std::size_t before = p.taken_in_before.back() - p.first_pick;
    if (p.picks.back() != none) p.heap.push_back(p.picks.back());
    p.picks.pop_back(), p.taken_in_before.pop_back(), --p.to;
    if (p.taken_in > before) {
        auto taken_at_slot = [&](std::uint32_t v) {
            return std::find(values.begin() + before, values.begin() + p.taken_in, v) != values.begin() + p.taken_in;
        };
        p.heap.erase(std::remove_if(p.heap.begin(), p.heap.end(), taken_at_slot), p.heap.end());
        p.taken_in = before;
    }
    std::make_heap(p.heap.begin(), p.heap.end(), later);
    p.failed = false;
}

// Every value left without a slot may still wait: its push responds at or after
// `must_before` (none may wait if `all_must`; for the move order, none expected
// no later than `expect_key`).
bool slot_linearizer::none_left_must(const edf_pass& p, const std::vector<std::uint32_t>& values,
                                     std::size_t must_before, bool all_must, std::uint64_t expect_key) const {
    auto must = [&](std::uint32_t v) {
        return all_must || hi_[v] < must_before || (expect_key != never && key_[v] <= expect_key);
    };
    for (auto v : p.heap)
        if (must(v)) return false;
    for (std::size_t j = p.taken_in; j < values.size(); ++j)
        if (must(values[j])) return false;
    return true;
}

bool slot_linearizer::matchable(std::size_t must_before) {
    const std::size_t split = tail_ - kept_slots_;
    // Once a kept slot exists, every value still to be popped must already be queued before it.
    const bool all_popped_queued = kept_slots_ > 0;
    if (all_popped_queued && live_popped_.size() != values_popped_total_ - pops_done_) return false;
    return popped_matchable(split, must_before, all_popped_queued) && kept_matchable(split, must_before);
}

// The front slot does not hold `pop`'s value at its event, but would at a later
// one: the first event the value fits, if that is no later than now, than the
// value's own response, than the next slot's event, and no op placed from the
// slot's event on relied on the size (README "Anonymous slots": moving an
// enqueue later only lowers the size in between). Else none.
std::uint32_t slot_linearizer::retime_for(std::uint32_t pop) const {
    if (head_ == tail_ - kept_slots_) return none;
    const std::uint32_t v = l_.push_of[pop];
    if (v == none || !live_[v]) return none;
    const std::uint32_t from = queue_[head_].event, t = lo_[v];
    if (t <= from || t > hi_[v] || t > k_) return none;
    if (head_ + 1 < tail_ && queue_[head_ + 1].event < t) return none;
    const auto pin = std::lower_bound(pins_.begin(), pins_.end(), from);  // pins_ is in time order
    if (pin != pins_.end() && *pin < t) return none;
    return t;
}

bool slot_linearizer::pop_fits_front(std::uint32_t pop) const {
    if (head_ == tail_ - kept_slots_) return false;  // no slot that is ever dequeued
    std::uint32_t v = l_.push_of[pop];
    return v != none && live_[v] && fits(v, queue_[head_].event);
}

// Applies a move if it is legal; false (state unchanged up to the undo log) if not.
bool slot_linearizer::apply(std::uint32_t move) {
    if (move == pass_push) {
        if (!matchable(k_ + 1)) return false;
        advance();
        return true;
    }
    if (move == enqueue_popped || move == enqueue_kept) {
        const bool kept = move == enqueue_kept;
        if ((closed_ && !backwards_) || size() >= h_.capacity) return false;
        if (!kept && (kept_slots_ > 0 || popped_slots() + pops_done_ >= values_popped_total_)) return false;
        if (kept && kept_slots_ >= values_kept_total_) return false;
        queue_[tail_++] = slot{static_cast<std::uint32_t>(k_), kept};
        hash_enqueue();
        kept_slots_ += kept;
        undo_.push_back({undo_kind::enqueue, 0, 0, 0});
        return matchable(k_);
    }
    if (move & retimed) {  // the front slot's enqueue took effect later: when its value fits
        const std::uint32_t pop = move & ~retimed, t = retime_for(pop);
        if (t == none) return false;
        undo_.push_back({undo_kind::retime, queue_[head_].event, 0, 0});
        set_front_event(t);
        return apply(pop);
    }
    const auto& o = h_.ops[move];
    if (is_pop_value(o)) {
        if (!pop_fits_front(move) || (backwards_ && closed_)) return false;
        std::uint32_t v = l_.push_of[move];
        // The popped pass gave the front slot this value: without both, the rest of
        // the pass is what a pass from the next slot gives.
        auto& p = popped_pass_;
        const bool pass_goes_on =
            pass_current(p) && p.from == head_ && p.picks.size() > p.first_pick && p.picks[p.first_pick] == v;
        remove_live(v);
        placed_[move] = 1;
        ++head_, ++pops_done_;
        hash_dequeue();
        undo_.push_back({undo_kind::pop, move, 0, 0});
        if (pass_goes_on) ++p.from, ++p.first_pick, --p.taken_in, p.values_version = values_version_;
        return matchable(k_);
    }
    if (flips_flag(move)) {
        if (backwards_ && closes_left_ > 1) return false;  // it opens only after every other close
        place(move), closed_ = !closed_;
        undo_.push_back({undo_kind::close, move, 0, 0});
        if (!backwards_) pin();  // no retime across it: a prune only (README "Retimed pop")
        return true;
    }
    queue_view q{size(), closed_, std::nullopt};
    if (!result_legal(q, h_.capacity, o)) return false;
    place(move);
    undo_.push_back({undo_kind::place, move, 0, 0});
    pin_if_it_reads_size(o);
    return true;
}

// Ops that change nothing are taken as soon as they are legal (README).
void slot_linearizer::eager_read_only() {
    queue_view q{size(), closed_, std::nullopt};
    for (std::size_t i = 0; i < open_.size(); ++i) {
        std::uint32_t op = open_[i];
        const auto& o = h_.ops[op];
        if (placed_[op] || is_push_ok(o) || is_pop_value(o) || flips_flag(op)) continue;
        if (!result_legal(q, h_.capacity, o)) continue;
        place(op), undo_.push_back({undo_kind::place, op, 0, 0});
        pin_if_it_reads_size(o);
    }
}

void slot_linearizer::settle() {
    for (;;) {
        eager_read_only();
        if (k_ == n_) return;
        std::uint32_t o = resp_order_[k_];
        if (is_push_ok(h_.ops[o]) || !placed_[o]) return;
        advance();
    }
}

// Candidates: the responding op (or, for a successful push, passing its
// response with its value in a slot) first; then the moves that may help it.
bool slot_linearizer::push_frame() {
    if (k_ > deepest_ || stuck_ == none) deepest_ = k_, stuck_ = resp_order_[k_], fails_at_deepest_ = fails_;
    if (memo_find()) return false;
    if (k_ > probe_deepest_) {
        probe_deepest_ = k_, fails_at_probe_ = fails_;
        deepest_need_.x = deepest_need_.y = none;
        fallback_need_.x = fallback_need_.y = none;
        note_deepest_need();
    }
    const std::uint32_t o = resp_order_[k_];
    const auto& op = h_.ops[o];
    search_frame f{undo_.size(), static_cast<std::uint32_t>(cands_.size()), 0, 0, k_};
    auto& pops = scratch_;
    pops.clear();
    std::uint32_t close_op = none;
    bool wants_full = false, wants_empty = false;  // an open read still waits for a full / an empty queue
    for (auto x : open_) {
        if (x == o || placed_[x]) continue;
        const auto& ox = h_.ops[x];
        if (is_pop_value(ox) && pop_fits_front(x)) pops.push_back(x);
        if (flips_flag(x) && close_op == none) close_op = x;
        const bool timed_out = ox.result == result_kind::timeout;
        wants_full |= ox.result == result_kind::full || (timed_out && is_push(ox.op));
        wants_empty |= ox.result == result_kind::empty || (timed_out && !is_push(ox.op));
    }
    // Pops of values expected to be dequeued first (by key) are the likelier front.
    std::sort(pops.begin(), pops.end(), [&](auto a, auto b) { return pop_key(l_.push_of[a]) < pop_key(l_.push_of[b]); });
    // A successful push is passed first unless the values expected to be
    // dequeued no later than its own (by key) cannot all be in the slots there are.
    bool enqueue_first = false;
    if (is_push_ok(op) && l_.pop_of[o] != none && kept_slots_ == 0)
        enqueue_first = !popped_matchable(tail_, k_ + 1, false, pop_key(o));
    if (enqueue_first && size() == h_.capacity) cands_.insert(cands_.end(), pops.begin(), pops.end());
    // An open read waits for a full queue and one slot is missing: a new slot before anything else.
    if (wants_full && !wants_empty && !enqueue_late_[k_] && size() + 1 >= h_.capacity) enqueue_first = true;
    if (enqueue_first) cands_.push_back(enqueue_popped);
    cands_.push_back(is_push_ok(op) ? pass_push : o);
    // A `closed` answer wants the flag's change first (read backwards: a pop of a value does).
    const bool close_first = backwards_ ? is_pop_value(op) : op.result == result_kind::closed;
    if (close_first && close_op != none) cands_.push_back(close_op);
    // A push, a full push and a pop from an empty queue want a new slot first;
    // everything else wants the front dequeued first.
    const bool slot_first = !enqueue_late_[k_] && (is_push_ok(op) || (is_push(op.op) && op.result != result_kind::closed) ||
                                                   (is_pop_value(op) && popped_slots() == 0));
    if (!slot_first) cands_.insert(cands_.end(), pops.begin(), pops.end());
    if (is_push_ok(op) && l_.pop_of[o] == none) cands_.push_back(enqueue_kept), cands_.push_back(enqueue_popped);
    else cands_.push_back(enqueue_popped), cands_.push_back(enqueue_kept);
    if (slot_first) cands_.insert(cands_.end(), pops.begin(), pops.end());
    if (!close_first && close_op != none) cands_.push_back(close_op);
    for (auto x : open_)  // the responding pop too
        if (!placed_[x] && is_pop_value(h_.ops[x]) && retime_for(x) != none) cands_.push_back(x | retimed);
    if (guide_from_ <= k_ && k_ < guide_until_) follow_guide(f.cand_begin, o);
    if (replaced_move_ != none && k_ <= detour_deepest_) put_replaced_move_last(f.cand_begin);
    f.cand_end = static_cast<std::uint32_t>(cands_.size());
    f.next = f.cand_begin;
    frames_.push_back(f);
    return true;
}

// Inside a detour, up to the deepest point, the move the detour replaced (the
// same pop, retimed or not, or the same kind of move) goes after the frame's
// other moves: else the next frame would often take it again at once, and the
// detour would change one event's choice where the trap needed the choice
// deferred over many (README "Detours"). Move order only.
void slot_linearizer::put_replaced_move_last(std::uint32_t cand_begin) {
    std::stable_partition(cands_.begin() + cand_begin, cands_.end(),
                          [&](std::uint32_t m) { return (m & ~retimed) != replaced_move_; });
}

std::uint64_t slot_linearizer::key_hash(std::vector<std::uint32_t>& placed) const {
    placed.clear();
    for (auto x : open_)
        if (placed_[x]) placed.push_back(x);
    std::sort(placed.begin(), placed.end());
    std::uint64_t key = mix(k_ * 0x9e3779b97f4a7c15ULL);
    for (auto x : placed) key = mix(key ^ (x + 0x1234567ULL));
    return mix(key ^ (queue_sum_ * head_inverse_));
}

// The queue as it matters to the future: each slot's event class and kind.
void slot_linearizer::canonical_queue(std::vector<std::uint32_t>& out) const {
    out.clear();
    for (std::size_t i = head_; i < tail_; ++i) out.push_back(cls_[queue_[i].event] * 2 + queue_[i].kept);
}

bool slot_linearizer::memo_find() {
    if (memo_.empty()) return false;
    auto queue = [&](std::vector<std::uint32_t>& out) { canonical_queue(out); };
    return memo_.contains(key_hash(placed_open_), k_, placed_open_, queue, queue_words_);
}

void slot_linearizer::memo_insert() {
    auto hash = key_hash(placed_open_);
    canonical_queue(queue_words_);
    memo_.insert(hash, k_, placed_open_, queue_words_);
}

// Called again after it gave up, it goes on from the frame where it stopped:
// `budget` and `fail_budget` count this call's frames and refuted states.
search_result slot_linearizer::run(std::size_t budget, std::size_t fail_budget, search_limits& limits) {
    if (decided_) return *decided_;
    const search_result found{search_result::linearizable, none};
    if (!started_) {
        started_ = true;
        if (n_ == 0) return *(decided_ = found);
        if (impossible_ != none) return *(decided_ = search_result{search_result::not_linearizable, impossible_});
        open_until(h_.ops[resp_order_[0]].response);
        settle();
        if (k_ == n_) return *(decided_ = found);
        push_frame();
    }
    const std::size_t fails_before = fails_;
    for (std::size_t steps = 0; !frames_.empty(); ++steps, ++limits.steps_used, ++search_steps_) {
        if (out_of_budget(steps, budget, fails_ - fails_before, fail_budget, limits))
            return gave_up_at(frames_, resp_order_, stuck_);
        if (step() == step_result::found) return *(decided_ = found);
        if (wants_hint()) {  // then the budgets first: the hint's search may have spent them
            take_hint(steps, limits);
            continue;
        }
        if (fails_ - fails_at_deepest_ >= tuning_.after && fails_ - fails_at_detour_ >= tuning_.after &&
            detour_steps_ < search_steps_ &&
            detour(steps, budget, limits) == step_result::found)
            return *(decided_ = found);
    }
    return *(decided_ = search_result{search_result::not_linearizable, stuck_});
}

// One move of the depth-first search: the next move of the top frame, or, its
// moves exhausted, the frame refuted (memoised) and dropped.
slot_linearizer::step_result slot_linearizer::step() {
    search_frame& f = frames_.back();
    undo_to(f.undo_mark);
    if (f.next == f.cand_end) {
        ++fails_;
        memo_insert();
        cands_.resize(f.cand_begin);
        frames_.pop_back();
        if (!in_detour_) repair();
        return step_result::go_on;
    }
    const std::uint32_t move = cands_[f.next++];
    if (!apply(move)) return step_result::go_on;
    if (move < n_ && move != resp_order_[f.k] && is_pop_value(h_.ops[move]) && l_.push_of[move] != none) {
        const std::uint32_t o = resp_order_[f.k];
        last_out_of_turn_ = {f.k, is_pop_value(h_.ops[o]) ? l_.push_of[o] : none, l_.push_of[move], 0};
    }
    settle();
    if (k_ == n_) return step_result::found;
    push_frame();
    return step_result::go_on;
}

// Tries, at each choice point of some events before the deepest point (farthest
// first), each move not tried yet, in place of the one being searched. The first
// round takes the last 4C events; each of the next three at the same deepest
// point takes as many events again before those (up to 32C back); rounds 5-16
// go over the four windows again, each detour with 4x, 16x, 64x the budget.
// The path above the round's first frame is set aside once; the round walks
// down it frame by frame and replays the rest only when it ends without a
// detour kept.
slot_linearizer::step_result slot_linearizer::detour(std::size_t& steps, std::size_t budget, search_limits& limits) {
    const std::size_t deepest = deepest_;
    detour_round_ = detoured_at_ == deepest ? detour_round_ + 1 : 0;
    detoured_at_ = deepest, fails_at_detour_ = fails_;
    if (frames_.empty() || detour_round_ >= tuning_.rounds) return step_result::go_on;
    const std::size_t window = detour_round_ % 4;
    const std::size_t far = std::size_t{4} * h_.capacity << window, near = window ? far / 2 : 0;
    const std::size_t top = frames_.size() - 1;
    const std::size_t last = std::min(top, window ? first_frame_from(deepest > near ? deepest - near : 0) : top);
    std::size_t i = first_frame_from(deepest > far ? deepest - far : 0);
    if (i >= last) return step_result::go_on;
    set_aside_path_above(i);
    for (;; walk_down_set_aside_path(i++)) {
        detour_moves_.clear();  // each move once (a frame may list one twice), not the one being searched
        for (std::uint32_t c = frames_[i].next; c < frames_[i].cand_end; ++c)
            if (cands_[c] != cands_[frames_[i].next - 1] &&
                std::find(detour_moves_.begin(), detour_moves_.end(), cands_[c]) == detour_moves_.end())
                detour_moves_.push_back(cands_[c]);
        for (auto move : detour_moves_) {
            const detour_result r = try_detour(i, move, deepest, steps, budget, limits);
            ++detours_.tried;
            detours_.kept += r == detour_result::found || r == detour_result::deeper;
            if (r == detour_result::found) return step_result::found;
            if (r == detour_result::deeper) return step_result::go_on;  // the path set aside is dropped
            if (limits.exhausted || (budget && steps > budget) || detour_steps_ > search_steps_)
                return bring_back_path_above(i), step_result::go_on;
        }
        if (i + 1 >= last) break;
    }
    bring_back_path_above(i);
    return step_result::go_on;
}

// Frame i is the top frame, in its state: it searches `move` now, the move it
// was searching goes back among those not tried. Kept if the search below gets
// deeper than `deepest` within a small budget; if it is refuted, `move` counts
// as tried; else frame i is as it was. Either way frame i is the top frame again,
// in its state. The frames keep every move, so the search stays exhaustive.
slot_linearizer::detour_result slot_linearizer::try_detour(std::size_t i, std::uint32_t move, std::size_t deepest,
                                                           std::size_t& steps, std::size_t budget,
                                                           search_limits& limits) {
    const auto notes = std::make_tuple(deepest_need_, fallback_need_, last_out_of_turn_, probe_deepest_, fails_at_probe_);
    const std::size_t pos = static_cast<std::size_t>(
        std::find(cands_.begin() + frames_[i].next, cands_.end(), move) - cands_.begin());
    replaced_move_ = cands_[frames_[i].next - 1] & ~retimed, detour_deepest_ = deepest;
    std::swap(cands_[frames_[i].next - 1], cands_[pos]);
    const detour_result r = search_detour(i, move, deepest, steps, budget, limits);
    replaced_move_ = none;
    if (r == detour_result::found || r == detour_result::deeper) return r;
    search_frame& f = frames_[i];
    frames_.resize(i + 1);
    cands_.resize(f.cand_end);
    undo_to(f.undo_mark);
    std::swap(cands_[f.next - 1], cands_[pos]);  // the move searched before is current again
    if (r == detour_result::refuted) {  // `move` joins the moves tried, before the current one
        std::rotate(cands_.begin() + f.next - 1, cands_.begin() + pos, cands_.begin() + pos + 1);
        ++f.next;
    }
    std::tie(deepest_need_, fallback_need_, last_out_of_turn_, probe_deepest_, fails_at_probe_) = notes;
    return r;
}

// Takes `move` at frame i and searches below it with the detour's budget.
slot_linearizer::detour_result slot_linearizer::search_detour(std::size_t i, std::uint32_t move, std::size_t deepest,
                                                              std::size_t& steps, std::size_t budget,
                                                              search_limits& limits) {
    if (!apply(move)) return detour_result::refuted;
    settle();
    if (k_ == n_) return detour_result::found;
    if (!push_frame()) return detour_result::refuted;  // a state refuted before
    in_detour_ = true;
    const std::size_t fails_before = fails_;
    const std::size_t cap = (8 * (deepest - frames_[i].k) + 1024) * detour_scale();
    const std::size_t fail_cap = tuning_.fails * detour_scale();
    detour_result r = detour_result::refuted;
    for (std::size_t probe = 0; frames_.size() > i + 1; ++probe, ++steps, ++limits.steps_used, ++detour_steps_) {
        if (out_of_budget(probe, cap, fails_ - fails_before, fail_cap, limits) || (budget && steps > budget) ||
            detour_steps_ > search_steps_) {
            r = detour_result::gave_up;
            break;
        }
        if (step() == step_result::found) {
            r = detour_result::found;
            break;
        }
        if (deepest_ > deepest) {
            r = detour_result::deeper;
            break;
        }
    }
    in_detour_ = false;
    return r;
}

// Sets the frames above frame i aside (their candidates too) and leaves frame i
// on top, in its state. A detour changes only the order of frame i's own moves,
// so the candidates set aside keep their places in cands_.
void slot_linearizer::set_aside_path_above(std::size_t i) {
    aside_from_ = i + 1;
    saved_frames_.assign(frames_.begin() + static_cast<std::ptrdiff_t>(i) + 1, frames_.end());
    saved_cands_.assign(cands_.begin() + frames_[i].cand_end, cands_.end());
    frames_.resize(i + 1);
    cands_.resize(frames_[i].cand_end);
    undo_to(frames_[i].undo_mark);
}

// Frame i on top, in its state: its current move taken again brings back frame
// i+1 of the path set aside, on top and in its state.
void slot_linearizer::walk_down_set_aside_path(std::size_t i) {
    const search_frame& next = saved_frames_[i + 1 - aside_from_];
    retake_move_of(i, next.undo_mark);
    const auto first = saved_cands_.begin() + (next.cand_begin - saved_frames_.front().cand_begin);
    cands_.insert(cands_.end(), first, first + (next.cand_end - next.cand_begin));
    frames_.push_back(next);
}

// Frame i on top, in its state: the frames of the path set aside above it come
// back, and the state of the top frame with them.
void slot_linearizer::bring_back_path_above(std::size_t i) {
    const std::size_t from = i + 1 - aside_from_;
    frames_.insert(frames_.end(), saved_frames_.begin() + static_cast<std::ptrdiff_t>(from), saved_frames_.end());
    cands_.insert(cands_.end(), saved_cands_.begin() + (frames_[i].cand_end - saved_frames_.front().cand_begin),
                  saved_cands_.end());
    replay_path_from(i);
}

// Rebuilds the state of the top frame by replaying each frame's current move from frame i.
void slot_linearizer::replay_path_from(std::size_t i) {
    undo_to(frames_[i].undo_mark);
    for (; i + 1 < frames_.size(); ++i) retake_move_of(i, frames_[i + 1].undo_mark);
}

// Frame i's current move, taken again in frame i's state, must lead to the
// state the frame above it was made in (its undo mark).
void slot_linearizer::retake_move_of(std::size_t i, std::size_t mark_above) {
    const bool ok = apply(cands_[frames_[i].next - 1]);
    settle();
    if (!ok || undo_.size() != mark_above) std::abort();  // moves are deterministic: a bug
}

// The values the path dequeued, in order (on a history read backwards: the pops, which mirror
// the forward pushes; the forward queue dequeues those values in the reverse order).
std::vector<std::uint32_t> slot_linearizer::values_dequeued() const {
    std::vector<std::uint32_t> out;
    for (const undo_entry& u : undo_)
        if (u.kind == undo_kind::pop) out.push_back(u.a);
    return out;
}

// Stuck at one deepest point: from the frame 8R events before it (16R, 32R, 64R in the next
// rounds there; R = min(C, hint_reach): a longer window is one the backward search traps itself
// in), a hint (the expected dequeue order, the order to follow) from the window read backwards,
// or, if that gives none, from the other ends of the window's pops; if there is one, that
// frame tries all its moves again with it (the frames above are dropped unmemoised, as in
// repair()), else the path is as it was. Move order only.
void slot_linearizer::take_hint(std::size_t& steps, search_limits& limits) {
    hint_round_ = hinted_at_ == deepest_ ? hint_round_ + 1 : 0;
    hinted_at_ = deepest_, ++hints_, fails_at_hint_ = fails_;
    if (hint_round_ == 0) hinted_keys_.clear();  // those that got the search this far stay
    const std::size_t reach = std::min(h_.capacity, tuning_.hint_reach);
    if (hint_round_ == hint_rounds) return drop_hints(8 * reach);
    const std::size_t back = (std::size_t{8} << hint_round_) * reach;
    const std::size_t i = first_frame_from(deepest_ > back ? deepest_ - back : 0);
    if (i + 1 >= frames_.size()) return;
    undo_to(frames_[i].undo_mark);
    const std::size_t ahead = (std::size_t{16} << hint_round_) * reach;
    if (!hint_from_window_read_backwards(ahead, steps, limits) && !hint_from_the_pops_other_ends(ahead)) {
        replay_path_from(i);
        return;
    }
    search_again_from(i);
}

// No hint from the window read backwards: the values its pops dequeue are expected in the order
// of those pops' other ends (their responses for a search by invokes, their invokes for one by
// responses), as the portfolio's other forward order expects them, which gets through some
// windows this one is stuck in. False if that changes nothing. Move order only.
bool slot_linearizer::hint_from_the_pops_other_ends(std::size_t ahead) {
    if (!tuning_.other_ends) return false;
    bool changed = false;
    for (std::size_t e = k_; e < std::min(n_, deepest_ + ahead); ++e) {
        const std::uint32_t pop = resp_order_[e];
        if (!is_pop_value(h_.ops[pop]) || l_.push_of[pop] == none || placed_[pop]) continue;
        const std::uint32_t v = l_.push_of[pop];
        changed |= expect_by_hint(v, by_pop_response_ ? h_.ops[pop].invoke : h_.ops[pop].response);
    }
    return changed;
}

// A hint's expectation for `value`; the one it replaces is kept for drop_hints(). False if the
// value was expected so already.
bool slot_linearizer::expect_by_hint(std::uint32_t value, std::uint64_t key) {
    if (key_[value] == key) return false;
    hinted_keys_.push_back({value, key_[value]});
    key_[value] = key;
    return true;
}

// Still stuck after the last round of hints at one deepest point: a window's linearization need
// not extend to the history, so the hints there may have misled the search. Their expectations
// go back to what they were and the order to follow goes; the frame `back` events before the
// deepest point tries all its moves again as without them. Move order only.
void slot_linearizer::drop_hints(std::size_t back) {
    for (auto it = hinted_keys_.rbegin(); it != hinted_keys_.rend(); ++it) key_[it->first] = it->second;
    hinted_keys_.clear();
    guide_from_ = guide_until_ = 0;
    const std::size_t i = first_frame_from(deepest_ > back ? deepest_ - back : 0);
    if (i + 1 >= frames_.size()) return;
    undo_to(frames_[i].undo_mark);
    search_again_from(i);
}

// Frame i, in its state, and those above it are dropped unmemoised; a frame there tries all its
// moves again (with the expectations as they are now).
void slot_linearizer::search_again_from(std::size_t i) {
    cands_.resize(frames_[i].cand_begin);
    frames_.resize(i);
    probe_deepest_ = k_, fails_at_probe_ = fails_;
    push_frame();
}

// The window the search is stuck in, as a history of its own, from the state now (event k_) to
// `ahead` events past the deepest point: the values queued now pushed first, all in [0, 1] (in
// any order: the slots' events are left out), then the ops not placed yet that respond in the
// window, invokes moved up to now, and the pops of every value the window holds, whenever they
// respond. `original`: the history's op for each of its ops. Empty if no matching fills the slots.
history slot_linearizer::window_from_now(std::size_t ahead, std::vector<std::uint32_t>& original) {
    const std::size_t split = tail_ - kept_slots_;
    history w{h_.capacity, {}};
    // The matching that gives the values queued now: the two passes, with no value bound to a slot.
    if (!popped_matchable(split, 0, false) || !kept_matchable(split, 0)) return w;
    const std::span<const std::uint32_t> popped(popped_pass_.picks.begin() + popped_pass_.first_pick,
                                                popped_pass_.picks.end());
    const std::span<const std::uint32_t> kept(kept_pass_.picks);
    const std::uint64_t now = k_ > 0 ? h_.ops[resp_order_[k_ - 1]].response : 0;
    auto add = [&](std::uint32_t op, bool queued) {  // an op not placed responds at or after now
        operation o = h_.ops[op];
        o.invoke = queued ? 0 : std::max(o.invoke, now) - now + 2, o.response = queued ? 1 : o.response - now + 2;
        w.ops.push_back(o), original.push_back(op);
    };
    auto add_pop_of = [&](std::uint32_t v) {
        if (l_.pop_of[v] != none && !placed_[l_.pop_of[v]]) add(l_.pop_of[v], false);
    };
    if (window_queued_.empty()) window_queued_.assign(n_, 0);
    for (const auto picks : {popped, kept})
        for (auto v : picks) add(v, true), add_pop_of(v), window_queued_[v] = 1;
    for (std::size_t e = k_; e < std::min(n_, deepest_ + ahead); ++e) {
        const std::uint32_t op = resp_order_[e];
        const bool popped_already = is_push_ok(h_.ops[op]) && l_.pop_of[op] != none && placed_[l_.pop_of[op]];
        if (is_push_ok(h_.ops[op]) && !window_queued_[op] && !popped_already) add(op, false), add_pop_of(op);
        if (!is_push_ok(h_.ops[op]) && !is_pop_value(h_.ops[op]) && !placed_[op]) add(op, false);
    }
    for (const auto picks : {popped, kept})
        for (auto v : picks) window_queued_[v] = 0;
    return w;
}

// The window read backwards (where the forward search guesses, that search's slots are
// anonymous, and the other way round), searched on a small budget; if it holds, the values
// it dequeues in the window are expected in that order, each no earlier than its pop's invoke,
// and (`follow_hints`) the search follows the order its linearization takes the window's ops in.
// The window relaxes the history's constraints, so this is a hint, never a verdict. False if
// there is none, or it changes nothing.
bool slot_linearizer::hint_from_window_read_backwards(std::size_t ahead, std::size_t& steps, search_limits& limits) {
    std::vector<std::uint32_t> original;
    const history w = window_from_now(ahead, original);
    const value_links wl = link_values(w);
    if (w.ops.empty() || find_delivery_violation(w, wl)) return false;
    const history_read_backwards rb = read_backwards(w, wl);
    slot_linearizer back(rb.h, rb.links, move_order::slots_blaming_last_pop, tuning_, true);
    // Its steps are the search's, but its end is its own: the search sees the check's budget,
    // the clock and a cancel at its next step, and its own frame budget as before.
    search_limits own = limits;
    const search_result r = back.run(64 * w.ops.size() + 10000, 0, own);
    steps += own.steps_used - limits.steps_used, limits.steps_used = own.steps_used;
    if (r.outcome != search_result::linearizable) return false;
    if (tuning_.follow_hints) guide_by(w, rb, back, original, std::min(n_, deepest_ + ahead));
    const auto backward_pops = back.values_dequeued();
    const std::uint64_t until = h_.ops[resp_order_[std::min(n_, deepest_ + ahead) - 1]].response;
    std::uint64_t last = 0;
    bool changed = tuning_.follow_hints;  // the order to follow is new
    for (auto it = backward_pops.rbegin(); it != backward_pops.rend(); ++it) {
        const std::uint32_t v = original[rb.mirror_of[*it]], pop = l_.pop_of[v];
        if (pop == none || h_.ops[pop].response > until) continue;  // not dequeued in the window
        last = std::max(last + 1, h_.ops[pop].invoke);
        changed |= expect_by_hint(v, last);
    }
    return changed;
}

// The ops of the history in the order the path found takes them: by the event each takes effect
// at (a slot's, retimed or not, for the push whose value it holds), then by the order taken.
std::vector<std::uint32_t> slot_linearizer::ops_in_path_order() const {
    struct taken {
        std::size_t event, order;
        std::uint32_t op;
    };
    std::vector<taken> path;
    std::vector<std::size_t> enqueued_at;  // per slot: its enqueue's place in the undo log
    std::size_t k = 0, pops = 0;
    for (std::size_t u = 0; u < undo_.size(); ++u) {
        const undo_entry& e = undo_[u];
        if (e.kind == undo_kind::advance) ++k;
        if (e.kind == undo_kind::enqueue) enqueued_at.push_back(u);
        if (e.kind == undo_kind::pop) {  // slots are dequeued in order: this one holds the pop's value
            const std::size_t front = pops++;
            path.push_back({queue_[front].event, enqueued_at[front], l_.push_of[e.a]});
        }
        if (e.kind == undo_kind::pop || e.kind == undo_kind::place || e.kind == undo_kind::close)
            path.push_back({k, u, e.a});
    }
    std::sort(path.begin(), path.end(), [](const taken& a, const taken& b) {
        return std::tie(a.event, a.order) < std::tie(b.event, b.order);
    });
    std::vector<std::uint32_t> ops;
    for (const taken& t : path) ops.push_back(t.op);
    return ops;
}

// The window's linearization found backwards, read forwards, as this search's ops: each op's place
// in it, and its pushes that were not queued where the window starts (those are in slots already).
void slot_linearizer::guide_by(const history& w, const history_read_backwards& rb, const slot_linearizer& back,
                               const std::vector<std::uint32_t>& original, std::size_t until) {
    if (guide_place_.empty()) guide_place_.assign(n_, none);
    for (auto op : guide_ops_) guide_place_[op] = none;
    guide_ops_.clear(), guide_pushes_.clear();
    const auto backward = back.ops_in_path_order();
    for (auto it = backward.rbegin(); it != backward.rend(); ++it) {
        if (*it >= w.ops.size()) continue;  // a value never popped in the window, queued first read backwards
        const std::uint32_t wop = rb.mirror_of[*it], op = original[wop];
        guide_place_[op] = static_cast<std::uint32_t>(guide_ops_.size());
        guide_ops_.push_back(op);
        if (is_push_ok(h_.ops[op]) && w.ops[wop].response > 1) guide_pushes_.push_back(op);  // not queued at start
    }
    guide_tail_ = tail_, guide_from_ = k_, guide_until_ = until;
}

// Follows the hint's linearization of its window (move order only): the moves it ranks first, in
// its order (an enqueue as the next push it takes, a push passed just after its enqueue); the
// moves it does not rank after them, as they were.
void slot_linearizer::follow_guide(std::uint32_t cand_begin, std::uint32_t responding) {
    const std::size_t next = tail_ - guide_tail_;  // the window's pushes enqueued (another path may have fewer)
    const std::uint32_t next_push = tail_ >= guide_tail_ && next < guide_pushes_.size() ? guide_pushes_[next] : none;
    auto rank = [&](std::uint32_t m) -> std::uint64_t {
        std::uint32_t op = m & ~retimed;
        bool after = (m & retimed) != 0;
        if (m == enqueue_popped || m == enqueue_kept) {
            if (next_push == none || (l_.pop_of[next_push] == none) != (m == enqueue_kept)) return never;
            op = next_push;
        } else if (m == pass_push) {
            op = responding, after = true;
        }
        return guide_place_[op] == none ? never : 2 * std::uint64_t{guide_place_[op]} + after;
    };
    std::stable_sort(cands_.begin() + cand_begin, cands_.end(), [&](auto a, auto b) { return rank(a) < rank(b); });
}

slot_search::slot_search(const history& h, const value_links& l, move_order order, detour_tuning tuning,
                         bool backwards)
    : impl_(std::make_unique<slot_linearizer>(h, l, order, tuning, backwards)) {}
slot_search::~slot_search() = default;
search_result slot_search::run(std::size_t budget, std::size_t fail_budget, search_limits& limits) {
    return impl_->run(budget, fail_budget, limits);
}
slot_search::detour_count slot_search::detours() const { return impl_->detours(); }

search_result search_slots(const history& h, const value_links& l, move_order order, std::size_t budget,
                           std::size_t fail_budget, search_limits& limits) {
    return slot_search(h, l, order).run(budget, fail_budget, limits);
}

}  // namespace ringcheck::oracle::detail
