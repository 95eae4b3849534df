// The fast checker must agree exactly with the exhaustive reference on many
// random small histories: linearizable ones by construction, and mutations.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <limits>
#include <map>
#include <new>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <sstream>
#include <tuple>

#include "../src/internal.hpp"  // the searches one by one (not installed)
#include "ringcheck/oracle/checker.hpp"
#include "ringcheck/oracle/generator.hpp"
#include "ringcheck/oracle/reference_queue.hpp"
#include "test_util.hpp"

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

// No budget a search can run out of (an hour of clock; the tests' histories take far less).
detail::search_limits unlimited() {
    detail::search_limits limits;
    limits.max_steps = std::numeric_limits<std::uint64_t>::max();
    limits.deadline = std::chrono::steady_clock::now() + std::chrono::hours(1);
    return limits;
}

// check() reaches the later move orders only when the first search gives up,
// which small histories rarely make it do: each order also runs on its own,
// without a budget, and must be exact by itself.
void compare_move_orders(const history& h, bool linearizable) {
    const auto links = detail::link_values(h);
    for (auto order : {detail::move_order::pop_midpoint, detail::move_order::pop_invoke,
                       detail::move_order::pop_response, detail::move_order::group_pushes,
                       detail::move_order::slots_by_pop_invoke, detail::move_order::slots_by_pop_response,
                       detail::move_order::slots_blaming_last_pop, detail::move_order::slots_backwards}) {
        detail::search_limits limits = unlimited();
        auto r = detail::search_linearization(h, links, 0, 0, order, limits);
        ASSERT_EQ(r.outcome == detail::search_result::linearizable, linearizable)
            << "move order " << static_cast<int>(order) << " alone disagrees\n" << dump(h);
    }
}

void compare(const history& h, contract c, tally& t) {
    verdict fast = check(h, c);
    verdict slow = check_exhaustive(h, c);
    if (c == contract::linearizable) compare_move_orders(h, slow.holds());
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

// The adversarial shape, small: every contract, capacities 1..4, the history
// itself (linearizable by construction: the exhaustive search must agree),
// random mutations and the planted FIFO violation.
adversarial_options small_adversarial(std::uint64_t seed, std::size_t capacity) {
    std::mt19937_64 rng(seed);
    adversarial_options a;
    a.seed = seed;
    a.capacity = capacity;
    a.threads = 2 + static_cast<std::uint32_t>(rng() % 4);
    a.ops = 4 + rng() % 11;
    a.max_latency = 2 + rng() % 10;
    a.tick = 1 + rng() % 4;
    a.blocking = rng() % 4 != 0;
    a.closes = rng() % 2 == 0;
    return a;
}

void run_adversarial_cross_check(contract c, int per_capacity) {
    tally t;
    int planted = 0;
    for (std::size_t cap = 1; cap <= 4; ++cap) {
        for (int i = 0; i < per_capacity; ++i) {
            std::uint64_t seed = 9000011ULL * cap + static_cast<std::uint64_t>(i) + 131 * static_cast<std::uint64_t>(c);
            history h = generate_adversarial(small_adversarial(seed, cap));
            ASSERT_FALSE(validate(h)) << dump(h);
            if (c == contract::linearizable) {
                ASSERT_TRUE(check_exhaustive(h, c).holds()) << dump(h);
            }
            compare(h, c, t);
            std::mt19937_64 rng(seed * 17);
            for (int m = 0; m < 3; ++m) {
                history mutated = h;
                mutate(mutated, mutation::any, rng);
                if (validate(mutated)) continue;
                compare(mutated, c, t);
                if (::testing::Test::HasFatalFailure()) return;
            }
            history planted_violation = h;
            if (inject_fifo_violation(planted_violation, rng)) {
                ++planted;
                if (c == contract::linearizable) {
                    ASSERT_TRUE(check(planted_violation, c).violated()) << dump(h);
                }
                compare(planted_violation, c, t);
                if (::testing::Test::HasFatalFailure()) return;
            }
        }
    }
    EXPECT_GT(t.holds, per_capacity);
    EXPECT_GT(t.violations, per_capacity);
    EXPECT_GT(planted, per_capacity / 4);
    std::cout << "adversarial, " << to_string(c) << ": " << t.holds << " hold, " << t.violations << " violate, "
              << planted << " planted\n";
}

TEST(CrossCheck, adversarial_linearizable_agrees_with_exhaustive_search) {
    run_adversarial_cross_check(contract::linearizable, 1500);
}
TEST(CrossCheck, adversarial_per_producer_fifo_agrees_with_definition) {
    run_adversarial_cross_check(contract::per_producer_fifo, 500);
}
TEST(CrossCheck, adversarial_bag_agrees_with_definition) { run_adversarial_cross_check(contract::bag, 500); }

// The busy shape, small: capacities 1-4, 2-6 threads, latency tails 1.1-2.0. Each history holds
// (the exhaustive search must agree: linearizable by construction) and so do its prefixes in line
// order (effect order); mutated ones, the fast checker and the exhaustive one agree.
TEST(CrossCheck, busy_histories_and_their_prefixes_hold_and_mutated_ones_agree_with_exhaustive_search) {
    tally t;
    for (std::uint64_t i = 0; i < 2000 && !HasFatalFailure(); ++i) {
        std::mt19937_64 rng(i);
        busy_options b;
        b.seed = i, b.capacity = 1 + i % 4, b.threads = 2 + static_cast<std::uint32_t>(rng() % 5);
        b.ops = 4 + rng() % 11, b.latency = 1 + rng() % 4, b.max_latency = 40;
        b.tail = 1.1 + static_cast<double>(rng() % 10) / 10, b.tick = 1 + rng() % 3, b.closes = rng() % 2 == 0;
        const history h = generate_busy(b);
        ASSERT_FALSE(validate(h)) << dump(h);
        ASSERT_TRUE(check_exhaustive(h, contract::linearizable).holds()) << dump(h);
        history prefix{h.capacity, {h.ops.begin(), h.ops.begin() + static_cast<std::ptrdiff_t>(h.ops.size() / 2)}};
        ASSERT_TRUE(check_exhaustive(prefix, contract::linearizable).holds()) << dump(prefix);
        for (int m = 0; m < 2; ++m) {
            history mutated = h;
            mutate(mutated, mutation::any, rng);
            if (validate(mutated)) continue;
            compare(mutated, contract::linearizable, t);
        }
    }
    EXPECT_GT(t.holds, 500);
    EXPECT_GT(t.violations, 1000);
    std::cout << "busy, mutated: " << t.holds << " hold, " << t.violations << " violate\n";
}

// What the shape is for: with 14 threads no instant between two invokes is quiet (some op is
// open at every one), so neither clean nor quiet cuts can split it.
TEST(CrossCheck, busy_history_has_no_instant_without_an_op_open) {
    busy_options b;
    b.ops = 20000, b.seed = 3;
    const history h = generate_busy(b);
    ASSERT_FALSE(validate(h));
    const auto links = detail::link_values(h);
    std::uint64_t latest_response = 0;
    std::size_t quiet = 0;
    for (std::size_t rank = 0; rank < links.by_invoke.size(); ++rank) {
        const operation& o = h.ops[links.by_invoke[rank]];
        quiet += rank > 0 && o.invoke > latest_response;
        latest_response = std::max(latest_response, o.response);
    }
    EXPECT_EQ(quiet, 0u);
    EXPECT_EQ(detail::clean_pieces(h, links, 1).size(), 1u);
    EXPECT_TRUE(check(h).holds());
}

// Lines [from, to) of a history written in effect order (generate_busy, generate_adversarial),
// from the state its first `from` lines leave: those values pushed one after another first, then
// the lines' ops. It holds: the lines' order is a linearization.
history window_from_its_state(const history& h, std::size_t from, std::size_t to) {
    std::deque<std::uint64_t> queued;
    std::uint32_t threads = 0;
    for (std::size_t i = 0; i < h.ops.size(); ++i) {
        const operation& o = h.ops[i];
        threads = std::max(threads, o.thread + 1);
        if (i >= from) continue;
        if (detail::is_push_ok(o)) queued.push_back(o.arg);
        if (detail::is_pop_value(o)) queued.pop_front();
    }
    std::uint64_t first = std::numeric_limits<std::uint64_t>::max();
    for (std::size_t i = from; i < to; ++i) first = std::min(first, h.ops[i].invoke);
    const std::uint64_t shift = 2 * queued.size();
    history w{h.capacity, {}};
    for (std::size_t j = 0; j < queued.size(); ++j)
        w.ops.push_back({threads, op_kind::push, queued[j], result_kind::ok, 0, 2 * j, 2 * j + 1});
    for (std::size_t i = from; i < to; ++i) {
        operation o = h.ops[i];
        o.invoke = o.invoke - first + shift, o.response = o.response - first + shift;
        w.ops.push_back(o);
    }
    return w;
}

// The forward slot orders.
constexpr detail::move_order slot_orders[] = {detail::move_order::slots_by_pop_invoke,
                                              detail::move_order::slots_by_pop_response,
                                              detail::move_order::slots_blaming_last_pop};

// Each of `orders` (forward slot orders) on the window `w`, with `steps` steps and its tuning set
// by `tune(tuning, with)`: still searching without, decided with.
template <class Tune>
void expect_forward_slot_searches_decide_only_with(const history& w, Tune&& tune,
                                                   std::span<const detail::move_order> orders = slot_orders,
                                                   std::size_t steps = 200000) {
    ASSERT_FALSE(validate(w));
    const auto links = detail::link_values(w);
    for (auto order : orders)
        for (bool with : {false, true}) {
            detail::search_limits limits = unlimited();
            limits.max_steps = steps;
            detail::detour_tuning tuning;
            tune(tuning, with);
            detail::slot_search search(w, links, order, tuning);
            EXPECT_EQ(search.run(0, 0, limits).outcome,
                      with ? detail::search_result::linearizable : detail::search_result::gave_up)
                << "move order " << static_cast<int>(order) << (with ? ", with" : ", without");
        }
}

// A trap of the busy shape (the parameters of busy seed 147: 10 threads, exponent 1.2, tick 4;
// a run of 41,000 ops), where every forward slot search gets stuck: lines 40,300-40,800 from
// the state the lines before leave, 64 values queued. Without hints each is still searching
// after 200,000 steps (after 3,000,000 too); taking the dequeue order a backward search finds
// for the window it is stuck in (and only that: not following its linearization), each decides
// it in about 35,000-37,000.
TEST(CrossCheck, forward_slot_search_stuck_in_a_busy_window_takes_the_order_read_backwards) {
    busy_options b;
    b.ops = 41000, b.capacity = 64, b.seed = 147, b.threads = 10, b.tail = 1.2, b.tick = 4, b.closes = false;
    expect_forward_slot_searches_decide_only_with(window_from_its_state(generate_busy(b), 40300, 40800),
                                                  [](detail::detour_tuning& t, bool hints) {
                                                      t.hints = hints, t.follow_hints = false;
                                                  });
}

// A trap of the busy shape where the dequeue order read backwards is not enough (the parameters
// of busy seed 159: 8 threads, exponent 1.3, tick 6; lines 330,500-332,000 from their state, 59
// values queued): with hints that only set that order, every forward slot search is still
// searching after 200,000 steps (after 3,000,000 too); following the order in which the backward
// search's linearization of the window takes the ops, each decides it in about 30,000-32,000.
TEST(CrossCheck, forward_slot_search_follows_the_window_linearization_read_backwards) {
    busy_options b;
    b.ops = 334000, b.capacity = 64, b.seed = 159, b.threads = 8, b.tail = 1.3, b.tick = 6, b.closes = false;
    expect_forward_slot_searches_decide_only_with(window_from_its_state(generate_busy(b), 330500, 332000),
                                                  [](detail::detour_tuning& t, bool follow) {
                                                      t.follow_hints = follow;
                                                  });
}

// The order check() starts with; the tests at capacity 256 run it alone (a step costs more there,
// the more in the asan preset's unoptimised build, and what they test does not depend on the order).
constexpr std::array blaming_last_pop{detail::move_order::slots_blaming_last_pop};

// A trap of the adversarial shape at capacity 256 (16 threads, seed 503, a run of 100,000 ops;
// lines 40,000-46,000 from their state, 256 values queued). Hint windows that grow with the
// capacity (2,048 events back, 4,096 ahead: 6,652 ops) are too long for the backward search to
// decide on its budget, so the hints fail and each forward slot search is still searching after
// 200,000 steps (two of the three after 2,000,000 too); windows that stop growing at C = 64 give
// hints that hold, and each decides in about 95,000-117,000.
TEST(CrossCheck, hint_windows_stop_growing_with_the_capacity_past_64_slots) {
    adversarial_options a;
    a.threads = 16, a.capacity = 256, a.seed = 503, a.ops = 100000;
    expect_forward_slot_searches_decide_only_with(
        window_from_its_state(generate_adversarial(a), 40000, 46000),
        [](detail::detour_tuning& t, bool capped) { t.hint_reach = capped ? 64 : 256; }, blaming_last_pop);
}

// Hints that hold can mislead: a window's linearization need not extend to the history. Seed 517
// of the same shape, lines 8,000-11,000 from their state, with hints after 512 refuted states and
// windows of 8 slots (8x8 events back, 16x8 ahead, doubling over four rounds): keeping what its
// hints set, the search is still stuck at op 1,439 after 300,000 steps (after 3,000,000 too);
// dropping it after the last round, it decides in about 185,000.
TEST(CrossCheck, slot_search_still_stuck_after_its_last_hints_drops_what_they_set) {
    adversarial_options a;
    a.threads = 16, a.capacity = 256, a.seed = 517, a.ops = 100000;
    expect_forward_slot_searches_decide_only_with(
        window_from_its_state(generate_adversarial(a), 8000, 11000),
        [](detail::detour_tuning& t, bool drop) { t.hint_reach = 8, t.after = 128, t.drop_hints = drop; },
        blaming_last_pop, 300000);
}

// Where the window read backwards gives no hint: seed 8 of the same shape in a run of 10^6 ops,
// lines 215,500-223,000 from their state (the queue empty). Taking no other hint, the search is
// still stuck at op 4,062 after 600,000 steps (after 1,500,000 too); expecting the window's values
// in the order of their pops' responses, it decides in about 540,000 (the search by responses
// gets through from the same state in about 48,000). Generating 10^6 ops and 1.1x10^6 steps take
// about 1.5 s optimised and many times that unoptimised: skipped there (the asan preset builds these
// tests as Debug; the test of detours at every stall takes this hint some 6,000 times on its small
// histories, each verdict the exhaustive one).
TEST(CrossCheck, slot_search_with_no_hint_read_backwards_expects_the_order_of_the_pops_other_ends) {
#ifndef __OPTIMIZE__
    GTEST_SKIP() << "10^6 ops generated and 1.1x10^6 steps: too slow unoptimised";
#endif
    adversarial_options a;
    a.threads = 16, a.capacity = 256, a.seed = 8, a.ops = 1000000;
    expect_forward_slot_searches_decide_only_with(
        window_from_its_state(generate_adversarial(a), 215500, 223000),
        [](detail::detour_tuning& t, bool other_ends) { t.other_ends = other_ends; }, blaming_last_pop, 600000);
}

// Larger histories, beyond the exhaustive search: the search over anonymous
// slots and the search over values are independent exact procedures, so
// wherever both decide within a step budget they must agree.
detail::search_limits limits_of_400000_steps() {
    detail::search_limits limits;
    limits.max_steps = 400000;
    limits.deadline = std::chrono::steady_clock::now() + std::chrono::hours(1);
    return limits;
}

detail::search_result bounded_search(const history& h, detail::move_order order) {
    auto limits = limits_of_400000_steps();
    return detail::search_linearization(h, detail::link_values(h), 0, 0, order, limits);
}

// History `seed` of the adversarial shape (8 threads, capacity 64, `length` ops) cut after `cut` ops.
history adversarial_prefix(std::uint64_t seed, std::size_t length, std::size_t cut) {
    adversarial_options a;
    a.seed = seed, a.ops = length;
    history h = generate_adversarial(a);
    h.ops.resize(cut);
    return h;
}

// The ops [first, last) of an adversarial history, in line order (the generator's effect
// order): a history of its own when both ends are clean cuts (the queue empty there).
history adversarial_slice(std::uint64_t seed, std::size_t length, std::size_t first, std::size_t last) {
    history h = adversarial_prefix(seed, length, last);
    h.ops.erase(h.ops.begin(), h.ops.begin() + static_cast<std::ptrdiff_t>(first));
    return h;
}

// `h` with a read (try_pop -> empty) on a thread of its own, open from the first invoke to
// the last response of ops [first, last) (op indices): no instant in between is quiet, so no
// quiet cut falls there. When the queue is empty at first's invoke with no op open (a clean
// cut), the read can take effect there, first, and the verdict is h's.
history without_quiet_instants(history h, std::size_t first, std::size_t last) {
    std::uint64_t from = std::numeric_limits<std::uint64_t>::max(), to = 0;
    std::uint32_t lane = 0;
    for (std::size_t i = first; i < last; ++i)
        from = std::min(from, h.ops[i].invoke), to = std::max(to, h.ops[i].response);
    for (const auto& o : h.ops) lane = std::max(lane, o.thread + 1);
    h.ops.push_back(test::pop_res(lane, result_kind::empty, from, to));
    return h;
}

// adversarial_prefix(seed, length, cut): the slot search alone must find its
// linearization within bounded_search's 400,000 steps. Counted in steps, not
// seconds: the verdict is exact either way, this proves a repair reaches it.
void expect_slot_search_decides_prefix(std::uint64_t seed, std::size_t length, std::size_t cut,
                                       detail::move_order order = detail::move_order::slots_by_pop_invoke) {
    const history h = adversarial_prefix(seed, length, cut);
    ASSERT_FALSE(validate(h));
    EXPECT_EQ(bounded_search(h, order).outcome, detail::search_result::linearizable);
}

TEST(CrossCheck, slot_search_agrees_with_value_search_on_medium_histories) {
    int both = 0, slots_decided = 0, runs = 0;
    for (std::uint64_t seed = 1; seed <= 120; ++seed) {
        adversarial_options a;
        a.seed = seed, a.ops = 300, a.capacity = 1 + seed % 8, a.threads = 2 + static_cast<std::uint32_t>(seed % 7);
        history h = generate_adversarial(a);
        std::mt19937_64 rng(seed);
        std::vector<history> cases{h, h, h};
        mutate(cases[1], mutation::any, rng);
        inject_fifo_violation(cases[2], rng);
        for (const history& c : cases) {
            if (validate(c)) continue;
            ++runs;
            auto slots = bounded_search(c, detail::move_order::slots_by_pop_invoke);
            auto values = bounded_search(c, detail::move_order::pop_invoke);
            if (slots.outcome == detail::search_result::gave_up) continue;
            ++slots_decided;
            if (values.outcome == detail::search_result::gave_up) continue;
            ++both;
            ASSERT_EQ(slots.outcome, values.outcome) << dump(c);
        }
    }
    std::cout << "medium: " << runs << " histories, slot search decided " << slots_decided << ", both " << both
              << "\n";
    EXPECT_GT(both, runs / 2);
}

// Seed 7 of the adversarial shape (8 threads, capacity 64), cut after 31,673
// operations. The queue is full for long stretches; a long-open pop (value 15817)
// placed early frees room, so a slot is made where only value 15909 fits, and 300
// events later 15914 must leave before 15909. Trying enqueues at that slot's event
// last never got out (the pop had already made the enqueue necessary); postponing
// the pop that made room decides it in about 50,000 steps.
TEST(CrossCheck, slot_search_postpones_the_pop_that_made_room_for_a_pinned_slot) {
    expect_slot_search_decides_prefix(7, 100000, 31673);
}

// Seed 1 of the adversarial shape, cut after 26,340 operations. Value 11743's
// push returned before the pushes of 11746 and later values were invoked, so it
// is dequeued before them, though its pop stays open until after theirs return.
// Expecting it as late as its own pop allows put it behind them, and the repairs
// went round between the two long-open pops at the front (11739, 11743). With a
// value expected no later than the first pop of a value pushed after it returns,
// the search decides it in about 30,000 steps.
TEST(CrossCheck, slot_search_expects_a_value_before_the_values_pushed_after_it) {
    expect_slot_search_decides_prefix(1, 100000, 26340);
}

// Seed 13 of the adversarial shape, cut after 16,414 operations. Two long-open
// pops (values 5447 and 5450) can each make room for the push at 16,392; the
// search takes 5447 first (its pop was invoked first), and the queue runs short
// ten events later, then (with 5450 expected late too) full at a push no pop can
// make room for. The first pop taken before its response that could have come
// later is the one to expect later: the pops after it only followed it.
TEST(CrossCheck, slot_search_blames_the_first_pop_taken_early_when_no_pop_can_make_room) {
    expect_slot_search_decides_prefix(13, 100000, 16414);
}

// Seed 16 of the adversarial shape, cut after 40,000 operations. A timed push
// open for 70 events answers `timeout`, so the queue was full at some point of
// it; the search passed every push lazily and the queue stayed at 63. While such
// a read waits and one slot is missing, a new slot is tried first.
TEST(CrossCheck, slot_search_fills_the_queue_while_a_timed_out_push_waits) {
    expect_slot_search_decides_prefix(16, 100000, 40000);
}

// Seed 3 of the adversarial shape, cut after 90,050 operations (its first 90,050
// are the same whatever the length, up to the closes 10% before the end). A push
// finds the queue full; of the two open pops, 45729 fits the front slot but cannot
// take it without leaving 45751 no slot, and 45755 is behind. 45729 is expected
// first already, so the blame goes to the value behind the front (45755).
TEST(CrossCheck, slot_search_blames_the_value_behind_the_front_when_the_front_one_is_expected_first) {
    expect_slot_search_decides_prefix(3, 200000, 90050);
}

// Seed 3 of the adversarial shape, cut after 152,194 operations. Value 74316's
// push and pop are both stalled (open for 2,764 and 2,452 time units); its pop is
// invoked early, so it was expected near the front and enqueued early, while in
// the history it is enqueued last and dequeued at the end of its pop. A push then
// finds the queue full with 62 values that had to be queued in 64 slots: the slot
// taken too early is blamed (74316 expected as late as it can be).
TEST(CrossCheck, slot_search_blames_an_early_enqueue_when_the_queue_holds_more_than_it_must) {
    expect_slot_search_decides_prefix(3, 200000, 152194);
}

// Seed 18 of the adversarial shape (10^5 operations), cut after 73,008. A timed
// push needs the queue full while one value is missing: two long-open pops
// (37738, 37745) were taken early. 37738 was popped early in the history too;
// 37745, the last taken, is the one that should have waited. Blaming the first
// (slots_by_pop_invoke) does not get out; slots_blaming_last_pop does.
TEST(CrossCheck, slot_search_blaming_the_last_early_pop_fills_the_queue_for_a_timed_push) {
    expect_slot_search_decides_prefix(18, 100000, 73008, detail::move_order::slots_blaming_last_pop);
}

// Seed 1 of the adversarial shape, cut after 150,000 operations (the first
// 150,000 of its 10^6-op history). The search made a slot at event 147,884 that
// only 56753 (a push open for 3,256 time units) fits; 170 events later the pop
// of 56806 (invoked after that event) needs the front. In the history 56806 and
// 56753 are both enqueued at 147,886: moving the front slot's enqueue there (no
// read relied on the size in between) lets the pop take it.
TEST(CrossCheck, slot_search_retimes_the_front_slot_for_a_value_pushed_after_it) {
    expect_slot_search_decides_prefix(1, 200000, 150000);
}

// Seed 43 of the adversarial shape (one of the seeds 21-60 held out from tuning),
// cut after 80,000 operations. Without detours the slot search stays below op
// 79,551 (past 20,000,000 steps); trying other moves at the choice points of the
// last few hundred events, farthest first, decides it in about 105,000 steps.
TEST(CrossCheck, slot_search_detours_to_an_earlier_choice_past_a_trap) {
    expect_slot_search_decides_prefix(43, 100000, 80000);
}

// Seed 23 of the adversarial shape (held out from tuning), cut after 40,000
// operations. With detours that change the move of one choice point, the slot
// search stays below op 33,033 past 20,000,000 steps: the next frames take the
// move the detour replaced again. Tried last at every frame below the detour up
// to the deepest point, it is deferred until needed, and the cut history is
// decided in about 90,000 steps.
TEST(CrossCheck, slot_search_detour_tries_the_move_it_replaced_last_below_it) {
    expect_slot_search_decides_prefix(23, 100000, 40000);
}

// Seed 5 of the adversarial shape, cut after 18,000 operations, slot search
// by pops' responses without hints: the four rounds of detours at one deepest point (windows
// 4C to 32C events back) do not get past its trap within 400,000 steps; going
// over the same windows again with 4x, 16x and 64x the budget per detour
// (rounds 5-16) decides it in about 160,000.
TEST(CrossCheck, slot_search_gets_past_a_trap_with_larger_detours_where_four_rounds_do_not) {
    const history h = adversarial_prefix(5, 100000, 18000);
    ASSERT_FALSE(validate(h));
    const auto links = detail::link_values(h);
    auto search_with_rounds = [&](std::size_t rounds) {
        auto limits = limits_of_400000_steps();
        detail::detour_tuning tuning;
        tuning.rounds = rounds, tuning.hints = false;  // the hints get past it too: the detours alone here
        detail::slot_search search(h, links, detail::move_order::slots_by_pop_response, tuning);
        return search.run(0, 0, limits).outcome;
    };
    EXPECT_EQ(search_with_rounds(4), detail::search_result::gave_up);
    EXPECT_EQ(search_with_rounds(16), detail::search_result::linearizable);
    EXPECT_EQ(detail::detour_tuning{}.rounds, 16u);
}

// Seed 32 of the adversarial shape (held out from tuning), cut after 40,000
// operations: without hints, the slot searches expecting values in the order of their pops'
// invokes (either blame) stay at op 37,627 past 2,000,000 steps, the one by
// their responses decides it in about 55,000. That one opens the portfolio's
// rounds, so check() decides it within 400,000 steps; when it came after the
// other two slot searches and two value searches (before 2026-12-06), check()
// had spent more than that before it began.
TEST(CrossCheck, check_runs_the_slot_search_by_pop_response_first_in_its_rounds) {
    const history h = adversarial_prefix(32, 100000, 40000);
    ASSERT_FALSE(validate(h));
    // Without hints: with them, the last-pop blame gets past the trap too.
    auto without_hints = [&](detail::move_order order) {
        auto limits = limits_of_400000_steps();
        detail::detour_tuning tuning;
        tuning.hints = false;
        return detail::slot_search(h, detail::link_values(h), order, tuning).run(0, 0, limits).outcome;
    };
    EXPECT_EQ(without_hints(detail::move_order::slots_blaming_last_pop), detail::search_result::gave_up);
    EXPECT_EQ(without_hints(detail::move_order::slots_by_pop_response), detail::search_result::linearizable);
    EXPECT_TRUE(check(h, contract::linearizable, check_budget{400000, 1e9}).holds());
}

// A small history with long latencies (intervals that span many others),
// capacity 2-4: odd seeds of the adversarial shape, even ones of the random
// generator, two in three mutated.
history long_latency_history(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    history h;
    if (seed % 2) {
        adversarial_options a;
        a.seed = seed, a.capacity = 2 + rng() % 3, a.threads = 2 + static_cast<std::uint32_t>(rng() % 3);
        a.ops = 6 + rng() % 9, a.max_latency = 2 + rng() % 30, a.tick = 1 + rng() % 3, a.closes = rng() % 2;
        h = generate_adversarial(a);
    } else {
        generator_options g;
        g.seed = seed, g.capacity = 2 + rng() % 3, g.threads = 2 + static_cast<std::uint32_t>(rng() % 3);
        g.ops = 6 + rng() % 9, g.roles = rng() % 2, g.blocking = rng() % 2, g.closes = rng() % 2;
        g.max_latency = 2 + rng() % 30;
        h = generate_history(g);
    }
    if (seed % 3) mutate(h, mutation::any, rng);
    return h;
}

// `judge` on `h` with its links and the exhaustive search's verdict, if `h` is valid and has no
// delivery violation (what every search is cross-checked on).
template <class Judge>
void judge_if_checkable(const history& h, Judge&& judge) {
    if (validate(h)) return;
    const auto links = detail::link_values(h);
    if (detail::find_delivery_violation(h, links)) return;
    judge(h, links, check_exhaustive(h, contract::linearizable).holds());
}

// Each of the first `count` long-latency histories that is valid and has no
// delivery violation, with its links and the exhaustive search's verdict; stops
// at the first fatal failure of `judge`.
template <class Judge>
void for_each_long_latency_history(std::uint64_t count, Judge&& judge) {
    for (std::uint64_t seed = 1; seed <= count && !::testing::Test::HasFatalFailure(); ++seed)
        judge_if_checkable(long_latency_history(seed), [&](const history& h, const auto& links, bool truth) {
            judge(seed, h, links, truth);
        });
}

// 10,000 small histories, 2,500 for each capacity 1-4, in turn of the random generator and of
// the adversarial one (small_adversarial()), two in three mutated: each that is valid and has no
// delivery violation, with its links and the exhaustive search's verdict; stops at the first
// fatal failure of `judge`.
template <class Judge>
void for_each_small_history_of_both_shapes(std::uint64_t seed_step, Judge&& judge) {
    for (std::size_t cap = 1; cap <= 4 && !::testing::Test::HasFatalFailure(); ++cap) {
        for (std::uint64_t i = 0; i < 2500 && !::testing::Test::HasFatalFailure(); ++i) {
            const std::uint64_t seed = seed_step * cap + i;
            history h =
                i % 2 ? generate_history(small_options(seed, cap)) : generate_adversarial(small_adversarial(seed, cap));
            std::mt19937_64 rng(seed);
            if (i % 3) mutate(h, mutation::any, rng);
            judge_if_checkable(h, judge);
        }
    }
}

// Runs `search` to its verdict in calls of `piece` frames each (0: one call) and
// expects the exhaustive one, `truth`, and the same verdict on a call after it.
void expect_slot_search_reaches(detail::slot_search& search, std::size_t piece, bool truth, const history& h,
                                int* calls_made = nullptr) {
    detail::search_limits limits = unlimited();
    auto r = search.run(piece, 0, limits);
    int calls = 1;
    for (; r.outcome == detail::search_result::gave_up && calls < 1000000; ++calls) r = search.run(piece, 0, limits);
    ASSERT_NE(r.outcome, detail::search_result::gave_up) << dump(h);
    ASSERT_EQ(r.outcome == detail::search_result::linearizable, truth) << "after " << calls << " calls\n" << dump(h);
    ASSERT_EQ(search.run(piece, 0, limits).outcome, r.outcome) << "a decided search keeps its verdict";
    if (calls_made) *calls_made = calls;
}

// Small histories with long latencies (intervals that span many others) and
// capacities 2-4, as generated and mutated: each search in turn, alone and
// without a budget, against the exhaustive search.
TEST(CrossCheck, long_latency_histories_agree_with_exhaustive_search) {
    int holds = 0, violations = 0;
    for_each_long_latency_history(40000, [&](std::uint64_t seed, const history& h, const detail::value_links& links,
                                             bool truth) {
        (truth ? holds : violations)++;
        detail::search_limits limits = unlimited();
        // Every move_order in turn, each on histories of both generators (seed % 2 picks it).
        const auto order = static_cast<detail::move_order>(seed / 2 % 8);
        auto r = detail::search_linearization(h, links, 0, 0, order, limits);
        ASSERT_EQ(r.outcome == detail::search_result::linearizable, truth)
            << "move order " << static_cast<int>(order) << " disagrees\n" << dump(h);
    });
    EXPECT_GT(holds, 1000);
    EXPECT_GT(violations, 1000);
}

// check()'s portfolio from a round budget of four frames (one for a value
// search; none would be no budget), doubling until a
// member decides: early rounds end undecided in every member, so later ones
// are decided by members in every position of the portfolio.
detail::search_result portfolio_decision(const history& h, const detail::value_links& links, unsigned jobs) {
    detail::slot_search last_pop(h, links, detail::move_order::slots_blaming_last_pop);
    detail::portfolio members(h, links, last_pop);
    detail::search_limits limits = unlimited();
    detail::search_result r{detail::search_result::gave_up, 0};
    for (std::size_t budget = 4; r.outcome == detail::search_result::gave_up && budget < (std::size_t{1} << 40);
         budget *= 2)
        r = jobs == 1 ? members.round(budget, limits) : members.parallel_round(budget, limits, jobs);
    return r;
}

// On several threads a round runs its members side by side and cancels the
// others when one decides; the verdict, and for a violation the op named,
// must be the ones of the members taken in turn (the first in portfolio
// order). Mutated adversarial histories of 12-41 ops, where the slot searches
// and the value searches may name different ops.
TEST(CrossCheck, portfolio_on_three_threads_decides_and_names_as_on_one) {
    int holds = 0, violations = 0;
    for (std::uint64_t seed = 1; seed <= 300 && !HasFatalFailure(); ++seed) {
        adversarial_options a;
        a.seed = seed, a.ops = 12 + seed % 30, a.capacity = 2 + seed % 8;
        a.threads = 2 + static_cast<std::uint32_t>(seed % 7);
        history h = generate_adversarial(a);
        std::mt19937_64 rng(seed);
        for (std::uint64_t m = 0; m <= seed % 3; ++m) mutate(h, mutation::any, rng);
        if (validate(h)) continue;
        const auto links = detail::link_values(h);
        const auto in_turn = portfolio_decision(h, links, 1), side_by_side = portfolio_decision(h, links, 3);
        ASSERT_NE(in_turn.outcome, detail::search_result::gave_up) << dump(h);
        ASSERT_EQ(side_by_side.outcome, in_turn.outcome) << dump(h);
        if (in_turn.outcome == detail::search_result::linearizable) {
            ++holds;
        } else {
            ++violations;
            ASSERT_EQ(side_by_side.stuck, in_turn.stuck) << dump(h);
        }
    }
    EXPECT_GT(holds, 50);
    EXPECT_GT(violations, 200);
}

// Histories whose searches run for thousands of frames a round, so a member
// is cancelled while it runs (the flag is read every 4096 frames): the
// adversarial shape at 3,000 ops, capacities 2-9, half with a planted
// violation, against the construction and the members taken in turn.
TEST(CrossCheck, portfolio_on_two_threads_cancels_members_and_still_names_as_on_one) {
    int holds = 0, violations = 0;
    for (std::uint64_t seed = 1; seed <= 24 && !HasFatalFailure(); ++seed) {
        adversarial_options a;
        a.seed = seed, a.ops = 3000, a.capacity = 2 + seed % 8;
        history h = generate_adversarial(a);
        std::mt19937_64 rng(seed);
        const bool planted = seed % 2 == 0 && inject_fifo_violation(h, rng);
        const auto links = detail::link_values(h);
        const auto in_turn = portfolio_decision(h, links, 1), side_by_side = portfolio_decision(h, links, 2);
        ASSERT_EQ(in_turn.outcome == detail::search_result::linearizable, !planted) << "seed " << seed;
        ASSERT_EQ(side_by_side.outcome, in_turn.outcome) << "seed " << seed;
        if (planted) {
            ASSERT_EQ(side_by_side.stuck, in_turn.stuck) << "seed " << seed;
        }
        (planted ? violations : holds)++;
    }
    EXPECT_GT(holds, 8);
    EXPECT_GT(violations, 8);
}

// On two threads the check's steps are shared out before each round, in
// portfolio order: a step budget ends the check undecided, having spent the
// budget, at the same steps and window on every run.
TEST(CrossCheck, step_budget_ends_a_check_on_two_threads_the_same_way_every_run) {
    // One piece between clean cuts with no quiet cut, decided in about 750,000 steps (a trap both
    // ways, undecided past 2x10^7 steps, until the hints' searches followed their windows' order).
    const history h = without_quiet_instants(adversarial_slice(97, 200000, 111590, 153632), 0, 42042);
    ASSERT_FALSE(validate(h));
    check_budget b{300000, 1e9};
    b.jobs = 2;
    const verdict first = check(h, contract::linearizable, b), second = check(h, contract::linearizable, b);
    ASSERT_TRUE(first.undecided());
    EXPECT_NE(first.rule.find("step budget"), std::string::npos) << first.rule;
    EXPECT_LE(first.steps, b.steps);
    // Spent, but for what a member given frames + 2 steps left when it stopped at frames + 1.
    EXPECT_GE(first.steps, b.steps - detail::portfolio::size);
    EXPECT_EQ(second.steps, first.steps);
    EXPECT_EQ(second.rule, first.rule);
}

#if defined(__SANITIZE_THREAD__)
#define RINGCHECK_TEST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RINGCHECK_TEST_TSAN 1
#endif
#endif
#if defined(__linux__) && !defined(RINGCHECK_ASAN) && !defined(RINGCHECK_TEST_TSAN)
// The process's address space limited to what it maps now plus `extra` bytes
// (sanitizers map their own memory and are left out).
void limit_address_space_to_current_plus(std::size_t extra) {
    std::ifstream statm("/proc/self/statm");
    std::size_t pages = 0;
    statm >> pages;
    const rlimit limit{pages * static_cast<std::size_t>(sysconf(_SC_PAGESIZE)) + extra, RLIM_INFINITY};
    setrlimit(RLIMIT_AS, &limit);
}

// A search that runs out of memory on a helper thread must reach the caller
// as std::bad_alloc, as it would on one thread, not end the process (before
// the fix: "terminate called", exit 134). Adversarial 10^5 with 16 MiB to
// spare: the searches the round builds do not fit.
TEST(CrossCheckDeathTest, portfolio_out_of_memory_on_a_helper_thread_reaches_the_caller) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    const history h = adversarial_prefix(4, 100000, 100000);
    const auto links = detail::link_values(h);
    EXPECT_EXIT(
        {
            detail::slot_search last_pop(h, links, detail::move_order::slots_blaming_last_pop);
            detail::portfolio members(h, links, last_pop);
            limit_address_space_to_current_plus(std::size_t{16} << 20);
            detail::search_limits limits = unlimited();
            try {
                members.parallel_round(1000000, limits, 2);
            } catch (const std::bad_alloc&) {
                std::_Exit(0);
            }
            std::_Exit(3);  // everything fitted: the limit tested nothing
        },
        ::testing::ExitedWithCode(0), "");
}
#endif

// The portfolio gives the slot searches a budget per round and lets each go on
// where its last round stopped. Run in pieces of 3 frames, each must still reach
// the exhaustive search's verdict: resuming keeps the tree, the memo and the
// repairs exact.
TEST(CrossCheck, slot_search_resumed_in_pieces_reaches_the_exhaustive_verdict) {
    int resumed = 0;
    for_each_long_latency_history(6000, [&](std::uint64_t seed, const history& h, const detail::value_links& links,
                                            bool truth) {
        detail::slot_search search(h, links, slot_orders[seed % 3]);
        int calls = 0;
        expect_slot_search_reaches(search, 3, truth, h, &calls);
        resumed += calls > 1;
    });
    EXPECT_GT(resumed, 1000);
}

// A detour sets the path aside, searches another move of an earlier frame and
// puts the move it replaced back among those not tried. With a detour at every
// state refuted below the deepest point, each given 0-3 refuted states, each
// slot search must still reach the exhaustive search's verdict, run whole or in
// pieces of 40 frames (a piece may end inside a detour).
TEST(CrossCheck, slot_search_with_a_detour_at_every_stall_reaches_the_exhaustive_verdict) {
    std::size_t tried = 0, kept = 0;
    for_each_long_latency_history(80000, [&](std::uint64_t seed, const history& h, const detail::value_links& links,
                                             bool truth) {
        detail::slot_search search(h, links, slot_orders[seed % 3], {1, seed % 4});
        expect_slot_search_reaches(search, seed % 2 ? 0 : 40, truth, h);
        tried += search.detours().tried, kept += search.detours().kept;
    });
    std::cout << "detours at every stall: " << tried << " tried, " << kept << " kept\n";
    EXPECT_GT(tried, 10000u);
    EXPECT_GT(kept, 100u);
}

// Found by the slot searches with a detour at every stall, each detour given one
// refuted state, against the exhaustive search: a variant that counted a
// detour's move as tried when the detour ran out of budget (its tree not
// searched) refuted this history, which holds. Every slot search with such
// detours must find its linearization.
TEST(CrossCheck, slot_search_leaves_the_move_of_a_detour_that_ran_out_to_be_tried) {
    const history h = test::history_from_text(
        "ringcheck-history 1 capacity=3\n"
        "3 try_push 2 ok 8 28\n"
        "1 try_pop - 2 16 44\n"
        "2 try_push_for 1 ok 32 76\n"
        "4 try_push 3 full 32 68\n"
        "3 try_push_for 4 ok 36 92\n"
        "2 pop - 1 80 92\n");
    ASSERT_TRUE(check_exhaustive(h, contract::linearizable).holds());
    const auto links = detail::link_values(h);
    for (auto order : slot_orders) {
        detail::search_limits limits = unlimited();
        detail::slot_search search(h, links, order, {1, 1});
        EXPECT_EQ(search.run(0, 0, limits).outcome, detail::search_result::linearizable)
            << "move order " << static_cast<int>(order);
    }
}

// Found by a search over random small histories against a slot search whose pops
// ignored when a slot was made: value 5 fits no slot made before its push was
// invoked at 7 (the queue holds 4 and 3 then), and that slot search accepted this
// history. Every search, alone and without a budget, must refute it.
TEST(CrossCheck, no_search_pops_a_value_from_a_slot_made_before_its_push) {
    const history h = test::history_from_text(
        "ringcheck-history 1 capacity=3\n"
        "3 try_push 4 ok 4 5\n"
        "3 try_push 5 ok 7 44\n"
        "2 push 3 ok 1 32\n"
        "2 try_pop - 5 34 686\n"
        "3 push 6 ok 45 77\n"
        "3 try_push_for 7 timeout 78 191\n"
        "3 try_push 8 full 192 219\n"
        "1 try_push 2 full 1 253\n"
        "3 try_push 9 full 221 239\n"
        "1 try_push 10 full 255 285\n"
        "1 try_pop - 4 287 326\n"
        "3 push 11 ok 240 337\n"
        "1 try_pop - 3 327 357\n"
        "3 try_push_for 12 ok 338 368\n");
    EXPECT_TRUE(check_exhaustive(h, contract::linearizable).violated());
    EXPECT_TRUE(check(h, contract::linearizable).violated());
    compare_move_orders(h, false);
}

// Whether `parts` (op indices) hold every op of `h` exactly once.
::testing::AssertionResult partition_the_ops(const history& h, const std::vector<std::vector<std::uint32_t>>& parts) {
    std::vector<std::uint32_t> all;
    for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
    std::sort(all.begin(), all.end());
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i] != i) return ::testing::AssertionFailure() << "no op " << i << " or a second one";
    if (all.size() != h.ops.size())
        return ::testing::AssertionFailure() << all.size() << " of " << h.ops.size() << " ops";
    return ::testing::AssertionSuccess();
}

// Cut at its clean cuts (README "Pieces between clean cuts"), a history holds iff every piece
// holds alone: the exhaustive search on the whole against the exhaustive search on each piece,
// on small histories with long latencies, closes and mutations (pieces of one op and more).
TEST(CrossCheck, history_holds_exactly_when_each_piece_between_clean_cuts_holds) {
    int cut = 0, holds = 0, violations = 0;
    for_each_long_latency_history(20000, [&](std::uint64_t, const history& h, const detail::value_links& links,
                                             bool truth) {
        const auto pieces = detail::clean_pieces(h, links, 1);
        ASSERT_TRUE(partition_the_ops(h, pieces)) << dump(h);
        bool each_holds = true;
        for (const auto& piece : pieces) {
            history part{h.capacity, {}};
            for (std::uint32_t op : piece) part.ops.push_back(h.ops[op]);
            each_holds = each_holds && check_exhaustive(part, contract::linearizable).holds();
        }
        ASSERT_EQ(each_holds, truth) << pieces.size() << " pieces\n" << dump(h);
        cut += pieces.size() > 1;
        (truth ? holds : violations)++;
    });
    EXPECT_GT(cut, 2000);
    EXPECT_GT(holds, 1000);
    EXPECT_GT(violations, 1000);
}

// Held-out adversarial 10^5 seed 109: the portfolio on the whole history stayed undecided
// past 20 s (forward and backward searches each stopped at a trap, in different pieces);
// cut at its clean cuts, each piece is decided, the whole in about 0.3 s (Release).
TEST(CrossCheck, check_decides_a_history_whose_traps_sit_in_different_pieces) {
    adversarial_options a;
    a.seed = 109, a.ops = 100000;
    const history h = generate_adversarial(a);
    const verdict v = check(h, contract::linearizable, check_budget{20000000, 1e9});
    EXPECT_TRUE(v.holds()) << v.rule;
}

// The piece of adversarial 2x10^5 seed 97 above: cut at its five quiet cuts (the queue full,
// 64 values standing in 4 to 32 orders), every segment is decided, the whole in about 170,000
// steps. With a read open over it there is no quiet cut, and the same budget ends it undecided
// (it needs about 750,000; until the hints' searches followed their windows' order it trapped
// every search both ways past 2x10^7).
TEST(CrossCheck, quiet_cuts_decide_a_piece_within_a_budget_that_leaves_it_undecided_uncut) {
    const history h = adversarial_slice(97, 200000, 111590, 153632);
    const check_budget b{400000, 1e9};
    const verdict cut = check(h, contract::linearizable, b);
    EXPECT_TRUE(cut.holds()) << cut.rule;
    const verdict uncut = check(without_quiet_instants(h, 0, h.ops.size()), contract::linearizable, b);
    EXPECT_TRUE(uncut.undecided()) << uncut.rule;
}

// Adversarial 2x10^5 seed 97's piece of ops 111,590-153,631 (indices) is its hardest; with a read
// open over the piece there are no quiet cuts, and the check needs about 1.2x10^6 steps: on less,
// the undecided check names the window in the whole history's op numbers, inside that piece.
TEST(CrossCheck, undecided_piece_names_its_window_in_the_whole_history) {
    const history h = without_quiet_instants(adversarial_prefix(97, 200000, 153632), 111590, 153632);
    check_budget b{500000, 1e9};
    b.jobs = 2;
    const verdict v = check(h, contract::linearizable, b);
    ASSERT_TRUE(v.undecided()) << v.rule;
    EXPECT_GE(v.window_first, 111590u);
    EXPECT_LE(v.window_last, 153632u);  // the read is op 153,632 (index)
    EXPECT_LE(v.window_first, v.window_last);
    EXPECT_NE(v.rule.find("from op " + std::to_string(v.window_first + 1) + " ("), std::string::npos) << v.rule;
}

// A violation no pattern sees (README "Counting is not enough for capacity": with one slot,
// neither push can come first) after 300 empty reads, each a clean cut: check() judges it in
// its own piece, and the op it names is the whole history's.
TEST(CrossCheck, violation_found_in_a_piece_names_the_whole_historys_op) {
    history h{1, {}};
    for (std::uint64_t i = 0; i < 300; ++i) h.ops.push_back(test::pop_res(0, result_kind::empty, 2 * i, 2 * i + 1));
    const std::uint64_t t = 1000;
    h.ops.push_back(test::push_op(1, 1, result_kind::ok, t + 0, t + 3));
    h.ops.push_back(test::push_op(2, 2, result_kind::ok, t + 2, t + 5));
    h.ops.push_back(test::pop_op(3, 2, t + 4, t + 7));
    h.ops.push_back(test::pop_op(4, 1, t + 6, t + 9));
    ASSERT_FALSE(validate(h));
    ASSERT_GT(detail::clean_pieces(h, detail::link_values(h), 256).size(), 1u);
    const verdict v = check(h);
    ASSERT_TRUE(v.violated()) << v.rule;
    EXPECT_EQ(v.kind, rule_kind::no_linearization) << v.rule;
    ASSERT_FALSE(v.witness.empty());
    for (std::size_t w : v.witness) EXPECT_GE(w, 300u) << v.rule;
}

// Appends, after time t, a violation no pattern sees: with `queued` already in the queue (in this
// order), pushes of fillers from `value` on until C - 1 values are queued, then pushes of a and b
// that overlap, while a pop takes the first queued value; then pops of the rest, of b and of a
// (`b_first`) or of a and b. Either push coming second needs that pop before it (C values are
// queued once the first is in), and only b's push can end after the pop begins: a is queued first,
// so popping b first is a violation, although at no instant are more than C values certainly
// queued. Needs a value queued or a capacity of 2 or more (with one slot and none queued, the pop
// would have to take a or b: the one-slot form is in the piece test above). Returns the first op's
// index.
std::size_t append_second_push_waits_for_a_pop(history& h, std::vector<std::uint64_t> queued, std::uint64_t value,
                                               std::uint64_t t, bool b_first) {
    const std::size_t first = h.ops.size();
    while (queued.size() + 1 < h.capacity) {
        h.ops.push_back(test::push_op(0, value, result_kind::ok, t, t + 1));
        queued.push_back(value++), t += 2;
    }
    const std::uint64_t a = value, b = value + 1;
    t += 10;
    h.ops.push_back(test::push_op(0, a, result_kind::ok, t, t + 3));
    h.ops.push_back(test::push_op(1, b, result_kind::ok, t + 2, t + 5));
    h.ops.push_back(test::pop_op(2, queued.front(), t + 4, t + 7));
    t += 10;
    queued.erase(queued.begin());
    queued.push_back(b_first ? b : a), queued.push_back(b_first ? a : b);
    for (std::uint64_t v : queued) h.ops.push_back(test::pop_op(2, v, t, t + 1)), t += 2;
    return first;
}

TEST(CrossCheck, second_push_waiting_for_a_pop_orders_two_overlapping_pushes) {
    for (std::size_t capacity = 2; capacity <= 4; ++capacity) {
        for (bool b_first : {false, true}) {
            history h{capacity, {}};
            append_second_push_waits_for_a_pop(h, {}, 1, 0, b_first);
            ASSERT_FALSE(validate(h));
            EXPECT_EQ(check_exhaustive(h, contract::linearizable).holds(), !b_first) << dump(h);
            EXPECT_EQ(check(h).holds(), !b_first) << dump(h);
            EXPECT_FALSE(detail::find_linearizable_pattern(h, detail::link_values(h))) << dump(h);
        }
    }
}

// An adversarial run (capacity 64, no close) whose queue is never certainly empty at a quiet
// instant before that violation: no clean cut, so no pieces. Its ops are written in effect order,
// so a reference queue replays them; all but the last value left are popped at the end, that
// one stays queued. The first searches backtrack through the run and give up; the quiet stage
// refutes the last segment, and check() names an op of the violation in the history's numbers.
TEST(CrossCheck, violation_found_between_quiet_cuts_names_the_whole_historys_op) {
    adversarial_options a;
    a.seed = 8, a.ops = 4000, a.closes = false;
    history run = generate_adversarial(a);
    reference_queue replay(run.capacity);
    std::uint64_t end = 0, value = 0;
    for (const auto& o : run.ops) {
        ASSERT_TRUE(replay.apply(o)) << "not in effect order";
        end = std::max(end, o.response), value = std::max(value, o.arg + 1);
    }
    const auto& left = replay.state().items;
    ASSERT_FALSE(left.empty());
    for (std::size_t i = 0; i + 1 < left.size(); ++i, end += 2)
        run.ops.push_back(test::pop_op(0, left[i], end + 10, end + 11));
    for (bool b_first : {false, true}) {
        history h = run;
        const std::size_t first = append_second_push_waits_for_a_pop(h, {left.back()}, value, end + 20, b_first);
        ASSERT_FALSE(validate(h));
        ASSERT_EQ(detail::clean_pieces(h, detail::link_values(h), 256).size(), 1u);
        const verdict v = check(h);
        if (!b_first) {
            EXPECT_TRUE(v.holds()) << v.rule;
            continue;
        }
        ASSERT_TRUE(v.violated()) << v.rule;
        EXPECT_EQ(v.kind, rule_kind::no_linearization) << v.rule;
        EXPECT_NE(v.rule.find("(README \"Quiet cuts\")"), std::string::npos) << v.rule;
        ASSERT_FALSE(v.witness.empty());
        for (std::size_t w : v.witness) EXPECT_GE(w, first) << v.rule;
    }
}

// The verdict judge_between_quiet_cuts() builds from the exhaustive verdicts of the segments
// between every quiet cut whose queue stands in at most 120 orders.
detail::segment_result exhaustive_between_quiet_cuts(const history& h, const detail::value_links& links,
                                                     std::vector<detail::quiet_cut>& cuts) {
    cuts = detail::quiet_cuts(h, links, 120, 1);
    const auto segments = detail::quiet_segments(links, cuts);
    EXPECT_TRUE(partition_the_ops(h, segments));
    auto exhaustive = [](std::size_t, const history& part, std::size_t) {
        EXPECT_FALSE(validate(part)) << dump(part);
        return check_exhaustive(part, contract::linearizable).holds() ? detail::segment_result::holds
                                                                      : detail::segment_result::violation;
    };
    return detail::judge_between_quiet_cuts(h, cuts, segments, exhaustive);
}

// Bursts of ops on different threads that all overlap, their results those of a random order
// of them, with a quiet gap after each: quiet cuts whose queue holds values pushed (and later
// popped) in overlapping bursts, so that several orders stay.
history burst_history(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    history h{1 + rng() % 4, {}};
    const auto threads = 2 + static_cast<std::uint32_t>(rng() % 3);
    std::deque<std::uint64_t> queue;
    std::uint64_t next_value = 1, t = 0;
    for (std::uint64_t burst = 0, bursts = 2 + rng() % 4; burst < bursts; ++burst, t += 8) {
        std::vector<std::uint32_t> lanes(threads);
        std::iota(lanes.begin(), lanes.end(), 0u);
        std::shuffle(lanes.begin(), lanes.end(), rng);
        lanes.resize(1 + rng() % threads);  // the burst's ops, in the order they take effect
        for (std::uint32_t lane : lanes) {
            const std::uint64_t invoke = t + rng() % 3, response = t + 3 + rng() % 3;
            if (rng() % 2 == 0) {
                const bool room = queue.size() < h.capacity;
                if (room) queue.push_back(next_value);
                h.ops.push_back(test::push_op(lane, next_value++, room ? result_kind::ok : result_kind::full, invoke,
                                              response));
            } else if (queue.empty()) {
                h.ops.push_back(test::pop_res(lane, result_kind::empty, invoke, response));
            } else {
                h.ops.push_back(test::pop_op(lane, queue.front(), invoke, response));
                queue.pop_front();
            }
        }
    }
    std::shuffle(h.ops.begin(), h.ops.end(), rng);  // line order is not effect order
    return h;
}

// README "Quiet cuts": the history holds exactly when some order of the queue at each quiet
// cut (among those queued_ahead leaves) lets every segment between two cuts hold, entered
// and left with pinned ops; small histories of both generators (capacities 1-4, closes,
// mutations), and the long-latency ones.
TEST(CrossCheck, history_holds_exactly_when_some_order_at_each_quiet_cut_lets_every_segment_hold) {
    int through_values = 0, several_orders = 0, holds = 0, violations = 0;
    auto expect_exact = [&](const history& h, const detail::value_links& links, bool truth) {
        std::vector<detail::quiet_cut> cuts;
        const auto r = exhaustive_between_quiet_cuts(h, links, cuts);
        ASSERT_EQ(r == detail::segment_result::holds, truth) << cuts.size() << " cuts\n" << dump(h);
        for (const auto& c : cuts) {
            through_values += !c.orders.front().empty() || !c.never_popped.empty();
            several_orders += c.orders.size() > 1;
        }
        (truth ? holds : violations)++;
    };
    for_each_small_history_of_both_shapes(7000003, expect_exact);
    for (std::uint64_t seed = 1; seed <= 20000 && !HasFatalFailure(); ++seed) {
        history h = burst_history(seed);
        std::mt19937_64 rng(seed);
        if (seed % 3) mutate(h, mutation::any, rng);
        judge_if_checkable(h, expect_exact);
    }
    for_each_long_latency_history(10000, [&](std::uint64_t, const history& h, const detail::value_links& links,
                                             bool truth) { expect_exact(h, links, truth); });
    EXPECT_GT(through_values, 2000);
    EXPECT_GT(several_orders, 800);
    std::cout << "quiet cuts: " << through_values << " with values queued, " << several_orders
              << " with several orders; " << holds << " hold, " << violations << " violate\n";
    EXPECT_GT(holds, 2000);
    EXPECT_GT(violations, 2000);
}

// Capacity 2, a and b queued at the cut in either order (b's pop inside a's). With a first
// both are gone by 24, so e alone is queued when f finds the queue full: only b first holds,
// and it is not the first order tried.
TEST(CrossCheck, quiet_cut_tries_every_order_the_queue_may_stand_in) {
    history h{2, {}};
    h.ops.push_back(test::push_op(0, 1, result_kind::ok, 0, 6));  // a
    h.ops.push_back(test::push_op(1, 2, result_kind::ok, 2, 8));  // b
    h.ops.push_back(test::pop_op(2, 1, 20, 40));
    h.ops.push_back(test::pop_op(3, 2, 22, 24));
    h.ops.push_back(test::push_op(4, 5, result_kind::ok, 25, 26));    // e
    h.ops.push_back(test::push_op(5, 6, result_kind::full, 27, 28));  // f
    h.ops.push_back(test::pop_op(4, 5, 42, 44));
    ASSERT_FALSE(validate(h));
    const auto links = detail::link_values(h);
    std::vector<detail::quiet_cut> cuts;
    EXPECT_EQ(exhaustive_between_quiet_cuts(h, links, cuts), detail::segment_result::holds);
    ASSERT_FALSE(cuts.empty());  // the first: after both pushes (the next holds e alone)
    ASSERT_EQ(cuts.front().orders.size(), 2u);
    EXPECT_EQ(cuts.front().orders.front().front(), 0u) << "a first is tried first";
    h.ops.back().value = 1, h.ops[2].value = 5;  // e popped before a: no order holds
    EXPECT_EQ(exhaustive_between_quiet_cuts(h, detail::link_values(h), cuts), detail::segment_result::violation);
}

// A violation found in the middle segment of the history above (pinned pushes of a and b
// before it, a pinned pop of e after it) names the history's ops: its own by their index in
// the history, a pinned push as the segment's first op by invoke, a pinned pop as its last.
TEST(CrossCheck, violation_in_a_segment_names_the_historys_ops) {
    history h{2, {}};
    h.ops.push_back(test::push_op(0, 1, result_kind::ok, 0, 6));
    h.ops.push_back(test::push_op(1, 2, result_kind::ok, 2, 8));
    h.ops.push_back(test::pop_op(4, 5, 42, 44));
    h.ops.push_back(test::pop_op(2, 1, 20, 40));
    h.ops.push_back(test::pop_op(3, 2, 22, 24));
    h.ops.push_back(test::push_op(4, 5, result_kind::ok, 25, 26));
    h.ops.push_back(test::push_op(5, 6, result_kind::full, 27, 28));
    const auto links = detail::link_values(h);
    const auto cuts = detail::quiet_cuts(h, links, 8, 1);
    const auto segments = detail::quiet_segments(links, cuts);
    ASSERT_EQ(cuts.size(), 2u);
    ASSERT_EQ(segments[1], (std::vector<std::uint32_t>{3, 4, 5, 6}));
    const history part = detail::cut_segment(h, segments[1], cuts[0].orders.front(), cuts[1].orders.front());
    ASSERT_EQ(part.ops.size(), 7u);  // its 4 ops, 2 pinned pushes, 1 pinned pop
    verdict found{status::violation, "", {1, 4, 5, 6}, rule_kind::no_linearization};
    const verdict v = detail::segment_violation(h, links, cuts, segments, 1, 2, found);
    EXPECT_EQ(v.witness, (std::vector<std::size_t>{4, 3, 3, 6}));  // pop b; pop a (first by invoke) twice; f
    EXPECT_NE(v.rule.find("from op 4 (try_pop -> 1"), std::string::npos) << v.rule;
    EXPECT_NE(v.rule.find("to op 7 (try_push 6 -> full"), std::string::npos) << v.rule;
}

// README "Given π, polynomial in n and C whatever the threads": whether `h` has a linearization
// that enqueues the values of `order` (push ops: the popped values in the order of their pops,
// then those never popped) in that order, by the walk over places with the state (place,
// enqueues, dequeues, flag, last places of size C, 0, and 0 with the flag set, each as the reads
// still to be judged tell it apart).
class walk_over_places {
public:
    walk_over_places(const history& h, const detail::value_links& l, const std::vector<std::uint32_t>& order)
        : h_(h), order_(order) {
        std::vector<std::uint64_t> times;
        for (const auto& o : h.ops) times.push_back(o.invoke), times.push_back(o.response);
        std::sort(times.begin(), times.end());
        times.erase(std::unique(times.begin(), times.end()), times.end());
        // Place 2j + 1 is times[j]; place 2j the open gap before it; the last, the gap after all.
        auto place = [&](std::uint64_t t) {
            return 2 * static_cast<std::size_t>(std::lower_bound(times.begin(), times.end(), t) - times.begin()) + 1;
        };
        places_ = 2 * times.size() + 1;
        for (const auto& o : h.ops) first_.push_back(place(o.invoke)), last_.push_back(place(o.response));
        for (std::uint32_t v : order) pops_.push_back(l.pop_of[v]);
        popped_ = static_cast<std::size_t>(std::count_if(pops_.begin(), pops_.end(),
                                                          [](std::uint32_t p) { return p != detail::none; }));
        position_.assign(h.ops.size(), detail::none);
        for (std::size_t k = 0; k < order.size(); ++k) {
            position_[order[k]] = static_cast<std::uint32_t>(k);
            if (pops_[k] != detail::none) position_[pops_[k]] = static_cast<std::uint32_t>(k);
        }
        for (std::uint32_t i = 0; i < h.ops.size(); ++i) {
            const operation& o = h.ops[i];
            if (detail::needs_full(o)) full_reads_.push_back(i);
            else if (o.result == result_kind::closed && !is_push(o.op) && o.op != op_kind::close)
                closed_empty_reads_.push_back(i);
            else if (!detail::is_push_ok(o) && !detail::is_pop_value(o) && o.op != op_kind::close &&
                     o.result != result_kind::closed)
                empty_reads_.push_back(i);
        }
        states_at_.assign(places_ + 1, 0);
    }
    bool holds() { return walk({0, 0, 0, false, none_yet, none_yet, none_yet}); }

    // The states the walk met at each place, against 2(P+1)(Q+1)(F+1)(E+1)(Z+1), P successful pushes,
    // Q pops of values, F `full` reads, E empty reads and Z `closed` pops open there (README "Given
    // π": at most 2(w+1)^5 per place, O(n·w^5) in all): false if a place has more.
    bool states_within_bound() const {
        for (std::size_t p = 0; p < places_; ++p) {
            auto open = [&](auto&& is) {
                std::size_t count = 0;
                for (std::uint32_t i = 0; i < h_.ops.size(); ++i) count += fits(i, p) && is(i);
                return count + 1;
            };
            auto in = [&](const std::vector<std::uint32_t>& reads) {
                return [&](std::uint32_t i) { return std::find(reads.begin(), reads.end(), i) != reads.end(); };
            };
            const std::size_t bound = 2 * open([&](std::uint32_t i) { return detail::is_push_ok(h_.ops[i]); }) *
                                      open([&](std::uint32_t i) { return detail::is_pop_value(h_.ops[i]); }) *
                                      open(in(full_reads_)) * open(in(empty_reads_)) * open(in(closed_empty_reads_));
            if (states_at_[p] > bound) return false;
        }
        return true;
    }
    std::size_t most_states_at_a_place() const { return *std::max_element(states_at_.begin(), states_at_.end()); }

private:
    static constexpr std::size_t none_yet = SIZE_MAX;
    struct state {
        std::size_t place, enqueued, dequeued;
        bool closed;
        std::size_t last_full, last_empty, last_closed_empty;
        auto key() const {
            return std::tuple(place, enqueued, dequeued, closed, last_full, last_empty, last_closed_empty);
        }
    };
    bool fits(std::uint32_t op, std::size_t place) const { return first_[op] <= place && place <= last_[op]; }
    static bool seen(std::size_t last, std::size_t first) { return last != none_yet && last >= first; }
    // The size at this instant of the state's place, as the reads see it. A last place is kept only
    // as far as the reads still to be judged tell it apart (the latest first place among them at or
    // before it), so that a place has few states.
    state observed(state s) const {
        const std::size_t size = s.enqueued - s.dequeued;
        if (size == h_.capacity) s.last_full = s.place;
        if (size == 0) s.last_empty = s.place;
        if (size == 0 && s.closed) s.last_closed_empty = s.place;
        s.last_full = as_reads_tell(s.last_full, full_reads_, s.place);
        s.last_empty = as_reads_tell(s.last_empty, empty_reads_, s.place);
        s.last_closed_empty = as_reads_tell(s.last_closed_empty, closed_empty_reads_, s.place);
        return s;
    }
    std::size_t as_reads_tell(std::size_t last, const std::vector<std::uint32_t>& reads, std::size_t place) const {
        std::size_t told = none_yet;
        for (std::uint32_t i : reads)
            if (seen(last, first_[i]) && last_[i] >= place && (told == none_yet || first_[i] > told)) told = first_[i];
        return told;
    }
    // Every op whose interval ends at the state's place is done.
    bool may_leave(const state& s) const {
        for (std::uint32_t i = 0; i < h_.ops.size(); ++i) {
            if (last_[i] != s.place) continue;
            const operation& o = h_.ops[i];
            bool done = true;
            if (detail::is_push_ok(o)) done = s.enqueued > position_[i];
            else if (detail::is_pop_value(o)) done = s.dequeued > position_[i];
            else if (detail::needs_full(o)) done = seen(s.last_full, first_[i]);
            else if (o.op == op_kind::close || o.result == result_kind::closed)
                done = s.closed && (is_push(o.op) || o.op == op_kind::close || seen(s.last_closed_empty, first_[i]));
            else done = seen(s.last_empty, first_[i]);  // an empty or timed-out pop
            if (!done) return false;
        }
        return true;
    }
    bool walk(state s) {
        s = observed(s);
        if (s.place == places_) return s.enqueued == order_.size() && s.dequeued == popped_;
        if (!refuted_.insert(s.key()).second) return false;
        ++states_at_[s.place];
        if (may_leave(s)) {
            state next = s;
            ++next.place;
            if (walk(next)) return true;
        }
        if (s.enqueued < order_.size() && !s.closed && s.enqueued - s.dequeued < h_.capacity &&
            fits(order_[s.enqueued], s.place)) {
            state next = s;
            ++next.enqueued;
            if (walk(next)) return true;
        }
        if (s.dequeued < std::min(s.enqueued, popped_) && fits(pops_[s.dequeued], s.place)) {
            state next = s;
            ++next.dequeued;
            if (walk(next)) return true;
        }
        if (!s.closed) {
            for (std::uint32_t i = 0; i < h_.ops.size(); ++i) {
                if (h_.ops[i].op != op_kind::close || !fits(i, s.place)) continue;
                state next = s;
                next.closed = true;
                if (walk(next)) return true;
                break;  // any close that fits the place sets the flag alike
            }
        }
        return false;
    }

    const history& h_;
    const std::vector<std::uint32_t>& order_;
    std::vector<std::size_t> first_, last_;
    std::vector<std::uint32_t> pops_, position_;  // position_: an ok push's or a value pop's place in order_
    std::vector<std::uint32_t> full_reads_, empty_reads_, closed_empty_reads_;  // what each last place serves
    std::vector<std::size_t> states_at_;  // states met at each place
    std::size_t places_ = 0, popped_ = 0;
    std::set<std::tuple<std::size_t, std::size_t, std::size_t, bool, std::size_t, std::size_t, std::size_t>> refuted_;
};

// Whether `passes` holds for some order of h's values (push ops: the popped ones first, in
// every order; then those never popped, in every order); nullopt if h has more than 6 values.
template <class Passes>
std::optional<bool> some_queue_order(const history& h, const detail::value_links& links, Passes&& passes) {
    std::vector<std::uint32_t> popped, kept;
    for (std::uint32_t op = 0; op < h.ops.size(); ++op)
        if (detail::is_push_ok(h.ops[op])) (links.pop_of[op] == detail::none ? kept : popped).push_back(op);
    if (popped.size() + kept.size() > 6) return std::nullopt;
    bool some_order = false;
    do {
        do {
            std::vector<std::uint32_t> order = popped;
            order.insert(order.end(), kept.begin(), kept.end());
            some_order = passes(order);
        } while (!some_order && std::next_permutation(kept.begin(), kept.end()));
    } while (!some_order && std::next_permutation(popped.begin(), popped.end()));
    return some_order;
}

// Whether the walk over places passes in `order`; each place's states within the walk's bound.
bool walk_passes(const history& h, const detail::value_links& links, const std::vector<std::uint32_t>& order,
                 std::size_t* most_states = nullptr) {
    walk_over_places walk(h, links, order);
    const bool passes = walk.holds();
    EXPECT_TRUE(walk.states_within_bound()) << dump(h);
    detail::search_limits limits = unlimited();
    const auto r = detail::walk_in_queue_order(h, links, order, limits);  // the checker's own walk
    EXPECT_EQ(r.outcome == detail::search_result::linearizable, passes) << dump(h);
    EXPECT_LE(limits.steps_used, detail::walk_state_bound(h, links, order)) << dump(h);
    if (most_states) *most_states = std::max(*most_states, walk.most_states_at_a_place());
    return passes;
}

// Whether the walk over places passes for some order of h's values (up to 6).
std::optional<bool> some_queue_order_passes(const history& h, const detail::value_links& links) {
    return some_queue_order(h, links, [&](const auto& order) { return walk_passes(h, links, order); });
}

// The whole exponent is the choice of the queue order: a history holds exactly when the walk over
// places passes for some order of its values. Small histories of both generators, capacities 1-4,
// closes and mutations, up to 6 values.
TEST(CrossCheck, history_holds_exactly_when_some_queue_order_passes_the_walk_over_places) {
    int holds = 0, violations = 0;
    for_each_small_history_of_both_shapes(9100003, [&](const history& h, const detail::value_links& links,
                                                       bool truth) {
        const auto some_order = some_queue_order_passes(h, links);
        if (!some_order) return;  // more than 6 values
        ASSERT_EQ(*some_order, truth) << dump(h);
        (truth ? holds : violations)++;
    });
    std::cout << "walk over places: " << holds << " hold, " << violations << " violate\n";
    EXPECT_GT(holds, 2000);
    EXPECT_GT(violations, 1000);
}

// A `closed` pop needs the queue closed and empty at one instant: here it is empty before the
// close (before 2 is pushed) and closed after, but 2 is queued from the close on, until it is
// popped after the read returns; popped before the close, the history holds.
TEST(CrossCheck, walk_over_places_takes_a_closed_pop_only_where_the_queue_is_closed_and_empty) {
    history h{2, {}};
    h.ops.push_back(test::pop_res(0, result_kind::closed, 0, 10, op_kind::pop));
    h.ops.push_back(test::push_op(1, 2, result_kind::ok, 2, 3));
    h.ops.push_back(test::close_op(2, 5, 6));
    h.ops.push_back(test::pop_op(1, 2, 12, 13));
    ASSERT_FALSE(validate(h));
    EXPECT_TRUE(check_exhaustive(h, contract::linearizable).violated());
    EXPECT_EQ(some_queue_order_passes(h, detail::link_values(h)), false);
    h.ops.back().invoke = 4, h.ops.back().response = 5;  // popped before the close
    ASSERT_FALSE(validate(h));
    EXPECT_TRUE(check_exhaustive(h, contract::linearizable).holds());
    EXPECT_EQ(some_queue_order_passes(h, detail::link_values(h)), true);
}

// Whether h has a linearization that enqueues `order`'s values in that order: none if a value
// never popped stands before a popped one (FIFO), else the walk over places.
bool walk_over_places_in(const history& h, const detail::value_links& links, const std::vector<std::uint32_t>& order,
                         std::size_t& most_states) {
    auto popped = [&](std::uint32_t push) { return links.pop_of[push] != detail::none; };
    if (!std::is_partitioned(order.begin(), order.end(), popped)) return false;
    return walk_passes(h, links, order, &most_states);
}

// Where real time forces each value before the next (one producer; one consumer that pops every
// value; and histories of neither kind, e.g. a consumer's leftovers pushed in turn, or two pushes
// that overlap with pops that do not beside two pops that overlap with pushes that do not), it
// gives π, and the walk over places alone decides the history: polynomial in n and C, reads and
// closes included. Small histories of both generators (capacities 1-4, closes, mutations), any
// number of values. Taking the successful pushes by their invokes where real time forces no order
// (as if there were one producer) is wrong on some of the others.
TEST(CrossCheck, history_whose_queue_order_real_time_forces_holds_exactly_when_the_walk_over_places_passes) {
    int holds = 0, violations = 0, by_pops = 0, by_neither = 0, wrong_without_the_condition = 0;
    std::size_t most_states = 0;
    auto one_after_another = [](const history& h, const std::vector<std::uint32_t>& ops) {
        for (std::size_t k = 1; k < ops.size(); ++k)
            if (h.ops[ops[k - 1]].response >= h.ops[ops[k]].invoke) return false;
        return true;
    };
    for_each_small_history_of_both_shapes(9200003, [&](const history& h, const detail::value_links& links,
                                                       bool truth) {
        std::vector<std::uint32_t> pushes, pops;  // by invoke
        for (std::uint32_t op : links.by_invoke) {
            if (detail::is_push_ok(h.ops[op])) pushes.push_back(op);
            if (detail::is_pop_value(h.ops[op])) pops.push_back(op);
        }
        const auto order = detail::queue_order_real_time_forces(h, links);
        if (!order) {
            wrong_without_the_condition += walk_over_places_in(h, links, pushes, most_states) != truth;
            return;
        }
        ASSERT_EQ(walk_over_places_in(h, links, *order, most_states), truth) << dump(h);
        if (!one_after_another(h, pushes))  // not one producer: one consumer, or neither
            ++(pops.size() == pushes.size() && one_after_another(h, pops) ? by_pops : by_neither);
        (truth ? holds : violations)++;
    });
    std::cout << "real time forces the order: " << holds << " hold, " << violations << " violate (" << by_pops
              << " one consumer's, " << by_neither << " neither one producer's nor one consumer's); by push invokes "
              << "without the condition: " << wrong_without_the_condition << " wrong; at most " << most_states
              << " states at a place\n";
    EXPECT_GT(holds, 500);
    EXPECT_GT(violations, 500);
    EXPECT_GT(by_pops, 100);
    EXPECT_GT(by_neither, 100);
    EXPECT_GT(wrong_without_the_condition, 100);
}

// The checker's walk on large histories of one producer (generated with roles, 2 and 3 threads,
// 20,000 ops, closes in every other, capacities 1, 32 and 63), each as generated and mutated: it
// decides each within its state bound, as check() does.
TEST(CrossCheck, walk_in_the_order_real_time_forces_decides_large_one_producer_histories_as_check_does) {
    int walked = 0, refuted = 0;
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        generator_options g;
        g.ops = 20000, g.seed = seed, g.threads = static_cast<std::uint32_t>(2 + seed % 2), g.closes = seed % 2;
        g.capacity = 1 + seed % 3 * 31;
        history h = generate_history(g);
        for (int mutated = 0; mutated < 2; ++mutated) {
            std::mt19937_64 rng(seed);
            if (mutated && (mutate(h, mutation::any, rng), validate(h))) continue;
            const auto links = detail::link_values(h);
            if (detail::find_delivery_violation(h, links)) continue;  // check() refutes those before any walk
            const auto order = detail::queue_order_real_time_forces(h, links);
            ASSERT_TRUE(order) << "seed " << seed << ": one producer, yet no order forced";
            detail::search_limits limits = unlimited();
            const auto r = detail::walk_in_queue_order(h, links, *order, limits);
            ASSERT_NE(r.outcome, detail::search_result::gave_up);
            EXPECT_LE(limits.steps_used, detail::walk_state_bound(h, links, *order)) << "seed " << seed;
            const verdict v = check(h);
            ASSERT_FALSE(v.undecided()) << v.rule;
            EXPECT_EQ(r.outcome == detail::search_result::linearizable, v.holds()) << "seed " << seed << ": " << v.rule;
            ++walked, refuted += r.outcome == detail::search_result::not_linearizable;
        }
    }
    std::cout << "walked " << walked << " large histories, " << refuted << " refuted\n";
    EXPECT_GE(walked, 8);
}

// README "Without reads, capacity is a distance in the queue order": whether `h`, of successful
// pushes and pops of values only, has a linearization that enqueues `order`'s values in that
// order, by conditions on pairs: for each value u and each v at or after it, push(u) invoked by
// push(v)'s response, u's pop invoked by v's pop's response, push(u) invoked by v's pop's
// response, and, when v stands C or more places after u, u's pop invoked by push(v)'s response
// (a value never popped: its pop's times are `never`).
bool order_keeps_values_queued_together_within_capacity(const history& h, const detail::value_links& l,
                                                        const std::vector<std::uint32_t>& order) {
    auto pop_invoke = [&](std::uint32_t v) {
        return l.pop_of[v] == detail::none ? detail::never : h.ops[l.pop_of[v]].invoke;
    };
    auto pop_response = [&](std::uint32_t v) {
        return l.pop_of[v] == detail::none ? detail::never : h.ops[l.pop_of[v]].response;
    };
    auto may_stand_before = [&](std::uint32_t u, std::uint32_t v, std::size_t places_apart) {
        const std::uint64_t u_in = h.ops[u].invoke, v_in_by = h.ops[v].response;
        return u_in <= v_in_by && pop_invoke(u) <= pop_response(v) && u_in <= pop_response(v) &&
               (places_apart < h.capacity || pop_invoke(u) <= v_in_by);
    };
    for (std::size_t j = 0; j < order.size(); ++j)
        for (std::size_t i = 0; i <= j; ++i)
            if (!may_stand_before(order[i], order[j], j - i)) return false;
    return true;
}

bool without_reads(const history& h) {
    return std::all_of(h.ops.begin(), h.ops.end(),
                       [](const operation& o) { return detail::is_push_ok(o) || detail::is_pop_value(o); });
}

// A history of successful pushes and pops of values only: 2-6 values, each popped with
// probability 0.85, capacity 1-3, every op on a thread of its own, times up to about 30 apart.
history history_without_reads(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    auto below = [&](std::uint64_t n) { return rng() % n; };
    history h{1 + below(3), {}};
    const std::uint64_t values = 2 + below(5), span = 6 + below(19);
    std::uint32_t thread = 0;
    for (std::uint64_t v = 1; v <= values; ++v) {
        const std::uint64_t push_in = below(span + 1), push_out = push_in + 1 + below(6);
        h.ops.push_back(test::push_op(thread++, v, result_kind::ok, push_in, push_out));
        if (below(100) >= 85) continue;
        const std::uint64_t pop_in = push_in - std::min<std::uint64_t>(push_in, below(4)) + below(span + 4);
        h.ops.push_back(test::pop_op(thread++, v, pop_in, std::max(pop_in + 1 + below(8), push_in + 1)));
    }
    return h;
}

// Without reads and closes, the walk over places reduces to conditions on pairs of values: for
// each order they agree with the walk, and a history holds exactly when some order meets them.
// Small histories of both generators (capacities 1-4, mutations) that have only successful
// pushes and pops of values, and 3,000 of history_without_reads(), up to 6 values; and one that
// only the capacity condition refutes.
TEST(CrossCheck, history_without_reads_holds_exactly_when_some_order_keeps_values_queued_together_within_capacity) {
    auto by_pairs = [](const history& h, const detail::value_links& links) {
        return some_queue_order(h, links, [&](const auto& order) {
            return order_keeps_values_queued_together_within_capacity(h, links, order);
        });
    };
    int holds = 0, violations = 0, orders = 0;
    auto expect_same = [&](const history& h, const detail::value_links& links, bool truth) {
        if (!without_reads(h)) return;
        const auto some_order = some_queue_order(h, links, [&](const auto& order) {
            if (order.size() > 5) return true;  // the walk on every order of 5 values or fewer
            const bool pairs = order_keeps_values_queued_together_within_capacity(h, links, order);
            EXPECT_EQ(pairs, walk_passes(h, links, order)) << dump(h);
            ++orders;
            return false;
        });
        if (!some_order) return;  // more than 6 values
        ASSERT_EQ(by_pairs(h, links), truth) << dump(h);
        (truth ? holds : violations)++;
    };
    for_each_small_history_of_both_shapes(9100003, expect_same);
    for (std::uint64_t seed = 1; seed <= 3000 && !HasFailure(); ++seed)
        judge_if_checkable(history_without_reads(seed), expect_same);
    std::cout << "without reads: " << holds << " hold, " << violations << " violate, " << orders << " orders\n";
    EXPECT_GT(holds, 1500);
    EXPECT_GT(violations, 1000);
    // a then b or b then a: either way the second is pushed while the first is certainly queued.
    history h = test::make(1, {test::push_op(0, 1, result_kind::ok, 0, 3), test::push_op(1, 2, result_kind::ok, 2, 5),
                               test::pop_op(2, 2, 4, 7), test::pop_op(3, 1, 6, 9)});
    ASSERT_FALSE(validate(h));
    EXPECT_TRUE(check_exhaustive(h, contract::linearizable).violated());
    EXPECT_EQ(by_pairs(h, detail::link_values(h)), false);
    h.capacity = 2;
    EXPECT_TRUE(check_exhaustive(h, contract::linearizable).holds());
    EXPECT_EQ(by_pairs(h, detail::link_values(h)), true);
}

// Two values queued at a quiet cut: if one's push and pop each start and end no later than
// the other's, it is queued first (the exchange normal form); if their pops cross their
// pushes, both orders stay.
TEST(CrossCheck, quiet_cut_keeps_an_order_only_where_no_linearization_can_do_without_it) {
    auto orders_at_cut = [](std::uint64_t pop_a, std::uint64_t pop_b) {
        history h{4, {}};
        h.ops.push_back(test::push_op(0, 1, result_kind::ok, 0, 3));
        h.ops.push_back(test::push_op(1, 2, result_kind::ok, 1, 4));
        h.ops.push_back(test::pop_op(2, 1, pop_a, pop_a + 3));
        h.ops.push_back(test::pop_op(3, 2, pop_b, pop_b + 3));
        const auto cuts = detail::quiet_cuts(h, detail::link_values(h), 8, 1);
        EXPECT_FALSE(cuts.empty());  // the first: after both pushes, before either pop
        return cuts.empty() ? 0 : cuts.front().orders.size();
    };
    EXPECT_EQ(orders_at_cut(10, 11), 1u);  // 1 before 2 both ways
    EXPECT_EQ(orders_at_cut(11, 10), 2u);  // 2's pop starts first: either may be queued first
    EXPECT_EQ(orders_at_cut(10, 20), 1u);  // 1's pop returns before 2's starts
}

// read_backwards() reads the links of the history read backwards off the forward ones
// (no second sort, no second pass over the values); they must be what link_values() finds
// on it, time orders (ties by op) included. Small histories with ties (tick 3) and larger ones.
TEST(CrossCheck, history_read_backwards_has_the_links_link_values_finds) {
    int compared = 0;
    for (std::uint64_t seed = 1; seed <= 400 && !HasFatalFailure(); ++seed) {
        adversarial_options a;
        a.seed = seed, a.ops = seed % 4 == 0 ? 5000 : 5 + seed % 40, a.capacity = 1 + seed % 8, a.tick = 1 + seed % 5;
        a.threads = 2 + static_cast<std::uint32_t>(seed % 7), a.closes = seed % 3 != 0;
        const history h = generate_adversarial(a);
        const auto links = detail::link_values(h);
        if (detail::find_delivery_violation(h, links)) continue;
        const auto backwards = detail::read_backwards(h, links);
        if (auto e = validate(backwards.h)) FAIL() << e->message << "\n" << dump(h) << dump(backwards.h);
        const auto expected = detail::link_values(backwards.h);
        const auto& got = backwards.links;
        ASSERT_TRUE(std::equal(got.push_of.begin(), got.push_of.end(), expected.push_of.begin(), expected.push_of.end()));
        ASSERT_TRUE(std::equal(got.pop_of.begin(), got.pop_of.end(), expected.pop_of.begin(), expected.pop_of.end()));
        ASSERT_TRUE(std::equal(got.failed_push.begin(), got.failed_push.end(), expected.failed_push.begin(),
                               expected.failed_push.end()));
        ASSERT_TRUE(std::equal(got.second_pop.begin(), got.second_pop.end(), expected.second_pop.begin(),
                               expected.second_pop.end()));
        ASSERT_TRUE(std::equal(got.by_response.begin(), got.by_response.end(), expected.by_response.begin(),
                               expected.by_response.end())) << dump(h);
        ASSERT_TRUE(std::equal(got.by_invoke.begin(), got.by_invoke.end(), expected.by_invoke.begin(),
                               expected.by_invoke.end())) << dump(h);
        ++compared;
    }
    EXPECT_GT(compared, 300);
}

// Read backwards (README "Read backwards"), the flag is set until the last close: the close
// that responds last (here the one on thread 1, invoked first) clears it only once every other
// close is placed. Here the close on thread 2 took effect by 2, so the push at [3, 4] came too
// late; were the flag cleared at the first close placed backwards, the backward search would
// pop 1 (the push, read backwards) after it and accept. Its twin, whose second close is
// invoked at 5, holds. Every search alone, without a budget, must agree.
TEST(CrossCheck, every_search_lets_a_push_succeed_only_before_the_first_of_two_closes) {
    const char* late_push =
        "ringcheck-history 1 capacity=2\n"
        "1 close - ok 0 10\n"
        "2 close - ok 1 2\n"
        "3 try_push 1 ok 3 4\n"
        "4 try_pop - 1 5 6\n";
    const char* early_push =
        "ringcheck-history 1 capacity=2\n"
        "1 close - ok 0 10\n"
        "2 close - ok 5 6\n"
        "3 try_push 1 ok 3 4\n"
        "4 try_pop - 1 7 8\n";
    for (const char* text : {late_push, early_push}) {
        const history h = test::history_from_text(text);
        const bool holds = check_exhaustive(h, contract::linearizable).holds();
        EXPECT_EQ(holds, text == early_push) << text;
        compare_move_orders(h, holds);
    }
}

// The value search's memo key leaves out when each group was made (README "A
// bound for fixed capacity and width"), but must keep the groups apart: were
// two groups [a][b] and one group [a b] one key, refuting the first (a must
// leave before b) would refute the second (either may leave first). A key
// without group ends refuted these linearizable histories (found among 164,400
// small histories); each order alone must accept them.
TEST(CrossCheck, value_search_memo_keeps_groups_of_the_queue_apart) {
    for (const char* text : {"ringcheck-history 1 capacity=3\n"
                             "2 try_push 2 ok 28 32\n"
                             "1 try_push 1 ok 32 40\n"
                             "2 try_push_for 3 ok 40 64\n"
                             "0 try_pop - 2 20 312\n"
                             "2 push 5 ok 68 304\n"
                             "2 try_push 6 full 308 320\n"
                             "0 pop - 3 320 340\n"
                             "1 push 4 ok 48 332\n"
                             "1 pop - 1 336 352\n"
                             "2 try_push_for 7 ok 328 352\n"
                             "1 try_pop - 5 356 364\n"
                             "0 push 8 ok 344 376\n"
                             "2 close - ok 356 376\n",
                             "ringcheck-history 1 capacity=2\n"
                             "1 try_push 2 ok 4 36\n"
                             "0 try_push 1 ok 32 40\n"
                             "2 try_pop_for - 2 32 48\n"
                             "1 try_pop_for - 1 40 60\n"
                             "0 try_push_for 3 ok 48 56\n"
                             "2 push 4 ok 52 64\n"
                             "2 try_pop - 3 86 87\n"
                             "0 try_push_for 5 ok 64 84\n"
                             "1 try_pop - 4 68 88\n"
                             "2 try_pop - 5 92 104\n"}) {
        const history h = test::history_from_text(text);
        EXPECT_TRUE(check_exhaustive(h, contract::linearizable).holds());
        compare_move_orders(h, true);
    }
}

TEST(Adversarial, large_histories_are_well_formed_and_mixed) {
    adversarial_options a;
    a.ops = 20000, a.seed = 3;
    history h = generate_adversarial(a);
    ASSERT_FALSE(validate(h));
    EXPECT_EQ(h.ops.size(), a.ops);
    std::map<result_kind, int> results;
    std::map<std::uint32_t, std::pair<int, int>> roles;  // per thread: pushes, pops
    std::size_t ties = 0, closes = 0;
    std::map<std::uint64_t, int> stamps;
    for (const auto& o : h.ops) {
        ++results[o.result];
        if (is_push(o.op)) ++roles[o.thread].first;
        if (is_pop(o.op)) ++roles[o.thread].second;
        closes += o.op == op_kind::close;
        EXPECT_EQ(o.invoke % a.tick, 0u);
        ++stamps[o.response];
    }
    for (auto [t, n] : stamps) ties += n > 1;
    for (auto r : {result_kind::ok, result_kind::full, result_kind::empty, result_kind::timeout, result_kind::closed,
                   result_kind::value})
        EXPECT_GT(results[r], 50) << to_string(r);
    for (auto [t, pp] : roles) EXPECT_TRUE(pp.first > 0 && pp.second > 0) << "thread " << t;  // mixed roles
    EXPECT_EQ(closes, 2u);
    EXPECT_GT(ties, 100u);
    // A planted violation is found whatever the budget (the FIFO pattern is polynomial).
    std::mt19937_64 rng(1);
    ASSERT_TRUE(inject_fifo_violation(h, rng));
    EXPECT_TRUE(check(h, contract::linearizable, check_budget{1000, 60}).violated());
}

}  // namespace
}  // namespace ringcheck::oracle
