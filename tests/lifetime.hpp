// Test element types. tracked: a move-only element that counts live objects and checks its canary, so that a leak, a double
// destruction or a use of a destroyed element shows up as a count or a failed check.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

namespace ringcheck::test {

class tracked {
public:
    static inline std::atomic<long> live{0};

    explicit tracked(std::uint64_t v) noexcept : value_(v) { live.fetch_add(1); }
    tracked(tracked&& other) noexcept : value_(other.checked()) {
        other.value_ = moved_from;
        live.fetch_add(1);
    }
    tracked& operator=(tracked&&) = delete;
    tracked(const tracked&) = delete;
    ~tracked() {
        if (canary_ != alive) std::abort();  // destroyed twice, or never constructed
        canary_ = dead;
        live.fetch_sub(1);
    }

    std::uint64_t value() const noexcept { return checked(); }
    bool moved() const noexcept { return value_ == moved_from; }

private:
    static constexpr std::uint64_t alive = 0x5AFEC0DE5AFEC0DEull, dead = 0xDEADDEADDEADDEADull;
    static constexpr std::uint64_t moved_from = ~std::uint64_t{0};

    std::uint64_t checked() const noexcept {
        if (canary_ != alive) std::abort();  // read after destruction
        return value_;
    }

    std::uint64_t canary_ = alive;
    std::uint64_t value_;
};

/// Copying throws while `armed`; moving never throws: the push side of the strong guarantee.
struct throwing_copy {
    static inline bool armed = false;
    int value;
    explicit throwing_copy(int v) : value(v) {}
    throwing_copy(const throwing_copy& other) : value(other.value) {
        if (armed) throw std::runtime_error("copy failed");
    }
    throwing_copy(throwing_copy&&) noexcept = default;
};

}  // namespace ringcheck::test
