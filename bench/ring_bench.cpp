// ringcheck_bench: the rings beside the packaged peers, with Google Benchmark.
//
// Benchmark names are <case>/<queue>/manual_time. Cases:
//   spsc_1x1_<elem>_cap<C>   throughput, 1 producer x 1 consumer, C in {1024, 65536}
//   rtt_<elem>               round-trip latency over two rings (counters median_ns, p99_ns)
//   mpmc_<N>x<N>_<elem>_cap1024   throughput, N producers x N consumers (N from --pairs)
//   spsc_near_empty_u64_cap1024, spsc_near_full_u64_cap1024   1x1 throughput with the producer
//                            (resp. the consumer) doing --regime-work units of work per item, so
//                            that the ring is held near empty (resp. near full) whatever the queue
// with <elem> u64 or struct64. Throughput cases also report failed_pushes_per_item and
// failed_pops_per_item: which regime the pair ran in. Besides Google Benchmark's flags:
//   --items=N         items moved per timed iteration of a throughput case (default 1048576)
//   --rtt_samples=N   round trips per timed iteration of a latency case (default 20000)
//   --pairs=A,B,...   the N of the mpmc cases (default 1,2)
//   --rotate=K        start each case's queue list at its K-th queue (bench/compare varies it
//                     between rounds so that no queue always runs first)
//   --regime-work=N   work units per item on the slowed side of the regime cases (default 20;
//                     small values show how far a little work moves a pair's regime)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "contenders.hpp"
#include "drivers.hpp"

namespace ringbench {
namespace {

struct options {
    std::size_t items = std::size_t{1} << 20;
    std::size_t rtt_samples = 20000;
    std::vector<int> pairs{1, 2};
    std::size_t rotate = 0;
    /// Work units per item on the slowed side of the regime cases: 20 is enough that the other
    /// side waits (measured: the slowed side's queue operations then fail on under 1% of items
    /// for every queue).
    std::size_t regime_work = 20;
};

template <class Q, class T>
void run_throughput(benchmark::State& state, int pairs, std::size_t items, side_work work) {
    auto queue = std::make_unique<Q>();
    const std::size_t per_thread = std::max<std::size_t>(items / static_cast<std::size_t>(pairs), 1);
    bool pinned = true;
    bool intact = true;
    std::uint64_t failed_pushes = 0, failed_pops = 0;
    for (auto _ : state) {
        const transfer_result r = transfer<T>(*queue, pairs, per_thread, work);
        state.SetIterationTime(r.seconds);
        pinned = pinned && r.pinned;
        intact = intact && r.intact;
        failed_pushes += r.failed_pushes;
        failed_pops += r.failed_pops;
    }
    const auto moved = static_cast<double>(state.iterations()) * static_cast<double>(per_thread * pairs);
    state.counters["failed_pushes_per_item"] = static_cast<double>(failed_pushes) / moved;
    state.counters["failed_pops_per_item"] = static_cast<double>(failed_pops) / moved;
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(per_thread) * pairs);
    state.counters["pinned"] = pinned ? 1 : 0;
    if (!intact) state.SkipWithError("items lost, duplicated or torn");
}

double percentile(std::vector<double>& values, double fraction) {
    const auto at = values.begin() + static_cast<std::ptrdiff_t>(fraction * static_cast<double>(values.size() - 1));
    std::nth_element(values.begin(), at, values.end());
    return *at;
}

template <class Q, class T>
void run_round_trip(benchmark::State& state, std::size_t samples) {
    auto there = std::make_unique<Q>();
    auto back = std::make_unique<Q>();
    std::vector<double> rtt_ns;
    bool pinned = true;
    bool intact = true;
    for (auto _ : state) {
        const ping_pong_result r = ping_pong<T>(*there, *back, samples, rtt_ns);
        state.SetIterationTime(r.seconds);
        pinned = pinned && r.pinned;
        intact = intact && r.intact;
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(samples));
    state.counters["pinned"] = pinned ? 1 : 0;
    state.counters["median_ns"] = percentile(rtt_ns, 0.5);
    state.counters["p99_ns"] = percentile(rtt_ns, 0.99);
    if (!intact) state.SkipWithError("a round trip returned another item");
}

struct entry {
    std::string queue;
    std::function<void(benchmark::State&)> run;
};

template <class T, std::size_t Cap, template <class, std::size_t> class... Q>
std::vector<entry> throughput_entries(queue_list<Q...>, int pairs, std::size_t items, side_work work = {}) {
    return {entry{std::string(Q<T, Cap>::name),
                  [=](benchmark::State& s) { run_throughput<Q<T, Cap>, T>(s, pairs, items, work); }}...};
}

template <class T, std::size_t Cap, template <class, std::size_t> class... Q>
std::vector<entry> latency_entries(queue_list<Q...>, std::size_t samples) {
    return {entry{std::string(Q<T, Cap>::name),
                  [=](benchmark::State& s) { run_round_trip<Q<T, Cap>, T>(s, samples); }}...};
}

void register_case(const std::string& name, std::vector<entry> entries, std::size_t rotate) {
    std::rotate(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(rotate % entries.size()),
                entries.end());
    for (entry& e : entries) {
        benchmark::RegisterBenchmark((name + "/" + e.queue).c_str(), std::move(e.run))
            ->UseManualTime()
            ->Unit(benchmark::kMillisecond);
    }
}

template <class T>
void register_element_cases(std::string_view elem, const options& opt) {
    const std::string e(elem);
    register_case("spsc_1x1_" + e + "_cap1024", throughput_entries<T, 1024>(spsc_contenders{}, 1, opt.items),
                  opt.rotate);
    register_case("spsc_1x1_" + e + "_cap65536",
                  throughput_entries<T, 65536>(spsc_contenders{}, 1, opt.items), opt.rotate);
    register_case("rtt_" + e, latency_entries<T, 1024>(spsc_contenders{}, opt.rtt_samples), opt.rotate);
    for (int n : opt.pairs) {
        const std::string nxn = std::to_string(n) + "x" + std::to_string(n);
        register_case("mpmc_" + nxn + "_" + e + "_cap1024",
                      throughput_entries<T, 1024>(mpmc_contenders{}, n, opt.items), opt.rotate);
    }
}

/// The 1x1 u64 case with one side slowed: which queue is faster once the regime is fixed.
void register_regime_cases(const options& opt) {
    const auto work = static_cast<unsigned>(opt.regime_work);
    register_case("spsc_near_empty_u64_cap1024",
                  throughput_entries<std::uint64_t, 1024>(spsc_contenders{}, 1, opt.items, {work, 0}),
                  opt.rotate);
    register_case("spsc_near_full_u64_cap1024",
                  throughput_entries<std::uint64_t, 1024>(spsc_contenders{}, 1, opt.items, {0, work}),
                  opt.rotate);
}

bool parse_count(std::string_view text, std::size_t& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size() && out > 0;
}

bool parse_pairs(std::string_view text, std::vector<int>& out) {
    out.clear();
    while (!text.empty()) {
        const std::size_t comma = std::min(text.find(','), text.size());
        std::size_t n = 0;
        if (!parse_count(text.substr(0, comma), n) || n > 256) return false;
        out.push_back(static_cast<int>(n));
        text.remove_prefix(std::min(comma + 1, text.size()));
    }
    return !out.empty();
}

/// Our flags (Google Benchmark has removed its own); false, with `bad` set, on anything else.
bool parse_options(int argc, char** argv, options& opt, std::string& bad) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const std::size_t eq = arg.find('=');
        const std::string_view key = arg.substr(0, eq);
        const std::string_view value = eq == std::string_view::npos ? "" : arg.substr(eq + 1);
        bool ok = false;
        if (key == "--items") ok = parse_count(value, opt.items);
        else if (key == "--rtt_samples") ok = parse_count(value, opt.rtt_samples);
        else if (key == "--pairs") ok = parse_pairs(value, opt.pairs);
        else if (key == "--rotate") ok = parse_count(value, opt.rotate) || value == "0";
        else if (key == "--regime-work")
            ok = (parse_count(value, opt.regime_work) || value == "0") && opt.regime_work <= 1000000;
        if (!ok) {
            bad = std::string(arg);
            return false;
        }
    }
    return true;
}

}  // namespace
}  // namespace ringbench

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    ringbench::options opt;
    std::string bad;
    if (!ringbench::parse_options(argc, argv, opt, bad)) {
        std::fprintf(stderr, "ringcheck_bench: bad option '%s' (see the comment at the top of ring_bench.cpp)\n",
                     bad.c_str());
        return 2;
    }
    ringbench::register_element_cases<std::uint64_t>("u64", opt);
    ringbench::register_element_cases<ringbench::payload64>("struct64", opt);
    ringbench::register_regime_cases(opt);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
