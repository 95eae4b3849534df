// ringcheck: where in the ring's source an operation on shared state happens.
#pragma once

namespace ringcheck {

/// A source location captured as a default argument, so that a checker's trace names the
/// line of the ring that called the backend, not the backend's own line.
/// (__builtin_FILE/LINE/FUNCTION: g++ and clang both evaluate them at the outermost call site.)
struct source_site {
    const char* file;
    unsigned line;
    const char* function;

    static constexpr source_site here(const char* file = __builtin_FILE(),
                                      unsigned line = __builtin_LINE(),
                                      const char* function = __builtin_FUNCTION()) noexcept {
        return {file, line, function};
    }
};

}  // namespace ringcheck
