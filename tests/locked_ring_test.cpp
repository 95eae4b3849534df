// locked_ring's own behaviour: blocking, timed and closing operations, and the strong guarantee.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <stdexcept>
#include <thread>
#include <vector>

#include "lifetime.hpp"
#include "ringcheck/locked_ring.hpp"

namespace {

using namespace std::chrono_literals;
using ringcheck::locked_ring;

using ringcheck::test::throwing_copy;

// Moving throws when armed: the pop side of the strong guarantee.
struct fragile_move {
    static inline bool throw_on_move = false;
    int value;
    explicit fragile_move(int v) : value(v) {}
    fragile_move(fragile_move&& other) : value(other.value) {
        if (throw_on_move) throw std::runtime_error("move failed");
    }
};

// Whether a thread is blocked cannot be observed directly: tests give it a moment, check that it
// has not returned, and then release it. A slow machine only makes the check weaker, never false.
void let_threads_block() { std::this_thread::sleep_for(20ms); }

TEST(LockedRing, push_blocks_while_full_until_a_pop_makes_room) {
    locked_ring<int> r(1);
    ASSERT_TRUE(r.push(1));
    std::atomic<bool> pushed{false};
    std::thread producer([&] {
        EXPECT_TRUE(r.push(2));
        pushed = true;
    });
    let_threads_block();
    EXPECT_FALSE(pushed.load());
    EXPECT_EQ(r.pop(), 1);
    producer.join();
    EXPECT_TRUE(pushed.load());
    EXPECT_EQ(r.pop(), 2);
}

TEST(LockedRing, pop_blocks_while_empty_until_a_push_arrives) {
    locked_ring<int> r(2);
    std::atomic<bool> popped{false};
    std::thread consumer([&] {
        EXPECT_EQ(r.pop(), 5);
        popped = true;
    });
    let_threads_block();
    EXPECT_FALSE(popped.load());
    ASSERT_TRUE(r.push(5));
    consumer.join();
    EXPECT_TRUE(popped.load());
}

TEST(LockedRing, timed_push_times_out_on_a_full_ring_and_leaves_the_value) {
    locked_ring<std::unique_ptr<int>> r(1);
    ASSERT_TRUE(r.push(std::make_unique<int>(1)));
    auto v = std::make_unique<int>(2);
    EXPECT_FALSE(r.try_push_for(std::move(v), 1ms));
    ASSERT_NE(v, nullptr);
    EXPECT_FALSE(r.try_push_for(std::move(v), -5ms));
    EXPECT_FALSE(r.try_push_for(std::move(v), 0ms));
    ASSERT_NE(v, nullptr);
    const int copy = 3;
    locked_ring<int> ints(1);
    ASSERT_TRUE(ints.try_push_for(copy, 1ms));
    EXPECT_FALSE(ints.try_push_for(copy, 1ms));
}

TEST(LockedRing, timed_pop_times_out_on_an_empty_ring) {
    locked_ring<int> r(1);
    EXPECT_EQ(r.try_pop_for(1ms), std::nullopt);
    EXPECT_EQ(r.try_pop_for(0ms), std::nullopt);
    ASSERT_TRUE(r.push(4));
    EXPECT_EQ(r.try_pop_for(1ms), 4);
}

TEST(LockedRing, timed_operations_accept_huge_durations) {
    locked_ring<int> r(1);
    ASSERT_TRUE(r.try_push_for(1, std::chrono::hours::max()));
    EXPECT_EQ(r.try_pop_for(std::chrono::nanoseconds::max()), 1);
}

TEST(LockedRing, timed_operations_succeed_when_the_other_side_arrives_in_time) {
    locked_ring<int> r(1);
    std::thread consumer([&] { EXPECT_EQ(r.try_pop_for(std::chrono::hours(1)), 9); });
    let_threads_block();
    ASSERT_TRUE(r.try_push_for(9, std::chrono::hours(1)));
    consumer.join();
    ASSERT_TRUE(r.push(10));
    std::thread producer([&] { EXPECT_TRUE(r.try_push_for(11, std::chrono::hours(1))); });
    let_threads_block();
    EXPECT_EQ(r.pop(), 10);
    producer.join();
    EXPECT_EQ(r.pop(), 11);
}

TEST(LockedRing, close_wakes_every_blocked_producer_and_consumer) {
    locked_ring<int> full(1), empty(1);
    ASSERT_TRUE(full.push(0));
    constexpr int waiters = 3;
    std::atomic<int> producers_refused{0}, consumers_told_closed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < waiters; ++i) {
        threads.emplace_back([&] { producers_refused += full.push(1) ? 0 : 1; });
        threads.emplace_back([&] { producers_refused += full.try_push_for(1, std::chrono::hours(1)) ? 0 : 1; });
        threads.emplace_back([&] { consumers_told_closed += empty.pop() ? 0 : 1; });
        threads.emplace_back([&] { consumers_told_closed += empty.try_pop_for(std::chrono::hours(1)) ? 0 : 1; });
    }
    let_threads_block();
    EXPECT_EQ(producers_refused.load() + consumers_told_closed.load(), 0) << "nobody may return before close";
    full.close();
    empty.close();
    for (auto& t : threads) t.join();
    EXPECT_EQ(producers_refused.load(), 2 * waiters);
    EXPECT_EQ(consumers_told_closed.load(), 2 * waiters);
}

TEST(LockedRing, closed_ring_refuses_pushes_and_drains_before_reporting_closed) {
    locked_ring<std::unique_ptr<int>> r(3);
    ASSERT_TRUE(r.push(std::make_unique<int>(1)));
    ASSERT_TRUE(r.try_push(std::make_unique<int>(2)));
    EXPECT_FALSE(r.closed());
    r.close();
    EXPECT_TRUE(r.closed());
    auto refused = std::make_unique<int>(3);
    EXPECT_FALSE(r.push(std::move(refused)));
    EXPECT_FALSE(r.try_push(std::move(refused)));
    EXPECT_FALSE(r.try_push_for(std::move(refused), 1ms));
    ASSERT_NE(refused, nullptr) << "a refused push leaves its argument";
    EXPECT_EQ(**r.pop(), 1);
    EXPECT_EQ(**r.try_pop_for(1ms), 2);
    EXPECT_EQ(r.pop(), std::nullopt);
    EXPECT_EQ(r.try_pop(), std::nullopt);
    EXPECT_EQ(r.try_pop_for(1ms), std::nullopt);
    r.close();  // closing twice is harmless
    EXPECT_TRUE(r.closed());
}

TEST(LockedRing, throwing_copy_leaves_the_ring_unchanged) {
    locked_ring<throwing_copy> r(2);
    ASSERT_TRUE(r.push(throwing_copy(1)));
    const throwing_copy two(2);
    throwing_copy::armed = true;
    EXPECT_THROW(r.push(two), std::runtime_error);
    EXPECT_THROW(r.try_push(two), std::runtime_error);
    EXPECT_THROW(r.try_push_for(two, 1ms), std::runtime_error);
    throwing_copy::armed = false;
    EXPECT_EQ(r.size(), 1u);
    EXPECT_EQ(r.try_pop()->value, 1);
    EXPECT_TRUE(r.empty());
}

TEST(LockedRing, throwing_move_on_pop_leaves_the_element_queued) {
    locked_ring<fragile_move> r(2);
    ASSERT_TRUE(r.try_emplace(7));
    fragile_move::throw_on_move = true;
    EXPECT_THROW(r.try_pop(), std::runtime_error);
    EXPECT_THROW(r.pop(), std::runtime_error);
    fragile_move::throw_on_move = false;
    EXPECT_EQ(r.size(), 1u);
    EXPECT_EQ(r.pop()->value, 7);
}

// The element moves exactly once on the way out: a move that throws after the first one (there is
// none) would come after the ring's indices changed and lose the element.
struct counted_move {
    static inline int moves_before_throw = -1;  // -1: never throw
    int value;
    explicit counted_move(int v) : value(v) {}
    counted_move(counted_move&& other) : value(other.value) {
        if (moves_before_throw == 0) throw std::runtime_error("move failed");
        if (moves_before_throw > 0) --moves_before_throw;
    }
};

TEST(LockedRing, pop_moves_the_element_once) {
    locked_ring<counted_move> r(2);
    ASSERT_TRUE(r.try_emplace(7));
    counted_move::moves_before_throw = 1;  // the first move succeeds, any second one throws
    std::optional<counted_move> got = r.try_pop();
    counted_move::moves_before_throw = -1;
    ASSERT_TRUE(got);
    EXPECT_EQ(got->value, 7);
    EXPECT_TRUE(r.empty());
}

TEST(LockedRing, blocking_producers_and_consumers_deliver_everything_then_close) {
    locked_ring<int> r(1);
    constexpr int producers = 2, consumers = 2, per_producer = 2000;
    std::vector<std::atomic<int>> seen(producers * per_producer);
    std::latch start(producers + consumers);
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p) {
        threads.emplace_back([&, p] {
            start.arrive_and_wait();
            for (int i = 0; i < per_producer; ++i) ASSERT_TRUE(r.push(p * per_producer + i));
        });
    }
    for (int c = 0; c < consumers; ++c) {
        threads.emplace_back([&] {
            start.arrive_and_wait();
            while (auto v = r.pop()) seen[*v].fetch_add(1);
        });
    }
    for (int p = 0; p < producers; ++p) threads[p].join();
    r.close();
    for (std::size_t t = producers; t < threads.size(); ++t) threads[t].join();
    for (auto& s : seen) ASSERT_EQ(s.load(), 1);
}

}  // namespace
