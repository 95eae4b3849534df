// Hand-written histories, one behaviour each; every verdict is also
// confirmed by the exhaustive reference checker.
#include <gtest/gtest.h>

#include <limits>

#include "ringcheck/oracle/checker.hpp"
#include "ringcheck/oracle/generator.hpp"
#include "test_util.hpp"

namespace ringcheck::oracle {
namespace {

using namespace test;
using rk = result_kind;

verdict expect_violation(const history& h, rule_kind kind, const std::string& words,
                         contract c = contract::linearizable) {
    EXPECT_FALSE(validate(h));
    verdict v = check(h, c);
    EXPECT_TRUE(v.violated());
    EXPECT_EQ(v.kind, kind) << v.rule;
    EXPECT_NE(v.rule.find(words), std::string::npos) << v.rule;
    EXPECT_FALSE(v.witness.empty());
    EXPECT_TRUE(check_exhaustive(h, c).violated());
    return v;
}

void expect_holds(const history& h, contract c = contract::linearizable) {
    EXPECT_FALSE(validate(h));
    verdict v = check(h, c);
    EXPECT_TRUE(v.holds()) << v.rule;
    EXPECT_TRUE(check_exhaustive(h, c).holds());
}

TEST(Linearizable, value_popped_before_pushed) {
    expect_violation(make(4, {pop_op(1, 17, 1, 2), push_op(0, 17, rk::ok, 3, 4)}), rule_kind::pop_before_push,
                     "value 17 was popped before it was pushed");
}

TEST(Linearizable, duplicate_pop) {
    expect_violation(make(4, {push_op(0, 3, rk::ok, 1, 2), pop_op(1, 3, 3, 4), pop_op(2, 3, 3, 5)}),
                     rule_kind::duplicate, "value 3 was popped twice");
}

TEST(Linearizable, value_popped_but_never_pushed) {
    expect_violation(make(4, {pop_op(1, 9, 1, 2)}), rule_kind::invented, "value 9 was popped but never pushed");
}

TEST(Linearizable, value_popped_whose_push_failed) {
    expect_violation(make(1, {push_op(0, 1, rk::ok, 1, 2), push_op(0, 2, rk::full, 3, 4), pop_op(1, 2, 5, 6)}),
                     rule_kind::invented, "value 2 was popped but its push returned full");
}

TEST(Linearizable, popped_out_of_push_order) {
    expect_violation(make(4, {push_op(0, 1, rk::ok, 1, 2), push_op(0, 2, rk::ok, 3, 4), pop_op(1, 2, 5, 6),
                              pop_op(1, 1, 7, 8)}),
                     rule_kind::fifo_order, "value 1 was pushed before 2 but 2 was popped first");
}

TEST(Linearizable, later_value_popped_while_earlier_never_is) {
    expect_violation(make(4, {push_op(0, 1, rk::ok, 1, 2), push_op(0, 2, rk::ok, 3, 4), pop_op(1, 2, 5, 6)}),
                     rule_kind::fifo_order, "never was");
}

TEST(Linearizable, empty_while_value_certainly_queued) {
    expect_violation(make(4, {push_op(0, 3, rk::ok, 1, 2), pop_res(1, rk::empty, 3, 4), pop_op(1, 3, 5, 6)}),
                     rule_kind::empty_nonempty, "pop returned empty while 3 was certainly in the queue");
}

TEST(Linearizable, empty_while_two_values_cover_the_interval) {
    // 1 is certainly queued until 10, 2 certainly queued from 5: no instant of [4, 12] is empty.
    expect_violation(make(4, {push_op(0, 1, rk::ok, 1, 2), push_op(0, 2, rk::ok, 3, 5), pop_res(1, rk::empty, 4, 12),
                              pop_op(2, 1, 10, 11), pop_op(2, 2, 13, 14)}),
                     rule_kind::empty_nonempty, "at every point of its interval");
}

TEST(Linearizable, timeout_pop_judged_like_empty) {
    expect_violation(make(4, {push_op(0, 3, rk::ok, 1, 2), pop_res(1, rk::timeout, 3, 4, op_kind::try_pop_for)}),
                     rule_kind::empty_nonempty, "pop returned timeout while 3");
}

TEST(Linearizable, full_while_fewer_than_capacity_certainly_queued) {
    expect_violation(make(4, {push_op(0, 1, rk::ok, 1, 2), push_op(0, 2, rk::ok, 3, 4), push_op(0, 3, rk::full, 5, 6)}),
                     rule_kind::full_not_full, "push of 3 returned full while at most 2 of 4 slots could be occupied");
}

TEST(Linearizable, timeout_push_judged_like_full) {
    expect_violation(make(2, {push_op(0, 1, rk::ok, 1, 2), push_op(1, 3, rk::timeout, 3, 6, op_kind::try_push_for)}),
                     rule_kind::full_not_full, "returned timeout while at most 1 of 2");
}

TEST(Linearizable, push_ok_while_every_slot_certainly_taken) {
    expect_violation(make(1, {push_op(0, 1, rk::ok, 1, 2), push_op(1, 2, rk::ok, 3, 4), pop_op(2, 1, 5, 6),
                              pop_op(2, 2, 7, 8)}),
                     rule_kind::push_when_full, "push of 2 returned ok while all 1 slots were certainly occupied");
}

TEST(Linearizable, closed_push_before_any_close) {
    expect_violation(make(4, {push_op(0, 1, rk::closed, 1, 2, op_kind::push), close_op(1, 3, 4)}),
                     rule_kind::closed_too_early, "push returned closed before any close");
}

TEST(Linearizable, closed_pop_before_any_close) {
    expect_violation(make(4, {pop_res(0, rk::closed, 1, 2, op_kind::pop)}), rule_kind::closed_too_early,
                     "pop returned closed before any close");
}

TEST(Linearizable, push_ok_after_close_returned) {
    expect_violation(make(4, {close_op(1, 1, 2), push_op(0, 1, rk::ok, 3, 4)}), rule_kind::push_after_close,
                     "push of 1 returned ok after a close had returned");
}

TEST(Linearizable, closed_pop_while_value_still_queued) {
    expect_violation(make(4, {push_op(0, 1, rk::ok, 1, 2), close_op(0, 3, 4), pop_res(1, rk::closed, 5, 6, op_kind::pop)}),
                     rule_kind::empty_nonempty, "pop returned closed (drained) while 1 was certainly in the queue");
}

TEST(Linearizable, overlapping_ops_may_take_effect_in_either_order) {
    expect_holds(make(4, {push_op(0, 1, rk::ok, 1, 10), push_op(1, 2, rk::ok, 2, 9), pop_op(2, 2, 11, 12),
                          pop_op(2, 1, 13, 14)}));
}

TEST(Linearizable, equal_timestamps_overlap) {
    // The pop starts exactly when the push returns: closed intervals overlap, so
    // the pop may take effect first and see an empty queue.
    expect_holds(make(4, {push_op(0, 1, rk::ok, 1, 5), pop_res(1, rk::empty, 5, 6), pop_op(1, 1, 7, 8)}));
    expect_violation(make(4, {push_op(0, 1, rk::ok, 1, 4), pop_res(1, rk::empty, 5, 6), pop_op(1, 1, 7, 8)}),
                     rule_kind::empty_nonempty, "empty");
}

TEST(Linearizable, full_is_legal_when_capacity_reached_inside_interval) {
    expect_holds(make(2, {push_op(0, 1, rk::ok, 1, 2), push_op(1, 2, rk::ok, 3, 10), push_op(2, 3, rk::full, 4, 12),
                          pop_op(3, 1, 5, 20)}));
}

TEST(Linearizable, blocking_push_takes_effect_after_a_pop_frees_a_slot) {
    expect_holds(make(1, {push_op(0, 1, rk::ok, 1, 2), push_op(1, 2, rk::ok, 3, 30, op_kind::push),
                          pop_op(2, 1, 10, 20, op_kind::pop), pop_op(2, 2, 31, 32, op_kind::pop)}));
}

TEST(Linearizable, blocking_pop_drains_then_reports_closed) {
    expect_holds(make(2, {push_op(0, 1, rk::ok, 1, 2), close_op(0, 3, 4), push_op(0, 2, rk::closed, 5, 6),
                          pop_op(1, 1, 7, 8, op_kind::pop), pop_res(1, rk::closed, 9, 10, op_kind::pop)}));
}

TEST(Linearizable, value_left_in_queue_is_not_a_loss) {
    expect_holds(make(2, {push_op(0, 1, rk::ok, 1, 2), push_op(0, 2, rk::ok, 3, 4), pop_op(1, 1, 5, 6)}));
}

TEST(Linearizable, empty_history_holds) { expect_holds(make(1, {})); }

TEST(Bag, accepts_any_order) {
    expect_holds(make(4, {push_op(0, 1, rk::ok, 1, 2), push_op(0, 2, rk::ok, 3, 4), pop_op(1, 2, 5, 6),
                          pop_op(1, 1, 7, 8)}),
                 contract::bag);
}

TEST(Bag, ignores_full_and_empty_answers) {
    expect_holds(make(4, {push_op(0, 1, rk::ok, 1, 2), pop_res(1, rk::empty, 3, 4), push_op(0, 2, rk::full, 5, 6),
                          pop_op(1, 1, 7, 8)}),
                 contract::bag);
}

TEST(Bag, rejects_duplicate_and_invented_values) {
    expect_violation(make(4, {push_op(0, 1, rk::ok, 1, 2), pop_op(1, 1, 3, 4), pop_op(1, 1, 5, 6)}),
                     rule_kind::duplicate, "popped twice", contract::bag);
    expect_violation(make(4, {pop_op(1, 8, 3, 4)}), rule_kind::invented, "never pushed", contract::bag);
    expect_violation(make(4, {pop_op(1, 8, 1, 2), push_op(0, 8, rk::ok, 3, 4)}), rule_kind::pop_before_push,
                     "before it was pushed", contract::bag);
}

TEST(Bag, drained_queue_lost_a_value) {
    expect_violation(make(4, {push_op(0, 1, rk::ok, 1, 2), close_op(0, 3, 4), pop_res(1, rk::closed, 5, 6, op_kind::pop)}),
                     rule_kind::lost, "closed (drained) while 1", contract::bag);
}

TEST(PerProducerFifo, accepts_interleaving_of_producers) {
    expect_holds(make(4, {push_op(0, 1, rk::ok, 1, 2), push_op(1, 2, rk::ok, 3, 4), pop_op(2, 2, 5, 6),
                          pop_op(2, 1, 7, 8)}),
                 contract::per_producer_fifo);
}

TEST(PerProducerFifo, rejects_reorder_within_a_producer) {
    expect_violation(make(4, {push_op(0, 1, rk::ok, 1, 2), push_op(0, 2, rk::ok, 3, 4), pop_op(2, 2, 5, 6),
                              pop_op(2, 1, 7, 8)}),
                     rule_kind::producer_order, "thread 0 pushed 1 before 2 but 2 was popped first",
                     contract::per_producer_fifo);
}

TEST(NoFalseAlarm, large_generated_histories_hold) {
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        generator_options g;
        g.ops = 20000, g.seed = seed, g.capacity = 1 + seed % 8 * 9, g.closes = seed % 3 == 0;
        g.roles = seed % 2 == 0, g.blocking = seed % 4 != 1, g.threads = static_cast<std::uint32_t>(2 + seed % 7);
        g.max_latency = 10 + 30 * (seed % 5);
        history h = generate_history(g);
        ASSERT_FALSE(validate(h));
        for (auto c : {contract::linearizable, contract::per_producer_fifo, contract::bag}) {
            verdict v = check(h, c);
            EXPECT_TRUE(v.holds()) << "seed " << seed << " " << to_string(c) << ": " << v.rule;
        }
    }
}

// A budget too small for the search ends in "undecided", never in a guess.
history generated(std::uint64_t seed, std::size_t ops) {
    generator_options g;
    g.ops = ops, g.seed = seed;
    return generate_history(g);
}

TEST(Budget, tiny_step_budget_is_undecided) {
    history h = generated(5, 2000);
    ASSERT_TRUE(check(h).holds());
    verdict v = check(h, contract::linearizable, check_budget{5, 60});
    EXPECT_TRUE(v.undecided());
    EXPECT_FALSE(v.holds());
    EXPECT_FALSE(v.violated());
    EXPECT_EQ(v.kind, rule_kind::none);
    EXPECT_NE(v.rule.find("step budget (5 search steps) ran out"), std::string::npos) << v.rule;
    ASSERT_LT(v.window_first, h.ops.size());
    ASSERT_LT(v.window_last, h.ops.size());
    EXPECT_EQ(v.window_begin, h.ops[v.window_first].response);
    EXPECT_EQ(v.window_end, h.ops[v.window_last].response);
    EXPECT_LE(v.window_begin, v.window_end);
    EXPECT_NE(v.rule.find("op " + std::to_string(v.window_first + 1) + " ("), std::string::npos) << v.rule;
}

TEST(Budget, tiny_time_budget_is_undecided) {
    history h = generated(6, 5000);
    verdict v = check(h, contract::linearizable, check_budget{check_budget::default_steps, 1e-9});
    EXPECT_TRUE(v.undecided());
    EXPECT_NE(v.rule.find("time budget"), std::string::npos) << v.rule;
}

TEST(Budget, patterns_still_decide_violations) {
    // The violation patterns are polynomial and run outside the budget.
    history h = make(4, {push_op(0, 1, rk::ok, 1, 2), push_op(0, 2, rk::ok, 3, 4), pop_op(1, 2, 5, 6),
                         pop_op(1, 1, 7, 8)});
    verdict v = check(h, contract::linearizable, check_budget{1, 60});
    EXPECT_TRUE(v.violated());
    EXPECT_EQ(v.kind, rule_kind::fifo_order);
}

TEST(Budget, relaxed_contracts_are_never_undecided) {
    history h = generated(7, 2000);
    for (auto c : {contract::per_producer_fifo, contract::bag})
        EXPECT_TRUE(check(h, c, check_budget{1, 1e-9}).holds()) << to_string(c);
}

TEST(Budget, odd_api_values_do_not_guess) {
    history h = generated(9, 2000);
    for (double s : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN()})
        EXPECT_TRUE(check(h, contract::linearizable, check_budget{check_budget::default_steps, s}).undecided()) << s;
    EXPECT_TRUE(check(h, contract::linearizable, check_budget{0, 60}).undecided());
    EXPECT_TRUE(check(h, contract::linearizable, check_budget{check_budget::default_steps, 1e300}).holds());
    EXPECT_TRUE(
        check(h, contract::linearizable, check_budget{check_budget::default_steps, std::numeric_limits<double>::infinity()})
            .holds());
}

TEST(Budget, status_names) {
    EXPECT_EQ(to_string(status::holds), "holds");
    EXPECT_EQ(to_string(status::violation), "violation");
    EXPECT_EQ(to_string(status::undecided), "undecided");
}

TEST(Contract, names_parse) {
    EXPECT_EQ(parse_contract("linearizable"), contract::linearizable);
    EXPECT_EQ(parse_contract("per-producer-fifo"), contract::per_producer_fifo);
    EXPECT_EQ(parse_contract("bag"), contract::bag);
    EXPECT_FALSE(parse_contract("fifo"));
}

}  // namespace
}  // namespace ringcheck::oracle
