// ringcheck fuzz: sequential differential harness. One thread runs a decoded operation sequence on
// a ring and on the reference queue in lockstep; the first difference aborts, naming the operation.
//
// Input format (total: every byte string is a valid input; missing bytes read as 0):
//   byte 0      capacity, from the regime's weighted table (small: 1..8, 1 and 2 likeliest;
//               large: 15..1000 around powers of two)
//   byte 1      wraparound hook: < 128 none, else counters_wrap_after{byte - 128}
//   then ops    one byte each, `byte % number of ops the ring has` in the order of seq_op below,
//               some followed by one operand byte:
//                 push_burst/pop_burst  n = 1 + 4 * operand (then that many try_push/try_pop)
//                 try_push_for/try_pop_for  duration = durations[operand % 6]
//               except bytes >= 0xF8, which arm a throw for the next ring operation: k = byte - 0xF8,
//               the (k / 3 + 1)-th construction (k % 3 == 0), copy (1) or move (2) of an element
//               during that operation throws (an event the element type cannot throw is ignored).
//               A ring operation that throws must leave the ring as it was (the argument untouched,
//               no element lost or duplicated, the same size), which the harness checks; the
//               reference queue does not apply it. The bytes 0xF8..0xFF were ops before throwing
//               elements came; an old input that holds them now arms throws instead.
// Blocking push/pop, and the lock-free rings' spin_push/spin_pop, run only when they cannot block
// in a sequential run (open and not full/empty, or closed); otherwise they run as try_push/try_pop.
// An infinite timed wait that would block runs with a zero duration. Pushed values are 1, 2, 3, ...
// so every value is unique. Op bytes: `byte % 11` for the lock-free rings' try interface, `% 14`
// where the ring also has spin_push/spin_pop (11-13: spin_push(T&&), spin_push(const T&), spin_pop),
// `% 19` for locked_ring.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "ringcheck/detail/ring_common.hpp"
#include "ringcheck/fuzz/byte_reader.hpp"
#include "ringcheck/fuzz/reference.hpp"
#include "ringcheck/fuzz/tracked.hpp"

namespace ringcheck::fuzz {

enum class capacity_regime { small, large };

inline std::size_t decode_capacity(byte_reader& in, capacity_regime regime) {
    static constexpr std::size_t small[] = {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8};
    static constexpr std::size_t large[] = {15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 255, 256, 1000};
    return regime == capacity_regime::small ? in.pick(small) : in.pick(large);
}

inline counters_wrap_after decode_wrap(byte_reader& in) {
    const unsigned b = in.byte();
    return counters_wrap_after{b < 128 ? 0 : b - 128};
}

/// Durations of the timed operations: mostly zero, some short, one effectively infinite.
inline std::chrono::nanoseconds decode_duration(byte_reader& in) {
    using namespace std::chrono;
    static constexpr nanoseconds table[] = {nanoseconds(0), nanoseconds(0), nanoseconds(-1000),
                                            nanoseconds(1000), nanoseconds(20000), nanoseconds::max()};
    return in.pick(table);
}

/// Every operation of the rings' API; the lock-free rings use the prefix up to `bad_capacity`.
enum class seq_op : std::uint8_t {
    try_push, try_push_copy, try_emplace, try_pop, push_burst, pop_burst, size, empty, capacity,
    max_capacity, bad_capacity,
    push, push_copy, pop, try_push_for, try_push_for_copy, try_pop_for, close, closed,
    spin_push, spin_push_copy, spin_pop,
};
inline constexpr unsigned lock_free_op_count = 11;
inline constexpr unsigned locked_op_count = 19;
/// Rings with spin_push/spin_pop use the lock-free prefix and then these three.
inline constexpr unsigned spinning_op_count = lock_free_op_count + 3;
/// Op bytes from here on arm a throw (see the input format above).
inline constexpr std::uint8_t first_arm_byte = 0xF8;

inline const char* seq_op_name(seq_op op) {
    static constexpr const char* names[] = {
        "try_push(T&&)", "try_push(const T&)", "try_emplace", "try_pop", "push_burst", "pop_burst",
        "size", "empty", "capacity", "max_capacity", "bad_capacity", "push(T&&)", "push(const T&)",
        "pop", "try_push_for(T&&)", "try_push_for(const T&)", "try_pop_for", "close", "closed",
        "spin_push(T&&)", "spin_push(const T&)", "spin_pop"};
    return names[static_cast<unsigned>(op)];
}

/// The element type of a ring template instance (`X<T, Sync, ...>`).
template <class Ring>
struct element_of;
template <template <class...> class X, class T, class... Rest>
struct element_of<X<T, Rest...>> {
    using type = T;
};

template <class Ring>
concept closable_ring = requires(Ring& r) { r.close(); r.pop(); };
template <class Ring>
concept spinning_ring = requires(Ring& r) { r.spin_pop(); };

/// The operation an op byte names for `Ring` (bytes below first_arm_byte).
template <class Ring>
seq_op decode_op(std::uint8_t b) {
    if constexpr (closable_ring<Ring>) return static_cast<seq_op>(b % locked_op_count);
    if constexpr (spinning_ring<Ring>) {
        const unsigned k = b % spinning_op_count;
        return k < lock_free_op_count ? static_cast<seq_op>(k)
                                      : static_cast<seq_op>(static_cast<unsigned>(seq_op::spin_push) + k - lock_free_op_count);
    }
    return static_cast<seq_op>(b % lock_free_op_count);
}

[[noreturn]] inline void divergence(std::size_t index, const char* op, const std::string& ring,
                                    const std::string& expected) {
    std::fprintf(stderr, "ringcheck fuzz: divergence at operation #%zu %s: ring gave %s, reference gave %s\n",
                 index, op, ring.c_str(), expected.c_str());
    std::abort();
}

inline std::string describe(const reference::outcome& r) {
    return r.result == result_kind::value ? "value " + std::to_string(r.value) : result_name(r.result);
}
inline std::string describe_push(bool ok) { return ok ? "ok (true)" : "refused (false)"; }
template <class Element>
std::string describe_pop(const std::optional<Element>& got) {
    return got ? "value " + std::to_string(got->value()) : "nothing (nullopt)";
}

/// Runs one decoded sequence on `Ring` (over tracked elements) and the reference queue.
template <class Ring>
class sequential_run {
    using element = typename element_of<Ring>::type;

public:
    sequential_run(std::size_t capacity, counters_wrap_after hook)
        : capacity_(capacity), ring_(capacity, hook), reference_(capacity) {}

    void step(byte_reader& in) {
        const std::uint8_t b = in.byte();
        if (b >= first_arm_byte) {
            arm(b - first_arm_byte);
        } else {
            run(decode_op<Ring>(b), in);
        }
        if (tracked_live() != static_cast<long long>(reference_.size())) {
            std::fprintf(stderr, "ringcheck fuzz: after operation #%zu the ring holds %lld live elements, the reference %zu\n",
                         index_, tracked_live(), reference_.size());
            std::abort();
        }
        ++index_;
    }

private:
    static constexpr bool copyable = std::is_copy_constructible_v<element>;

    void run(seq_op op, byte_reader& in) {
        switch (op) {
            case seq_op::try_push: return push_with(op, op_kind::try_push, [&](element& v) { return ring_.try_push(std::move(v)); });
            case seq_op::try_push_copy: return copy_push(op, op_kind::try_push, [&](const auto& v) { return ring_.try_push(v); });
            case seq_op::try_emplace: return emplace();
            case seq_op::try_pop: return pop_with(op, op_kind::try_pop, [&] { return ring_.try_pop(); });
            case seq_op::push_burst: return burst(in, seq_op::try_push);
            case seq_op::pop_burst: return burst(in, seq_op::try_pop);
            case seq_op::size: return compare_count(op, ring_.size(), reference_.size());
            case seq_op::empty: return compare_count(op, ring_.empty(), reference_.size() == 0);
            case seq_op::capacity: return compare_count(op, ring_.capacity(), capacity_);
            case seq_op::max_capacity: return compare_count(op, Ring::max_capacity() >= (std::size_t{1} << 30), true);
            case seq_op::bad_capacity: return bad_capacity();
            default: break;
        }
        if constexpr (closable_ring<Ring>) run_blocking(op, in);
        if constexpr (spinning_ring<Ring>) run_spinning(op, in);
    }

    template <class Push>
    void push_with(seq_op op, op_kind kind, Push&& push) {
        const std::uint64_t v = next_value_;
        element e(v);
        bool ok = false;
        if (threw([&] { ok = push(e); })) {
            if (!e.intact(v)) divergence(index_, seq_op_name(op), "a throw that consumed the argument", "untouched");
            return expect_unchanged_after_throw(op);
        }
        const auto expected = reference_.apply(kind, v);
        if (ok != expected.accepted()) divergence(index_, seq_op_name(op), describe_push(ok), describe(expected));
        if (ok) ++next_value_;
        if (!ok && !e.intact(v)) divergence(index_, seq_op_name(op), "a refused argument that was moved from", "untouched");
    }

    template <class Push>
    void copy_push(seq_op op, op_kind kind, Push&& push) {
        if constexpr (copyable) {
            push_with(op, kind, std::forward<Push>(push));
        } else {
            push_with(seq_op::try_push, op_kind::try_push, [&](element& v) { return ring_.try_push(std::move(v)); });
        }
    }

    void emplace() {
        const std::uint64_t v = next_value_;
        bool ok = false;
        if (threw([&] { ok = ring_.try_emplace(v); })) return expect_unchanged_after_throw(seq_op::try_emplace);
        const auto expected = reference_.apply(op_kind::try_push, v);
        if (ok != expected.accepted()) divergence(index_, "try_emplace", describe_push(ok), describe(expected));
        if (ok) ++next_value_;
    }

    template <class Pop>
    void pop_with(seq_op op, op_kind kind, Pop&& pop) {
        start_ring_call();
        try {
            const std::optional<element> got = pop();  // the ring's own optional: no move here
            end_ring_call();
            const auto expected = reference_.apply(kind);
            const bool same = got ? expected.result == result_kind::value && expected.value == got->value()
                                  : !expected.accepted();
            if (!same) divergence(index_, seq_op_name(op), describe_pop(got), describe(expected));
        } catch (const injected_throw&) {
            end_ring_call();
            expect_unchanged_after_throw(op);
        }
    }

    /// Arms the throw that the next ring operation's element events may raise.
    void arm(unsigned k) {
        static constexpr element_event events[] = {element_event::construct, element_event::copy, element_event::move};
        pending_ = throw_plan_state{true, events[k % 3], k / 3, false};
    }
    /// The armed throw applies to one ring operation only, and never to the harness's own elements.
    void start_ring_call() { throw_plan() = std::exchange(pending_, throw_plan_state{}); }
    void end_ring_call() { throw_plan().armed = false; }

    /// Runs `call` (one ring operation) with the armed throw; true if it threw.
    template <class Call>
    bool threw(Call&& call) {
        start_ring_call();
        try {
            call();
        } catch (const injected_throw&) {
            end_ring_call();
            return true;
        }
        end_ring_call();
        return false;
    }

    /// The documented guarantee when an element operation throws inside the ring: nothing changed
    /// (the live-element count, checked after every step, shows nothing was lost or duplicated).
    void expect_unchanged_after_throw(seq_op op) {
        const std::size_t size = ring_.size();
        if (size != reference_.size()) {
            divergence(index_, seq_op_name(op), "size " + std::to_string(size) + " after an element threw",
                       "size " + std::to_string(reference_.size()) + " (the ring unchanged)");
        }
    }

    void burst(byte_reader& in, seq_op each) {
        const unsigned n = 1 + 4 * unsigned{in.byte()};
        for (unsigned i = 0; i < n; ++i) {
            if (each == seq_op::try_push && reference_.size() == capacity_) break;
            if (each == seq_op::try_pop && reference_.size() == 0) break;
            run(each, in);
        }
    }

    template <class A, class B>
    void compare_count(seq_op op, A got, B expected) {
        if (got != static_cast<A>(expected)) {
            divergence(index_, seq_op_name(op), std::to_string(got), std::to_string(expected));
        }
    }

    /// Checked once per input: a throw costs more than a whole run of other operations.
    void bad_capacity() {
        if (std::exchange(bad_capacity_checked_, true)) return;
        for (const std::size_t bad : {std::size_t{0}, Ring::max_capacity() + 1}) {
            try {
                Ring r(bad);
                divergence(index_, "constructor", "a ring of capacity " + std::to_string(bad), "std::invalid_argument");
            } catch (const std::invalid_argument& e) {
                if (std::string(e.what()).find(std::to_string(Ring::max_capacity())) == std::string::npos) {
                    divergence(index_, "constructor", std::string("message '") + e.what() + "'", "a message naming the bound");
                }
            }
        }
    }

    void run_blocking(seq_op op, byte_reader& in) {
        using std::chrono::nanoseconds;
        switch (op) {
            case seq_op::push:
                if (reference_.would_block(op_kind::push)) return run(seq_op::try_push, in);
                return push_with(op, op_kind::push, [&](element& v) { return ring_.push(std::move(v)); });
            case seq_op::push_copy:
                if (reference_.would_block(op_kind::push)) return run(seq_op::try_push, in);
                return copy_push(op, op_kind::push, [&](const auto& v) { return ring_.push(v); });
            case seq_op::pop:
                if (reference_.would_block(op_kind::pop)) return run(seq_op::try_pop, in);
                return pop_with(op, op_kind::pop, [&] { return ring_.pop(); });
            case seq_op::try_push_for: {
                const nanoseconds d = bounded(decode_duration(in), op_kind::push);
                return push_with(op, op_kind::try_push_for, [&](element& v) { return ring_.try_push_for(std::move(v), d); });
            }
            case seq_op::try_push_for_copy: {
                const nanoseconds d = bounded(decode_duration(in), op_kind::push);
                return copy_push(op, op_kind::try_push_for, [&](const auto& v) { return ring_.try_push_for(v, d); });
            }
            case seq_op::try_pop_for: {
                const nanoseconds d = bounded(decode_duration(in), op_kind::pop);
                return pop_with(op, op_kind::try_pop_for, [&] { return ring_.try_pop_for(d); });
            }
            case seq_op::close:
                ring_.close();
                reference_.apply(op_kind::close);
                return;
            case seq_op::closed: return compare_count(op, ring_.closed(), reference_.closed());
            default: return;
        }
    }

    void run_spinning(seq_op op, byte_reader& in) {
        switch (op) {
            case seq_op::spin_push:
                if (reference_.would_block(op_kind::push)) return run(seq_op::try_push, in);
                return push_with(op, op_kind::push, [&](element& v) {
                    ring_.spin_push(std::move(v));
                    return true;
                });
            case seq_op::spin_push_copy:
                if (reference_.would_block(op_kind::push)) return run(seq_op::try_push, in);
                return copy_push(op, op_kind::push, [&](const auto& v) {
                    ring_.spin_push(v);
                    return true;
                });
            case seq_op::spin_pop:
                if (reference_.would_block(op_kind::pop)) return run(seq_op::try_pop, in);
                return pop_with(op, op_kind::pop, [&] { return std::optional<element>(ring_.spin_pop()); });
            default: return;
        }
    }

    /// An infinite wait that would block a sequential run becomes a zero wait.
    std::chrono::nanoseconds bounded(std::chrono::nanoseconds d, op_kind blocking) const {
        return d == std::chrono::nanoseconds::max() && reference_.would_block(blocking) ? std::chrono::nanoseconds(0) : d;
    }

    std::size_t capacity_;
    Ring ring_;
    reference reference_;
    std::uint64_t next_value_ = 1;
    std::size_t index_ = 0;
    throw_plan_state pending_;
    bool bad_capacity_checked_ = false;
};

/// The body of a sequential harness: decode, run every operation, then prove the ring destroys
/// exactly the elements it still holds.
template <class Ring>
int run_sequential(const std::uint8_t* data, std::size_t size, capacity_regime regime) {
    byte_reader in(data, size);
    tracked_live() = 0;
    throw_plan() = throw_plan_state{};
    {
        const std::size_t capacity = decode_capacity(in, regime);
        sequential_run<Ring> run(capacity, decode_wrap(in));
        while (!in.exhausted()) run.step(in);
    }
    if (tracked_live() != 0) {
        std::fprintf(stderr, "ringcheck fuzz: leak or double destroy: %lld elements alive after the ring's destructor\n",
                     tracked_live());
        std::abort();
    }
    return 0;
}

}  // namespace ringcheck::fuzz
