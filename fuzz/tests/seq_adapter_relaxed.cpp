// The adapter harness under the relaxed contracts: it judges what the oracle judges for them, the
// values, never a refused push or an empty pop. One source, four programs (RELAXED_QUEUE picks):
//   unbounded_fifo  per-producer-fifo, takes more than its capacity: must pass
//   unbounded_bag   bag, pops the newest (LIFO), also over capacity: must pass
//   lifo_as_fifo    per-producer-fifo, pops the newest: must fail (a value out of order)
//   bag_invents     bag, its third pop gives a value never pushed: must fail
#include <deque>

#include "ringcheck/fuzz/adapter_harness.hpp"

namespace {

template <bool Fifo, bool Invents>
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
        const std::uint64_t v = FromFront ? q.front() : q.back();
        FromFront ? q.pop_front() : q.pop_back();
        return v;
    }
    static constexpr bool FromFront = RELAXED_FROM_FRONT;
    std::deque<std::uint64_t> q;
    std::size_t cap;
    unsigned pops = 0;
};

using tested = deque_adapter<RELAXED_FIFO, RELAXED_INVENTS>;
static_assert(ringcheck::adapters::queue_under_test<tested>);

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return ringcheck::fuzz::run_adapter_sequential<tested>(data, size);
}
