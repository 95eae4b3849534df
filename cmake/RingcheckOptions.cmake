# Per-target build settings for ringcheck's own targets: warnings and sanitizers.
# Nothing here touches global flags; a target opts in with ringcheck_target_defaults(target).

set(RINGCHECK_SANITIZER "" CACHE STRING
    "Sanitizers for ringcheck's test targets: empty, 'address,undefined' or 'thread'")
set_property(CACHE RINGCHECK_SANITIZER PROPERTY STRINGS "" "address,undefined" "thread")

if(RINGCHECK_SANITIZER MATCHES "thread" AND RINGCHECK_SANITIZER MATCHES "address")
  message(FATAL_ERROR "RINGCHECK_SANITIZER: ThreadSanitizer cannot be combined with AddressSanitizer in one build")
endif()
if(NOT RINGCHECK_SANITIZER MATCHES "^(|address,undefined|address|undefined|thread)$")
  message(FATAL_ERROR "RINGCHECK_SANITIZER: unknown value '${RINGCHECK_SANITIZER}' (use '', 'address,undefined' or 'thread')")
endif()

# Warnings as errors for our own code, and the build's sanitizers.
function(ringcheck_target_defaults target)
  target_compile_features(${target} PRIVATE cxx_std_20)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
  if(RINGCHECK_SANITIZER)
    ringcheck_sanitize(${target} "${RINGCHECK_SANITIZER}")
  endif()
endfunction()

# Sanitize one target with an explicit list (used also for targets that must always be sanitized).
function(ringcheck_sanitize target sanitizers)
  target_compile_options(${target} PRIVATE -fsanitize=${sanitizers} -fno-omit-frame-pointer -g
                         -fno-sanitize-recover=all)
  target_link_options(${target} PRIVATE -fsanitize=${sanitizers})
  if(sanitizers MATCHES "thread" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # g++ warns that TSan does not model atomic_thread_fence. spsc_ring's only fence orders index
    # reads on its slow path (linearizability of full/empty); element publication is release/acquire,
    # which TSan sees, so TSan reports no false race and misses no data race because of it.
    target_compile_options(${target} PRIVATE -Wno-tsan)
  endif()
endfunction()

# A test's timeout: seconds that fit the test on a 2-core machine with room to spare, so a hang
# fails in seconds rather than after ctest's default; five times as long in a sanitized build.
function(ringcheck_timeout out seconds)
  if(RINGCHECK_SANITIZER)
    math(EXPR seconds "${seconds} * 5")
  endif()
  set(${out} ${seconds} PARENT_SCOPE)
endfunction()
