// ringcheck fuzz: sequential differential fuzzing of any queue_under_test (a user's queue too).
//
// To fuzz your queue, write one file (and declare it with ringcheck_add_sequential_fuzzer):
//   #include "ringcheck/fuzz/adapter_harness.hpp"
//   #include "my_adapter.hpp"
//   extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* d, std::size_t n) {
//       return ringcheck::fuzz::run_adapter_sequential<my_adapter>(d, n);
//   }
//
// Input format (total): byte 0 picks the requested capacity (1..8, 1 and 2 likeliest; the
// queue's own capacity() is what "full" means); then one byte per operation, `byte % N` over
// try_push, try_pop, capacity, and for a blocking_queue_under_test also push, pop, try_push_for,
// try_pop_for (one more byte: 0, 0, 1 us or 20 us), close. Blocking push/pop that would wait forever
// run as try_push/try_pop. Contract "linearizable" is judged against the reference queue, every
// answer. The relaxed contracts judge what the oracle judges for them, the values: "bag" that a pop
// gives a value in the queue, "per-producer-fifo" (one thread: FIFO) the oldest one; a refused push
// or an empty pop is theirs to give (an unbounded queue may take more than its capacity), so
// their blocking operations run as try operations (the reference cannot say when they would wait).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>

#include "ringcheck/adapters/queue_under_test.hpp"
#include "ringcheck/fuzz/byte_reader.hpp"
#include "ringcheck/fuzz/reference.hpp"

namespace ringcheck::fuzz {

template <adapters::queue_under_test Q>
class adapter_run {
public:
    explicit adapter_run(std::size_t capacity) : queue_(capacity), reference_(queue_.capacity()) {}

    void step(byte_reader& in) {
        constexpr unsigned count = adapters::blocking_queue_under_test<Q> ? 8 : 3;
        switch (in.below(count)) {
            case 0: push(op_kind::try_push, [&](std::uint64_t v) { return queue_.try_push(v); }); break;
            case 1: pop(op_kind::try_pop, [&] { return queue_.try_pop(); }); break;
            case 2: check_capacity(); break;
            default: if constexpr (adapters::blocking_queue_under_test<Q>) blocking(in); break;
        }
        ++index_;
    }

private:
    static constexpr bool bag = Q::contract == std::string_view("bag");
    static constexpr bool judges_answers = Q::contract == std::string_view("linearizable");

    template <class Push>
    void push(op_kind kind, Push&& attempt) {
        const std::uint64_t v = next_value_;
        const bool ok = attempt(v);
        const auto expected = reference_.apply(kind, v);
        if (judges_answers && ok != expected.accepted()) fail(op_name(kind), ok ? "ok" : "refused", describe(expected));
        if (ok) {
            ++next_value_;
            contents_.insert(v);
        }
    }

    template <class Pop>
    void pop(op_kind kind, Pop&& attempt) {
        const std::optional<std::uint64_t> got = attempt();
        const auto expected = reference_.apply(kind);
        const std::string seen = got ? "value " + std::to_string(*got) : "nothing";
        if (judges_answers && got.has_value() != expected.accepted()) fail(op_name(kind), seen, describe(expected));
        if (!got) return;
        if (judges_answers) {
            if (*got != expected.value) fail(op_name(kind), seen, describe(expected));
        } else if (bag) {
            if (contents_.count(*got) == 0) fail(op_name(kind), seen, "a value in the queue");
        } else if (contents_.empty() || *got != *contents_.begin()) {  // values rise: the oldest accepted is the smallest
            fail(op_name(kind), seen, contents_.empty() ? "nothing" : "value " + std::to_string(*contents_.begin()));
        }
        contents_.erase(contents_.find(*got));
    }

    void check_capacity() {
        if (queue_.capacity() != capacity_) {
            fail("capacity", std::to_string(queue_.capacity()), std::to_string(capacity_) + " (as at construction)");
        }
    }

    void blocking(byte_reader& in) {
        using namespace std::chrono;
        static constexpr microseconds waits[] = {microseconds(0), microseconds(0), microseconds(1), microseconds(20)};
        switch (in.below(5)) {
            case 0:
                if (!judges_answers || reference_.would_block(op_kind::push)) return push(op_kind::try_push, [&](std::uint64_t v) { return queue_.try_push(v); });
                return push(op_kind::push, [&](std::uint64_t v) { return queue_.push(v); });
            case 1:
                if (!judges_answers || reference_.would_block(op_kind::pop)) return pop(op_kind::try_pop, [&] { return queue_.try_pop(); });
                return pop(op_kind::pop, [&] { return queue_.pop(); });
            case 2: {
                const microseconds d = in.pick(waits);
                return push(op_kind::try_push_for, [&](std::uint64_t v) { return queue_.try_push_for(v, d); });
            }
            case 3: {
                const microseconds d = in.pick(waits);
                return pop(op_kind::try_pop_for, [&] { return queue_.try_pop_for(d); });
            }
            default:
                queue_.close();
                reference_.apply(op_kind::close);
        }
    }

    static std::string describe(const reference::outcome& r) {
        return r.result == result_kind::value ? "value " + std::to_string(r.value) : result_name(r.result);
    }

    [[noreturn]] void fail(const char* op, const std::string& got, const std::string& expected) const {
        std::fprintf(stderr, "ringcheck fuzz: divergence at operation #%zu %s on %s: queue gave %s, reference gave %s\n",
                     index_, op, std::string(Q::name).c_str(), got.c_str(), expected.c_str());
        std::abort();
    }

    Q queue_;
    std::size_t capacity_ = queue_.capacity();
    reference reference_;
    std::multiset<std::uint64_t> contents_;
    std::uint64_t next_value_ = 1;
    std::size_t index_ = 0;
};

template <adapters::queue_under_test Q>
int run_adapter_sequential(const std::uint8_t* data, std::size_t size) {
    static constexpr std::size_t capacities[] = {1, 1, 1, 2, 2, 2, 3, 4, 5, 8};
    byte_reader in(data, size);
    adapter_run<Q> run(in.pick(capacities));
    while (!in.exhausted()) run.step(in);
    return 0;
}

}  // namespace ringcheck::fuzz
