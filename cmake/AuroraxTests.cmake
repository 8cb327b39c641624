# The packaging tests (Linux): the SONAME, `cmake --install` with DESTDIR and a prefix,
# find_package from the installed tree, the version file's compatibility rule, pkg-config
# from a moved tree, add_subdirectory and FetchContent; and the names chosen for macOS and
# Windows (configure only). Each is a script under cmake/tests
# or examples-c/consumer; consumer projects are configured with this build's type, so in a
# Debug build they reuse cargo's warm dev build.
#   ctest --test-dir <build> --output-on-failure --no-tests=error
set(_work "${CMAKE_CURRENT_BINARY_DIR}/packaging-tests")
set(_tests "${CMAKE_CURRENT_SOURCE_DIR}/cmake/tests")
include(GNUInstallDirs)
set(_args
  "-DSOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}" "-DBINARY_DIR=${CMAKE_CURRENT_BINARY_DIR}" "-DWORK=${_work}"
  "-DVERSION=${PROJECT_VERSION}" "-DSONAME=${AURORAX_SONAME}" "-DSHARED_FILE=${AURORAX_SHARED_FILE}"
  "-DLIBDIR=${CMAKE_INSTALL_LIBDIR}" "-DBUILD_TYPE=$<CONFIG>" "-DGENERATOR=${CMAKE_GENERATOR}"
  "-DC_COMPILER=${CMAKE_C_COMPILER}" "-DCARGO_TARGET_DIR=${_aurorax_target_dir}")

function(_aurorax_test name script timeout)
  add_test(NAME aurorax_${name} COMMAND "${CMAKE_COMMAND}" ${_args} -P "${_tests}/${script}")
  set_tests_properties(aurorax_${name} PROPERTIES TIMEOUT ${timeout} ${ARGN})
endfunction()

_aurorax_test(soname soname.cmake 300)
_aurorax_test(foreign_targets foreign-targets.cmake 300)
_aurorax_test(install install.cmake 300 FIXTURES_SETUP aurorax_installed)
_aurorax_test(version_compat version-compat.cmake 300 FIXTURES_REQUIRED aurorax_installed)
_aurorax_test(find_package find-package.cmake 300 FIXTURES_REQUIRED aurorax_installed)
add_test(NAME aurorax_pkg_config_relocated
         COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/examples-c/consumer/pkg-config-relocated.sh"
                 "${CMAKE_CURRENT_BINARY_DIR}" "${_work}/pkg-config" "${AURORAX_SONAME}" "${PROJECT_VERSION}" "$<CONFIG>")
set_tests_properties(aurorax_pkg_config_relocated PROPERTIES TIMEOUT 300)
# these two run cargo on the shared target directory: one at a time (cargo would wait for
# its lock anyway, but inside the other test's timeout)
_aurorax_test(add_subdirectory add-subdirectory.cmake 900 RESOURCE_LOCK aurorax_cargo_target)
_aurorax_test(fetchcontent fetchcontent.cmake 900 RESOURCE_LOCK aurorax_cargo_target)
