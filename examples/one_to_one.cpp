// The article's first program, on every ring: one producer sends 0..9,999 to one consumer, which
// checks that it receives exactly that sequence.
#include <cstdio>
#include <thread>

#include "ringcheck/locked_ring.hpp"
#include "ringcheck/mpmc_ring.hpp"
#include "ringcheck/spsc_ring.hpp"

template <class Ring>
bool sends_the_sequence(const char* name) {
    constexpr int count = 10'000;
    Ring ring(64);
    std::thread producer([&] {
        for (int i = 0; i < count; ++i) {
            while (!ring.try_push(i)) std::this_thread::yield();
        }
    });
    int expected = 0;
    bool in_order = true;
    while (expected < count) {
        if (auto v = ring.try_pop()) {
            in_order = in_order && *v == expected;
            ++expected;
        } else {
            std::this_thread::yield();
        }
    }
    producer.join();
    std::printf("%-12s received 0..%d %s\n", name, count - 1, in_order ? "in order" : "OUT OF ORDER");
    return in_order;
}

int main() {
    int failures = 0;  // run every ring even after a failure
    failures += !sends_the_sequence<ringcheck::spsc_ring<int>>("spsc_ring");
    failures += !sends_the_sequence<ringcheck::mpmc_ring<int>>("mpmc_ring");
    failures += !sends_the_sequence<ringcheck::locked_ring<int>>("locked_ring");
    return failures == 0 ? 0 : 1;
}
