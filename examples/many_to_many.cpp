// The article's second program, on the rings that allow several producers: four producers send
// 500 tagged items each to two consumers; all 2,000 must arrive exactly once, in order per producer.
#include <array>
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "ringcheck/locked_ring.hpp"
#include "ringcheck/mpmc_ring.hpp"

struct tagged {
    int producer;
    int sequence;
};

constexpr int producers = 4, consumers = 2, per_producer = 500;

template <class Ring>
bool delivers_each_item_once(const char* name) {
    Ring ring(16);
    std::atomic<int> received{0};
    std::array<std::array<std::atomic<int>, per_producer>, producers> seen{};
    std::atomic<bool> in_order{true};
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p) {
        threads.emplace_back([&, p] {
            for (int s = 0; s < per_producer; ++s) {
                while (!ring.try_push(tagged{p, s})) std::this_thread::yield();
            }
        });
    }
    for (int c = 0; c < consumers; ++c) {
        threads.emplace_back([&] {
            std::array<int, producers> next{};  // per producer: the least sequence still expected
            while (received.load() < producers * per_producer) {
                auto item = ring.try_pop();
                if (!item) {
                    std::this_thread::yield();
                    continue;
                }
                if (item->sequence < next[item->producer]) in_order = false;
                next[item->producer] = item->sequence + 1;
                seen[item->producer][item->sequence].fetch_add(1);
                received.fetch_add(1);
            }
        });
    }
    for (auto& t : threads) t.join();
    int exactly_once = 0;
    for (auto& row : seen)
        for (auto& count : row) exactly_once += count.load() == 1;
    const bool ok = exactly_once == producers * per_producer && in_order.load();
    std::printf("%-12s %d of %d items arrived exactly once, %s per producer\n", name, exactly_once,
                producers * per_producer, in_order.load() ? "in order" : "OUT OF ORDER");
    return ok;
}

int main() {
    int failures = 0;  // run every ring even after a failure
    failures += !delivers_each_item_once<ringcheck::mpmc_ring<tagged>>("mpmc_ring");
    failures += !delivers_each_item_once<ringcheck::locked_ring<tagged>>("locked_ring");
    return failures == 0 ? 0 : 1;
}
