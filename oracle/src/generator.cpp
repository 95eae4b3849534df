// Linearizable histories by construction: each op takes effect on a reference
// queue at a random point inside its random interval; blocking ops wait
// (their effect point moves later) until one of their results is legal.
#include "ringcheck/oracle/generator.hpp"

#include <algorithm>
#include <queue>

#include "internal.hpp"
#include "ringcheck/oracle/reference_queue.hpp"

namespace ringcheck::oracle {

namespace {

struct event {
    std::uint64_t time;
    std::uint64_t seq;
    std::uint32_t thread;
    bool operator>(const event& o) const { return time != o.time ? time > o.time : seq > o.seq; }
};

class simulation {
public:
    explicit simulation(const generator_options& o)
        : opt_(o), rng_(o.seed), queue_(o.capacity), threads_(std::max<std::uint32_t>(o.threads, 1)) {}

    history run() {
        history h{opt_.capacity, {}};
        h.ops.reserve(opt_.ops);
        for (std::uint32_t t = 0; t < threads_.size(); ++t) start_op(t, uniform(0, opt_.max_latency));
        std::size_t steps = 0, step_limit = 50 * opt_.ops + 1000;
        while (!events_.empty() && h.ops.size() < opt_.ops && ++steps < step_limit) {
            event e = events_.top();
            events_.pop();
            take_effect(e, h);
        }
        return h;
    }

private:
    struct thread_state {
        operation op;
        int waits = 0;
        bool gave_up = false;  // a blocking op waited too long: drop it (it never took effect)
    };

    std::uint64_t uniform(std::uint64_t lo, std::uint64_t hi) {
        return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng_);
    }
    bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

    bool producer(std::uint32_t t) const {
        if (!opt_.roles || threads_.size() == 1) return true;
        return t < std::max<std::size_t>(threads_.size() / 2, 1);
    }

    op_kind pick_kind(std::uint32_t t) {
        bool push_side = opt_.roles && threads_.size() > 1 ? producer(t) : chance(0.5);
        if (opt_.closes && chance(close_probability())) return op_kind::close;
        int r = opt_.blocking ? static_cast<int>(uniform(0, 9)) : 0;
        if (push_side) return r < 6 ? op_kind::try_push : r < 8 ? op_kind::push : op_kind::try_push_for;
        return r < 6 ? op_kind::try_pop : r < 8 ? op_kind::pop : op_kind::try_pop_for;
    }
    double close_probability() const { return opt_.ops > 200 ? 1.0 / static_cast<double>(opt_.ops) : 0.03; }

    void start_op(std::uint32_t t, std::uint64_t at) {
        operation& o = threads_[t].op;
        o = operation{};
        o.thread = t;
        o.op = pick_kind(t);
        if (is_push(o.op)) o.arg = next_value_++;
        o.invoke = at;
        threads_[t].waits = 0;
        threads_[t].gave_up = false;
        events_.push({at + uniform(0, opt_.max_latency / 2), seq_++, t});
    }

    // Decide the result at this point; std::nullopt = keep waiting.
    std::optional<result_kind> result_now(thread_state& ts) {
        const bool may_wait = ++ts.waits < 20;
        const auto r = detail::answer_now(queue_.state().view(), opt_.capacity, ts.op.op,
                                          [&] { return !(may_wait && chance(0.5)); });
        if (!r && (ts.op.op == op_kind::push || ts.op.op == op_kind::pop)) ts.gave_up = !may_wait;
        return r;
    }

    void take_effect(const event& e, history& h) {
        thread_state& ts = threads_[e.thread];
        auto r = result_now(ts);
        if (ts.gave_up) {
            start_op(e.thread, e.time + uniform(1, opt_.max_latency));
            return;
        }
        if (!r) {  // blocked: try again a little later
            events_.push({e.time + uniform(1, opt_.max_latency), seq_++, e.thread});
            return;
        }
        operation& o = ts.op;
        o.result = *r;
        if (*r == result_kind::value) o.value = queue_.state().items.front();
        queue_.apply(o);
        o.response = std::max(e.time + uniform(0, opt_.max_latency / 2), o.invoke + 1);
        h.ops.push_back(o);
        start_op(e.thread, o.response + 1 + uniform(0, opt_.max_latency / 4));
    }

    generator_options opt_;
    std::mt19937_64 rng_;
    reference_queue queue_;
    std::vector<thread_state> threads_;
    std::priority_queue<event, std::vector<event>, std::greater<>> events_;
    std::uint64_t seq_ = 0, next_value_ = 1;
};

template <class Pred>
std::optional<std::size_t> pick(const history& h, std::mt19937_64& rng, Pred pred) {
    std::vector<std::size_t> c;
    for (std::size_t i = 0; i < h.ops.size(); ++i)
        if (pred(h.ops[i])) c.push_back(i);
    if (c.empty()) return std::nullopt;
    return c[std::uniform_int_distribution<std::size_t>(0, c.size() - 1)(rng)];
}

bool is_value_pop(const operation& o) { return o.result == result_kind::value; }

// Move op i's interval inside the gap its thread leaves around it.
bool shift_interval(history& h, std::size_t i, std::mt19937_64& rng) {
    std::uint64_t lo = 0, hi = h.ops[i].response + 64;
    for (const auto& o : h.ops) {
        if (o.thread != h.ops[i].thread || &o == &h.ops[i]) continue;
        if (o.response < h.ops[i].invoke) lo = std::max(lo, o.response + 1);
        if (o.invoke > h.ops[i].response) hi = std::min(hi, o.invoke - 1);
    }
    if (hi <= lo) return false;
    std::uniform_int_distribution<std::uint64_t> d(lo, hi);
    std::uint64_t a = d(rng), b = d(rng);
    if (a == b) return false;
    h.ops[i].invoke = std::min(a, b);
    h.ops[i].response = std::max(a, b);
    return true;
}

bool set_result(history& h, std::size_t i, result_kind r) {
    h.ops[i].result = r;
    h.ops[i].value = 0;
    return true;
}

}  // namespace

history generate_history(const generator_options& o) { return simulation(o).run(); }

bool mutate(history& h, mutation m, std::mt19937_64& rng) {
    if (m == mutation::any) m = static_cast<mutation>(std::uniform_int_distribution<int>(0, 7)(rng));
    std::optional<std::size_t> i;
    switch (m) {
        case mutation::swap_values: {
            auto a = pick(h, rng, is_value_pop), b = pick(h, rng, is_value_pop);
            if (!a || !b || *a == *b) return false;
            std::swap(h.ops[*a].value, h.ops[*b].value);
            return true;
        }
        case mutation::duplicate_value: {
            auto a = pick(h, rng, is_value_pop), b = pick(h, rng, is_value_pop);
            if (!a || !b || *a == *b) return false;
            h.ops[*a].value = h.ops[*b].value;
            return true;
        }
        case mutation::to_full:
            i = pick(h, rng, [](const operation& o) { return o.op == op_kind::try_push; });
            return i && set_result(h, *i, result_kind::full);
        case mutation::to_empty:
            i = pick(h, rng, [](const operation& o) { return o.op == op_kind::try_pop; });
            return i && set_result(h, *i, result_kind::empty);
        case mutation::to_closed:
            i = pick(h, rng, [](const operation& o) { return result_allowed(o.op, result_kind::closed); });
            return i && set_result(h, *i, result_kind::closed);
        case mutation::to_timeout:
            i = pick(h, rng, [](const operation& o) { return result_allowed(o.op, result_kind::timeout); });
            return i && set_result(h, *i, result_kind::timeout);
        case mutation::drop:
            i = pick(h, rng, [](const operation&) { return true; });
            if (!i) return false;
            h.ops.erase(h.ops.begin() + static_cast<std::ptrdiff_t>(*i));
            return true;
        case mutation::shift:
            i = pick(h, rng, [](const operation&) { return true; });
            return i && shift_interval(h, *i, rng);
        case mutation::any: break;
    }
    return false;
}

}  // namespace ringcheck::oracle
