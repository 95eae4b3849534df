// Counterexamples: shrinking, text timeline, SVG picture.
#pragma once

#include <iosfwd>

#include "ringcheck/oracle/checker.hpp"
#include "ringcheck/oracle/history.hpp"

namespace ringcheck::oracle {

// A small subset of a violating history that still violates the same rule
// (greedy delta debugging driven by check()). Returns `h` unchanged when it
// satisfies the contract or check() cannot decide it; a candidate that is
// undecided does not count as "still violating".
history shrink(const history& h, contract c);

// One lane per thread, op intervals as bars, violating ops marked with '#',
// followed by the rule in words and a legend of the ops.
void print_timeline(std::ostream& out, const history& h, const verdict& v);

// Self-contained SVG of the same picture.
void write_svg(std::ostream& out, const history& h, const verdict& v);

}  // namespace ringcheck::oracle
