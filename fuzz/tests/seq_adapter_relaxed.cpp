// The adapter harness under the relaxed contracts: it judges what the oracle judges for them, the
// values, never a refused push or an empty pop. RINGCHECK_RELAXED_QUEUE picks the queue:
//   unbounded_fifo  per-producer-fifo, takes more than its capacity: must pass
//   unbounded_bag   bag, pops the newest (LIFO), also over capacity: must pass
//   lifo_as_fifo    per-producer-fifo, pops the newest: must fail (a value out of order)
//   bag_invents     bag, its third pop gives a value never pushed: must fail
#include <cstdlib>
#include <deque>
#include <string_view>

#include "ringcheck/fuzz/adapter_harness.hpp"

namespace {

enum class pop_end { front, back };

template <bool Fifo, pop_end End, bool Invents>
struct deque_adapter {
    static constexpr std::string_view name = "std::deque (relaxed-contract test)";
    static constexpr std::string_view contract = Fifo ? "per-producer-fifo" : "bag";
    static constexpr unsigned max_producers = 0, max_consumers = 0;
    explicit deque_adapter(std::size_t capacity) : cap(capacity) {}
    std::size_t capacity() const { return cap; }
    bool try_push(std::uint64_t v) {
        q.push_back(v);
        return true;
    }
    std::optional<std::uint64_t> try_pop() {
        if (q.empty()) return std::nullopt;
        if (Invents && ++pops == 3) return std::uint64_t{1} << 40;
        const std::uint64_t v = End == pop_end::front ? q.front() : q.back();
        End == pop_end::front ? q.pop_front() : q.pop_back();
        return v;
    }
    std::deque<std::uint64_t> q;
    std::size_t cap;
    unsigned pops = 0;
};

using run_function = int (*)(const std::uint8_t*, std::size_t);

run_function chosen() {
    using namespace ringcheck::fuzz;
    const char* env = std::getenv("RINGCHECK_RELAXED_QUEUE");
    const std::string_view which = env ? env : "";
    if (which == "unbounded_fifo") return run_adapter_sequential<deque_adapter<true, pop_end::front, false>>;
    if (which == "unbounded_bag") return run_adapter_sequential<deque_adapter<false, pop_end::back, false>>;
    if (which == "lifo_as_fifo") return run_adapter_sequential<deque_adapter<true, pop_end::back, false>>;
    if (which == "bag_invents") return run_adapter_sequential<deque_adapter<false, pop_end::front, true>>;
    std::fprintf(stderr, "seq_adapter_relaxed: set RINGCHECK_RELAXED_QUEUE to unbounded_fifo, unbounded_bag, "
                         "lifo_as_fifo or bag_invents\n");
    std::exit(2);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const run_function run = chosen();
    return run(data, size);
}
