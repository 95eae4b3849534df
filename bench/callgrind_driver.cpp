// ringcheck_bench_churn: one thread pushes and pops through one queue, for instruction counts.
//
//   ringcheck_bench_churn --list                    the queue names, one a line
//   ringcheck_bench_churn QUEUE u64|struct64 PAIRS  PAIRS push+pop pairs, in batches of 32
//                                                   pushes then 32 pops (capacity 1024)
// bench/callgrind.sh runs it under callgrind with PAIRS = P and 2P; the difference divided by P
// is the cost of one push plus one pop, without start-up and construction.
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "contenders.hpp"

namespace ringbench {
namespace {

constexpr std::size_t capacity = 1024;
constexpr std::size_t batch = 32;

/// Returns 0 when every item came back whole and in order, 1 otherwise.
template <class Q, class T>
int churn(std::size_t pairs) {
    auto queue = std::make_unique<Q>();
    bool intact = true;  // every push succeeded and every pop returned the next item
    bool whole = true;   // no item came back torn
    for (std::size_t done = 0; done < pairs; done += batch) {
        T item;
        for (std::size_t i = 0; i < batch; ++i) {
            make_item(done + i, item);
            intact = queue->push(item) && intact;
        }
        for (std::size_t i = 0; i < batch; ++i) {
            const bool popped = queue->pop(item);
            const bool in_order = popped && item_seq(item, whole) == done + i;
            intact = intact && in_order;
        }
    }
    return intact && whole ? 0 : 1;
}

using churn_fn = std::function<int(std::size_t)>;
using registry = std::map<std::string, churn_fn, std::less<>>;

template <class T, template <class, std::size_t> class... Q>
void add_all(registry& out, queue_list<Q...>) {
    (out.emplace(std::string(Q<T, capacity>::name), &churn<Q<T, capacity>, T>), ...);
}

template <class T>
registry queues_of() {
    registry out;
    add_all<T>(out, spsc_contenders{});
    add_all<T>(out, mpmc_contenders{});
    return out;
}

int usage_error(const char* what) {
    std::fprintf(stderr, "ringcheck_bench_churn: %s (usage: --list | QUEUE u64|struct64 PAIRS)\n", what);
    return 2;
}

}  // namespace
}  // namespace ringbench

int main(int argc, char** argv) {
    using namespace ringbench;
    if (argc == 2 && std::string_view(argv[1]) == "--list") {
        for (const auto& [name, fn] : queues_of<std::uint64_t>()) std::printf("%s\n", name.c_str());
        return 0;
    }
    if (argc != 4) return usage_error("wrong number of arguments");
    const std::string_view elem = argv[2];
    const registry queues = elem == "u64" ? queues_of<std::uint64_t>() : queues_of<payload64>();
    if (elem != "u64" && elem != "struct64") return usage_error("unknown element type");
    const auto found = queues.find(std::string_view(argv[1]));
    if (found == queues.end()) return usage_error("unknown queue");
    const std::string_view count = argv[3];
    std::size_t pairs = 0;
    const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), pairs);
    if (ec != std::errc{} || end != count.data() + count.size() || pairs == 0) return usage_error("bad PAIRS");
    return found->second(pairs);
}
