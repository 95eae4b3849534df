#include "ringcheck/oracle/reference_queue.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

namespace ringcheck::oracle {
namespace {

using namespace test;

TEST(ReferenceQueue, fifo_order) {
    reference_queue q(4);
    EXPECT_TRUE(q.apply(push_op(0, 1, result_kind::ok, 0, 1)));
    EXPECT_TRUE(q.apply(push_op(0, 2, result_kind::ok, 0, 1)));
    EXPECT_FALSE(q.apply(pop_op(1, 2, 0, 1)));
    EXPECT_TRUE(q.apply(pop_op(1, 1, 0, 1)));
    EXPECT_TRUE(q.apply(pop_op(1, 2, 0, 1)));
}

TEST(ReferenceQueue, full_only_at_capacity) {
    reference_queue q(1);
    EXPECT_FALSE(q.legal(push_op(0, 9, result_kind::full, 0, 1)));
    EXPECT_TRUE(q.apply(push_op(0, 1, result_kind::ok, 0, 1)));
    EXPECT_TRUE(q.legal(push_op(0, 9, result_kind::full, 0, 1)));
    EXPECT_TRUE(q.legal(push_op(0, 9, result_kind::timeout, 0, 1, op_kind::try_push_for)));
    EXPECT_FALSE(q.legal(push_op(0, 9, result_kind::ok, 0, 1)));
    EXPECT_FALSE(q.legal(push_op(0, 9, result_kind::ok, 0, 1, op_kind::push)));  // blocking push waits
}

TEST(ReferenceQueue, empty_only_when_empty) {
    reference_queue q(2);
    EXPECT_TRUE(q.legal(pop_res(0, result_kind::empty, 0, 1)));
    EXPECT_TRUE(q.legal(pop_res(0, result_kind::timeout, 0, 1, op_kind::try_pop_for)));
    EXPECT_FALSE(q.legal(pop_res(0, result_kind::closed, 0, 1, op_kind::pop)));  // blocking pop waits
    q.apply(push_op(0, 1, result_kind::ok, 0, 1));
    EXPECT_FALSE(q.legal(pop_res(0, result_kind::empty, 0, 1)));
}

TEST(ReferenceQueue, close_rejects_pushes_and_drains_pops) {
    reference_queue q(2);
    q.apply(push_op(0, 1, result_kind::ok, 0, 1));
    EXPECT_FALSE(q.legal(push_op(0, 7, result_kind::closed, 0, 1)));
    EXPECT_TRUE(q.apply(close_op(0, 0, 1)));
    EXPECT_TRUE(q.apply(close_op(0, 0, 1)));  // closing twice is fine
    EXPECT_FALSE(q.legal(push_op(0, 7, result_kind::ok, 0, 1)));
    EXPECT_TRUE(q.legal(push_op(0, 7, result_kind::closed, 0, 1, op_kind::push)));
    EXPECT_TRUE(q.legal(push_op(0, 7, result_kind::closed, 0, 1, op_kind::try_push_for)));
    EXPECT_FALSE(q.legal(pop_res(0, result_kind::closed, 0, 1, op_kind::pop)));  // not drained yet
    EXPECT_TRUE(q.apply(pop_op(0, 1, 0, 1, op_kind::pop)));
    EXPECT_TRUE(q.legal(pop_res(0, result_kind::closed, 0, 1, op_kind::pop)));
    EXPECT_TRUE(q.legal(pop_res(0, result_kind::closed, 0, 1, op_kind::try_pop_for)));
    EXPECT_TRUE(q.legal(pop_res(0, result_kind::empty, 0, 1)));
}

TEST(ReferenceQueue, step_returns_next_state_without_touching_input) {
    queue_state s;
    auto n = step(s, 1, push_op(0, 5, result_kind::ok, 0, 1));
    ASSERT_TRUE(n);
    EXPECT_TRUE(s.items.empty());
    EXPECT_EQ(n->items.front(), 5u);
    EXPECT_FALSE(step(*n, 1, push_op(0, 6, result_kind::ok, 0, 1)));
}

TEST(ReferenceQueue, result_grammar_per_op_kind) {
    EXPECT_TRUE(result_allowed(op_kind::try_push, result_kind::full));
    EXPECT_FALSE(result_allowed(op_kind::push, result_kind::full));
    EXPECT_FALSE(result_allowed(op_kind::try_pop, result_kind::closed));
    EXPECT_TRUE(result_allowed(op_kind::try_pop_for, result_kind::timeout));
    EXPECT_FALSE(result_allowed(op_kind::close, result_kind::closed));
    EXPECT_FALSE(result_allowed(op_kind::push, result_kind::value));
}

}  // namespace
}  // namespace ringcheck::oracle
