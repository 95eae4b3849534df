// What only the lock-free rings promise: compile-time element requirements and strong behaviour
// when constructing an element throws.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <thread>
#include <vector>

#include "lifetime.hpp"
#include "ringcheck/mpmc_ring.hpp"
#include "ringcheck/spsc_ring.hpp"

namespace {

using ringcheck::test::throwing_copy;

template <class Ring>
void throwing_construction_leaves_ring_unchanged() {
    Ring r(2);
    const throwing_copy one(1), two(2);
    ASSERT_TRUE(r.try_push(one));
    throwing_copy::armed = true;
    EXPECT_THROW(r.try_push(two), std::runtime_error);
    throwing_copy::armed = false;
    EXPECT_EQ(r.size(), 1u);
    ASSERT_TRUE(r.try_push(two));
    EXPECT_EQ(r.try_pop()->value, 1);
    EXPECT_EQ(r.try_pop()->value, 2);
    EXPECT_EQ(r.try_pop(), std::nullopt);
}

TEST(LockFreeRings, spsc_throwing_copy_leaves_the_ring_unchanged) {
    throwing_construction_leaves_ring_unchanged<ringcheck::spsc_ring<throwing_copy>>();
}

TEST(LockFreeRings, mpmc_throwing_copy_leaves_the_ring_unchanged_and_no_slot_stuck) {
    throwing_construction_leaves_ring_unchanged<ringcheck::mpmc_ring<throwing_copy>>();
}

TEST(LockFreeRings, max_capacity_is_accepted_without_allocating_until_construction) {
    static_assert(ringcheck::spsc_ring<char>::max_capacity() >= (std::size_t{1} << 30));
    static_assert(ringcheck::mpmc_ring<char>::max_capacity() >= (std::size_t{1} << 30));
    ringcheck::mpmc_ring<char> big(std::size_t{1} << 20);
    EXPECT_EQ(big.capacity(), std::size_t{1} << 20);
    EXPECT_TRUE(big.try_push('x'));
}

/// One producer spin_pushes `count` values through a ring of capacity 2 (it waits whenever the
/// consumer lags) and one consumer spin_pops them (it waits whenever it is ahead): all arrive, in order.
template <class Ring>
void spin_ops_hand_every_value_over_in_order() {
    constexpr std::uint64_t count = 20000;
    Ring r(2);
    std::thread producer([&] {
        for (std::uint64_t v = 1; v <= count; ++v) r.spin_push(v);
    });
    std::uint64_t out_of_order = 0;
    for (std::uint64_t v = 1; v <= count; ++v) out_of_order += r.spin_pop() != v;
    producer.join();
    EXPECT_EQ(out_of_order, 0u);
    EXPECT_EQ(r.try_pop(), std::nullopt);
}

TEST(LockFreeRings, spsc_spin_ops_hand_every_value_over_in_order) {
    spin_ops_hand_every_value_over_in_order<ringcheck::spsc_ring<std::uint64_t>>();
}

TEST(LockFreeRings, mpmc_spin_ops_hand_every_value_over_in_order) {
    spin_ops_hand_every_value_over_in_order<ringcheck::mpmc_ring<std::uint64_t>>();
}

TEST(LockFreeRings, mpmc_spin_ops_with_two_producers_and_two_consumers_deliver_each_value_once) {
    constexpr std::uint64_t each = 10000;
    ringcheck::mpmc_ring<std::uint64_t> r(1);
    std::vector<std::uint8_t> seen(2 * each, 0);
    std::vector<std::thread> threads;
    for (std::uint64_t p = 0; p < 2; ++p) {
        threads.emplace_back([&, p] {
            for (std::uint64_t k = 0; k < each; ++k) r.spin_push(p * each + k);
        });
    }
    std::vector<std::uint64_t> received[2];
    for (int c = 0; c < 2; ++c) {
        threads.emplace_back([&, c] {
            for (std::uint64_t k = 0; k < each; ++k) received[c].push_back(r.spin_pop());
        });
    }
    for (std::thread& t : threads) t.join();
    for (const auto& got : received) {
        for (const std::uint64_t v : got) ++seen[v];
    }
    EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), static_cast<long>(2 * each));
    EXPECT_EQ(r.try_pop(), std::nullopt);
}

TEST(LockFreeRings, mpmc_throwing_copy_in_spin_push_leaves_the_ring_unchanged) {
    ringcheck::mpmc_ring<throwing_copy> r(2);
    const throwing_copy one(1), two(2);
    r.spin_push(one);
    throwing_copy::armed = true;
    EXPECT_THROW(r.spin_push(two), std::runtime_error);
    throwing_copy::armed = false;
    EXPECT_EQ(r.size(), 1u);
    r.spin_push(two);
    EXPECT_EQ(r.spin_pop().value, 1);
    EXPECT_EQ(r.spin_pop().value, 2);
    EXPECT_EQ(r.try_pop(), std::nullopt);
}

}  // namespace
