// The ringcheck-lincheck command as a library function, so other tools
// (e.g. `ringcheck check-history`) can reuse it.
#pragma once

#include <iosfwd>

namespace ringcheck::oracle {

// Exit codes: 0 holds, 1 violation (counterexample on `out`),
// 2 malformed/unreadable input or bad options (one line on `err`),
// 3 undecided (the search budget ran out; a line "undecided: ..." on `out`).
int lincheck_main(int argc, char** argv);
int lincheck_main(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace ringcheck::oracle
