// Checker throughput (operations per second) against history size:
// 8 threads (4 producers, 4 consumers), capacity 64, linearizable histories
// and the same histories with one injected FIFO violation.
#include <benchmark/benchmark.h>

#include <map>

#include "ringcheck/oracle/checker.hpp"
#include "ringcheck/oracle/generator.hpp"

namespace {

using namespace ringcheck::oracle;

const history& cached(std::size_t ops, bool violate) {
    static std::map<std::pair<std::size_t, bool>, history> cache;
    auto key = std::pair{ops, violate};
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    generator_options g;
    g.ops = ops, g.threads = 8, g.capacity = 64, g.seed = 42;
    history h = generate_history(g);
    if (violate) {
        std::mt19937_64 rng(7);
        history m = h;
        while (!(mutate(m, mutation::swap_values, rng) && check(m).violated())) m = h;
        h = std::move(m);
    }
    return cache.emplace(key, std::move(h)).first->second;
}

void run(benchmark::State& state, bool violate) {
    const history& h = cached(static_cast<std::size_t>(state.range(0)), violate);
    for (auto _ : state) {
        verdict v = check(h);
        benchmark::DoNotOptimize(v);
        if (violate ? !v.violated() : !v.holds()) state.SkipWithError("unexpected verdict");
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(h.ops.size()));
}

void BM_check_linearizable(benchmark::State& s) { run(s, false); }
void BM_check_violation(benchmark::State& s) { run(s, true); }

BENCHMARK(BM_check_linearizable)->RangeMultiplier(10)->Range(10000, 1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_check_violation)->RangeMultiplier(10)->Range(10000, 1000000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
