// Differential fuzzer of the production sync backend, std_sync, on its own: atomic load, store and
// compare_exchange against a plain shadow value; cells; mutex; condition waits (a helper thread
// notifies only once the waiter has released the mutex, so a wait always returns); timed waits with
// past and short deadlines; deadline_after's saturation; every spin_wait round.
// Input (total): one byte per operation, `byte % 8`, some followed by one operand byte.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <thread>

#include "ringcheck/fuzz/byte_reader.hpp"
#include "ringcheck/std_sync.hpp"

namespace {

using ringcheck::std_sync;
using ringcheck::fuzz::byte_reader;

[[noreturn]] void divergence(const char* op, unsigned long long got, unsigned long long expected) {
    std::fprintf(stderr, "ringcheck fuzz: std_sync %s gave %llu, expected %llu\n", op, got, expected);
    std::abort();
}

/// The waiter holds m; the helper can lock m only once the waiter's wait has released it.
bool wait_notified(std_sync::mutex& m, std_sync::condition_variable& cv, bool timed) {
    m.lock();
    std::thread helper([&] {
        m.lock();
        cv.notify_all();
        m.unlock();
    });
    bool woken = true;
    if (timed) {
        woken = cv.wait_until(m, std_sync::deadline_after(std::chrono::hours(1)));
    } else {
        cv.wait(m);
    }
    m.unlock();
    helper.join();
    return woken;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    byte_reader in(data, size);
    std_sync::atomic<std::uint64_t> atomic{0};
    std::uint64_t shadow = 0;
    std_sync::cell<std::uint64_t> cell;
    std_sync::mutex m;
    std_sync::condition_variable cv;
    while (!in.exhausted()) {
        switch (in.below(8)) {
            case 0: {
                const std::uint64_t got = atomic.load(std::memory_order_acquire);
                if (got != shadow) divergence("load", got, shadow);
                break;
            }
            case 1:
                shadow = in.byte();
                atomic.store(shadow, std::memory_order_release);
                break;
            case 2: {
                std::uint64_t expected = in.below(4);
                const std::uint64_t before = shadow;
                bool swapped = false;
                for (int tries = 0; tries < 100 && !swapped && expected == before; ++tries) {
                    swapped = atomic.compare_exchange_weak(expected, before + 1, std::memory_order_acq_rel,
                                                           std::memory_order_relaxed);
                }
                if (expected == before && !swapped) divergence("compare_exchange_weak (100 spurious failures)", 0, 1);
                if (!swapped) {
                    swapped = atomic.compare_exchange_weak(expected, before + 1, std::memory_order_acq_rel,
                                                           std::memory_order_relaxed);
                    if (swapped || expected != before) divergence("failed compare_exchange_weak's expected", expected, before);
                } else {
                    shadow = before + 1;
                }
                break;
            }
            case 3: {
                cell.construct(ringcheck::source_site::here(), shadow);
                const std::optional<std::uint64_t> taken = cell.take();
                if (!taken || *taken != shadow) divergence("cell take after construct", taken.value_or(~0ull), shadow);
                break;
            }
            case 4: std_sync::spin_wait(in.below(10)); break;
            case 5: {
                if (!wait_notified(m, cv, in.below(2) == 1)) divergence("notified wait_until", 0, 1);
                break;
            }
            case 6: {
                static constexpr std::chrono::nanoseconds waits[] = {std::chrono::nanoseconds(-5), std::chrono::nanoseconds(0),
                                                                     std::chrono::nanoseconds(2000)};
                m.lock();
                const bool woken = cv.wait_until(m, std_sync::deadline_after(in.pick(waits)));
                m.unlock();
                (void)woken;  // a spurious wake-up may report true: both answers are legal
                break;
            }
            default:
                cv.notify_one();
                cv.notify_all();
                if (std_sync::deadline_after(std::chrono::hours::max()) != std_sync::deadline::max()) {
                    divergence("deadline_after(hours::max()) saturation", 0, 1);
                }
                break;
        }
    }
    return 0;
}
