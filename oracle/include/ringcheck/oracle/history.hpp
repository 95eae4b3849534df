// History data model and the text format "ringcheck-history 1".
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ringcheck::oracle {

enum class op_kind : std::uint8_t { try_push, push, try_push_for, try_pop, pop, try_pop_for, close };
enum class result_kind : std::uint8_t { ok, full, closed, timeout, value, empty };

// One completed operation. `arg` is the pushed value (pushes only); `value`
// is the popped value when result == value. Times are in any monotonic unit;
// intervals are closed: equal timestamps of different threads overlap.
struct operation {
    std::uint32_t thread = 0;
    op_kind op = op_kind::try_push;
    std::uint64_t arg = 0;
    result_kind result = result_kind::ok;
    std::uint64_t value = 0;
    std::uint64_t invoke = 0;
    std::uint64_t response = 0;
};

struct history {
    std::size_t capacity = 1;
    std::vector<operation> ops;
};

struct parse_error {
    std::size_t line = 0;  // 1-based; 0 when no line applies (e.g. unreadable stream)
    std::string message;
};

constexpr bool is_push(op_kind k) noexcept {
    return k == op_kind::try_push || k == op_kind::push || k == op_kind::try_push_for;
}
constexpr bool is_pop(op_kind k) noexcept {
    return k == op_kind::try_pop || k == op_kind::pop || k == op_kind::try_pop_for;
}
// The results an operation kind may report (the format's grammar).
bool result_allowed(op_kind k, result_kind r) noexcept;

std::string_view to_string(op_kind k) noexcept;
std::string_view to_string(result_kind r) noexcept;
std::optional<op_kind> parse_op_kind(std::string_view s) noexcept;
// Result token of an operation as written in the format ("ok", "17", "empty", ...).
std::string result_text(const operation& o);
// Short human label, e.g. "push 17 -> full" or "pop -> 17".
std::string describe(const operation& o);

std::variant<history, parse_error> parse_history(std::istream& in);
std::variant<history, parse_error> parse_history_text(std::string_view text);
void write_history(std::ostream& out, const history& h);

// Same rules as the parser for an in-memory history (e.g. from a recorder):
// capacity > 0, legal result per op kind, invoke < response, ops of one thread
// strictly ordered, pushed values unique. `line` in the error is the op index + 1.
std::optional<parse_error> validate(const history& h);

}  // namespace ringcheck::oracle
