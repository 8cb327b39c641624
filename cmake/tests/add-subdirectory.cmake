# add_subdirectory(<libaurorax source>) from a consumer project: aurorax::aurorax and
# aurorax::aurorax_static come from the build tree (no install), the subproject adds no
# tests and no targets beyond the cargo step, `cmake --install` of the consumer installs
# libaurorax beside it, and cargo's target directory defaults to the build tree.
cmake_minimum_required(VERSION 3.16)  # script mode: the policies of 3.16 (IN_LIST)
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")
set(binary "${WORK}/add-subdirectory")
# (the shared CARGO_TARGET_DIR saves a second full cargo build; the last check below shows
# the default)
build_and_run_consumers("${SOURCE_DIR}/examples-c/consumer/subdirectory" "${binary}"
                        "-DAURORAX_SOURCE_DIR=${SOURCE_DIR}" "-DAURORAX_CARGO_TARGET_DIR=${CARGO_TARGET_DIR}")
check_loaded_from("${binary}/consumer_shared" "${binary}/aurorax/aurorax-lib")

set(dest "${WORK}/add-subdirectory-destdir")
run(COMMAND "${CMAKE_COMMAND}" -E env "DESTDIR=${dest}" "${CMAKE_COMMAND}" --install "${binary}" --prefix /app --config ${BUILD_TYPE})
cache_value("${binary}" CMAKE_INSTALL_LIBDIR libdir)
foreach(f "bin/consumer_shared" "${libdir}/${SHARED_FILE}" "${libdir}/${SONAME}" "include/aurorax.h")
  if(NOT EXISTS "${dest}/app/${f}")
    message(FATAL_ERROR "the consumer's install lacks /app/${f}")
  endif()
endforeach()
run_consumer("${dest}/app/bin/consumer_shared")  # through its $ORIGIN/../lib RPATH
check_loaded_from("${dest}/app/bin/consumer_shared" "${dest}/app/${libdir}")

set(default "${WORK}/add-subdirectory-default")
file(REMOVE_RECURSE "${default}")
run(COMMAND "${CMAKE_COMMAND}" -E env --unset=CARGO_TARGET_DIR
            "${CMAKE_COMMAND}" -S "${SOURCE_DIR}/examples-c/consumer/subdirectory" -B "${default}" -G "${GENERATOR}"
            -DCMAKE_C_COMPILER=${C_COMPILER} "-DAURORAX_SOURCE_DIR=${SOURCE_DIR}")
cache_value("${default}" AURORAX_CARGO_TARGET_DIR dir)
if(NOT dir STREQUAL "${default}/aurorax/cargo")
  message(FATAL_ERROR "as a subproject cargo's target directory defaults to ${dir}, not into the build tree")
endif()
file(REMOVE_RECURSE "${default}")
