# A consumer project finds the tree the install test put in WORK/destdir/opt/aurorax
# (installed for /opt/aurorax, used from elsewhere) with find_package(aurorax CONFIG), links
# aurorax::aurorax and aurorax::aurorax_static, and runs both programs.
cmake_minimum_required(VERSION 3.16)  # script mode: the policies of 3.16 (IN_LIST)
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")
set(root "${WORK}/destdir/opt/aurorax")
set(binary "${WORK}/find-package")
build_and_run_consumers("${SOURCE_DIR}/examples-c/consumer" "${binary}" "-DCMAKE_PREFIX_PATH=${root}"
                        "-DAURORAX_WANT_VERSION=${VERSION}")
cache_value("${binary}" aurorax_DIR dir)
if(NOT dir STREQUAL "${root}/${LIBDIR}/cmake/aurorax")
  message(FATAL_ERROR "find_package used ${dir}, not the tree under test")
endif()
check_loaded_from("${binary}/consumer_shared" "${root}/${LIBDIR}")
