// ringcheck: the padding unit that keeps independently written fields apart.
#pragma once

#include <cstddef>

namespace ringcheck::detail {

/// 128 bytes, not 64: x86's adjacent-line prefetcher pulls cache lines in pairs, so two fields
/// 64 bytes apart still false-share (crossbeam's CachePadded uses 128 on x86_64 for this reason).
/// We do not use std::hardware_destructive_interference_size: it may differ between compilers
/// and flags, which would change the layout (and ABI) of a header-only type.
inline constexpr std::size_t cache_line = 128;

}  // namespace ringcheck::detail
