// Tables the searches index at random (per op, per event, the memo) live in
// memory advised as transparent huge pages: at 10^6 ops they span tens of MiB,
// and with 4 KiB pages nearly every look-up misses the TLB. Speed only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RINGCHECK_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define RINGCHECK_ASAN 1
#endif

// Under AddressSanitizer every table comes from the allocator it watches (redzones).
#if defined(__linux__) && !defined(RINGCHECK_ASAN)
#include <sys/mman.h>
#if defined(MADV_HUGEPAGE)
#define RINGCHECK_HUGE_PAGES 1
#endif
#endif

namespace ringcheck::oracle::detail {

// Blocks of 2 MiB and more are mapped on their own, aligned to 2 MiB and
// advised MADV_HUGEPAGE (the kernel may still refuse; then they are ordinary
// pages); smaller ones come from std::allocator.
template <class T>
struct huge_page_allocator {
    using value_type = T;
    static constexpr std::size_t huge = std::size_t{2} << 20;

    huge_page_allocator() = default;
    template <class U>
    huge_page_allocator(const huge_page_allocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        if (n > max_size()) throw std::bad_array_new_length();
#if defined(RINGCHECK_HUGE_PAGES)
        if (const std::size_t bytes = n * sizeof(T); bytes >= huge) {
            const std::size_t length = mapped_length(bytes);
            void* p = mmap(nullptr, length + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED) throw std::bad_alloc();
            // Keep the 2 MiB-aligned part, give back the rest.
            char* start = static_cast<char*>(p);
            char* aligned = start + (huge - reinterpret_cast<std::uintptr_t>(start) % huge) % huge;
            if (aligned != start) munmap(start, static_cast<std::size_t>(aligned - start));
            if (char* end = aligned + length; end != start + length + huge)
                munmap(end, static_cast<std::size_t>(start + length + huge - end));
            madvise(aligned, length, MADV_HUGEPAGE);
            return reinterpret_cast<T*>(aligned);
        }
#endif
        return std::allocator<T>().allocate(n);
    }
    void deallocate(T* p, std::size_t n) noexcept {
#if defined(RINGCHECK_HUGE_PAGES)
        if (const std::size_t bytes = n * sizeof(T); bytes >= huge) {
            munmap(p, mapped_length(bytes));
            return;
        }
#endif
        std::allocator<T>().deallocate(p, n);
    }
    static constexpr std::size_t max_size() noexcept { return ~std::size_t{0} / 2 / sizeof(T); }
    static constexpr std::size_t mapped_length(std::size_t bytes) { return (bytes + huge - 1) / huge * huge; }

    template <class U>
    bool operator==(const huge_page_allocator<U>&) const noexcept {
        return true;
    }
};

// Whether blocks of 2 MiB and more are mapped and advised as above.
constexpr bool maps_huge_pages() {
#if defined(RINGCHECK_HUGE_PAGES)
    return true;
#else
    return false;
#endif
}

template <class T>
using big_vector = std::vector<T, huge_page_allocator<T>>;

}  // namespace ringcheck::oracle::detail
