// What only the lock-free rings promise: compile-time element requirements and strong behaviour
// when constructing an element throws.
#include <gtest/gtest.h>

#include <stdexcept>

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

}  // namespace
