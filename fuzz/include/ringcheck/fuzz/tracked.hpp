// ringcheck fuzz: an element type that catches lifetime bugs in a ring.
//
// Every object carries a canary: alive, moved-from or dead. Reading a dead or moved-from value,
// moving from a dead one, or destroying an object twice aborts with a message; a global count of
// live objects lets the harness prove that a ring destroys exactly what it holds (no leak).
// Move-only by default; basic_tracked<true> is copyable too, to drive the `const T&` overloads.
// Throwing elements: with Throws other than never, a construction from a value, a copy or (for
// throws_on::anything) a move throws injected_throw when the harness has armed throw_plan() for
// that kind of event; the throw comes before anything changes, so the object is never built.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace ringcheck::fuzz {

/// Which element operations may throw: the lock-free rings accept only throwing constructions
/// and copies (their moves must be noexcept); locked_ring accepts throwing moves too.
enum class throws_on : std::uint8_t { never, construction_and_copy, anything };

/// The exception a throwing element raises; nothing else throws it.
struct injected_throw {};

/// The events that can be made to throw.
enum class element_event : std::uint8_t { construct, copy, move };

/// One armed throw: the `countdown`-th next event of kind `on` (0: the next one) throws, once.
struct throw_plan_state {
    bool armed = false;
    element_event on = element_event::construct;
    unsigned countdown = 0;
    bool fired = false;
};
inline throw_plan_state& throw_plan() {
    static throw_plan_state plan;
    return plan;
}

/// Called by a throwing element at the start of each event: throws if the plan says so.
inline void maybe_throw(element_event event) {
    throw_plan_state& plan = throw_plan();
    if (!plan.armed || plan.on != event) return;
    if (plan.countdown > 0) {
        --plan.countdown;
        return;
    }
    plan.armed = false;
    plan.fired = true;
    throw injected_throw{};
}

inline void lifetime_failure(const char* what, std::uint64_t canary) {
    std::fprintf(stderr, "ringcheck fuzz: lifetime bug: %s (canary 0x%llx)\n", what,
                 static_cast<unsigned long long>(canary));
    std::abort();
}

/// Live tracked objects in this process (harnesses are single-threaded when they use it).
inline long long& tracked_live() {
    static long long live = 0;
    return live;
}

template <bool Copyable, throws_on Throws = throws_on::never>
class basic_tracked {
    static constexpr std::uint64_t alive = 0xA11CE5EEDBADC0DEull;
    static constexpr std::uint64_t hollow = 0x5EEDB0A710000000ull;  // moved from: valid, no value
    static constexpr std::uint64_t dead = 0xDEADDEADDEADDEADull;
    static constexpr bool constructions_throw = Throws != throws_on::never;
    static constexpr bool moves_throw = Throws == throws_on::anything;

public:
    explicit basic_tracked(std::uint64_t v) noexcept(!constructions_throw) : canary_(alive), value_(v) {
        if constexpr (constructions_throw) maybe_throw(element_event::construct);
        ++tracked_live();
    }
    basic_tracked(basic_tracked&& other) noexcept(!moves_throw) : canary_(alive), value_(moved_from(other)) {
        ++tracked_live();
    }
    basic_tracked(const basic_tracked& other) noexcept(!constructions_throw)
        requires Copyable
        : canary_(alive), value_(copied_from(other)) {
        ++tracked_live();
    }
    basic_tracked& operator=(basic_tracked&&) = delete;
    basic_tracked& operator=(const basic_tracked&) = delete;
    ~basic_tracked() {
        if (canary_ != alive && canary_ != hollow) lifetime_failure("destroyed twice or never built", canary_);
        canary_ = dead;
        --tracked_live();
    }

    /// The value; aborts if this object is dead or was moved from.
    std::uint64_t value() const {
        if (canary_ != alive) lifetime_failure("read of a destroyed or moved-from element", canary_);
        return value_;
    }
    bool intact(std::uint64_t expected) const noexcept { return canary_ == alive && value_ == expected; }

private:
    static std::uint64_t moved_from(basic_tracked& other) noexcept(!moves_throw) {
        if constexpr (moves_throw) maybe_throw(element_event::move);
        return other.take();
    }
    static std::uint64_t copied_from(const basic_tracked& other) noexcept(!constructions_throw) {
        if constexpr (constructions_throw) maybe_throw(element_event::copy);
        return other.value();
    }

    std::uint64_t take() {
        const std::uint64_t v = value();
        canary_ = hollow;
        return v;
    }

    std::uint64_t canary_;
    std::uint64_t value_;
};

using tracked = basic_tracked<false>;
using tracked_copyable = basic_tracked<true>;
/// For the lock-free rings: constructions and copies may throw, moves may not.
using tracked_throwing = basic_tracked<false, throws_on::construction_and_copy>;
using tracked_copyable_throwing = basic_tracked<true, throws_on::construction_and_copy>;
/// For locked_ring: moves may throw too.
using tracked_fragile = basic_tracked<false, throws_on::anything>;
using tracked_copyable_fragile = basic_tracked<true, throws_on::anything>;

}  // namespace ringcheck::fuzz
