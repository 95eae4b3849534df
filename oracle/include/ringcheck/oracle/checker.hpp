// Checkers: the fast exact one (check) and the exhaustive reference.
#pragma once

#include <cstddef>
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

struct verdict {
    bool ok = true;
    std::string rule;                  // the violated rule in words (empty when ok)
    std::vector<std::size_t> witness;  // indices into history::ops
    rule_kind kind = rule_kind::none;
};

// Exact decision; the history must be valid (see validate()).
verdict check(const history& h, contract c = contract::linearizable);

// Reference: Wing & Gong search with memoisation (linearizable) or the
// contract's definition evaluated pair by pair (bag, per-producer-fifo).
// Exponential; small histories only (throws std::length_error above 24 ops
// for linearizable).
verdict check_exhaustive(const history& h, contract c);

}  // namespace ringcheck::oracle
