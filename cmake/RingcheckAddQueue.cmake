# ringcheck_add_queue: every ringcheck checker for one of your queues, in your build, as ctest tests.
# Included by ringcheckConfig.cmake (find_package(ringcheck)).
#
#   ringcheck_add_queue(<name>
#       HEADER <file>            the adapter's header (relative to the current source folder)
#       ADAPTER <type>           a ringcheck::adapters::queue_under_test (contract and thread limits in it)
#       [SYNC_ADAPTER <tmpl>]    the adapter as a template over the sync backend (your queue written
#                                against Sync::atomic, Sync::cell, ... as ringcheck/std_sync.hpp says):
#                                adds the Relacy models and the schedule fuzzer, and the stress runs'
#                                --perturb then also yields inside your queue (tmpl<perturbing_sync>)
#       [LINK <libs>...]         what the adapter needs to link
#       [REGRESSIONS <folder>])  fuzz inputs that once failed, replayed by a test
#
# Creates, for <name>:
#   <name>-stress-tsan, -asan, -release  the stress runner under ThreadSanitizer, ASan+UBSan, -O2;
#                                        histories judged by ringcheck's oracle
#   <name>-fuzz                          the sequential differential fuzzer against the reference queue:
#                                        libFuzzer with clang (RINGCHECK_LIBFUZZER), else the replay driver
#                                        (the seeds, then -runs=N random inputs)
#   with SYNC_ADAPTER:
#   <name>-models                        Relacy models of tmpl<relacy_sync> (models/adapter_models.hpp),
#                                        histories judged by the oracle
#   <name>-sched-fuzz                    the schedule fuzzer over tmpl<sched_sync> (fuzz/adapter_schedule.hpp)
#   <name>-ringcheck                     all of them
#   ctest tests ringcheck.<name>.*       labels stress, fuzz, model, regression; bounded by operation,
#                                        iteration and input counts
#   <build>/ringcheck/queues/<name>.json the manifest `ringcheck gate --build <build>` reads
include_guard(GLOBAL)

if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  option(RINGCHECK_LIBFUZZER "ringcheck_add_queue: build the fuzzers with libFuzzer (clang)" ON)
else()
  set(RINGCHECK_LIBFUZZER OFF)
endif()
# The seeds and dictionaries every queue's fuzzers start from: the installed ones (ringcheckConfig.cmake
# sets RINGCHECK_DATA_DIR), unless set before (ringcheck's own tree points them at its sources: peers/).
if(NOT DEFINED RINGCHECK_ADAPTER_CORPUS)
  set(RINGCHECK_ADAPTER_CORPUS ${RINGCHECK_DATA_DIR}/fuzz/corpus/adapter)
  set(RINGCHECK_ADAPTER_DICT ${RINGCHECK_DATA_DIR}/fuzz/adapter.dict)
  set(RINGCHECK_SCHEDULE_CORPORA ${RINGCHECK_DATA_DIR}/fuzz/corpus/schedule)
  set(RINGCHECK_SCHEDULE_DICT ${RINGCHECK_DATA_DIR}/fuzz/schedule.dict)
endif()
set(RINGCHECK_STRESS_OPS_tsan 20000 CACHE STRING "ringcheck_add_queue: values pushed per TSan stress test")
set(RINGCHECK_STRESS_OPS_asan 50000 CACHE STRING "ringcheck_add_queue: values pushed per ASan+UBSan stress test")
set(RINGCHECK_STRESS_OPS_release 200000 CACHE STRING "ringcheck_add_queue: values pushed per -O2 stress test")
set(RINGCHECK_FUZZ_RUNS 20000 CACHE STRING "ringcheck_add_queue: inputs per libFuzzer test")
set(RINGCHECK_SCHED_FUZZ_RUNS 2000 CACHE STRING "ringcheck_add_queue: inputs per schedule fuzzer test")

if(NOT CMAKE_CXX_COMPILER_ID STREQUAL RINGCHECK_BUILT_WITH)
  message(WARNING "ringcheck was built with ${RINGCHECK_BUILT_WITH}, this project uses ${CMAKE_CXX_COMPILER_ID}: "
                  "the sanitized stress runners mix two compilers' instrumentation (untested); the fuzzer is fine")
endif()

function(_ringcheck_queue_program target name source link)
  add_executable(${target} ${source})
  target_link_libraries(${target} PRIVATE ${link})
  target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_features(${target} PRIVATE cxx_std_20)
  target_compile_options(${target} PRIVATE -O2 -g)
  add_dependencies(${name}-ringcheck ${target})
endfunction()

# A fuzzer of the queue: libFuzzer with ASan+UBSan (clang), else the replay driver with ASan+UBSan.
function(_ringcheck_fuzz_program target name source link)
  if(RINGCHECK_LIBFUZZER)
    _ringcheck_queue_program(${target} ${name} ${source} "ringcheck::fuzz;${link}")
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined)
  else()
    _ringcheck_queue_program(${target} ${name} ${source} "ringcheck::fuzz;ringcheck::fuzz_replay;${link}")
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# The seed corpus: fill to one past capacity, drain one past empty, interleave, at capacities 1, 2,
# 4 and 8. One byte per operation: 24 is try_push and 1 try_pop whatever the adapter offers (24 % 3
# and 24 % 8 are 0), 2 asks capacity(); the first byte picks the capacity (adapter_harness.hpp).
function(_ringcheck_seed_corpus folder)
  file(MAKE_DIRECTORY ${folder})
  set(picks 1 3 7 9)
  set(capacities 1 2 4 8)
  foreach(pick capacity IN ZIP_LISTS picks capacities)
    string(ASCII ${pick} head)
    string(ASCII 24 push)
    string(ASCII 1 pop)
    string(ASCII 2 cap)
    set(fill "")
    math(EXPR over "${capacity} + 1")
    foreach(i RANGE 1 ${over})
      string(APPEND fill ${push})
      string(APPEND drain ${pop})
      string(APPEND mixed ${push}${push}${pop})
    endforeach()
    file(WRITE ${folder}/fill_drain_${capacity} "${head}${fill}${cap}${drain}${drain}${cap}")
    file(WRITE ${folder}/interleave_${capacity} "${head}${mixed}${drain}${fill}${cap}")
    set(drain "")
    set(mixed "")
  endforeach()
endfunction()

# A macro, so that enable_testing() applies to the caller's folder (it sets a variable of that scope).
macro(ringcheck_add_queue)
  enable_testing()
  _ringcheck_add_queue(${ARGV})
endmacro()

function(_ringcheck_add_queue name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "HEADER;ADAPTER;SYNC_ADAPTER;REGRESSIONS" "LINK")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ringcheck_add_queue(${name}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT name MATCHES "^[A-Za-z][A-Za-z0-9_]*$")
    message(FATAL_ERROR "ringcheck_add_queue(${name}): the name must be letters, digits and _ (it names targets and tests)")
  endif()
  if(NOT arg_HEADER OR NOT arg_ADAPTER)
    message(FATAL_ERROR "ringcheck_add_queue(${name}): HEADER and ADAPTER are required")
  endif()
  cmake_path(ABSOLUTE_PATH arg_HEADER BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} OUTPUT_VARIABLE header)
  if(NOT EXISTS ${header})
    message(FATAL_ERROR "ringcheck_add_queue(${name}): HEADER ${header} does not exist")
  endif()
  if(arg_REGRESSIONS)
    cmake_path(ABSOLUTE_PATH arg_REGRESSIONS BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} OUTPUT_VARIABLE regressions)
  endif()

  set(work ${CMAKE_CURRENT_BINARY_DIR}/ringcheck/${name})
  add_custom_target(${name}-ringcheck)

  # ---- stress runners ----
  if(arg_SYNC_ADAPTER)
    set(perturbed ", ${arg_SYNC_ADAPTER}<ringcheck::stress::perturbing_sync>")
  else()
    set(perturbed "")
  endif()
  file(CONFIGURE OUTPUT ${work}/stress_main.cpp @ONLY CONTENT [==[
// GENERATED by ringcheck_add_queue(@name@): the stress runner of @arg_ADAPTER@.
#include "@header@"
#include "ringcheck/stress/perturb.hpp"
#include "ringcheck/stress/queue_main.hpp"

int main(int argc, char** argv) {
    ringcheck::stress::registry queues;
    queues.add<@arg_ADAPTER@@perturbed@>("@name@");
    return ringcheck::stress::queue_main(argc, argv, queues);
}
]==])
  set(tests_json "")
  foreach(config tsan asan release)
    if(NOT TARGET ringcheck::stress_${config})
      message(FATAL_ERROR "ringcheck_add_queue: ringcheck::stress_${config} is not installed (was ringcheck built with its tests?)")
    endif()
    _ringcheck_queue_program(${name}-stress-${config} ${name} ${work}/stress_main.cpp "ringcheck::stress_${config};${arg_LINK}")
    set(common --ops ${RINGCHECK_STRESS_OPS_${config}} --watchdog 60 --out ${work}/repro/${config})
    add_test(NAME ringcheck.${name}.stress.${config}.capacity4 COMMAND ${name}-stress-${config} ${common} --capacity 4 --seed 1)
    add_test(NAME ringcheck.${name}.stress.${config}.capacity2_perturbed
             COMMAND ${name}-stress-${config} ${common} --capacity 2 --perturb --seed 2)
    set_tests_properties(ringcheck.${name}.stress.${config}.capacity4 ringcheck.${name}.stress.${config}.capacity2_perturbed
                         PROPERTIES LABELS stress TIMEOUT 120)
    string(APPEND stress_json "    \"${config}\": \"$<TARGET_FILE:${name}-stress-${config}>\",\n")
  endforeach()
  string(REGEX REPLACE ",\n$" "\n" stress_json "${stress_json}")

  # ---- the sequential differential fuzzer ----
  file(CONFIGURE OUTPUT ${work}/fuzz.cpp @ONLY CONTENT [==[
// GENERATED by ringcheck_add_queue(@name@): @arg_ADAPTER@ against ringcheck's reference queue.
#include "@header@"
#include "ringcheck/fuzz/adapter_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return ringcheck::fuzz::run_adapter_sequential<@arg_ADAPTER@>(data, size);
}
]==])
  _ringcheck_fuzz_program(${name}-fuzz ${name} ${work}/fuzz.cpp "${arg_LINK}")
  if(RINGCHECK_LIBFUZZER)
    set(libfuzzer true)
  else()
    set(libfuzzer false)
  endif()
  _ringcheck_seed_corpus(${work}/seeds)
  set(corpora ${work}/seeds ${RINGCHECK_ADAPTER_CORPUS})
  file(MAKE_DIRECTORY ${work}/fuzz-scratch)
  set(replayed ${corpora})
  if(regressions)
    list(APPEND replayed ${regressions})
  endif()
  add_test(NAME ringcheck.${name}.fuzz.replay_corpus COMMAND ${name}-fuzz -runs=0 -artifact_prefix=${work}/fuzz-scratch/ ${replayed})
  set_tests_properties(ringcheck.${name}.fuzz.replay_corpus PROPERTIES LABELS regression TIMEOUT 120)
  if(libfuzzer)
    add_test(NAME ringcheck.${name}.fuzz.run COMMAND ${name}-fuzz -runs=${RINGCHECK_FUZZ_RUNS} -seed=1
             -dict=${RINGCHECK_ADAPTER_DICT} -artifact_prefix=${work}/fuzz-scratch/${name}- ${work}/fuzz-scratch ${corpora})
  else()  # the replay driver's random inputs
    add_test(NAME ringcheck.${name}.fuzz.run COMMAND ${name}-fuzz -runs=${RINGCHECK_FUZZ_RUNS} -seed=1
             -artifact_prefix=${work}/fuzz-scratch/${name}-)
  endif()
  set_tests_properties(ringcheck.${name}.fuzz.run PROPERTIES LABELS fuzz TIMEOUT 120)

  # ---- over the sync backend: the Relacy models and the schedule fuzzer ----
  set(models_json null)
  set(sched_json null)
  set(sync_targets "")
  if(arg_SYNC_ADAPTER)
    _ringcheck_queue_models(${name} ${header} ${arg_SYNC_ADAPTER} "${arg_LINK}" ${work} models_json)
    _ringcheck_queue_schedule_fuzzer(${name} ${header} ${arg_SYNC_ADAPTER} "${arg_LINK}" ${work} ${libfuzzer} sched_json)
    set(sync_targets ", \"${name}-models\", \"${name}-sched-fuzz\"")
  endif()

  # ---- the manifest for ringcheck gate ----
  list(JOIN corpora "\", \"" corpora_json)
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/ringcheck/queues/${name}.json CONTENT "{
  \"format\": \"ringcheck-queue 1\",
  \"name\": \"${name}\",
  \"adapter\": \"${arg_ADAPTER}\",
  \"sync_adapter\": \"${arg_SYNC_ADAPTER}\",
  \"header\": \"${header}\",
  \"build_dir\": \"${CMAKE_BINARY_DIR}\",
  \"work_dir\": \"${work}\",
  \"targets\": [\"${name}-stress-tsan\", \"${name}-stress-asan\", \"${name}-stress-release\", \"${name}-fuzz\"${sync_targets}],
  \"stress\": {
${stress_json}  },
  \"fuzz\": {
    \"binary\": \"$<TARGET_FILE:${name}-fuzz>\",
    \"libfuzzer\": ${libfuzzer},
    \"corpus\": [\"${corpora_json}\"],
    \"regressions\": \"${regressions}\",
    \"dict\": \"${RINGCHECK_ADAPTER_DICT}\"
  },
  \"models\": ${models_json},
  \"sched_fuzz\": ${sched_json},
  \"describe\": \"contract and thread limits: <stress release> --describe-queue\"
}
")
endfunction()

# The Relacy models of sync_adapter<relacy_sync>: <name>-models, one ctest test that runs them all
# (exhaustive, context-bounded and 20000-iteration random searches: bounded by iterations).
function(_ringcheck_queue_models name header sync_adapter link work json_var)
  if(NOT TARGET ringcheck::models_runner)
    message(FATAL_ERROR "ringcheck_add_queue(${name}): SYNC_ADAPTER needs ringcheck::models_runner, which this ringcheck was installed without (built without relacy-dev)")
  endif()
  find_path(RINGCHECK_RELACY_INCLUDE_DIR relacy/relacy.hpp)
  if(NOT RINGCHECK_RELACY_INCLUDE_DIR)
    message(FATAL_ERROR "ringcheck_add_queue(${name}): SYNC_ADAPTER needs Relacy's headers for the models (apt-get install relacy-dev)")
  endif()
  file(CONFIGURE OUTPUT ${work}/models_main.cpp @ONLY CONTENT [==[
// GENERATED by ringcheck_add_queue(@name@): the Relacy models of @sync_adapter@<relacy_sync>.
#include "@header@"
#include "ringcheck/models/adapter_models.hpp"
#include "ringcheck/models/runner.hpp"

namespace ringcheck::models {
std::vector<model_entry> binary_models() { return adapter_models<@sync_adapter@>(); }
std::string_view catalogue_mutant() { return ""; }
}  // namespace ringcheck::models

int main(int argc, char** argv) { return ringcheck::models::runner_main(argc, argv); }
]==])
  _ringcheck_queue_program(${name}-models ${name} ${work}/models_main.cpp "ringcheck::models_runner;${link}")
  target_include_directories(${name}-models SYSTEM PRIVATE ${RINGCHECK_RELACY_INCLUDE_DIR})
  file(MAKE_DIRECTORY ${work}/models)
  set(replay ${work}/models/${name}.replay)
  add_test(NAME ringcheck.${name}.models COMMAND ${name}-models run all --replay-out ${replay})
  set_tests_properties(ringcheck.${name}.models PROPERTIES LABELS model TIMEOUT 300)
  set(${json_var} "{\"binary\": \"$<TARGET_FILE:${name}-models>\", \"replay\": \"${replay}\"}" PARENT_SCOPE)
endfunction()

# The schedule fuzzer of sync_adapter<sched_sync>: <name>-sched-fuzz; its ctest tests replay the
# installed schedule corpus (label regression) and run RINGCHECK_SCHED_FUZZ_RUNS inputs (label fuzz:
# libFuzzer's, or the replay driver's random ones).
function(_ringcheck_queue_schedule_fuzzer name header sync_adapter link work libfuzzer json_var)
  file(CONFIGURE OUTPUT ${work}/sched_fuzz.cpp @ONLY CONTENT [==[
// GENERATED by ringcheck_add_queue(@name@): the schedule fuzzer of @sync_adapter@<sched_sync>.
#include "@header@"
#include "ringcheck/fuzz/adapter_schedule.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return ringcheck::fuzz::run_adapter_schedule<@sync_adapter@>(data, size);
}
]==])
  _ringcheck_fuzz_program(${name}-sched-fuzz ${name} ${work}/sched_fuzz.cpp "${link}")
  set(corpus ${RINGCHECK_SCHEDULE_CORPORA})
  set(dict ${RINGCHECK_SCHEDULE_DICT})
  list(JOIN corpus "\", \"" corpus_json)
  set(scratch ${work}/sched-fuzz-scratch)
  file(MAKE_DIRECTORY ${scratch})
  add_test(NAME ringcheck.${name}.sched_fuzz.replay_corpus COMMAND ${name}-sched-fuzz -runs=0 -artifact_prefix=${scratch}/ ${corpus})
  set_tests_properties(ringcheck.${name}.sched_fuzz.replay_corpus PROPERTIES LABELS regression TIMEOUT 120)
  if(libfuzzer)
    add_test(NAME ringcheck.${name}.sched_fuzz.run COMMAND ${name}-sched-fuzz -runs=${RINGCHECK_SCHED_FUZZ_RUNS} -seed=1
             -timeout=20 -dict=${dict} -artifact_prefix=${scratch}/${name}-sched- ${scratch} ${corpus})
  else()  # the replay driver's random inputs
    add_test(NAME ringcheck.${name}.sched_fuzz.run COMMAND ${name}-sched-fuzz -runs=${RINGCHECK_SCHED_FUZZ_RUNS} -seed=1
             -artifact_prefix=${scratch}/${name}-sched-)
  endif()
  set_tests_properties(ringcheck.${name}.sched_fuzz.run PROPERTIES LABELS fuzz TIMEOUT 120)
  set(${json_var} "{
    \"binary\": \"$<TARGET_FILE:${name}-sched-fuzz>\",
    \"libfuzzer\": ${libfuzzer},
    \"corpus\": [\"${corpus_json}\"],
    \"dict\": \"${dict}\"
  }" PARENT_SCOPE)
endfunction()
