// ringcheck fuzz: sched_sync, a deterministic scheduling backend for the rings (the same template
// parameter as std_sync, whose header documents the interface).
//
// Real threads, but exactly one runs at a time. Every atomic operation, slot access, guarded field
// access (var), lock, unlock, wait, notify and spin_wait is a yield point: there the scheduler picks
// the next thread to run from the runnable ones, by the next schedule byte (`byte % runnable`; a
// single runnable thread takes no byte). When the bytes run out, a fixed policy takes over: the
// running thread keeps going until it spins, blocks or finishes, then the next runnable thread in
// round-robin order runs, so every spin loop lets the thread it waits for make progress.
// Semantics: sequential consistency (one global order of all accesses; Relacy covers weaker
// models). A mutex blocks while held; a condition wait blocks until notified (no spurious wake-ups);
// notify_one wakes the waiter the next byte picks; a timed wait with a positive, finite duration is
// runnable too, and when the scheduler picks it before a notify it times out (zero or negative
// durations time out at once, an hour or more never does). No runnable thread left: the harness's
// `stuck` hook may resolve it (e.g. close a blocking ring whose waiters are legitimately blocked);
// otherwise it is a deadlock and aborts. Nothing depends on the OS scheduler or on time, so the same
// bytes always give the same execution.
// Slots are checked too: constructing into a slot that holds an element, or taking from (or
// destroying in) a slot that holds none, aborts. The backend performs each access itself (see
// std_sync.hpp), so the yield point is the access: a ring cannot touch a slot after handing it over.
// Outside a scheduled thread (constructing and destroying the ring, or inside `stuck` and
// quietly()), operations run directly without yielding.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <new>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "ringcheck/detail/source_site.hpp"
#include "ringcheck/std_sync.hpp"
#include "ringcheck/fuzz/byte_reader.hpp"

namespace ringcheck::fuzz {

class scheduler {
public:
    static constexpr unsigned none = ~0u;
    enum class state : std::uint8_t { ready, blocked_on_mutex, waiting, timed_waiting, finished };

    explicit scheduler(byte_reader choices, std::uint64_t step_limit = 200000)
        : choices_(choices), step_limit_(step_limit) {}
    scheduler(const scheduler&) = delete;
    scheduler& operator=(const scheduler&) = delete;

    /// Runs body(i) on thread i for every i < threads, one thread at a time, until all finish.
    /// `stuck` runs (quietly) when no thread can run; it returns true if it made one runnable.
    void run(unsigned threads, const std::function<void(unsigned)>& body, std::function<bool()> stuck) {
        threads_.assign(threads, thread_info{});
        stuck_ = std::move(stuck);
        std::vector<std::thread> workers;
        for (unsigned i = 0; i < threads; ++i) workers.emplace_back([this, i, &body] { work(i, body); });
        std::unique_lock<std::mutex> lock(handoff_);
        running_ = choose(none, false);
        wake_.notify_all();
        wake_.wait(lock, [this] { return running_ == done; });
        lock.unlock();
        for (auto& w : workers) w.join();
    }

    /// The scheduler driving the calling thread, or nullptr when it runs unscheduled or quietly.
    static scheduler* active() noexcept {
        return attached_ && !attached_->quiet_ ? attached_ : nullptr;
    }
    /// The scheduler of the calling thread, even while it runs quietly.
    static scheduler* attached() noexcept { return attached_; }

    /// Runs `fn` without yield points (a snapshot: no other thread runs meanwhile).
    template <class Fn>
    auto quietly(Fn&& fn) {
        struct restore {
            bool& quiet;
            bool before;
            ~restore() { quiet = before; }
        } guard{quiet_, quiet_};
        quiet_ = true;
        return fn();
    }

    /// The logical clock: one tick per yield point; harnesses tick it around each operation.
    std::uint64_t tick() noexcept { return ++clock_; }
    unsigned self() const noexcept { return self_; }
    std::size_t thread_count() const noexcept { return threads_.size(); }
    state state_of(unsigned t) const { return threads_[t].st; }

    /// A yield point: the schedule may switch to another thread here.
    void point(source_site site, const char* what, bool spinning = false) {
        if (++steps_ > step_limit_) fail("no progress: step limit reached (livelock?)");
        tick();
        trace_.push_back({self_, what, site});
        reschedule(spinning);
    }

    /// Blocks the calling thread until wake() (or, for timed_waiting, a timeout). Returns true if
    /// it timed out.
    bool block(state why, const void* on) {
        thread_info& me = threads_[self_];
        me.st = why;
        me.on = on;
        me.timed_out = false;
        reschedule(false);
        return me.timed_out;
    }
    void wake(unsigned t) {
        if (threads_[t].st != state::finished) threads_[t].st = state::ready;
    }
    void wake_blocked_on(const void* on) {
        for (auto& t : threads_) {
            if (t.st == state::blocked_on_mutex && t.on == on) t.st = state::ready;
        }
    }
    /// Which of `n` candidates: the next byte decides (none left: the first).
    unsigned pick(std::size_t n) { return n <= 1 || choices_.exhausted() ? 0 : choices_.below(static_cast<unsigned>(n)); }

    [[noreturn]] void fail(const char* what) const {
        std::fprintf(stderr, "ringcheck fuzz: schedule: %s\n", what);
        print_trace(stderr, 60);
        std::abort();
    }

    /// The last `n` yield points: tick, thread, what, and the ring's source line.
    void print_trace(std::FILE* out, std::size_t n) const {
        const std::size_t from = trace_.size() > n ? trace_.size() - n : 0;
        std::fprintf(out, "last %zu of %zu yield points (thread: operation at ring line):\n", trace_.size() - from,
                     trace_.size());
        for (std::size_t i = from; i < trace_.size(); ++i) {
            const auto& e = trace_[i];
            const std::string_view file = e.site.file, function = e.site.function;
            const std::string_view base = file.substr(file.find_last_of('/') + 1);
            const std::string_view name = function.substr(0, function.find('<'));
            std::fprintf(out, "  #%zu t%u %-24s %.*s:%u (%.*s)\n", i, e.thread, e.what, static_cast<int>(base.size()),
                         base.data(), e.site.line, static_cast<int>(name.size()), name.data());
        }
    }

private:
    static constexpr unsigned done = ~0u - 1;
    struct thread_info {
        state st = state::ready;
        const void* on = nullptr;
        bool timed_out = false;
    };
    struct event {
        unsigned thread;
        const char* what;
        source_site site;
    };

    static inline thread_local scheduler* attached_ = nullptr;
    static inline thread_local unsigned self_ = none;

    void work(unsigned i, const std::function<void(unsigned)>& body) {
        attached_ = this;
        self_ = i;
        {
            std::unique_lock<std::mutex> lock(handoff_);
            wake_.wait(lock, [&] { return running_ == i; });
        }
        body(i);
        threads_[i].st = state::finished;
        reschedule(false);
        attached_ = nullptr;
    }

    /// Runnable threads: ready ones, and timed waiters (picking one makes it time out).
    unsigned choose(unsigned from, bool spinning) {
        unsigned candidates[64];
        unsigned n = 0;
        for (unsigned t = 0; t < threads_.size() && n < 64; ++t) {
            if (threads_[t].st == state::ready || threads_[t].st == state::timed_waiting) candidates[n++] = t;
        }
        if (n == 0) return none;
        if (n > 1 && !choices_.exhausted()) return candidates[choices_.below(n)];
        if (!spinning && from != none && threads_[from].st == state::ready) return from;
        for (unsigned k = 0; k < n; ++k) {
            if (from == none || candidates[k] > from) return candidates[k];
        }
        return candidates[0];
    }

    void reschedule(bool spinning) {
        unsigned next = choose(self_, spinning);
        if (next == none) next = resolve_stuck();
        if (next == done) return finish_all();
        if (threads_[next].st == state::timed_waiting) {
            threads_[next].st = state::ready;
            threads_[next].timed_out = true;
        }
        switch_to(next);
    }

    unsigned resolve_stuck() {
        const bool all_finished = std::all_of(threads_.begin(), threads_.end(),
                                              [](const thread_info& t) { return t.st == state::finished; });
        if (all_finished) return done;
        if (!stuck_ || !quietly(stuck_)) fail("deadlock: no thread can run");
        const unsigned next = choose(self_, false);
        if (next == none) fail("deadlock: no thread can run after the harness's stuck hook");
        return next;
    }

    void finish_all() {
        std::lock_guard<std::mutex> lock(handoff_);
        running_ = done;
        wake_.notify_all();
    }

    void switch_to(unsigned next) {
        if (next == self_) return;
        std::unique_lock<std::mutex> lock(handoff_);
        running_ = next;
        wake_.notify_all();
        if (threads_[self_].st == state::finished) return;
        wake_.wait(lock, [&] { return running_ == self_; });
    }

    byte_reader choices_;
    const std::uint64_t step_limit_;
    std::uint64_t steps_ = 0;
    std::uint64_t clock_ = 0;
    bool quiet_ = false;
    std::vector<thread_info> threads_;
    std::vector<event> trace_;
    std::function<bool()> stuck_;
    std::mutex handoff_;
    std::condition_variable wake_;
    unsigned running_ = none;
};

struct sched_sync {
    template <class U>
    class atomic {
    public:
        explicit atomic(U initial = U{}) noexcept : value_(initial) {}
        U load(std::memory_order, source_site site = source_site::here()) const {
            yield(site, "atomic.load");
            return value_;
        }
        void store(U desired, std::memory_order, source_site site = source_site::here()) {
            yield(site, "atomic.store");
            value_ = desired;
        }
        bool compare_exchange_weak(U& expected, U desired, std::memory_order, std::memory_order,
                                   source_site site = source_site::here()) {
            yield(site, "atomic.compare_exchange");
            if (value_ != expected) {
                expected = value_;
                return false;
            }
            value_ = desired;
            return true;
        }

    private:
        U value_;
    };

    /// A plain field (guarded by a mutex in the ring): a yield point before every access, so a
    /// schedule can run another thread between a ring's unguarded read and its use.
    template <class U>
    class var {
    public:
        explicit var(U initial = U{}) noexcept : value_(initial) {}
        U load(source_site site = source_site::here()) const {
            yield(site, "var.load");
            return value_;
        }
        void store(U desired, source_site site = source_site::here()) {
            yield(site, "var.store");
            value_ = desired;
        }

    private:
        U value_;
    };

    /// std_sync's cell, with a yield point before each access and a check of what the slot holds.
    /// The state changes only when the access succeeds: a throwing construction leaves the slot
    /// empty, a throwing move out leaves it full.
    template <class T>
    class cell {
    public:
        template <class... A>
        void construct(source_site site, A&&... args) {
            yield(site, "cell.construct");
            if (full_) failure("constructing into a slot that still holds an element", site);
            inner_.construct(site, std::forward<A>(args)...);
            full_ = true;
        }
        std::optional<T> take(source_site site = source_site::here()) {
            yield(site, "cell.take");
            if (!full_) failure("taking an element from an empty slot", site);
            std::optional<T> out = inner_.take(site);
            full_ = false;
            return out;
        }
        void destroy(source_site site = source_site::here()) {
            yield(site, "cell.destroy");
            if (!full_) failure("destroying an element in an empty slot", site);
            inner_.destroy(site);
            full_ = false;
        }

    private:
        std_sync::cell<T> inner_;
        bool full_ = false;
    };

    class mutex {
    public:
        void lock(source_site site = source_site::here()) {
            scheduler* s = scheduler::active();
            if (!s) return lock_directly();
            s->point(site, "mutex.lock");
            while (held_) s->block(scheduler::state::blocked_on_mutex, this);
            held_ = true;
        }
        void unlock(source_site site = source_site::here()) {
            if (peeks_ > 0) {
                --peeks_;
                return;
            }
            release();
            if (scheduler* s = scheduler::active()) s->point(site, "mutex.unlock");
        }
        /// For condition_variable: give the mutex up before blocking (no yield point of its own).
        void release() {
            held_ = false;
            if (scheduler* s = scheduler::attached()) s->wake_blocked_on(this);
        }

    private:
        /// Unscheduled or quiet: nothing else runs. If a descheduled thread holds it, this is a
        /// read-only peek (a snapshot of state guarded by the mutex).
        void lock_directly() {
            if (held_) ++peeks_;
            held_ = true;
        }
        bool held_ = false;
        unsigned peeks_ = 0;
    };

    struct deadline {
        enum class kind : std::uint8_t { immediate, finite, never } when;
    };
    template <class Rep, class Period>
    static deadline deadline_after(std::chrono::duration<Rep, Period> d) {
        if (d <= d.zero()) return {deadline::kind::immediate};
        if (d >= std::chrono::hours(1)) return {deadline::kind::never};
        return {deadline::kind::finite};
    }

    class condition_variable {
    public:
        void wait(mutex& m, source_site site = source_site::here()) {
            scheduler& s = scheduled(site);
            s.point(site, "cv.wait");
            block(s, m, scheduler::state::waiting);
            m.lock(site);
        }
        bool wait_until(mutex& m, deadline until, source_site site = source_site::here()) {
            scheduler& s = scheduled(site);
            s.point(site, "cv.wait_until");
            bool timed_out = true;
            if (until.when == deadline::kind::immediate) {
                m.unlock(site);
            } else {
                const auto why = until.when == deadline::kind::never ? scheduler::state::waiting
                                                                      : scheduler::state::timed_waiting;
                timed_out = block(s, m, why);
            }
            m.lock(site);
            return !timed_out;
        }
        void notify_one(source_site site = source_site::here()) {
            scheduler* s = scheduler::attached();
            if (scheduler::active()) s->point(site, "cv.notify_one");
            if (waiters_.empty() || !s) return;
            const auto chosen = waiters_.begin() + s->pick(waiters_.size());
            s->wake(*chosen);
            waiters_.erase(chosen);
        }
        void notify_all(source_site site = source_site::here()) {
            scheduler* s = scheduler::attached();
            if (scheduler::active()) s->point(site, "cv.notify_all");
            if (!s) return;
            for (unsigned t : waiters_) s->wake(t);
            waiters_.clear();
        }
        std::size_t waiter_count() const noexcept { return waiters_.size(); }

    private:
        static scheduler& scheduled(source_site site) {
            scheduler* s = scheduler::active();
            if (!s) failure("a condition wait outside a scheduled thread", site);
            return *s;
        }
        /// Releases m and sleeps until notified (or timed out); true on timeout.
        bool block(scheduler& s, mutex& m, scheduler::state why) {
            m.release();
            waiters_.push_back(s.self());
            const bool timed_out = s.block(why, this);
            if (timed_out) waiters_.erase(std::find(waiters_.begin(), waiters_.end(), s.self()));
            return timed_out;
        }
        std::vector<unsigned> waiters_;
    };

    static void spin_wait(unsigned, source_site site = source_site::here()) {
        if (scheduler* s = scheduler::active()) s->point(site, "spin_wait", true);
    }
    /// Every execution here is sequentially consistent: a fence orders nothing more, but it is
    /// still a point where another thread may run.
    static void fence(std::memory_order, source_site site = source_site::here()) { yield(site, "fence"); }

private:
    static void yield(source_site site, const char* what) {
        if (scheduler* s = scheduler::active()) s->point(site, what);
    }
    [[noreturn]] static void failure(const char* what, source_site site) {
        if (scheduler* s = scheduler::attached()) {
            std::fprintf(stderr, "ringcheck fuzz: %s at %s:%u\n", what, site.file, site.line);
            s->fail(what);
        }
        std::fprintf(stderr, "ringcheck fuzz: %s at %s:%u\n", what, site.file, site.line);
        std::abort();
    }
};

}  // namespace ringcheck::fuzz
