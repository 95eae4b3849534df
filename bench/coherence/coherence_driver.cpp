// bench/coherence: per element (one push + one pop), what crosses between the producer's and the
// consumer's cache for each SPSC queue of bench/contenders.hpp, and for mpmc_ring and AtomicQueue2
// (MPMC) driven by one producer and one consumer, counted by line_sim.
//
// This file is compiled with -fsanitize=thread (instrumentation only, no TSan runtime): every load,
// store and atomic of the queues' code calls a hook of line_sim.cpp. The hooks slow both threads
// about equally, so the figures are counts under a realistic interleaving, not timings.
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "../drivers.hpp"
#include "line_sim.hpp"
#include "queue_layouts.hpp"

namespace coh {

using ringbench::spsc_ring_queue;

// ---- reaching each wrapper's queue (private in bench/queues.hpp) --------------------------
// field_of tags live in coh itself, not in an unnamed namespace: their friend member_of must be
// the same function as the one private_member (in coh) defines.

template <class W>
const auto& inner(const W& w) {
    return w.*member_of(field_of<W, field::wrapped_queue>{});
}

// One wrapper's queue member (ring_ or queue_ in bench/queues.hpp) at one capacity.
#define COH_EXPOSE_WRAPPED(WRAPPER, MEMBER, CAP) \
    template struct private_member<field_of<WRAPPER<std::uint64_t, CAP>, field::wrapped_queue>, \
                                   &WRAPPER<std::uint64_t, CAP>::MEMBER>
COH_EXPOSE_WRAPPED(ringbench::spsc_ring_queue, ring_, 1024);
COH_EXPOSE_WRAPPED(ringbench::spsc_ring_queue, ring_, 65536);
COH_EXPOSE_WRAPPED(ringbench::spsc_unfenced_queue, ring_, 1024);
COH_EXPOSE_WRAPPED(ringbench::spsc_unfenced_queue, ring_, 65536);
COH_EXPOSE_WRAPPED(ringbench::mpmc_ring_queue, ring_, 1024);
COH_EXPOSE_WRAPPED(ringbench::mpmc_ring_queue, ring_, 65536);

#if defined(RINGBENCH_HAVE_BOOST)
COH_EXPOSE_WRAPPED(ringbench::boost_spsc_queue, queue_, 1024);
COH_EXPOSE_WRAPPED(ringbench::boost_spsc_queue, queue_, 65536);
#endif

#if defined(RINGBENCH_HAVE_READERWRITERQUEUE)
COH_EXPOSE_WRAPPED(ringbench::reader_writer_queue, queue_, 1024);
COH_EXPOSE_WRAPPED(ringbench::reader_writer_queue, queue_, 65536);
#endif

#if defined(RINGBENCH_HAVE_ATOMIC_QUEUE)
// The same AtomicQueue2 type as bench/queues.hpp's two SPSC wrappers.
template <std::size_t Cap>
using aq_spsc = atomic_queue::AtomicQueue2<std::uint64_t, Cap, true, true, false, true>;
template <std::size_t Cap>
using aq_mpmc = atomic_queue::AtomicQueue2<std::uint64_t, Cap>;  // bench/queues.hpp's MPMC wrappers
#define COH_EXPOSE_ATOMIC_QUEUE(CAP)                                                                   \
    COH_EXPOSE_WRAPPED(ringbench::atomic_queue_spsc_queue, queue_, CAP);                                    \
    COH_EXPOSE_WRAPPED(ringbench::atomic_queue_spsc_optimist_queue, queue_, CAP);                           \
    template struct private_member<field_of<aq_spsc<CAP>, field::head>, &aq_spsc<CAP>::head_>;                            \
    template struct private_member<field_of<aq_spsc<CAP>, field::tail>, &aq_spsc<CAP>::tail_>;                            \
    COH_EXPOSE_WRAPPED(ringbench::atomic_queue_queue, queue_, CAP);                                         \
    COH_EXPOSE_WRAPPED(ringbench::atomic_queue_optimist_queue, queue_, CAP);                                \
    template struct private_member<field_of<aq_mpmc<CAP>, field::head>, &aq_mpmc<CAP>::head_>;                            \
    template struct private_member<field_of<aq_mpmc<CAP>, field::tail>, &aq_mpmc<CAP>::tail_>
COH_EXPOSE_ATOMIC_QUEUE(1024);
COH_EXPOSE_ATOMIC_QUEUE(65536);
#endif

namespace {

// ---- registering each wrapper's lines -----------------------------------------------------

/// spsc_ring and its unfenced reference point (bench/queues.hpp's optional_pop_queue).
template <class Ring, std::size_t Cap, const std::string_view& Name, bool Ours>
void register_queue(const ringbench::optional_pop_queue<std::uint64_t, Ring, Cap, Name, Ours>& w) {
    register_ring(inner(w));
}
#if defined(RINGBENCH_HAVE_BOOST)
template <std::size_t Cap>
void register_queue(const ringbench::boost_spsc_queue<std::uint64_t, Cap>& w) {
    register_boost(inner(w));
}
#endif
#if defined(RINGBENCH_HAVE_READERWRITERQUEUE)
template <std::size_t Cap>
void register_queue(const ringbench::reader_writer_queue<std::uint64_t, Cap>& w) {
    register_rwq(inner(w));
}
#endif
#if defined(RINGBENCH_HAVE_ATOMIC_QUEUE)
template <std::size_t Cap>
void register_queue(const ringbench::atomic_queue_queue<std::uint64_t, Cap>& w) {
    register_atomic_queue<aq_mpmc<Cap>, field_of<aq_mpmc<Cap>, field::head>, field_of<aq_mpmc<Cap>, field::tail>>(inner(w));
}
template <std::size_t Cap>
void register_queue(const ringbench::atomic_queue_optimist_queue<std::uint64_t, Cap>& w) {
    register_atomic_queue<aq_mpmc<Cap>, field_of<aq_mpmc<Cap>, field::head>, field_of<aq_mpmc<Cap>, field::tail>>(inner(w));
}
template <std::size_t Cap>
void register_queue(const ringbench::atomic_queue_spsc_queue<std::uint64_t, Cap>& w) {
    register_atomic_queue<aq_spsc<Cap>, field_of<aq_spsc<Cap>, field::head>, field_of<aq_spsc<Cap>, field::tail>>(inner(w));
}
template <std::size_t Cap>
void register_queue(const ringbench::atomic_queue_spsc_optimist_queue<std::uint64_t, Cap>& w) {
    register_atomic_queue<aq_spsc<Cap>, field_of<aq_spsc<Cap>, field::head>, field_of<aq_spsc<Cap>, field::tail>>(inner(w));
}
#endif

// ---- one measured run ---------------------------------------------------------------------

struct options {
    std::uint64_t items = 2'000'000;
    int reps = 3;
    bool single_thread = false;
    side slow = side::none;   // this side idles `work` pauses per element: sets the regime
    unsigned work = 64;       // (slow consumer: queue near full; slow producer: near empty)
    std::vector<std::size_t> capacities{1024};
    std::string only;  // run only queues whose name contains this
};

struct run_result {
    run_counts counts;
    std::uint64_t failed_pushes = 0;
    std::uint64_t failed_pops = 0;
};

/// A queue on its own 64-byte-aligned allocation, so every queue starts at a line boundary.
template <class W>
class aligned_queue {
public:
    aligned_queue() : queue_(new (::operator new(sizeof(W), std::align_val_t{64})) W) {}
    ~aligned_queue() {
        queue_->~W();
        ::operator delete(queue_, std::align_val_t{64});
    }
    aligned_queue(const aligned_queue&) = delete;
    aligned_queue& operator=(const aligned_queue&) = delete;
    W& operator*() const noexcept { return *queue_; }

private:
    W* queue_;
};

/// Retries like bench/drivers.hpp's throughput runs (pause per failure, yield after 50 us),
/// counting the failed attempts.
template <class Attempt>
void retry_counting(Attempt&& attempt, std::uint64_t& failures) {
    failures += ringbench::retry<true>{}.until(attempt);
}

/// Time spent outside the queue per element (pause is an intrinsic: no hook, no count).
void idle(unsigned pauses) noexcept {
    for (unsigned i = 0; i < pauses; ++i) ringbench::cpu_relax();
}

template <class W>
void produce(W& q, std::uint64_t items, unsigned pauses, std::uint64_t& failures) {
    for (std::uint64_t i = 0; i < items; ++i) {
        retry_counting([&] { return q.push(i); }, failures);
        idle(pauses);
    }
}

template <class W>
std::uint64_t consume(W& q, std::uint64_t items, unsigned pauses, std::uint64_t& failures) {
    std::uint64_t sum = 0;
    std::uint64_t item = 0;
    for (std::uint64_t i = 0; i < items; ++i) {
        retry_counting([&] { return q.pop(item); }, failures);
        sum += item;
        idle(pauses);
    }
    return sum;
}

void check_sum(std::uint64_t sum, std::uint64_t items) {
    if (sum != items * (items - 1) / 2) {
        std::fprintf(stderr, "coherence: items lost or duplicated (sum %llu)\n", static_cast<unsigned long long>(sum));
        std::exit(2);
    }
}

template <class W>
run_result two_threads(W& q, const options& o) {
    const std::uint64_t items = o.items;
    const unsigned producer_pauses = o.slow == side::producer ? o.work : 0;
    const unsigned consumer_pauses = o.slow == side::consumer ? o.work : 0;
    run_result r;
    std::uint64_t sum = 0;
    ringbench::start_gate gate(2);
    std::thread producer([&] {
        ringbench::pin_to_slot(0);  // failure tolerated: the counts do not depend on placement
        bind_this_thread(side::producer);
        gate.arrive_and_wait();
        std::uint64_t failures = 0;  // a local: r's fields share a line between the two threads
        produce(q, items, producer_pauses, failures);
        bind_this_thread(side::none);
        r.failed_pushes = failures;
    });
    std::thread consumer([&] {
        ringbench::pin_to_slot(1);
        bind_this_thread(side::consumer);
        gate.arrive_and_wait();
        std::uint64_t failures = 0;
        const std::uint64_t received = consume(q, items, consumer_pauses, failures);
        bind_this_thread(side::none);
        r.failed_pops = failures;
        sum = received;
    });
    gate.open_when_all_ready();
    producer.join();
    consumer.join();
    check_sum(sum, items);
    return r;
}

/// Sanity mode: one thread (one cache) pushes and pops in batches of half the capacity.
template <class W>
run_result one_thread(W& q, std::uint64_t items, std::size_t capacity) {
    run_result r;
    std::uint64_t sum = 0;
    std::uint64_t item = 0;
    bind_this_thread(side::producer);
    for (std::uint64_t done = 0; done < items;) {
        const std::uint64_t batch = std::min<std::uint64_t>(capacity / 2, items - done);
        for (std::uint64_t i = 0; i < batch; ++i) r.failed_pushes += !q.push(done + i);
        for (std::uint64_t i = 0; i < batch; ++i) {
            r.failed_pops += !q.pop(item);
            sum += item;
        }
        done += batch;
    }
    bind_this_thread(side::none);
    check_sum(sum, items);
    return r;
}

template <class W>
run_result measure_once(const options& o, std::size_t capacity) {
    aligned_queue<W> q;
    register_queue(*q);
    reset_counts();
    run_result r = o.single_thread ? one_thread(*q, o.items, capacity) : two_threads(*q, o);
    r.counts = snapshot();
    clear_registrations();
    return r;
}

// ---- the table ----------------------------------------------------------------------------

struct spread {
    double mean = 0, low = 0, high = 0;
};

template <class F>
spread over_reps(const std::vector<run_result>& runs, double per, F value) {
    spread s{0, 1e300, -1e300};
    for (const run_result& r : runs) {
        const double v = static_cast<double>(value(r)) / per;
        s.mean += v / static_cast<double>(runs.size());
        s.low = std::min(s.low, v);
        s.high = std::max(s.high, v);
    }
    return s;
}

void print_cell(spread s) { std::printf(" %7.3f[%6.3f-%6.3f]", s.mean, s.low, s.high); }

const char* regime_of(const options& o) {
    if (o.single_thread) return "  SINGLE THREAD";
    if (o.slow == side::producer) return "  slow producer (near empty)";
    if (o.slow == side::consumer) return "  slow consumer (near full)";
    return "  free running";
}

void print_header(std::string_view name, std::size_t capacity, const options& o) {
    std::printf("\n== %.*s  capacity %zu  items %llu  reps %d%s\n", static_cast<int>(name.size()), name.data(),
                capacity, static_cast<unsigned long long>(o.items), o.reps, regime_of(o));
    std::printf("%-9s %-15s %-23s %-23s %-23s %-23s %-23s\n", "side", "line class", "reads/el mean[min-max]",
                "read misses/el", "TRANSFERS/el", "writes/el", "INVALIDATIONS/el");
}

void print_class_row(const std::vector<run_result>& runs, double items, std::size_t s, std::size_t c) {
    const auto pick = [&](auto field) {
        return over_reps(runs, items, [&](const run_result& r) { return r.counts[s].by_class[c].*field; });
    };
    if (pick(&access_counts::reads).high == 0 && pick(&access_counts::writes).high == 0) return;
    std::printf("%-9s %-15s", s == 0 ? "producer" : "consumer", name_of(static_cast<line_class>(c)));
    for (auto field : {&access_counts::reads, &access_counts::read_misses, &access_counts::read_transfers,
                       &access_counts::writes, &access_counts::invalidations})
        print_cell(pick(field));
    std::printf("\n");
}

void print_summary(const std::vector<run_result>& runs, double items) {
    const auto crossings = [](const run_result& r) {
        std::uint64_t n = 0;
        for (const side_counts& sc : r.counts)
            for (const access_counts& a : sc.by_class) n += a.read_transfers + a.invalidations;
        return n;
    };
    std::printf("  failed pushes/el");
    print_cell(over_reps(runs, items, [](const run_result& r) { return r.failed_pushes; }));
    std::printf("  failed pops/el");
    print_cell(over_reps(runs, items, [](const run_result& r) { return r.failed_pops; }));
    std::printf("\n  full barriers/el producer");
    print_cell(over_reps(runs, items, [](const run_result& r) { return r.counts[0].full_barriers; }));
    std::printf("  consumer");
    print_cell(over_reps(runs, items, [](const run_result& r) { return r.counts[1].full_barriers; }));
    std::printf("\n  transfers+invalidations/el, both sides, all lines");
    print_cell(over_reps(runs, items, crossings));
    std::printf("\n  per rep (transfers+invalidations / failed pushes / failed pops, per el):");
    for (const run_result& r : runs)  // the regime can change between reps: show which rep did what
        std::printf("  %.3f/%.3f/%.3f", static_cast<double>(crossings(r)) / items,
                    static_cast<double>(r.failed_pushes) / items, static_cast<double>(r.failed_pops) / items);
    std::printf("\n");
}

template <class W>
void measure(const options& o, std::size_t capacity) {
    if (!o.only.empty() && std::string_view(W::name).find(o.only) == std::string_view::npos) return;
    std::vector<run_result> runs;
    for (int i = 0; i < o.reps; ++i) runs.push_back(measure_once<W>(o, capacity));
    print_header(W::name, capacity, o);
    const double items = static_cast<double>(o.items);
    for (std::size_t s = 0; s < side_count; ++s)
        for (std::size_t c = 0; c < line_class_count; ++c) print_class_row(runs, items, s, c);
    print_summary(runs, items);
    std::fflush(stdout);
}

template <std::size_t Cap>
void measure_all(const options& o) {
    measure<spsc_ring_queue<std::uint64_t, Cap>>(o, Cap);
    measure<ringbench::spsc_unfenced_queue<std::uint64_t, Cap>>(o, Cap);  // what confirm_fence changes
#if defined(RINGBENCH_HAVE_BOOST)
    measure<ringbench::boost_spsc_queue<std::uint64_t, Cap>>(o, Cap);
#endif
#if defined(RINGBENCH_HAVE_READERWRITERQUEUE)
    measure<ringbench::reader_writer_queue<std::uint64_t, Cap>>(o, Cap);
#endif
#if defined(RINGBENCH_HAVE_ATOMIC_QUEUE)
    measure<ringbench::atomic_queue_spsc_queue<std::uint64_t, Cap>>(o, Cap);
    if (!o.single_thread)  // the optimist pop spins inside the queue: it cannot pop an empty queue
        measure<ringbench::atomic_queue_spsc_optimist_queue<std::uint64_t, Cap>>(o, Cap);
#endif
    // The MPMC queues with one producer and one consumer (the mpmc_1x1 cases).
    measure<ringbench::mpmc_ring_queue<std::uint64_t, Cap>>(o, Cap);
#if defined(RINGBENCH_HAVE_ATOMIC_QUEUE)
    measure<ringbench::atomic_queue_queue<std::uint64_t, Cap>>(o, Cap);
    if (!o.single_thread) measure<ringbench::atomic_queue_optimist_queue<std::uint64_t, Cap>>(o, Cap);
#endif
}

// ---- the self-check: one line bounced between two caches, then the same by one thread --------

struct alignas(64) shared_line {
    std::atomic<std::uint64_t> ball{0};
};

/// `player` waits for its turn (ball % 2 == player) and passes the ball on, `rounds` times.
void play(shared_line& l, std::uint64_t player, std::uint64_t rounds) {
    for (std::uint64_t i = 0; i < rounds; ++i) {
        std::uint64_t b;
        while ((b = l.ball.load(std::memory_order_acquire)) % 2 != player) ringbench::cpu_relax();
        l.ball.store(b + 1, std::memory_order_release);
    }
}

std::uint64_t transfers_of(const run_counts& rc) {
    std::uint64_t n = 0;
    for (const side_counts& sc : rc)
        for (const access_counts& a : sc.by_class) n += a.read_transfers;
    return n;
}

/// Read transfers per round trip (one pass by each player).
double ping_pong(std::uint64_t rounds, bool single_thread) {
    shared_line line;
    register_lines(line_class::other, &line, sizeof line);
    reset_counts();
    if (single_thread) {
        bind_this_thread(side::producer);
        for (std::uint64_t i = 0; i < rounds; ++i) {
            play(line, 0, 1);
            play(line, 1, 1);
        }
        bind_this_thread(side::none);
    } else {
        std::thread a([&] { bind_this_thread(side::producer); play(line, 0, rounds); bind_this_thread(side::none); });
        std::thread b([&] { bind_this_thread(side::consumer); play(line, 1, rounds); bind_this_thread(side::none); });
        a.join();
        b.join();
    }
    const double per_round_trip = static_cast<double>(transfers_of(snapshot())) / static_cast<double>(rounds);
    clear_registrations();
    return per_round_trip;
}

/// Exit status 0 only if the two-thread bounce shows >= 1 transfer per round trip and the
/// single-thread bounce none: a counter that always or never counts fails one of the two.
int check_ping_pong(std::uint64_t rounds) {
    const double two = ping_pong(rounds, false);
    const double one = ping_pong(rounds, true);
    std::printf("ping-pong of one line, %llu round trips: two threads %.3f transfers/round trip, "
                "one thread %.3f\n", static_cast<unsigned long long>(rounds), two, one);
    const bool ok = two >= 1.0 && one == 0.0;
    std::printf("%s\n", ok ? "PASS" : "FAIL: expected >= 1 with two threads and 0 with one");
    return ok ? 0 : 1;
}

// ---- command line -------------------------------------------------------------------------

[[noreturn]] void usage() {
    std::printf("usage: ringcheck_coherence [--items N] [--reps R] [--capacity 1024|65536|both]\n"
                "                           [--single-thread | --slow producer|consumer [--work PAUSES]]\n"
                "                           [--only NAME_PART]\n"
                "       ringcheck_coherence --check-ping-pong [ROUNDS]\n");
    std::exit(0);
}

// Bad input: one line on stderr, exit 2.
[[noreturn]] void bad(std::string_view what, std::string_view arg) {
    std::fprintf(stderr, "ringcheck_coherence: %.*s: '%.*s' (--help lists the options)\n",
                 static_cast<int>(what.size()), what.data(), static_cast<int>(arg.size()), arg.data());
    std::exit(2);
}

side parse_side(std::string_view v) {
    if (v == "producer") return side::producer;
    if (v == "consumer") return side::consumer;
    bad("--slow takes producer or consumer", v);
}

std::vector<std::size_t> parse_capacities(std::string_view v) {
    if (v == "1024") return {1024};
    if (v == "65536") return {65536};
    if (v == "both") return {1024, 65536};
    bad("--capacity takes 1024, 65536 or both", v);
}

// A whole number in [min, max], or one error line and exit 2.
std::uint64_t whole(std::string_view option, std::string_view text, std::uint64_t max, std::uint64_t min = 1) {
    std::uint64_t v = 0;
    auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (err != std::errc{} || end != text.data() + text.size() || v < min || v > max) {
        std::fprintf(stderr, "ringcheck_coherence: %.*s wants a whole number from %llu to %llu, not '%.*s'\n",
                     static_cast<int>(option.size()), option.data(), static_cast<unsigned long long>(min),
                     static_cast<unsigned long long>(max),
                     static_cast<int>(text.size()), text.data());
        std::exit(2);
    }
    return v;
}

options parse(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        const bool has_value = i + 1 < argc;
        if (a == "--items" && has_value) o.items = whole(a, argv[++i], 10'000'000'000ULL);
        else if (a == "--reps" && has_value) o.reps = static_cast<int>(whole(a, argv[++i], 1000));
        else if (a == "--capacity" && has_value) o.capacities = parse_capacities(argv[++i]);
        else if (a == "--only" && has_value) o.only = argv[++i];
        else if (a == "--slow" && has_value) o.slow = parse_side(argv[++i]);
        else if (a == "--work" && has_value) o.work = static_cast<unsigned>(whole(a, argv[++i], 1'000'000, 0));
        else if (a == "--single-thread") o.single_thread = true;
        else if (a == "--help") usage();
        else bad(has_value || !a.starts_with("--") ? "unknown option" : "unknown option or missing value", a);
    }
    return o;
}

}  // namespace
}  // namespace coh

int main(int argc, char** argv) {
    if (argc >= 2 && std::string_view(argv[1]) == "--check-ping-pong")
        return coh::check_ping_pong(argc >= 3 ? coh::whole(argv[1], argv[2], 1'000'000'000) : 20000);
    const coh::options o = coh::parse(argc, argv);
    std::printf("per element = one push + one pop; counts are events of the simulated 2-cache model\n");
    for (std::size_t capacity : o.capacities) {
        if (capacity == 1024) coh::measure_all<1024>(o);
        else coh::measure_all<65536>(o);
    }
    return 0;
}
