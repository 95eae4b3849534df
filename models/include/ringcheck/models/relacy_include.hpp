// ringcheck: include Relacy without its macros leaking into the rings.
//
// relacy/relacy.hpp (Debian relacy-dev 0.0+git20191025) #defines new, delete, malloc, calloc,
// realloc, free, assert, errno and memory_order_relaxed..memory_order_seq_cst. The standard
// headers below are the ones the rings, the oracle and the models use; they are included first so
// their include guards hold, and push_macro/pop_macro restore every one of those names (errno and assert as <cerrno> and
// <cassert> define them; the rest undefined) right after Relacy. Checked with g++ 12 and
// clang 14 in C++20 (-Wall -Wextra -Wpedantic -Werror: Relacy is a system header, so its own
// warnings are not ours; our code never uses its `$` macro, which clang warns about).
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cassert>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#pragma push_macro("new")
#pragma push_macro("delete")
#pragma push_macro("malloc")
#pragma push_macro("calloc")
#pragma push_macro("realloc")
#pragma push_macro("free")
#pragma push_macro("assert")
#pragma push_macro("errno")
#pragma push_macro("memory_order_relaxed")
#pragma push_macro("memory_order_consume")
#pragma push_macro("memory_order_acquire")
#pragma push_macro("memory_order_release")
#pragma push_macro("memory_order_acq_rel")
#pragma push_macro("memory_order_seq_cst")
#pragma push_macro("VAR")
#pragma push_macro("VAR_T")
#pragma push_macro("TLS_T")
#include <relacy/relacy.hpp>
#pragma pop_macro("new")
#pragma pop_macro("delete")
#pragma pop_macro("malloc")
#pragma pop_macro("calloc")
#pragma pop_macro("realloc")
#pragma pop_macro("free")
#pragma pop_macro("assert")
#pragma pop_macro("errno")
#pragma pop_macro("memory_order_relaxed")
#pragma pop_macro("memory_order_consume")
#pragma pop_macro("memory_order_acquire")
#pragma pop_macro("memory_order_release")
#pragma pop_macro("memory_order_acq_rel")
#pragma pop_macro("memory_order_seq_cst")
#pragma pop_macro("VAR")
#pragma pop_macro("VAR_T")
#pragma pop_macro("TLS_T")
