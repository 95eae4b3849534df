# cmake -DSPEC=<file> -P make_mutant.cmake: writes OUT = SOURCE with FROM replaced by TO (see
# FuzzMutants.cmake).
include(${SPEC})
file(READ ${SOURCE} text)
string(FIND "${text}" "${FROM}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "fuzz mutant: the text '${FROM}' is no longer in ${SOURCE}; update fuzz/CMakeLists.txt")
endif()
string(REPLACE "${FROM}" "${TO}" text "${text}")
string(REPLACE "namespace ringcheck {" "namespace ringcheck::fuzz_mutants {" text "${text}")
file(WRITE ${OUT} "// GENERATED from ${HEADER} by fuzz/cmake/make_mutant.cmake: a deliberately broken ring.\n${text}")
