// ringcheck stress: run_stress<Adapter>(config), one stress run of any queue_under_test.
//
// Producers push unique values (producer id and sequence number encoded in the value; a retry
// after full pushes a fresh value, so every push in the history is unique), consumers
// pop until every value has arrived; each thread records its operations in its own buffer (no
// shared write on the hot path beyond the queue itself). The run ends with the history judged by
// the oracle under the adapter's contract, and exactly-once delivery counted value by value.
//
// Ending without hangs: a consumer stops when an attempt to pop finds nothing although every
// producer had finished before the attempt started (the queue was empty then). Blocking queues
// are closed once all producers are done, which wakes consumers blocked in pop(); with `close` in
// the mix, a close comes earlier, at a seed-chosen count of pushes. After all workers joined,
// the run drains what is left with try_pop. A watchdog reports a run that misses its deadline.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <latch>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ringcheck/adapters/queue_under_test.hpp"
#include "ringcheck/oracle/checker.hpp"
#include "ringcheck/oracle/recorder.hpp"
#include "ringcheck/stress/config.hpp"
#include "ringcheck/stress/perturb.hpp"
#include "ringcheck/stress/result.hpp"

namespace ringcheck::stress {

namespace detail {

constexpr unsigned producer_shift = 40;  // value = producer << 40 | sequence number
constexpr std::uint64_t sequence_mask = (std::uint64_t{1} << producer_shift) - 1;

inline std::uint64_t encode_value(unsigned producer, std::uint64_t seq) noexcept {
    return std::uint64_t{producer} << producer_shift | seq;
}

/// One thread's recording: the oracle's per-thread log, fed with stamps that strictly increase
/// within the thread (waiting for the clock to tick if needed), so that the log never has to
/// shift a stamp; across threads, equal stamps mean "overlapping", the safe reading.
class recording {
public:
    explicit recording(oracle::thread_log& log) noexcept : log_(log) {}

    std::uint64_t invoke() noexcept { return after_last(oracle::invoke_stamp); }
    std::uint64_t response() noexcept { return after_last(oracle::response_stamp); }
    void record(oracle::op_kind op, std::uint64_t arg, oracle::result_kind result, std::uint64_t value,
                std::uint64_t invoke, std::uint64_t response) {
        log_.record(op, arg, result, value, invoke, response);
    }

private:
    template <class Clock>
    std::uint64_t after_last(Clock stamp) noexcept {
        std::uint64_t t = stamp();
        while (t <= last_) t = stamp();
        return last_ = t;
    }

    oracle::thread_log& log_;
    std::uint64_t last_ = 0;
};

/// Shared flags of a run: written rarely (once per thread or per run), read by everyone.
struct run_state {
    explicit run_state(unsigned threads) : start(threads) {}
    std::latch start;                           // lines the workers up
    std::atomic<unsigned> producers_done{0};
    std::atomic<std::uint64_t> pushed_total{0}; // counted only when `close` is in the mix
    std::atomic<bool> close_started{false};     // set just before close() is invoked
    std::atomic<bool> close_done{false};        // set just after close() returned
};

/// Arms on construction; if not disarmed before `seconds`, reports a hang and aborts.
class watchdog {
public:
    watchdog(double seconds, const run_hooks& hooks, std::string what)
        : thread_([this, seconds, &hooks, what = std::move(what)] { watch(seconds, hooks, what); }) {}
    ~watchdog() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            disarmed_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }
    watchdog(const watchdog&) = delete;
    watchdog& operator=(const watchdog&) = delete;

private:
    void watch(double seconds, const run_hooks& hooks, const std::string& what) {
        std::unique_lock<std::mutex> lock(mutex_);
        const auto limit = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(seconds));
        if (wake_.wait_for(lock, limit, [this] { return disarmed_; })) return;
        std::ostringstream why;
        why << "deadlock/hang: " << what << " did not finish within the watchdog's " << seconds << " s";
        if (hooks.on_hang) hooks.on_hang(why.str());
        std::abort();
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    bool disarmed_ = false;
    std::thread thread_;  // last: starts once the fields above exist
};

template <class Adapter>
class stress_run {
    static constexpr bool blocking = adapters::blocking_queue_under_test<Adapter>;
    using oracle_op = oracle::op_kind;
    using oracle_result = oracle::result_kind;

public:
    explicit stress_run(const stress_config& c)
        : config_(c), queue_(c.capacity), state_(c.producers + c.consumers + 1), recorder_(queue_.capacity()) {
        const std::size_t reserve = c.ops > 0 ? 2 * c.ops / std::max(c.producers, c.consumers) + 64 : 4096;
        for (unsigned t = 0; t < threads(); ++t) logs_.push_back(&recorder_.add_thread(t, reserve));
        pushed_.resize(c.producers);
        received_.resize(c.consumers);
        unrecorded_.resize(threads());
        rng pick(c.seed);
        close_after_ = c.ops > 0 ? pick.below(c.ops + 1) : pick.below(1024);
    }

    stress_result run(const run_hooks& hooks) {
        const auto started = std::chrono::steady_clock::now();
        {
            watchdog guard(config_.watchdog, hooks, "the run of '" + config_.ring + "'");
            std::vector<std::thread> workers;
            for (unsigned p = 0; p < config_.producers; ++p) workers.emplace_back([this, p] { produce(p); });
            for (unsigned c = 0; c < config_.consumers; ++c) workers.emplace_back([this, c] { consume(c); });
            state_.start.arrive_and_wait();
            recording controller(*logs_.back());
            control(controller);
            for (auto& w : workers) w.join();
            drain(controller);
        }
        const auto judging = std::chrono::steady_clock::now();
        stress_result result = judge();
        const auto finished = std::chrono::steady_clock::now();
        result.seconds = std::chrono::duration<double>(finished - started).count();
        result.judge_seconds = std::chrono::duration<double>(finished - judging).count();
        return result;
    }

private:
    unsigned threads() const noexcept { return config_.producers + config_.consumers + 1; }

    // ---- producers: threads 0 .. producers-1 ----
    void produce(unsigned p) {
        recording log(*logs_[p]);
        perturber perturb(config_.seed, p);
        if (config_.perturb) perturber::install(&perturb);
        rng choose(config_.seed ^ (0xa0761d6478bd642fULL * (p + 1)));
        state_.start.arrive_and_wait();
        const auto deadline = std::chrono::steady_clock::now() +
                              std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                  std::chrono::duration<double>(config_.seconds));
        const std::uint64_t quota = config_.ops / config_.producers + (p < config_.ops % config_.producers);
        std::vector<std::uint64_t>& pushed = pushed_[p];
        std::uint64_t seq = 0;  // every attempt pushes a fresh value: values stay unique in the history
        while (config_.ops > 0 ? pushed.size() < quota : std::chrono::steady_clock::now() < deadline) {
            if (!push_one(log, p, choose, seq)) break;  // closed
            pushed.push_back(seq - 1);
            if (config_.mix.close) state_.pushed_total.fetch_add(1, std::memory_order_relaxed);
        }
        perturber::install(nullptr);
        state_.producers_done.fetch_add(1, std::memory_order_seq_cst);
    }

    /// Pushes one value, retrying on full or timeout with a fresh value (sequence number `seq`,
    /// advanced by every attempt); false once the queue is closed.
    bool push_one(recording& log, unsigned thread, rng& choose, std::uint64_t& seq) {
        for (unsigned attempt = 0;; ++attempt) {
            if (config_.perturb) perturber::current()->between_ops();
            const std::uint64_t v = encode_value(thread, seq++);
            const oracle_op op = pick_kind(choose, oracle_op::try_push, oracle_op::push, oracle_op::try_push_for);
            const auto wait = timed_wait(choose);
            const bool closed_before = state_.close_done.load(std::memory_order_seq_cst);
            const std::uint64_t invoke = log.invoke();
            const bool ok = do_push(op, v, wait);
            const std::uint64_t response = log.response();
            if (ok) {
                log.record(op, v, oracle_result::ok, 0, invoke, response);
                return true;
            }
            const auto failure = push_failure(op, closed_before);
            if (failure) log.record(op, v, *failure, 0, invoke, response);
            else ++unrecorded_[thread];
            if (failure == oracle_result::closed) return false;
            back_off(attempt);
        }
    }

    /// A failed push of a blocking queue means full/timeout or closed, and the queue does not say
    /// which. A blocking push fails only when closed; a close that returned before the push began
    /// makes "closed" certain; a close not yet begun when the push returned makes full/timeout
    /// certain. Otherwise the push overlapped the close, and it is left out of the history: a
    /// failed push changes no state, so leaving it out can hide a bug but never invent one.
    /// (Pops need no such care: empty is legal wherever closed-and-drained is.)
    std::optional<oracle_result> push_failure(oracle_op op, bool closed_before) const {
        if (op == oracle_op::push || closed_before) return oracle_result::closed;
        if (!state_.close_started.load(std::memory_order_seq_cst)) {
            return op == oracle_op::try_push ? oracle_result::full : oracle_result::timeout;
        }
        return std::nullopt;
    }

    bool do_push(oracle_op op, std::uint64_t v, std::chrono::microseconds wait) {
        if constexpr (blocking) {
            if (op == oracle_op::push) return queue_.push(v);
            if (op == oracle_op::try_push_for) return queue_.try_push_for(v, wait);
        }
        (void)wait;
        return queue_.try_push(v);
    }

    // ---- consumers: threads producers .. producers+consumers-1 ----
    void consume(unsigned c) {
        const unsigned thread = config_.producers + c;
        recording log(*logs_[thread]);
        perturber perturb(config_.seed, thread);
        if (config_.perturb) perturber::install(&perturb);
        rng choose(config_.seed ^ (0xe7037ed1a0b428dbULL * (thread + 1)));
        state_.start.arrive_and_wait();
        for (unsigned attempt = 0;; ++attempt) {
            if (config_.perturb) perturber::current()->between_ops();
            const oracle_op op = pick_kind(choose, oracle_op::try_pop, oracle_op::pop, oracle_op::try_pop_for);
            const auto wait = timed_wait(choose);
            const bool producers_finished =
                state_.producers_done.load(std::memory_order_seq_cst) == config_.producers;
            const std::uint64_t invoke = log.invoke();
            const std::optional<std::uint64_t> got = do_pop(op, wait);
            const std::uint64_t response = log.response();
            if (got) {
                log.record(op, 0, oracle_result::value, *got, invoke, response);
                received_[c].push_back(*got);
                attempt = 0;
                continue;
            }
            if (op == oracle_op::pop) {  // a blocking pop fails only when closed and drained
                log.record(op, 0, oracle_result::closed, 0, invoke, response);
                break;
            }
            log.record(op, 0, op == oracle_op::try_pop ? oracle_result::empty : oracle_result::timeout, 0,
                       invoke, response);
            if (producers_finished) break;  // empty although every push had returned: all delivered
            back_off(attempt);
        }
        perturber::install(nullptr);
    }

    std::optional<std::uint64_t> do_pop(oracle_op op, std::chrono::microseconds wait) {
        if constexpr (blocking) {
            if (op == oracle_op::pop) return queue_.pop();
            if (op == oracle_op::try_pop_for) return queue_.try_pop_for(wait);
        }
        (void)wait;
        return queue_.try_pop();
    }

    // ---- the controlling thread (the caller's): closes blocking queues, then drains ----
    void control(recording& log) {
        if constexpr (blocking) {
            const auto close_due = [this] {
                const bool producers_finished = state_.producers_done.load() == config_.producers;
                return producers_finished ||
                       (config_.mix.close && state_.pushed_total.load(std::memory_order_relaxed) >= close_after_);
            };
            while (!close_due()) std::this_thread::sleep_for(std::chrono::microseconds(50));
            state_.close_started.store(true);
            const std::uint64_t invoke = log.invoke();
            queue_.close();
            const std::uint64_t response = log.response();
            state_.close_done.store(true);
            log.record(oracle_op::close, 0, oracle_result::ok, 0, invoke, response);
        } else {
            (void)log;
        }
    }

    /// After every worker joined: what is still queued is popped by the controlling thread, so a
    /// value that a consumer gave up on early (a queue with a weaker contract) is not counted lost;
    /// the final empty also tells the linearizability check that nothing was left behind.
    void drain(recording& log) {
        for (;;) {
            const std::uint64_t invoke = log.invoke();
            const std::optional<std::uint64_t> got = queue_.try_pop();
            const std::uint64_t response = log.response();
            if (!got) {
                log.record(oracle_op::try_pop, 0, oracle_result::empty, 0, invoke, response);
                return;
            }
            log.record(oracle_op::try_pop, 0, oracle_result::value, *got, invoke, response);
            drained_.push_back(*got);
        }
    }

    // ---- choices from the seed ----
    oracle_op pick_kind(rng& choose, oracle_op try_op, oracle_op blocking_op, oracle_op timed_op) const {
        oracle_op choices[3];
        unsigned n = 0;
        if (config_.mix.try_ops) choices[n++] = try_op;
        if (config_.mix.blocking) choices[n++] = blocking_op;
        if (config_.mix.timed) choices[n++] = timed_op;
        return n == 1 ? choices[0] : choices[choose.below(n)];
    }
    std::chrono::microseconds timed_wait(rng& choose) const {
        return config_.mix.timed ? std::chrono::microseconds(choose.below(200)) : std::chrono::microseconds(0);
    }
    static void back_off(unsigned attempt) {
        if (attempt < 64) std::this_thread::yield();
        else std::this_thread::sleep_for(std::chrono::microseconds(20));
    }

    // ---- judging ----
    stress_result judge() {
        stress_result r;
        r.contract = oracle::parse_contract(Adapter::contract).value_or(oracle::contract::linearizable);
        r.history = recorder_.merge();
        for (const auto& seqs : pushed_) r.pushed += seqs.size();
        for (const auto& values : received_) r.popped += values.size();
        r.popped += drained_.size();
        for (const auto n : unrecorded_) r.unrecorded += n;
        r.delivery_report = check_exactly_once();
        if (const auto invalid = oracle::validate(r.history)) {  // a recording bug, not the queue's
            r.failure = failure_kind::checker;
            r.message = "the recorded history is malformed at operation " + std::to_string(invalid->line) + ": " +
                        invalid->message;
            return r;
        }
        r.verdict = oracle::check(r.history, r.contract,
                                  oracle::check_budget{config_.oracle_budget_steps, config_.oracle_budget_seconds});
        // An undecided verdict is no failure and no pass: the caller reports it on its own.
        if (r.verdict.violated()) {
            r.failure = failure_kind::checker;
            r.message = "the oracle rejects the history under contract '" + std::string(Adapter::contract) +
                        "': " + r.verdict.rule;
        } else if (!r.delivery_report.empty()) {
            r.failure = failure_kind::exactly_once;
            r.message = "exactly-once delivery violated: " +
                        r.delivery_report.substr(0, r.delivery_report.find('\n'));
        }
        return r;
    }

    /// Every pushed value popped exactly once, nothing popped that was not pushed. Empty if so.
    std::string check_exactly_once() const {
        std::vector<std::vector<std::uint8_t>> times(config_.producers);
        for (unsigned p = 0; p < config_.producers; ++p) times[p].resize(pushed_[p].size());
        std::ostringstream report;
        unsigned reported = 0;
        const auto note = [&](const std::string& line) {
            if (reported++ < 20) report << line << '\n';
        };
        const auto count = [&](std::uint64_t v) {
            const std::uint64_t p = v >> producer_shift, seq = v & sequence_mask;
            if (p < config_.producers) {
                const auto& seqs = pushed_[p];
                const auto at = std::lower_bound(seqs.begin(), seqs.end(), seq);
                if (at != seqs.end() && *at == seq) {
                    std::uint8_t& n = times[p][static_cast<std::size_t>(at - seqs.begin())];
                    if (n < 255) ++n;
                    return;
                }
            }
            note("value " + std::to_string(v) + " was popped but never pushed");
        };
        for (const auto& values : received_) std::for_each(values.begin(), values.end(), count);
        std::for_each(drained_.begin(), drained_.end(), count);
        for (unsigned p = 0; p < config_.producers; ++p) {
            for (std::size_t i = 0; i < pushed_[p].size(); ++i) {
                const unsigned n = times[p][i];
                if (n == 1) continue;
                const std::uint64_t seq = pushed_[p][i];
                const std::string value = "value " + std::to_string(encode_value(p, seq)) + " (producer " +
                                          std::to_string(p) + ", #" + std::to_string(seq) + ")";
                note(value + (n == 0 ? " was pushed but never popped (lost)"
                                     : " was popped " + std::to_string(n) + " times"));
            }
        }
        if (reported > 20) report << "... and " << reported - 20 << " more\n";
        return report.str();
    }

    const stress_config& config_;
    Adapter queue_;
    run_state state_;
    oracle::history_recorder recorder_;
    std::vector<oracle::thread_log*> logs_;            // producers, consumers, then the controller
    std::uint64_t close_after_ = 0;                    // pushes before the mid-run close
    std::vector<std::vector<std::uint64_t>> pushed_;   // per producer: sequence numbers pushed, ascending
    std::vector<std::vector<std::uint64_t>> received_; // per consumer: values popped
    std::vector<std::uint64_t> drained_;               // popped by the controller after the run
    std::vector<std::uint64_t> unrecorded_;            // per thread: failed pushes left out
};

}  // namespace detail

/// One stress run of `Adapter` with `config` (thread counts already checked against the adapter).
template <adapters::queue_under_test Adapter>
stress_result run_stress(const stress_config& config, const run_hooks& hooks = {}) {
    auto run = std::make_unique<detail::stress_run<Adapter>>(config);
    return run->run(hooks);
}

}  // namespace ringcheck::stress
