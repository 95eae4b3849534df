// bench/coherence: a software model of two private caches sharing 64-byte lines, fed by
// ThreadSanitizer's compile-time instrumentation (see README section in the report / hooks in
// line_sim.cpp). The instrumented driver registers the lines it cares about, binds each of its two
// threads to a side, and reads per-side, per-class counters afterwards.
//
// The model (per registered line): which sides hold a valid copy, and which side wrote it last.
//   read  by s, s's copy invalid, last writer the other side  -> a transfer (cache-to-cache miss)
//   write by s while the other side holds a valid copy         -> an invalidation (RFO)
// Caches are infinite (no evictions), there is no prefetching, and only registered lines count.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace coh {

/// What a line holds, from the queue's point of view. The first registration of a line wins.
enum class line_class : std::uint8_t { producer_index, consumer_index, slots, other };
inline constexpr std::size_t line_class_count = 4;
const char* name_of(line_class c) noexcept;

/// The two simulated caches; `none` means "this thread's accesses are not counted".
enum class side : std::int8_t { none = -1, producer = 0, consumer = 1 };
inline constexpr std::size_t side_count = 2;

struct access_counts {
    std::uint64_t reads = 0;
    std::uint64_t read_misses = 0;      // reads of a line this side did not hold (any reason)
    std::uint64_t read_transfers = 0;   // ... whose latest version the other side wrote
    std::uint64_t writes = 0;
    std::uint64_t invalidations = 0;    // writes to a line the other side held
};

struct alignas(64) side_counts {  // own lines: each side's thread updates only its own counters
    std::array<access_counts, line_class_count> by_class{};
    std::uint64_t full_barriers = 0;    // seq_cst fences and atomic read-modify-writes (any line)
};

using run_counts = std::array<side_counts, side_count>;

/// Registration happens while no bound thread runs (before the threads start, after they join).
void register_lines(line_class c, const void* begin, std::size_t bytes);
void clear_registrations();

/// Binds the calling thread's accesses to one simulated cache (none: ignored).
void bind_this_thread(side s) noexcept;

/// Counters since the last reset; read and reset only while no bound thread runs.
run_counts snapshot();
void reset_counts();

}  // namespace coh
