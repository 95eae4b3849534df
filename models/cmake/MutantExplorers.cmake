# The deep mutation sweep's explorers: for one copy of impl/ (a catalogue mutant's, or the real one
# as a control), the ring's unit tests, its sequential and schedule fuzz harnesses (replay driver,
# ASan+UBSan) and the stress runner under ThreadSanitizer, each compiled against that copy. Every
# source that includes a ring is compiled per copy, so no binary mixes two versions of a ring.

set(_explorer_root ${CMAKE_CURRENT_LIST_DIR}/../..)
cmake_path(NORMAL_PATH _explorer_root)

# The stress runner's sources that include no ring: compiled once, under TSan.
add_library(ringcheck_explore_stress_core_tsan OBJECT EXCLUDE_FROM_ALL
  ${_explorer_root}/sanitizers/src/config.cpp ${_explorer_root}/sanitizers/src/reproducer.cpp
  ${_explorer_root}/sanitizers/src/stress_main.cpp ${_explorer_root}/sanitizers/src/sanitizer_options.cpp)
target_include_directories(ringcheck_explore_stress_core_tsan PUBLIC ${_explorer_root}/sanitizers/include)
target_link_libraries(ringcheck_explore_stress_core_tsan PUBLIC ringcheck_stress_oracle_tsan ringcheck::adapters Threads::Threads)
target_compile_features(ringcheck_explore_stress_core_tsan PRIVATE cxx_std_20)
target_compile_options(ringcheck_explore_stress_core_tsan PRIVATE -Wall -Wextra -Wpedantic -Werror -O2)
ringcheck_sanitize(ringcheck_explore_stress_core_tsan thread)

add_custom_target(mutation-explorers)

# ringcheck_add_mutant_explorers(<name> <ring> <include dir> [<target that writes the copy>])
function(ringcheck_add_mutant_explorers name ring include)
  set(root ${_explorer_root})
  if(ring STREQUAL "locked")
    set(unit_source ${root}/tests/locked_ring_test.cpp)
  else()
    set(unit_source ${root}/tests/lock_free_ring_test.cpp)
  endif()
  set(unit explore-unit-${name})
  add_executable(${unit} EXCLUDE_FROM_ALL ${root}/tests/ring_contract_test.cpp ${unit_source})
  target_link_libraries(${unit} PRIVATE ringcheck::rings GTest::gtest_main Threads::Threads)

  foreach(kind seq sched)
    set(harness ${root}/fuzz/harnesses/seq_${ring}_small.cpp)
    if(kind STREQUAL "sched")
      set(harness ${root}/fuzz/harnesses/sched_${ring}.cpp)
    endif()
    add_executable(explore-${kind}-${name} EXCLUDE_FROM_ALL ${harness} ${root}/fuzz/replay_main.cpp)
    target_link_libraries(explore-${kind}-${name} PRIVATE ringcheck_fuzz_support)
    ringcheck_sanitize(explore-${kind}-${name} "address,undefined")
  endforeach()

  set(tsan explore-tsan-${name})
  add_executable(${tsan} EXCLUDE_FROM_ALL ${root}/models/explorers/stress_rings.cpp)
  target_link_libraries(${tsan} PRIVATE ringcheck_explore_stress_core_tsan ringcheck_stress_oracle_tsan)
  target_compile_options(${tsan} PRIVATE -O2)
  ringcheck_sanitize(${tsan} thread)

  foreach(target ${unit} explore-seq-${name} explore-sched-${name} ${tsan})
    target_include_directories(${target} BEFORE PRIVATE ${include})
    target_compile_features(${target} PRIVATE cxx_std_20)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
    if(ARGC GREATER 3)
      add_dependencies(${target} ${ARGV3})
    endif()
    add_dependencies(mutation-explorers ${target})
  endforeach()
endfunction()
