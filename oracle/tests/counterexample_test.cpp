#include "ringcheck/oracle/counterexample.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "ringcheck/oracle/generator.hpp"
#include "ringcheck/oracle/lincheck.hpp"
#include "test_util.hpp"

namespace ringcheck::oracle {
namespace {

using namespace test;
using rk = result_kind;

history violating_large(std::uint64_t seed) {
    generator_options g;
    g.ops = 5000, g.seed = seed;
    history h = generate_history(g);
    std::mt19937_64 rng(seed);
    for (int i = 0; i < 100; ++i) {
        history m = h;
        if (mutate(m, mutation::swap_values, rng) && !validate(m) && check(m).violated()) return m;
    }
    return h;
}

TEST(Shrink, keeps_the_same_rule_with_few_operations) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        history h = violating_large(seed);
        verdict v = check(h);
        ASSERT_TRUE(v.violated());
        history s = shrink(h, contract::linearizable);
        verdict sv = check(s);
        EXPECT_TRUE(sv.violated());
        EXPECT_EQ(sv.kind, v.kind);
        EXPECT_LE(s.ops.size(), 12u) << sv.rule;
        EXPECT_FALSE(validate(s));
    }
}

TEST(Shrink, leaves_a_correct_history_alone) {
    history h = make(2, {push_op(0, 1, rk::ok, 1, 2), pop_op(1, 1, 3, 4)});
    EXPECT_EQ(shrink(h, contract::linearizable).ops.size(), 2u);
}

TEST(Timeline, shows_lanes_rule_and_involved_ops) {
    history h = make(4, {pop_op(1, 17, 1, 2), push_op(0, 17, rk::ok, 3, 4), push_op(0, 18, rk::ok, 5, 6)});
    verdict v = check(h);
    std::ostringstream out;
    print_timeline(out, h, v);
    std::string s = out.str();
    EXPECT_NE(s.find("value 17 was popped before it was pushed"), std::string::npos) << s;
    EXPECT_NE(s.find("T0  | "), std::string::npos) << s;
    EXPECT_NE(s.find("T1  | [*try_pop -> 17"), std::string::npos) << s;
    EXPECT_NE(s.find("<-- involved"), std::string::npos) << s;
}

TEST(Svg, is_self_contained_and_names_the_rule) {
    history h = make(4, {push_op(0, 3, rk::ok, 1, 2), pop_res(1, rk::empty, 3, 4), pop_op(1, 3, 5, 6)});
    verdict v = check(h);
    std::ostringstream out;
    write_svg(out, h, v);
    std::string s = out.str();
    EXPECT_EQ(s.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
    EXPECT_NE(s.find("</svg>"), std::string::npos);
    EXPECT_NE(s.find("pop returned empty while 3 was certainly in the queue"), std::string::npos);
    EXPECT_NE(s.find("#f6c4c4"), std::string::npos);  // highlighted op
    EXPECT_EQ(s.find("<script"), std::string::npos);
    EXPECT_EQ(s.find("href"), std::string::npos);
    EXPECT_EQ(s.find("@font-face"), std::string::npos);
}

int run_cli(std::vector<std::string> args, const std::string& input, std::string& out, std::string& err) {
    args.insert(args.begin(), "ringcheck-lincheck");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::istringstream in(input);
    std::ostringstream o, e;
    int rc = lincheck_main(static_cast<int>(argv.size()), argv.data(), in, o, e);
    out = o.str(), err = e.str();
    return rc;
}

TEST(LincheckMain, exit_codes_from_the_library_entry_point) {
    std::string out, err;
    EXPECT_EQ(run_cli({"-"}, "ringcheck-history 1 capacity=1\n0 try_push 1 ok 1 2\n", out, err), 0);
    EXPECT_NE(out.find("ok: 1 operations"), std::string::npos);
    EXPECT_EQ(run_cli({"-"}, "ringcheck-history 1 capacity=1\n0 try_pop - 1 1 2\n", out, err), 1);
    EXPECT_NE(out.find("VIOLATION"), std::string::npos);
    EXPECT_EQ(run_cli({"-"}, "ringcheck-history 1 capacity=1\n0 try_pop - 1 1\n", out, err), 2);
    EXPECT_EQ(err, "ringcheck-lincheck: error: <stdin>:2: missing field <response>\n");
    EXPECT_EQ(run_cli({"--contract"}, "", out, err), 2);
    EXPECT_EQ(run_cli({"a", "b"}, "", out, err), 2);
    EXPECT_NE(err.find("exactly one FILE"), std::string::npos);
}

}  // namespace
}  // namespace ringcheck::oracle
