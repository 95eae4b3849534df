// ringcheck stress: what one stress run found.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "ringcheck/oracle/checker.hpp"
#include "ringcheck/oracle/history.hpp"

namespace ringcheck::stress {

enum class failure_kind { none, checker, exactly_once, hang, crash };
std::string_view to_string(failure_kind k) noexcept;

struct stress_result {
    failure_kind failure = failure_kind::none;
    std::string message;          // one line: what went wrong
    std::string delivery_report;  // exactly-once violations, one per line (at most a few dozen)
    oracle::history history;      // every recorded operation
    oracle::contract contract = oracle::contract::linearizable;
    oracle::verdict verdict;      // the oracle's judgement of `history` (may be undecided: see undecided())
    std::uint64_t pushed = 0;     // values whose push returned ok
    std::uint64_t popped = 0;     // values popped (workers and final drain)
    std::uint64_t unrecorded = 0; // failed operations left out: their result overlapped a close
    double seconds = 0;           // the whole run, judging included
    double judge_seconds = 0;     // of which: the oracle and the exactly-once count

    /// No failure found, but the oracle's budget ran out before it decided the history.
    bool undecided() const noexcept { return failure == failure_kind::none && verdict.undecided(); }
};

/// Called from the watchdog thread when a run misses its deadline; the process aborts afterwards.
struct run_hooks {
    std::function<void(const std::string& why)> on_hang;
};

}  // namespace ringcheck::stress
