// The busy history shape (see generator.hpp): threads that are almost always inside an operation.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <queue>
#include <random>
#include <vector>

#include "internal.hpp"
#include "ringcheck/oracle/generator.hpp"
#include "ringcheck/oracle/reference_queue.hpp"

namespace ringcheck::oracle {

namespace {

class busy_run {
public:
    explicit busy_run(const busy_options& o)
        : opt_(o), rng_(o.seed), queue_(o.capacity), threads_(std::max<std::uint32_t>(o.threads, 1)) {
        opt_.tick = std::max<std::uint64_t>(opt_.tick, 1);
        opt_.gap_divisor = std::max<std::uint64_t>(opt_.gap_divisor, 1);
        opt_.tail = std::max(opt_.tail, 1.01);
        own_close_at_ = opt_.closes ? opt_.ops - opt_.ops / 20 : SIZE_MAX;
    }

    history run() {
        history h{opt_.capacity, {}};
        h.ops.reserve(opt_.ops + 1);
        for (std::uint32_t t = 0; t < threads_.size(); ++t) events_.push({latency(), seq_++, t, step::invoke});
        const std::size_t step_limit = 400 * opt_.ops + 10000;
        std::uint64_t now = 0;
        for (std::size_t steps = 0; !events_.empty() && steps < step_limit; ++steps) {
            const event e = events_.top();
            events_.pop();
            now = e.time;
            if (e.thread == closer()) closer_step(e, h);
            else if (e.what == step::invoke) invoke(e);
            else if (e.what == step::attempt) attempt(e, h);
            else respond(e, h);
            if (started_ >= opt_.ops && !close_issued_) issue_close(e.time);  // releases whoever waits
        }
        // Stopped by the step limit (not seen so far): an op that took effect responds now.
        for (auto& o : h.ops)
            if (o.response == 0) o.response = std::max(up(now), o.invoke + opt_.tick);
        return h;
    }

private:
    enum class step : std::uint8_t { invoke, attempt, respond };
    struct event {
        std::uint64_t time, seq;
        std::uint32_t thread;
        step what;
        bool operator>(const event& o) const { return time != o.time ? time > o.time : seq > o.seq; }
    };
    struct thread_state {
        operation op;
        std::size_t recorded = 0;       // its index in the history once it took effect
        std::uint64_t deadline = 0;     // a timed op gives up here
        double push_bias = 0.5;
        std::size_t phase_left = 0;
        bool busy = false, waiting = false;  // waiting: a blocking op that could not take effect yet
    };

    std::uint32_t closer() const { return static_cast<std::uint32_t>(threads_.size()); }
    double uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
    std::uint64_t pick(std::uint64_t n) { return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_); }
    // Pareto-tailed: mostly near the scale, now and then a stall of thousands of them.
    std::uint64_t latency() {
        const double x = static_cast<double>(opt_.latency) * std::pow(1 - uniform(), -1 / opt_.tail);
        return 1 + static_cast<std::uint64_t>(std::min(x, static_cast<double>(opt_.max_latency)));
    }
    std::uint64_t down(std::uint64_t t) const { return t / opt_.tick * opt_.tick; }
    std::uint64_t up(std::uint64_t t) const { return (t + opt_.tick - 1) / opt_.tick * opt_.tick; }

    op_kind pick_kind(thread_state& ts) {
        if (ts.phase_left == 0) {
            constexpr double biases[] = {0.05, 0.3, 0.5, 0.7, 0.95};
            ts.push_bias = biases[pick(5)], ts.phase_left = 1 + pick(200);
        }
        --ts.phase_left;
        const bool push = uniform() < ts.push_bias;
        int flavour = static_cast<int>(pick(4));  // 0, 1: try; 2: blocking; 3: timed
        std::size_t waiting = 0;                  // blocking ops of this side already open
        for (const auto& t : threads_) waiting += t.busy && t.op.op == (push ? op_kind::push : op_kind::pop);
        if (flavour == 2 && waiting + 1 >= threads_.size()) flavour = 0;  // one thread stays free to serve them
        if (push) return flavour < 2 ? op_kind::try_push : flavour == 2 ? op_kind::push : op_kind::try_push_for;
        return flavour < 2 ? op_kind::try_pop : flavour == 2 ? op_kind::pop : op_kind::try_pop_for;
    }

    void invoke(const event& e) {
        if (started_ >= opt_.ops) return;
        thread_state& ts = threads_[e.thread];
        ts.op = operation{};
        ts.op.thread = e.thread;
        ts.op.invoke = e.time;
        ts.op.op = ++started_ == own_close_at_ && !close_issued_ ? op_kind::close : pick_kind(ts);
        if (ts.op.op == op_kind::close) close_issued_ = true;
        if (is_push(ts.op.op)) ts.op.arg = next_value_++;
        ts.busy = true;
        ts.deadline = e.time + 4 * latency();
        events_.push({e.time + latency(), seq_++, e.thread, step::attempt});
    }

    std::optional<result_kind> result_now(const thread_state& ts, std::uint64_t now) const {
        return detail::answer_now(queue_.state().view(), opt_.capacity, ts.op.op, [&] { return now >= ts.deadline; });
    }

    // Takes effect now if it can (recorded in effect order, its response filled in later), else
    // tries again later.
    void attempt(const event& e, history& h) {
        thread_state& ts = threads_[e.thread];
        const auto r = result_now(ts, e.time);
        ts.waiting = !r && (ts.op.op == op_kind::push || ts.op.op == op_kind::pop);  // a timed op gives up
        if (!r) {
            events_.push({e.time + 1 + latency() / 4, seq_++, e.thread, step::attempt});
            const bool all_wait =
                std::all_of(threads_.begin(), threads_.end(), [](const auto& t) { return t.busy && t.waiting; });
            if (all_wait && !close_issued_) issue_close(e.time);
            return;
        }
        ts.op.result = *r;
        if (*r == result_kind::value) ts.op.value = queue_.state().items.front();
        queue_.apply(ts.op);
        ts.recorded = h.ops.size();
        ts.op.invoke = down(ts.op.invoke);
        h.ops.push_back(ts.op);
        events_.push({e.time + latency(), seq_++, e.thread, step::respond});
    }

    void respond(const event& e, history& h) {
        thread_state& ts = threads_[e.thread];
        operation& o = h.ops[ts.recorded];
        o.response = std::max(up(e.time), o.invoke + opt_.tick);
        ts.busy = false;
        // The next invoke, rounded down, still falls after this response.
        events_.push({o.response + opt_.tick + latency() / opt_.gap_divisor, seq_++, e.thread, step::invoke});
    }

    // A close on a thread of its own: once every op has started, or when every thread waits for
    // ever in a blocking op.
    void issue_close(std::uint64_t now) {
        close_issued_ = true;
        events_.push({now + latency(), seq_++, closer(), step::attempt});
        closer_invoke_ = now;
    }
    void closer_step(const event& e, history& h) {
        if (e.what == step::attempt) {
            operation c{closer(), op_kind::close, 0, result_kind::ok, 0, down(closer_invoke_), 0};
            queue_.apply(c);
            closer_recorded_ = h.ops.size();
            h.ops.push_back(c);
            events_.push({e.time + latency(), seq_++, closer(), step::respond});
        } else {
            operation& c = h.ops[closer_recorded_];
            c.response = std::max(up(e.time), c.invoke + opt_.tick);
        }
    }

    busy_options opt_;
    std::mt19937_64 rng_;
    reference_queue queue_;
    std::vector<thread_state> threads_;
    std::priority_queue<event, std::vector<event>, std::greater<>> events_;
    std::uint64_t seq_ = 0, next_value_ = 1, closer_invoke_ = 0;
    std::size_t started_ = 0, own_close_at_ = 0, closer_recorded_ = 0;
    bool close_issued_ = false;
};

}  // namespace

history generate_busy(const busy_options& o) { return busy_run(o).run(); }

}  // namespace ringcheck::oracle
