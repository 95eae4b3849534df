# cmake -DCOMMAND=<program> -DARGS=a|b|c -DEXPECT_EXIT=<code> -P expect_exit.cmake
# Passes when the program exits with EXPECT_EXIT and writes exactly one line to stderr.
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND ${COMMAND} ${args} RESULT_VARIABLE code ERROR_VARIABLE err OUTPUT_QUIET)
string(STRIP "${err}" err)
string(REGEX MATCHALL "\n" newlines "${err}")
if(NOT code EQUAL EXPECT_EXIT OR newlines OR err STREQUAL "")
  message(FATAL_ERROR "expected exit ${EXPECT_EXIT} and one error line, got exit ${code} and:\n${err}")
endif()
message(STATUS "exit ${code}: ${err}")
