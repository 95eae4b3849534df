# What `cmake --install` adds to the rings when the suite is built: the suite's exported targets
# (each part installs its own), ringcheck_add_queue, and the `ringcheck` command with its python.
# The installed targets are the ones this tree builds and tests; nothing is compiled twice for them.
install(EXPORT ringcheckSuiteTargets NAMESPACE ringcheck:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ringcheck COMPONENT suite)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/RingcheckAddQueue.cmake DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ringcheck COMPONENT suite)
install(FILES ${PROJECT_SOURCE_DIR}/ci/ringcheck.py ${PROJECT_SOURCE_DIR}/ci/gate.py ${PROJECT_SOURCE_DIR}/ci/proc.py
              ${PROJECT_SOURCE_DIR}/ci/report.py
        DESTINATION ${CMAKE_INSTALL_DATADIR}/ringcheck/ci COMPONENT suite)

# bin/ringcheck finds its python relative to itself, so the prefix can move (a .deb installs to /usr).
file(RELATIVE_PATH RINGCHECK_BIN_TO_DATA /${CMAKE_INSTALL_BINDIR} /${CMAKE_INSTALL_DATADIR}/ringcheck)
configure_file(${CMAKE_CURRENT_LIST_DIR}/ringcheck-installed.sh.in ${PROJECT_BINARY_DIR}/installed/ringcheck @ONLY)
install(PROGRAMS ${PROJECT_BINARY_DIR}/installed/ringcheck DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT suite)

# A Debian package of the same install (cd build/gcc && cpack): ringcheck_<version>_amd64.deb, under
# /usr. Its programs and libraries are g++'s, so it depends on g++ (whose gcc-12 brings the TSan,
# ASan and UBSan runtimes), cmake to use the CMake package, python3 for the command, relacy-dev
# (headers) for the models of a SYNC_ADAPTER; clang and its runtime libraries are what
# ringcheck_add_queue needs for libFuzzer. ci/deb_chroot_test.sh installs
# it in a bare bookworm and checks examples/own_queue there.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ringcheck)
set(CPACK_PACKAGE_CONTACT "ringcheck maintainers <ringcheck@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "g++ (>= 4:12), cmake (>= 3.25), python3 (>= 3.9), relacy-dev, ninja-build | make")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ninja-build, clang, libclang-rt-14-dev")
include(CPack)

# The installed flow: cmake --install, then examples/own_queue (a project of its own) checks the
# article's ring and a broken variant with ringcheck_add_queue, its ctest and the installed gate.
# It builds twelve programs (Release: without debug info, which nothing here reads, the build
# takes about half the time) and runs two 24 s gates: 90 s alone here, so 300 s at most.
# COST: it starts first, beside the mutation matrix, and the short tests follow them; run last and
# alone it added its whole time to the suite's.
if(TARGET ringcheck_stress_release AND TARGET ringcheck_fuzz_replay)
  add_test(NAME install.own_queue_example_checked_through_installed_ringcheck
    COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${PROJECT_BINARY_DIR} -DEXAMPLE_DIR=${PROJECT_SOURCE_DIR}/examples/own_queue
            -DWORK_DIR=${PROJECT_BINARY_DIR}/tests/install_own_queue -DCXX=${CMAKE_CXX_COMPILER}
            -P ${PROJECT_SOURCE_DIR}/tests/install_own_queue/run.cmake)
  set_tests_properties(install.own_queue_example_checked_through_installed_ringcheck PROPERTIES
    LABELS install TIMEOUT 300 COST 5000)
endif()
