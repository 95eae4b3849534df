#include "ringcheck/oracle/history.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <thread>

#include "ringcheck/oracle/generator.hpp"
#include "ringcheck/oracle/recorder.hpp"

namespace ringcheck::oracle {
namespace {

parse_error error_of(const std::string& text) {
    auto r = parse_history_text(text);
    EXPECT_TRUE(std::holds_alternative<parse_error>(r)) << text;
    return std::holds_alternative<parse_error>(r) ? std::get<parse_error>(r) : parse_error{};
}

void expect_error(const std::string& text, std::size_t line, const std::string& fragment) {
    auto e = error_of(text);
    EXPECT_EQ(e.line, line) << e.message;
    EXPECT_NE(e.message.find(fragment), std::string::npos) << e.message;
}

const std::string header = "ringcheck-history 1 capacity=4\n";

TEST(HistoryFormat, parses_every_op_and_result) {
    auto r = parse_history_text(
        "# comment\n\n  ringcheck-history 1 capacity=3  # trailing comment\n"
        "0 try_push 1 ok 1 2\n1\tpush 2 closed 1 3\n2 try_push_for 3 timeout 1 4\n"
        "3 try_pop - 1 5 6\n3 pop - closed 7 8\n3 try_pop_for - timeout 9 10\n4 close - ok 1 2\n"
        "5 try_pop - empty 1 2\n6 try_push 4 full 1 2\n");
    ASSERT_TRUE(std::holds_alternative<history>(r)) << std::get<parse_error>(r).message;
    const auto& h = std::get<history>(r);
    EXPECT_EQ(h.capacity, 3u);
    ASSERT_EQ(h.ops.size(), 9u);
    EXPECT_EQ(h.ops[1].op, op_kind::push);
    EXPECT_EQ(h.ops[1].result, result_kind::closed);
    EXPECT_EQ(h.ops[3].result, result_kind::value);
    EXPECT_EQ(h.ops[3].value, 1u);
    EXPECT_EQ(h.ops[6].op, op_kind::close);
}

TEST(HistoryFormat, write_then_parse_round_trips) {
    generator_options g;
    g.ops = 500, g.closes = true, g.seed = 3;
    history h = generate_history(g);
    std::stringstream s;
    write_history(s, h);
    auto r = parse_history(s);
    ASSERT_TRUE(std::holds_alternative<history>(r));
    const auto& back = std::get<history>(r);
    ASSERT_EQ(back.ops.size(), h.ops.size());
    for (std::size_t i = 0; i < h.ops.size(); ++i) {
        EXPECT_EQ(back.ops[i].invoke, h.ops[i].invoke);
        EXPECT_EQ(back.ops[i].result, h.ops[i].result);
        EXPECT_EQ(back.ops[i].value, h.ops[i].value);
    }
}

TEST(HistoryFormat, rejects_bad_header) {
    expect_error("ringcheck-histry 1 capacity=4\n", 1, "expected header");
    expect_error("#x\nringcheck-history 2 capacity=4\n", 2, "unsupported version");
    expect_error("ringcheck-history 1 capacity=0\n", 1, "capacity must be at least 1");
    expect_error("ringcheck-history 1 capacity=x\n", 1, "not an unsigned integer");
    expect_error("ringcheck-history 1 capacity=4 more\n", 1, "trailing junk");
    expect_error("ringcheck-history 1\n", 1, "missing capacity");
    expect_error("# only comments\n\n", 2, "missing header");
}

TEST(HistoryFormat, rejects_malformed_lines_with_their_number) {
    expect_error(header + "0 pusj 1 ok 1 2\n", 2, "unknown op 'pusj'");
    expect_error(header + "0 try_push x ok 1 2\n", 2, "arg 'x'");
    expect_error(header + "0 try_pop 5 3 1 2\n", 2, "must be '-'");
    expect_error(header + "0 try_push 1 empty 1 2\n", 2, "not legal for try_push");
    expect_error(header + "0 pop - full 1 2\n", 2, "not legal for pop");
    expect_error(header + "0 close - 7 1 2\n", 2, "unknown result '7'");
    expect_error(header + "0 try_push 1 ok 2 2\n", 2, "must be less than response");
    expect_error(header + "0 try_push 1 ok 1 18446744073709551616\n", 2, "does not fit in 64 bits");
    expect_error(header + "0 try_push 18446744073709551616 ok 1 2\n", 2, "does not fit in 64 bits");
    expect_error(header + "-1 try_push 1 ok 1 2\n", 2, "thread '-1'");
    expect_error(header + "4294967296 try_push 1 ok 1 2\n", 2, "too large");
    expect_error(header + "0 try_push 1 ok 1 2 junk\n", 2, "trailing junk 'junk'");
    expect_error(header + "0 try_push 1 ok 1\n", 2, "missing field <response>");
    expect_error(header + "0\n", 2, "missing field <op>");
    expect_error(header + "0 try_push +1 ok 1 2\n", 2, "not an unsigned integer");
}

TEST(HistoryFormat, rejects_repeated_pushed_value) {
    expect_error(header + "0 try_push 5 ok 1 2\n1 try_push 5 full 1 2\n", 3, "value 5 is pushed again");
}

TEST(HistoryFormat, rejects_overlapping_ops_of_one_thread) {
    expect_error(header + "0 try_push 5 ok 1 10\n0 try_push 6 ok 5 12\n", 3, "overlaps its operation on line 2");
    // equal timestamps of one thread overlap (closed intervals)
    expect_error(header + "0 try_push 5 ok 1 10\n0 try_push 6 ok 10 12\n", 3, "overlaps");
    // other threads may overlap freely
    EXPECT_TRUE(std::holds_alternative<history>(
        parse_history_text(header + "0 try_push 5 ok 1 10\n1 try_push 6 ok 10 12\n")));
}

TEST(HistoryFormat, reports_the_first_bad_line) {
    expect_error(header + "0 try_push 5 ok 1 2\n0 try_push 5 ok 3 4\n0 bad - ok 5 6\n", 4, "unknown op");
}

TEST(Validate, applies_the_parser_rules_to_memory_histories) {
    history h{2, {operation{0, op_kind::try_push, 1, result_kind::ok, 0, 1, 2},
                  operation{0, op_kind::try_pop, 0, result_kind::full, 0, 3, 4}}};
    auto e = validate(h);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->line, 2u);
    h.ops[1].result = result_kind::empty;
    EXPECT_FALSE(validate(h));
    h.capacity = 0;
    EXPECT_TRUE(validate(h));
}

TEST(Recorder, per_thread_logs_merge_into_a_valid_history) {
    history_recorder rec(8);
    std::vector<thread_log*> logs;
    for (std::uint32_t t = 0; t < 4; ++t) logs.push_back(&rec.add_thread(t, 1000));
    std::vector<std::thread> threads;
    for (std::uint32_t t = 0; t < 4; ++t) {
        threads.emplace_back([log = logs[t], t] {
            for (std::uint64_t i = 0; i < 1000; ++i) {
                auto inv = invoke_stamp();
                auto res = response_stamp();
                log->record(op_kind::try_push, t * 1000 + i, result_kind::full, 0, inv, res);
            }
        });
    }
    for (auto& th : threads) th.join();
    history h = rec.merge();
    EXPECT_EQ(h.ops.size(), 4000u);
    EXPECT_FALSE(validate(h));
}

TEST(Recorder, repairs_equal_stamps_within_a_thread) {
    thread_log log(0, 4);
    log.record(op_kind::try_pop, 0, result_kind::empty, 0, 5, 5);
    log.record(op_kind::try_pop, 0, result_kind::empty, 0, 5, 6);
    history h{1, log.ops()};
    EXPECT_FALSE(validate(h));
}

}  // namespace
}  // namespace ringcheck::oracle
