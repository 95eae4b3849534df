// The searches' large tables: contents survive growth across the 2 MiB line,
// and on Linux those of 2 MiB and more are mapped on huge-page boundaries and
// advised as huge pages (the kernel's VmFlags say "hg").
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../src/huge_pages.hpp"

namespace ringcheck::oracle::detail {
namespace {

TEST(HugePageAllocator, keeps_contents_as_a_table_grows_past_2_MiB_and_shrinks_back) {
    big_vector<std::uint32_t> v;
    for (std::uint32_t i = 0; i < (1u << 20); ++i) v.push_back(i * 7);  // 4 MiB, mapped on its own
    for (std::uint32_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], i * 7);
    v.resize(1000);
    v.shrink_to_fit();  // back to std::allocator
    for (std::uint32_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], i * 7);
    big_vector<std::uint32_t> copy = v;
    EXPECT_EQ(copy, v);
}

// The VmFlags of the mapping that holds p, from /proc/self/smaps.
std::string vm_flags_of(const void* p) {
    std::ifstream smaps("/proc/self/smaps");
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    bool inside = false;
    for (std::string line; std::getline(smaps, line);) {
        std::uintptr_t from = 0, to = 0;
        char dash = 0;
        std::istringstream range(line);
        if (range >> std::hex >> from >> dash >> to && dash == '-' && line.find(':') > line.find(' '))
            inside = from <= at && at < to;
        else if (inside && line.rfind("VmFlags:", 0) == 0)
            return line;
    }
    return {};
}

TEST(HugePageAllocator, maps_tables_of_2_MiB_and_more_on_huge_page_boundaries_advised_as_huge_pages) {
    if (!maps_huge_pages()) GTEST_SKIP() << "not Linux, or AddressSanitizer: every table comes from std::allocator";
    if (!std::filesystem::exists("/sys/kernel/mm/transparent_hugepage/enabled"))
        GTEST_SKIP() << "this kernel has no transparent huge pages";
    big_vector<std::uint64_t> table(std::size_t{3} << 18);  // 6 MiB
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(table.data()) % (std::size_t{2} << 20), 0u);
    EXPECT_NE(vm_flags_of(table.data()).find(" hg"), std::string::npos) << vm_flags_of(table.data());
    big_vector<std::uint64_t> small(1000);
    EXPECT_EQ(vm_flags_of(small.data()).find(" hg"), std::string::npos) << vm_flags_of(small.data());
}

}  // namespace
}  // namespace ringcheck::oracle::detail
