// The contract all three rings share, proven once over all of them (single-threaded behaviour,
// lifetimes, the wraparound of every counter, and concurrent exactly-once delivery).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <latch>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "lifetime.hpp"
#include "ringcheck/locked_ring.hpp"
#include "ringcheck/mpmc_ring.hpp"
#include "ringcheck/spsc_ring.hpp"

namespace {

using ringcheck::counters_wrap_after;
using ringcheck::test::tracked;

template <template <class...> class Ring>
struct ring_of {
    template <class T>
    using type = Ring<T>;
    static constexpr bool single_producer = std::is_same_v<Ring<int>, ringcheck::spsc_ring<int>>;
};

template <class R>
class RingContract : public ::testing::Test {
public:
    template <class T>
    using ring = typename R::template type<T>;
};

using Rings = ::testing::Types<ring_of<ringcheck::spsc_ring>, ring_of<ringcheck::mpmc_ring>,
                               ring_of<ringcheck::locked_ring>>;
class RingNames {
public:
    template <class R>
    static std::string GetName(int i) {
        return std::vector<std::string>{"spsc_ring", "mpmc_ring", "locked_ring"}[i];
    }
};
TYPED_TEST_SUITE(RingContract, Rings, RingNames);

// Compile-time API: names, noexcept, deleted copy and move.
template <class Ring>
constexpr bool api_is_as_documented() {
    using T = typename std::remove_reference_t<decltype(*std::declval<Ring>().try_pop())>;
    static_assert(noexcept(Ring::max_capacity()));
    static_assert(Ring::max_capacity() >= (std::size_t{1} << 30));
    static_assert(noexcept(std::declval<const Ring&>().capacity()));
    static_assert(noexcept(std::declval<const Ring&>().size()));
    static_assert(noexcept(std::declval<const Ring&>().empty()));
    static_assert(std::is_same_v<decltype(std::declval<Ring&>().try_push(std::declval<T&&>())), bool>);
    static_assert(!std::is_copy_constructible_v<Ring> && !std::is_copy_assignable_v<Ring>);
    static_assert(!std::is_move_constructible_v<Ring> && !std::is_move_assignable_v<Ring>);
    static_assert(!std::is_convertible_v<std::size_t, Ring>, "the capacity constructor is explicit");
    return true;
}

TYPED_TEST(RingContract, api_matches_the_documentation) {
    static_assert(api_is_as_documented<typename TestFixture::template ring<int>>());
    static_assert(api_is_as_documented<typename TestFixture::template ring<std::unique_ptr<int>>>());
}

TYPED_TEST(RingContract, capacity_is_exactly_the_argument_and_every_slot_is_usable) {
    for (std::size_t cap : {1u, 2u, 3u, 7u, 64u}) {
        typename TestFixture::template ring<int> r(cap);
        EXPECT_EQ(r.capacity(), cap);
        for (std::size_t i = 0; i < cap; ++i) ASSERT_TRUE(r.try_push(int(i))) << "slot " << i;
        EXPECT_FALSE(r.try_push(-1));
        EXPECT_EQ(r.size(), cap);
    }
}

TYPED_TEST(RingContract, zero_or_oversized_capacity_is_rejected_with_the_bound) {
    using ring = typename TestFixture::template ring<int>;
    for (std::size_t bad : {std::size_t{0}, ring::max_capacity() + 1}) {
        try {
            ring r(bad);
            FAIL() << "capacity " << bad << " accepted";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find(std::to_string(ring::max_capacity())), std::string::npos)
                << e.what();
        }
    }
}

TYPED_TEST(RingContract, pops_in_push_order) {
    typename TestFixture::template ring<int> r(4);
    for (int round = 0; round < 10; ++round) {
        for (int i = 0; i < 3; ++i) ASSERT_TRUE(r.try_push(round * 10 + i));
        for (int i = 0; i < 3; ++i) EXPECT_EQ(r.try_pop(), round * 10 + i);
    }
}

TYPED_TEST(RingContract, empty_ring_pops_nothing_and_reports_size_zero) {
    typename TestFixture::template ring<int> r(2);
    EXPECT_TRUE(r.empty());
    EXPECT_EQ(r.size(), 0u);
    EXPECT_EQ(r.try_pop(), std::nullopt);
    ASSERT_TRUE(r.try_push(1));
    EXPECT_FALSE(r.empty());
    EXPECT_EQ(r.size(), 1u);
    EXPECT_EQ(r.try_pop(), 1);
    EXPECT_EQ(r.try_pop(), std::nullopt);
    EXPECT_TRUE(r.empty());
}

TYPED_TEST(RingContract, failed_push_leaves_the_argument_untouched) {
    typename TestFixture::template ring<std::unique_ptr<int>> r(1);
    ASSERT_TRUE(r.try_push(std::make_unique<int>(1)));
    auto second = std::make_unique<int>(2);
    EXPECT_FALSE(r.try_push(std::move(second)));
    ASSERT_NE(second, nullptr);
    EXPECT_EQ(*second, 2);
    const std::vector<int> copyable{3};
    typename TestFixture::template ring<std::vector<int>> full(1);
    ASSERT_TRUE(full.try_push(copyable));
    EXPECT_FALSE(full.try_push(copyable));
    EXPECT_EQ(copyable, std::vector<int>{3});
}

TYPED_TEST(RingContract, move_only_elements_pass_through) {
    typename TestFixture::template ring<std::unique_ptr<int>> r(2);
    ASSERT_TRUE(r.try_push(std::make_unique<int>(7)));
    ASSERT_TRUE(r.try_emplace(new int(8)));
    auto a = r.try_pop();
    auto b = r.try_pop();
    ASSERT_TRUE(a && b);
    EXPECT_EQ(**a, 7);
    EXPECT_EQ(**b, 8);
}

TYPED_TEST(RingContract, every_element_is_destroyed_exactly_once) {
    ASSERT_EQ(tracked::live.load(), 0);
    {
        typename TestFixture::template ring<tracked> r(5);
        for (int round = 0; round < 7; ++round) {
            for (std::uint64_t i = 0; i < 4; ++i) ASSERT_TRUE(r.try_emplace(i));
            for (std::uint64_t i = 0; i < 3; ++i) EXPECT_EQ(r.try_pop()->value(), i);
            EXPECT_EQ(r.try_pop()->value(), 3u);
        }
        tracked rejected(99);
        for (std::uint64_t i = 0; i < 5; ++i) ASSERT_TRUE(r.try_emplace(i));
        EXPECT_FALSE(r.try_push(std::move(rejected)));
        EXPECT_FALSE(rejected.moved());
        EXPECT_EQ(tracked::live.load(), 6);
        (void)r.try_pop();
        EXPECT_EQ(tracked::live.load(), 5);  // the popped element died with its optional
    }
    EXPECT_EQ(tracked::live.load(), 0) << "the ring's destructor must destroy what is still queued";
}

TYPED_TEST(RingContract, counters_wrap_around_without_losing_order) {
    for (std::size_t cap : {1u, 2u, 3u, 4u, 5u}) {
        for (std::size_t wrap_after = 0; wrap_after < 3 * cap + 2; ++wrap_after) {
            typename TestFixture::template ring<std::uint64_t> r(cap, counters_wrap_after{wrap_after});
            std::uint64_t pushed = 0, popped = 0;
            for (int step = 0; step < 8 * int(cap) + 8; ++step) {
                while (r.try_push(pushed)) ++pushed;
                ASSERT_EQ(r.size(), cap);
                ASSERT_EQ(pushed - popped, cap);
                const std::size_t take = 1 + std::size_t(step) % cap;
                for (std::size_t i = 0; i < take; ++i) ASSERT_EQ(r.try_pop(), popped++);
                ASSERT_EQ(r.size(), cap - take);
            }
            while (auto v = r.try_pop()) ASSERT_EQ(*v, popped++);
            ASSERT_TRUE(r.empty());
            ASSERT_EQ(popped, pushed);
        }
    }
}

// Concurrency: every value arrives exactly once, and one producer's values arrive in order at
// each consumer. Counts per value, not a checksum.
template <class Ring>
void deliver_exactly_once(Ring& ring, int producers, int consumers, std::uint64_t per_producer) {
    const std::uint64_t total = per_producer * std::uint64_t(producers);
    std::vector<std::atomic<int>> seen(total);
    std::atomic<std::uint64_t> received{0};
    std::latch start(producers + consumers);
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p) {
        threads.emplace_back([&, p] {
            start.arrive_and_wait();
            for (std::uint64_t i = 0; i < per_producer; ++i) {
                while (!ring.try_push(std::uint64_t(p) * per_producer + i)) std::this_thread::yield();
            }
        });
    }
    std::atomic<bool> in_order{true};
    for (int c = 0; c < consumers; ++c) {
        threads.emplace_back([&] {
            start.arrive_and_wait();
            std::vector<std::uint64_t> next(producers, 0);
            while (received.load() < total) {
                if (auto v = ring.try_pop()) {
                    seen[*v].fetch_add(1);
                    const std::uint64_t p = *v / per_producer, i = *v % per_producer;
                    if (i < next[p]) in_order = false;
                    next[p] = i + 1;
                    received.fetch_add(1);
                } else {
                    std::this_thread::yield();
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_TRUE(in_order.load()) << "a consumer saw one producer's values out of order";
    for (std::uint64_t v = 0; v < total; ++v) ASSERT_EQ(seen[v].load(), 1) << "value " << v;
    EXPECT_TRUE(ring.empty());
}

TYPED_TEST(RingContract, one_producer_one_consumer_deliver_every_value_once) {
    for (std::size_t cap : {1u, 3u, 64u}) {
        typename TestFixture::template ring<std::uint64_t> r(cap);
        deliver_exactly_once(r, 1, 1, 20000);
    }
}

TYPED_TEST(RingContract, many_producers_and_consumers_deliver_every_value_once) {
    if (TypeParam::single_producer) GTEST_SKIP() << "spsc_ring allows one producer and one consumer only";
    for (std::size_t cap : {1u, 2u, 16u}) {
        typename TestFixture::template ring<std::uint64_t> r(cap);
        deliver_exactly_once(r, 4, 3, 5000);
    }
}

}  // namespace

// Every member of every ring compiles for a copyable element (nothing is left uninstantiated).
template class ringcheck::spsc_ring<int>;
template class ringcheck::mpmc_ring<int>;
template class ringcheck::locked_ring<int>;
