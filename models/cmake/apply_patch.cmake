# cmake -DSOURCE=<impl dir> -DDEST=<copy dir> -DPATCH=<file> -P apply_patch.cmake
# Copies impl/ to DEST and applies one catalogue patch there (paths relative to impl/, -p1).
# The production headers are never touched.
file(REMOVE_RECURSE ${DEST})
file(COPY ${SOURCE}/include DESTINATION ${DEST})
find_program(PATCH_EXECUTABLE patch)
if(PATCH_EXECUTABLE)
  execute_process(COMMAND ${PATCH_EXECUTABLE} -p1 --forward --batch --silent -d ${DEST} -i ${PATCH}
                  RESULT_VARIABLE failed)
else()
  find_program(GIT_EXECUTABLE git REQUIRED)
  execute_process(COMMAND ${GIT_EXECUTABLE} apply -p1 ${PATCH} WORKING_DIRECTORY ${DEST} RESULT_VARIABLE failed)
endif()
if(failed)
  message(FATAL_ERROR "catalogue mutant ${PATCH} no longer applies to impl/: update the patch")
endif()
file(TOUCH ${DEST}/applied.stamp)
