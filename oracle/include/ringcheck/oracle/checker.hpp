// Checkers: the fast exact one (check) and the exhaustive reference.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ringcheck/oracle/history.hpp"

namespace ringcheck::oracle {

enum class contract { linearizable, per_producer_fifo, bag };

std::optional<contract> parse_contract(std::string_view name) noexcept;
std::string_view to_string(contract c) noexcept;

// Which rule a violation breaks (used to keep a shrunk counterexample on topic).
enum class rule_kind {
    none,
    invented,           // popped value never successfully pushed
    duplicate,          // value popped twice
    pop_before_push,    // pop returned before the push was invoked
    push_after_close,   // push ok after a close certainly took effect
    closed_too_early,   // closed result before any close could take effect
    fifo_order,         // pushed a before b, b popped first (or a never)
    producer_order,     // same, for one producer (per-producer-fifo)
    empty_nonempty,     // empty/timeout/closed pop while a value was certainly queued
    lost,               // pop answered closed (drained) while a value was certainly queued
    full_not_full,      // full/timeout push while fewer than C values could be queued
    push_when_full,     // push ok while C values were certainly queued
    over_capacity,      // more than C values certainly queued at once
    no_linearization,   // none of the patterns, but no linearization exists (search)
};

// The three outcomes of a check. `undecided` is never a pass and never a bug:
// the exact search ran out of its budget before it found a linearization or
// refuted every one.
enum class status { holds, violation, undecided };
std::string_view to_string(status s) noexcept;

struct verdict {
    status result = status::holds;
    std::string rule;                  // violation: the rule in words; undecided: why and where
    std::vector<std::size_t> witness;  // indices into history::ops
    rule_kind kind = rule_kind::none;
    // undecided only: the window the search could not decide, as the
    // responses it was between (in time order) and their times.
    std::size_t window_first = 0, window_last = 0;             // op indices (history::ops)
    std::uint64_t window_begin = 0, window_end = 0;            // times: invoke of first, response of last
    std::size_t steps = 0;                                     // search steps spent (all searches)

    bool holds() const noexcept { return result == status::holds; }
    bool violated() const noexcept { return result == status::violation; }
    bool undecided() const noexcept { return result == status::undecided; }
};

// What the exponential part of the checker may spend. Both limits apply; the
// first one reached ends the search with status::undecided. steps = 0 or
// seconds <= 0 (or NaN) allow no search; seconds above 10^9 count as 10^9.
struct check_budget {
    static constexpr std::uint64_t default_steps = 200'000'000;  // search frames, over all searches
    static constexpr double default_seconds = 60;                // wall-clock time of one check()
    std::uint64_t steps = default_steps;
    double seconds = default_seconds;
    // Threads the portfolio of move orders runs on. 1: its searches one after
    // another, so the steps spent are the same on every run; more (0 counts as
    // 1): a round's searches side by side, the first to find a linearization
    // ending the round. Verdicts do not depend on it, nor do messages while
    // the budget lasts (a violation is named by the first search in portfolio
    // order that proves it); steps spent and time do.
    unsigned jobs = 1;
};

// Exact decision; the history must be valid (see validate()). Never guesses:
// holds and violation are proven, undecided says the budget ran out.
verdict check(const history& h, contract c = contract::linearizable, const check_budget& budget = {});

// Reference: Wing & Gong search with memoisation (linearizable) or the
// contract's definition evaluated pair by pair (bag, per-producer-fifo).
// Exponential; small histories only (throws std::length_error above 24 ops
// for linearizable).
verdict check_exhaustive(const history& h, contract c);

}  // namespace ringcheck::oracle
