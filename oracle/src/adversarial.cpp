// The adversarial history shape (see generator.hpp) and a violation by construction.
#include <algorithm>
#include <queue>
#include <unordered_map>

#include "internal.hpp"
#include "ringcheck/oracle/generator.hpp"
#include "ringcheck/oracle/reference_queue.hpp"

namespace ringcheck::oracle {

namespace {

class adversary {
public:
    explicit adversary(const adversarial_options& o)
        : opt_(o), rng_(o.seed), queue_(o.capacity), threads_(std::max<std::uint32_t>(o.threads, 1)) {
        opt_.tick = std::max<std::uint64_t>(opt_.tick, 1);
        opt_.max_latency = std::max<std::uint64_t>(opt_.max_latency, 2);
        for (auto& t : threads_) t.bias = uniform_real(-0.35, 0.35);  // producer-ish .. consumer-ish
        close_at_ = opt_.closes ? opt_.ops - std::min<std::size_t>(opt_.ops / 10 + 2, opt_.ops) : never_count;
        next_phase();
    }

    history run() {
        history h{opt_.capacity, {}};
        h.ops.reserve(opt_.ops);
        for (std::uint32_t t = 0; t < threads_.size(); ++t) start_op(t, opt_.tick * uniform(1, 8));
        std::size_t steps = 0;
        const std::size_t step_limit = 400 * opt_.ops + 10000;
        while (!events_.empty() && h.ops.size() < opt_.ops && ++steps < step_limit) {
            event e = events_.top();
            events_.pop();
            attempt(e, h);
        }
        return h;
    }

private:
    static constexpr std::size_t never_count = static_cast<std::size_t>(-1);
    struct event {
        std::uint64_t time, seq;
        std::uint32_t thread;
        bool operator>(const event& o) const { return time != o.time ? time > o.time : seq > o.seq; }
    };
    struct thread_state {
        operation op;
        std::uint64_t raw_invoke = 0;
        int waits = 0;
        double bias = 0;
    };
    enum class phase { fill, drain, churn };

    std::uint64_t uniform(std::uint64_t lo, std::uint64_t hi) {
        return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng_);
    }
    double uniform_real(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
    bool chance(double p) { return std::bernoulli_distribution(std::clamp(p, 0.0, 1.0))(rng_); }

    // Phases long enough to hold the queue saturated for many operations.
    void next_phase() {
        int r = static_cast<int>(uniform(0, 9));
        phase_ = r < 4 ? phase::fill : r < 8 ? phase::drain : phase::churn;
        phase_left_ = uniform(2 * opt_.capacity + 8, 12 * opt_.capacity + 64);
    }
    double push_probability(const thread_state& t) const {
        double base = phase_ == phase::fill ? 0.85 : phase_ == phase::drain ? 0.15 : 0.5;
        return base + t.bias;
    }

    op_kind pick_kind(std::uint32_t t) {
        if (recorded_ >= close_at_ && closes_issued_ < 2 && chance(0.05)) {
            ++closes_issued_;
            return op_kind::close;
        }
        bool push_side = chance(push_probability(threads_[t]));
        int r = opt_.blocking ? static_cast<int>(uniform(0, 9)) : 0;
        if (push_side) return r < 6 ? op_kind::try_push : r < 8 ? op_kind::push : op_kind::try_push_for;
        return r < 6 ? op_kind::try_pop : r < 8 ? op_kind::pop : op_kind::try_pop_for;
    }

    // Invoked at raw time `at`, which is already a multiple of the tick plus at
    // least one tick after the thread's previous (rounded) response.
    void start_op(std::uint32_t t, std::uint64_t at) {
        thread_state& ts = threads_[t];
        ts.op = operation{};
        ts.op.thread = t;
        ts.op.op = pick_kind(t);
        if (is_push(ts.op.op)) ts.op.arg = next_value_++;
        ts.raw_invoke = at;
        ts.waits = 0;
        events_.push({at + delay(), seq_++, t});
    }
    // Mostly short, sometimes a stall (a preempted thread) of many latencies:
    // an interval's midpoint then says little about its effect point.
    std::uint64_t delay() {
        return chance(0.04) ? uniform(0, 50 * opt_.max_latency) : uniform(0, opt_.max_latency);
    }

    std::optional<result_kind> result_now(thread_state& ts) {
        const bool patient = ++ts.waits < 6;
        return detail::answer_now(queue_.state().view(), opt_.capacity, ts.op.op, [&] { return !patient; });
    }

    void attempt(const event& e, history& h) {
        thread_state& ts = threads_[e.thread];
        auto r = result_now(ts);
        if (!r) {
            if (ts.waits > 400) {  // blocked for very long: the op never takes effect and is not recorded
                start_op(e.thread, round_up(e.time) + opt_.tick);
                return;
            }
            events_.push({e.time + uniform(1, opt_.max_latency), seq_++, e.thread});
            return;
        }
        operation& o = ts.op;
        o.result = *r;
        if (*r == result_kind::value) o.value = queue_.state().items.front();
        queue_.apply(o);  // the effect point is e.time, inside [raw_invoke, raw response]
        const std::uint64_t raw_response = e.time + delay();
        o.invoke = ts.raw_invoke / opt_.tick * opt_.tick;
        o.response = std::max(round_up(raw_response), o.invoke + opt_.tick);
        h.ops.push_back(o);
        ++recorded_;
        if (--phase_left_ == 0) next_phase();
        // Small gaps against long intervals: threads overlap heavily.
        start_op(e.thread, o.response + opt_.tick * (1 + uniform(0, 1)));
    }
    std::uint64_t round_up(std::uint64_t t) const { return (t + opt_.tick - 1) / opt_.tick * opt_.tick; }

    adversarial_options opt_;
    std::mt19937_64 rng_;
    reference_queue queue_;
    std::vector<thread_state> threads_;
    std::priority_queue<event, std::vector<event>, std::greater<>> events_;
    std::uint64_t seq_ = 0, next_value_ = 1;
    std::size_t recorded_ = 0, close_at_ = 0, phase_left_ = 0;
    int closes_issued_ = 0;
    phase phase_ = phase::churn;
};

}  // namespace

history generate_adversarial(const adversarial_options& o) { return adversary(o).run(); }

bool inject_fifo_violation(history& h, std::mt19937_64& rng) {
    std::unordered_map<std::uint64_t, std::size_t> push_of;
    std::vector<std::size_t> pops;
    for (std::size_t i = 0; i < h.ops.size(); ++i) {
        if (detail::is_push_ok(h.ops[i])) push_of[h.ops[i].arg] = i;
        if (detail::is_pop_value(h.ops[i])) pops.push_back(i);
    }
    if (pops.size() < 2) return false;
    std::sort(pops.begin(), pops.end(), [&](auto a, auto b) { return h.ops[a].invoke < h.ops[b].invoke; });
    std::uniform_int_distribution<std::size_t> pick(0, pops.size() - 1);
    for (int tries = 0; tries < 200; ++tries) {
        const std::size_t p1 = pops[pick(rng)];
        auto a = push_of.find(h.ops[p1].value);
        if (a == push_of.end()) continue;
        // The first later pop that p1 certainly precedes, then a few after it.
        auto it = std::upper_bound(pops.begin(), pops.end(), h.ops[p1].response,
                                   [&](std::uint64_t t, std::size_t i) { return t < h.ops[i].invoke; });
        for (int k = 0; k < 64 && it != pops.end(); ++k, ++it) {
            const std::size_t p2 = *it;
            auto b = push_of.find(h.ops[p2].value);
            if (b == push_of.end() || !(h.ops[a->second].response < h.ops[b->second].invoke)) continue;
            std::swap(h.ops[p1].value, h.ops[p2].value);
            return true;
        }
    }
    return false;
}

}  // namespace ringcheck::oracle
