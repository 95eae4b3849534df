// The memo of refuted states stores queues as encoded differences: two states
// are the same entry only if their words are the same, whatever the size of
// the differences between them and wherever the value search's group ends fall.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "../src/search_common.hpp"

namespace ringcheck::oracle::detail {
namespace {

bool remembered(const refuted_states& memo, std::uint64_t hash, std::size_t k, const std::vector<std::uint32_t>& placed,
                const std::vector<std::uint32_t>& queue) {
    std::vector<std::uint32_t> scratch;
    return memo.contains(hash, k, placed, [&](std::vector<std::uint32_t>& out) { out = queue; }, scratch);
}

TEST(RefutedStates, tells_apart_queues_that_differ_only_in_high_bits_or_group_ends) {
    // Under one hash, so every look-up reaches the byte comparison.
    const std::uint64_t hash = 42;
    const std::vector<std::uint32_t> placed{3, 9};
    const std::vector<std::vector<std::uint32_t>> queues{
        {5, 5 + 128, 5 + 256},        // differences of one and two bytes
        {5, 5, 5},                    // the same low seven bits
        {5, 5 + (1u << 21), 5},       // a three-byte difference, then back down
        {5, none, 5 + 128},           // a group end (one zero byte) ...
        {5, 5 + 128, none},           // ... elsewhere
        {5, 0xfffffffe, 5},           // the largest word that is not a group end
        {0, none},
        {none, 0},
        {},
    };
    refuted_states memo;
    for (std::size_t i = 0; i < queues.size(); ++i) {
        for (std::size_t j = 0; j < queues.size(); ++j)
            EXPECT_EQ(remembered(memo, hash, 7, placed, queues[j]), j < i) << "queue " << j << " after " << i;
        memo.insert(hash, 7, placed, queues[i]);
    }
    EXPECT_FALSE(remembered(memo, hash, 8, placed, queues[0]));  // another event
    EXPECT_FALSE(remembered(memo, hash, 7, {3}, queues[0]));     // other placed ops
}

TEST(RefutedStates, remembers_exactly_the_random_queues_inserted) {
    std::mt19937_64 rng(7);
    auto random_queue = [&] {
        std::vector<std::uint32_t> q(rng() % 70);
        std::uint32_t w = static_cast<std::uint32_t>(rng() % 1000);
        for (auto& x : q) {
            const auto r = rng() % 10;
            x = r == 0 ? none : r == 1 ? static_cast<std::uint32_t>(rng()) : (w += static_cast<std::uint32_t>(rng() % 300));
        }
        return q;
    };
    refuted_states memo;
    std::vector<std::vector<std::uint32_t>> in, out;
    for (int i = 0; i < 2000; ++i) in.push_back(random_queue()), out.push_back(random_queue());
    for (const auto& q : in) memo.insert(1, 0, {}, q);  // one hash: all compared byte for byte
    for (const auto& q : in) ASSERT_TRUE(remembered(memo, 1, 0, {}, q));
    for (const auto& q : out) {
        const bool inserted = std::find(in.begin(), in.end(), q) != in.end();
        ASSERT_EQ(remembered(memo, 1, 0, {}, q), inserted);
    }
}

}  // namespace
}  // namespace ringcheck::oracle::detail
