// ringcheck fuzz: turns fuzzer bytes into small typed choices. Total: past the end every read
// returns 0, so any byte string (the empty one included) decodes to a valid input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace ringcheck::fuzz {

class byte_reader {
public:
    byte_reader() = default;
    byte_reader(const std::uint8_t* data, std::size_t size) : bytes_(data, size) {}

    bool exhausted() const noexcept { return at_ == bytes_.size(); }
    std::size_t remaining() const noexcept { return bytes_.size() - at_; }

    /// The next byte, or 0 once exhausted.
    std::uint8_t byte() noexcept { return exhausted() ? 0 : bytes_[at_++]; }

    /// A value in [0, n) from one byte (n in [1, 256]); 0 once exhausted.
    unsigned below(unsigned n) noexcept { return n <= 1 ? 0 : byte() % n; }

    /// Picks from a weighted table: entries listed more than once are proportionally likelier.
    template <class T, std::size_t N>
    T pick(const T (&table)[N]) noexcept {
        return table[below(static_cast<unsigned>(N))];
    }

private:
    std::span<const std::uint8_t> bytes_;
    std::size_t at_ = 0;
};

}  // namespace ringcheck::fuzz
