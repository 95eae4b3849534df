# Deliberately broken rings for the fuzzers' must-fail tests: a copy of one impl/ header with one
# text replacement, moved into namespace ringcheck::fuzz_mutants, generated at build time (so it
# follows every edit of impl/). impl/ itself is never changed; if the ring's text drifts so that
# the replacement no longer applies, the build fails with a message saying so.
set(RINGCHECK_FUZZ_MUTANT_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/make_mutant.cmake)

# Adds to `target` the mutant header <mutants>/ringcheck/fuzz_mutants/<name>.hpp.
function(ringcheck_fuzz_mutant target name header from to)
  cmake_path(ABSOLUTE_PATH CMAKE_CURRENT_FUNCTION_LIST_DIR NORMALIZE OUTPUT_VARIABLE here)
  cmake_path(APPEND here ../../impl/include/ringcheck/${header} OUTPUT_VARIABLE source)
  cmake_path(NORMAL_PATH source)
  set(spec ${CMAKE_CURRENT_BINARY_DIR}/mutants/${name}.spec.cmake)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/mutants/ringcheck/fuzz_mutants/${name}.hpp)
  file(WRITE ${spec}.new "set(SOURCE [==[${source}]==])\nset(OUT [==[${out}]==])\nset(HEADER [==[${header}]==])\nset(FROM [==[${from}]==])\nset(TO [==[${to}]==])\n")
  configure_file(${spec}.new ${spec} COPYONLY)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DSPEC=${spec} -P ${RINGCHECK_FUZZ_MUTANT_SCRIPT}
    DEPENDS ${source} ${spec} ${RINGCHECK_FUZZ_MUTANT_SCRIPT}
    COMMENT "Generating the broken ring ${name} from ${header}" VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
