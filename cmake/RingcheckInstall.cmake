# What `cmake --install` adds to the rings when the suite is built: the suite's exported targets
# (each part installs its own), ringcheck_add_queue, and the `ringcheck` command with its python.
# The installed targets are the ones this tree builds and tests; nothing is compiled twice for them.
install(EXPORT ringcheckSuiteTargets NAMESPACE ringcheck:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ringcheck)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/RingcheckAddQueue.cmake DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ringcheck)
install(FILES ${PROJECT_SOURCE_DIR}/ci/ringcheck.py ${PROJECT_SOURCE_DIR}/ci/gate.py ${PROJECT_SOURCE_DIR}/ci/proc.py
              ${PROJECT_SOURCE_DIR}/ci/report.py
        DESTINATION ${CMAKE_INSTALL_DATADIR}/ringcheck/ci)

# bin/ringcheck finds its python relative to itself, so the prefix can move (a .deb installs to /usr).
file(RELATIVE_PATH RINGCHECK_BIN_TO_DATA /${CMAKE_INSTALL_BINDIR} /${CMAKE_INSTALL_DATADIR}/ringcheck)
configure_file(${CMAKE_CURRENT_LIST_DIR}/ringcheck-installed.sh.in ${PROJECT_BINARY_DIR}/installed/ringcheck @ONLY)
install(PROGRAMS ${PROJECT_BINARY_DIR}/installed/ringcheck DESTINATION ${CMAKE_INSTALL_BINDIR})

