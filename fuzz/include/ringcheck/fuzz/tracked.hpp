// ringcheck fuzz: an element type that catches lifetime bugs in a ring.
//
// Every object carries a canary: alive, moved-from or dead. Reading a dead or moved-from value,
// moving from a dead one, or destroying an object twice aborts with a message; a global count of
// live objects lets the harness prove that a ring destroys exactly what it holds (no leak).
// Move-only by default; basic_tracked<true> is copyable too, to drive the `const T&` overloads.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace ringcheck::fuzz {

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

template <bool Copyable>
class basic_tracked {
    static constexpr std::uint64_t alive = 0xA11CE5EEDBADC0DEull;
    static constexpr std::uint64_t hollow = 0x5EEDB0A710000000ull;  // moved from: valid, no value
    static constexpr std::uint64_t dead = 0xDEADDEADDEADDEADull;

public:
    explicit basic_tracked(std::uint64_t v) noexcept : canary_(alive), value_(v) { ++tracked_live(); }
    basic_tracked(basic_tracked&& other) noexcept : canary_(alive), value_(other.take()) {
        ++tracked_live();
    }
    basic_tracked(const basic_tracked& other) noexcept
        requires Copyable
        : canary_(alive), value_(other.value()) {
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

}  // namespace ringcheck::fuzz
