// bench/coherence: the two-cache line model and the __tsan_* hooks that feed it.
//
// This file is compiled WITHOUT -fsanitize=thread: it is the "runtime" the instrumented driver
// links against instead of libtsan. Each hook counts the access if the calling thread is bound to
// a side and the address lies on a registered line, and the atomic hooks perform the real atomic
// operation (with the memory order they were given) while holding that line's lock, so the order
// in which the model sees accesses to a line is the order in which memory saw them.
#include "line_sim.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <atomic>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace coh {
namespace {

constexpr unsigned line_shift = 6;  // 64-byte lines, as on every x86-64 and most arm64 cores

// One word per line: bit 0/1 = producer/consumer holds a valid copy, bits 2-3 = last writer
// (0 none, 1 producer, 2 consumer), bit 31 = the line's lock.
constexpr std::uint32_t lock_bit = 1u << 31;
constexpr std::uint32_t writer_shift = 2;
constexpr std::uint32_t writer_mask = 3u << writer_shift;

struct line_entry {
    std::uintptr_t line = 0;  // address >> line_shift; 0 = empty slot of the table
    line_class cls = line_class::other;
    std::atomic<std::uint32_t> state{0};
};

// Open addressing, filled only while no bound thread runs, read-only (bar `state`) during runs.
constexpr std::size_t table_size = std::size_t{1} << 19;
std::unique_ptr<line_entry[]> table;
std::size_t registered_lines = 0;
std::uintptr_t lowest_line = ~std::uintptr_t{0};  // cheap rejection of stack and other heap
std::uintptr_t highest_line = 0;

alignas(64) run_counts counts{};
thread_local side bound_side = side::none;

std::size_t slot_of(std::uintptr_t line) noexcept {
    return (line * 0x9E3779B97F4A7C15ull >> 20) & (table_size - 1);  // Fibonacci hashing
}

line_entry* find_line(std::uintptr_t line) noexcept {
    if (!table || line < lowest_line || line > highest_line) return nullptr;
    for (std::size_t i = slot_of(line);; i = (i + 1) & (table_size - 1)) {
        if (table[i].line == line) return &table[i];
        if (table[i].line == 0) return nullptr;
    }
}

void insert_line(std::uintptr_t line, line_class c) {
    if (!table) table = std::make_unique<line_entry[]>(table_size);
    if (registered_lines * 2 >= table_size) {
        std::fprintf(stderr, "coherence: too many registered lines (> %zu)\n", table_size / 2);
        std::abort();
    }
    std::size_t i = slot_of(line);
    while (table[i].line != 0 && table[i].line != line) i = (i + 1) & (table_size - 1);
    if (table[i].line == line) return;  // first registration wins
    table[i].line = line;
    table[i].cls = c;
    table[i].state.store(0, std::memory_order_relaxed);
    ++registered_lines;
    if (line < lowest_line) lowest_line = line;
    if (line > highest_line) highest_line = line;
}

void pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
}

std::uint32_t lock_line(line_entry& e) noexcept {
    std::uint32_t s = e.state.load(std::memory_order_relaxed);
    for (;;) {
        if (!(s & lock_bit) &&
            e.state.compare_exchange_weak(s, s | lock_bit, std::memory_order_acquire, std::memory_order_relaxed))
            return s;
        pause();
        s = e.state.load(std::memory_order_relaxed);
    }
}

void unlock_line(line_entry& e, std::uint32_t s) noexcept { e.state.store(s & ~lock_bit, std::memory_order_release); }

std::uint32_t valid_bit(int who) noexcept { return 1u << who; }
std::uint32_t writer_code(int who) noexcept { return std::uint32_t(who + 1) << writer_shift; }

/// The MESI-like transition of one access by `who`; returns the new state, counts into `n`.
std::uint32_t account(std::uint32_t s, int who, bool reads, bool writes, access_counts& n) noexcept {
    const int other = 1 - who;
    if (reads) {
        ++n.reads;
        if (!(s & valid_bit(who))) {
            ++n.read_misses;
            if ((s & writer_mask) == writer_code(other)) ++n.read_transfers;
            s |= valid_bit(who);
        }
    }
    if (writes) {
        ++n.writes;
        if (s & valid_bit(other)) ++n.invalidations;
        s = (s & ~(valid_bit(other) | writer_mask)) | valid_bit(who) | writer_code(who);
    }
    return s;
}

/// The line entry for an access by the calling thread if it is counted, else nullptr.
line_entry* counted_line(const volatile void* addr) noexcept {
    if (bound_side == side::none) return nullptr;
    return find_line(reinterpret_cast<std::uintptr_t>(addr) >> line_shift);
}

/// A plain (non-atomic) access: the instrumented code performs it right after the hook returns.
void plain_access(const volatile void* addr, std::size_t bytes, bool writes) noexcept {
    if (bound_side == side::none || bytes == 0) return;
    const auto first = reinterpret_cast<std::uintptr_t>(addr) >> line_shift;
    const auto last = (reinterpret_cast<std::uintptr_t>(addr) + bytes - 1) >> line_shift;
    const int who = static_cast<int>(bound_side);
    for (std::uintptr_t line = first; line <= last; ++line) {
        line_entry* e = find_line(line);
        if (!e) continue;
        access_counts& n = counts[who].by_class[static_cast<std::size_t>(e->cls)];
        unlock_line(*e, account(lock_line(*e), who, !writes, writes, n));
    }
}

void count_full_barrier() noexcept {
    if (bound_side != side::none) ++counts[static_cast<int>(bound_side)].full_barriers;
}

/// An atomic access: `op` performs it while the line is locked, so model and memory agree.
template <class Op>
auto atomic_access(const volatile void* addr, bool reads, bool writes, Op op) noexcept {
    line_entry* e = counted_line(addr);
    if (!e) return op();
    const int who = static_cast<int>(bound_side);
    access_counts& n = counts[who].by_class[static_cast<std::size_t>(e->cls)];
    const std::uint32_t s = account(lock_line(*e), who, reads, writes, n);
    auto result = op();
    unlock_line(*e, s);
    return result;
}

}  // namespace

const char* name_of(line_class c) noexcept {
    switch (c) {
        case line_class::producer_index: return "producer-index";
        case line_class::consumer_index: return "consumer-index";
        case line_class::slots: return "slots";
        case line_class::other: return "other";
    }
    return "?";
}

void register_lines(line_class c, const void* begin, std::size_t bytes) {
    if (bytes == 0) return;
    const auto first = reinterpret_cast<std::uintptr_t>(begin) >> line_shift;
    const auto last = (reinterpret_cast<std::uintptr_t>(begin) + bytes - 1) >> line_shift;
    for (std::uintptr_t line = first; line <= last; ++line) insert_line(line, c);
}

void clear_registrations() {
    table.reset();
    registered_lines = 0;
    lowest_line = ~std::uintptr_t{0};
    highest_line = 0;
}

void bind_this_thread(side s) noexcept { bound_side = s; }
run_counts snapshot() { return counts; }
void reset_counts() { counts = run_counts{}; }

}  // namespace coh

// ---- the hooks the instrumented code calls (names and signatures: compiler-rt's
// tsan_interface.h / tsan_interface_atomic.h; memory orders 0..5 equal __ATOMIC_RELAXED..SEQ_CST) --

using a8 = char;
using a16 = short;
using a32 = int;
using a64 = long;

extern "C" {

void __tsan_init() {}
void __tsan_func_entry(void*) {}
void __tsan_func_exit() {}
void __tsan_vptr_read(void**) {}
void __tsan_vptr_update(void**, void*) {}
void __tsan_read_range(void* a, unsigned long n) { coh::plain_access(a, n, false); }
void __tsan_write_range(void* a, unsigned long n) { coh::plain_access(a, n, true); }
// moodycamel's atomicops.h annotates its semaphore for the TSan runtime; nothing to do here.
void AnnotateHappensBefore(const char*, int, void*) {}
void AnnotateHappensAfter(const char*, int, void*) {}

#define COH_PLAIN_HOOKS(N)                                                                 \
    void __tsan_read##N(void* a) { coh::plain_access(a, N, false); }                       \
    void __tsan_write##N(void* a) { coh::plain_access(a, N, true); }                       \
    void __tsan_unaligned_read##N(void* a) { coh::plain_access(a, N, false); }             \
    void __tsan_unaligned_write##N(void* a) { coh::plain_access(a, N, true); }             \
    void __tsan_volatile_read##N(void* a) { coh::plain_access(a, N, false); }              \
    void __tsan_volatile_write##N(void* a) { coh::plain_access(a, N, true); }
COH_PLAIN_HOOKS(1)
COH_PLAIN_HOOKS(2)
COH_PLAIN_HOOKS(4)
COH_PLAIN_HOOKS(8)
COH_PLAIN_HOOKS(16)

// A non-constant order makes clang emit a switch over the valid orders: each op runs with exactly
// the order it was given. Every read-modify-write (a failed compare-exchange too: x86's lock
// cmpxchg takes the line exclusive either way) counts as a read and a write, and as a full barrier.
#define COH_RMW_HOOK(N, NAME, BUILTIN)                                                            \
    a##N __tsan_atomic##N##_##NAME(volatile a##N* a, a##N v, int mo) {                            \
        coh::count_full_barrier();                                                                \
        return coh::atomic_access(a, true, true, [&] { return BUILTIN(a, v, mo); });              \
    }

#define COH_ATOMIC_HOOKS(N)                                                                       \
    a##N __tsan_atomic##N##_load(const volatile a##N* a, int mo) {                                \
        return coh::atomic_access(a, true, false, [&] { return __atomic_load_n(a, mo); });       \
    }                                                                                             \
    void __tsan_atomic##N##_store(volatile a##N* a, a##N v, int mo) {                             \
        if (mo == __ATOMIC_SEQ_CST) coh::count_full_barrier(); /* x86: xchg */                    \
        coh::atomic_access(a, false, true, [&] { __atomic_store_n(a, v, mo); return 0; });       \
    }                                                                                             \
    COH_RMW_HOOK(N, exchange, __atomic_exchange_n)                                                \
    COH_RMW_HOOK(N, fetch_add, __atomic_fetch_add)                                                \
    COH_RMW_HOOK(N, fetch_sub, __atomic_fetch_sub)                                                \
    COH_RMW_HOOK(N, fetch_and, __atomic_fetch_and)                                                \
    COH_RMW_HOOK(N, fetch_or, __atomic_fetch_or)                                                  \
    COH_RMW_HOOK(N, fetch_xor, __atomic_fetch_xor)                                                \
    COH_RMW_HOOK(N, fetch_nand, __atomic_fetch_nand)                                              \
    int __tsan_atomic##N##_compare_exchange_strong(volatile a##N* a, a##N* c, a##N v, int mo, int fmo) { \
        coh::count_full_barrier();                                                                \
        return coh::atomic_access(a, true, true,                                                  \
                                  [&] { return __atomic_compare_exchange_n(a, c, v, false, mo, fmo); }); \
    }                                                                                             \
    int __tsan_atomic##N##_compare_exchange_weak(volatile a##N* a, a##N* c, a##N v, int mo, int fmo) { \
        coh::count_full_barrier();                                                                \
        return coh::atomic_access(a, true, true,                                                  \
                                  [&] { return __atomic_compare_exchange_n(a, c, v, true, mo, fmo); }); \
    }                                                                                             \
    a##N __tsan_atomic##N##_compare_exchange_val(volatile a##N* a, a##N c, a##N v, int mo, int fmo) { \
        __tsan_atomic##N##_compare_exchange_strong(a, &c, v, mo, fmo);                            \
        return c;                                                                                 \
    }
COH_ATOMIC_HOOKS(8)
COH_ATOMIC_HOOKS(16)
COH_ATOMIC_HOOKS(32)
COH_ATOMIC_HOOKS(64)

void __tsan_atomic_thread_fence(int mo) {
    if (mo == __ATOMIC_SEQ_CST) coh::count_full_barrier();  // acquire/release fences are free on x86
    __atomic_thread_fence(mo);
}
void __tsan_atomic_signal_fence(int mo) { __atomic_signal_fence(mo); }

}  // extern "C"
