# FetchContent from this repository's git URL (file://, never the network) at its HEAD
# commit: the fetched copy contains only what is committed, so this also catches a build
# that works only in a developer's tree. Uncommitted changes are not part of this test.
cmake_minimum_required(VERSION 3.16)  # script mode: the policies of 3.16 (IN_LIST)
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")
require_tool(GIT git)
execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" rev-parse --verify HEAD
                RESULT_VARIABLE rc OUTPUT_VARIABLE commit ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
if(rc)
  message(FATAL_ERROR "the FetchContent test needs ${SOURCE_DIR} to be a git checkout: ${err}")
endif()
message(STATUS "fetching file://${SOURCE_DIR} at ${commit}")
set(binary "${WORK}/fetchcontent")
build_and_run_consumers("${SOURCE_DIR}/examples-c/consumer/fetchcontent" "${binary}"
                        "-DAURORAX_GIT_REPOSITORY=file://${SOURCE_DIR}" "-DAURORAX_GIT_TAG=${commit}"
                        "-DAURORAX_CARGO_TARGET_DIR=${CARGO_TARGET_DIR}")
run(COMMAND "${GIT}" -C "${binary}/_deps/aurorax-src" rev-parse HEAD OUTPUT_VARIABLE fetched)
string(STRIP "${fetched}" fetched)
if(NOT fetched STREQUAL commit)
  message(FATAL_ERROR "fetched ${fetched}, expected ${commit}")
endif()
check_loaded_from("${binary}/consumer_shared" "${binary}/_deps/aurorax-build/aurorax-lib")
