// Helpers for building histories in tests.
#pragma once

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "ringcheck/oracle/history.hpp"

namespace ringcheck::oracle::test {

inline operation push_op(std::uint32_t t, std::uint64_t v, result_kind r, std::uint64_t inv, std::uint64_t res,
                         op_kind k = op_kind::try_push) {
    return operation{t, k, v, r, 0, inv, res};
}
inline operation pop_op(std::uint32_t t, std::uint64_t v, std::uint64_t inv, std::uint64_t res,
                        op_kind k = op_kind::try_pop) {
    return operation{t, k, 0, result_kind::value, v, inv, res};
}
inline operation pop_res(std::uint32_t t, result_kind r, std::uint64_t inv, std::uint64_t res,
                         op_kind k = op_kind::try_pop) {
    return operation{t, k, 0, r, 0, inv, res};
}
inline operation close_op(std::uint32_t t, std::uint64_t inv, std::uint64_t res) {
    return operation{t, op_kind::close, 0, result_kind::ok, 0, inv, res};
}
inline history make(std::size_t cap, std::initializer_list<operation> ops) { return history{cap, ops}; }
// A history written in the history format; a text that does not parse throws,
// which fails the test with the parser's line and message.
inline history history_from_text(std::string_view text) {
    auto parsed = parse_history_text(text);
    if (const auto* e = std::get_if<parse_error>(&parsed))
        throw std::invalid_argument("history line " + std::to_string(e->line) + ": " + e->message);
    return std::get<history>(std::move(parsed));
}

}  // namespace ringcheck::oracle::test
