// Helpers for building histories in tests.
#pragma once

#include <initializer_list>

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

}  // namespace ringcheck::oracle::test
