// The fast checker must agree exactly with the exhaustive reference on many
// random small histories: linearizable ones by construction, and mutations.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "ringcheck/oracle/checker.hpp"
#include "ringcheck/oracle/generator.hpp"

namespace ringcheck::oracle {
namespace {

struct tally {
    int holds = 0, violations = 0;
    std::map<rule_kind, int> kinds;
};

std::string dump(const history& h) {
    std::ostringstream s;
    write_history(s, h);
    return s.str();
}

generator_options small_options(std::uint64_t seed, std::size_t capacity) {
    std::mt19937_64 rng(seed);
    generator_options g;
    g.seed = seed;
    g.capacity = capacity;
    g.threads = 1 + static_cast<std::uint32_t>(rng() % 4);
    g.ops = 3 + rng() % 10;
    g.roles = rng() % 2;
    g.blocking = rng() % 4 != 0;
    g.closes = rng() % 3 == 0;
    g.max_latency = 2 + rng() % 12;
    return g;
}

void compare(const history& h, contract c, tally& t) {
    verdict fast = check(h, c);
    verdict slow = check_exhaustive(h, c);
    ASSERT_EQ(to_string(fast.result), to_string(slow.result)) << "contract " << to_string(c) << ", fast says: "
                                << (fast.holds() ? "holds" : fast.rule) << "\n"
                                << dump(h);
    if (fast.holds()) {
        ++t.holds;
    } else {
        ++t.violations;
        ++t.kinds[fast.kind];
        EXPECT_FALSE(fast.witness.empty());
    }
}

void run_cross_check(contract c, int per_capacity) {
    tally t;
    for (std::size_t cap = 1; cap <= 4; ++cap) {
        for (int i = 0; i < per_capacity; ++i) {
            std::uint64_t seed = 1000003ULL * cap + static_cast<std::uint64_t>(i) + 77 * static_cast<std::uint64_t>(c);
            history h = generate_history(small_options(seed, cap));
            ASSERT_FALSE(validate(h));
            if (c == contract::linearizable) {
                ASSERT_TRUE(check_exhaustive(h, c).holds()) << dump(h);
            }
            compare(h, c, t);
            std::mt19937_64 rng(seed * 31);
            for (int m = 0; m < 3; ++m) {
                history mutated = h;
                int steps = 1 + static_cast<int>(rng() % 2);
                for (int s = 0; s < steps; ++s) mutate(mutated, mutation::any, rng);
                if (validate(mutated)) continue;
                compare(mutated, c, t);
                if (::testing::Test::HasFatalFailure()) return;
            }
        }
    }
    // The mix must exercise both verdicts and many rules.
    EXPECT_GT(t.holds, per_capacity);
    EXPECT_GT(t.violations, per_capacity);
    std::ostringstream kinds;
    for (auto [k, n] : t.kinds) kinds << static_cast<int>(k) << ":" << n << " ";
    ::testing::Test::RecordProperty("rule_kinds", kinds.str());
    std::cout << to_string(c) << ": " << t.holds << " hold, " << t.violations << " violate; rule kinds "
              << kinds.str() << "\n";
    if (c == contract::linearizable) {
        EXPECT_GT(t.kinds[rule_kind::no_linearization], 0);
    }
}

TEST(CrossCheck, linearizable_agrees_with_exhaustive_search) { run_cross_check(contract::linearizable, 1500); }
TEST(CrossCheck, per_producer_fifo_agrees_with_definition) { run_cross_check(contract::per_producer_fifo, 600); }
TEST(CrossCheck, bag_agrees_with_definition) { run_cross_check(contract::bag, 600); }

// Denser histories: more threads, capacity 1..2 (full and empty both frequent).
TEST(CrossCheck, linearizable_dense_small_capacity) {
    tally t;
    for (int i = 0; i < 1500; ++i) {
        generator_options g = small_options(555000 + static_cast<std::uint64_t>(i), 1 + i % 2);
        g.threads = 3 + static_cast<std::uint32_t>(i % 3);
        g.ops = 8 + static_cast<std::size_t>(i % 7);
        g.max_latency = 6 + static_cast<std::uint64_t>(i % 20);
        history h = generate_history(g);
        compare(h, contract::linearizable, t);
        std::mt19937_64 rng(static_cast<std::uint64_t>(i));
        for (int m = 0; m < 4; ++m) {
            history mutated = h;
            mutate(mutated, mutation::any, rng);
            if (validate(mutated)) continue;
            compare(mutated, contract::linearizable, t);
            if (HasFatalFailure()) return;
        }
    }
    EXPECT_GT(t.violations, 100);
}

}  // namespace
}  // namespace ringcheck::oracle
