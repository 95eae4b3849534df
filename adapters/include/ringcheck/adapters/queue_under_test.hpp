// ringcheck: what the explorers (stress runs, differential fuzzing) need of a queue, ours or a user's.
//
// An adapter is a small struct over the queue, with 64-bit unsigned values:
//
//   struct my_queue_adapter {
//       static constexpr std::string_view name = "my::queue";
//       static constexpr std::string_view contract = "linearizable";  // or per-producer-fifo, bag
//       static constexpr unsigned max_producers = 0, max_consumers = 0;  // 0: any number
//       explicit my_queue_adapter(std::size_t capacity) : q(capacity) {}
//       std::size_t capacity() const { return q.capacity(); }  // what it really holds, for "full"
//       bool try_push(std::uint64_t v) { return q.push(v); }
//       std::optional<std::uint64_t> try_pop() {
//           std::uint64_t v;
//           return q.pop(v) ? std::optional(v) : std::nullopt;
//       }
//       my::queue<std::uint64_t> q;
//   };
//
// A queue with blocking operations also offers push, pop, try_push_for, try_pop_for and close
// with locked_ring's signatures, and the explorers then drive those too.
#pragma once

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ringcheck::adapters {

template <class A>
concept queue_under_test = std::constructible_from<A, std::size_t> &&
    requires(A& a, const A& ca, std::uint64_t v) {
        { A::name } -> std::convertible_to<std::string_view>;
        { A::contract } -> std::convertible_to<std::string_view>;
        { A::max_producers } -> std::convertible_to<unsigned>;
        { A::max_consumers } -> std::convertible_to<unsigned>;
        { ca.capacity() } -> std::convertible_to<std::size_t>;
        { a.try_push(v) } -> std::same_as<bool>;
        { a.try_pop() } -> std::same_as<std::optional<std::uint64_t>>;
    };

template <class A>
concept blocking_queue_under_test = queue_under_test<A> &&
    requires(A& a, std::uint64_t v, std::chrono::microseconds d) {
        { a.push(v) } -> std::same_as<bool>;
        { a.pop() } -> std::same_as<std::optional<std::uint64_t>>;
        { a.try_push_for(v, d) } -> std::same_as<bool>;
        { a.try_pop_for(d) } -> std::same_as<std::optional<std::uint64_t>>;
        { a.close() };
    };

}  // namespace ringcheck::adapters
