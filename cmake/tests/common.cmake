# Helpers for the packaging tests, which run as `cmake -P` scripts. Every script gets:
#   SOURCE_DIR BINARY_DIR (the libaurorax trees)  WORK (its scratch directory)  VERSION
#   SONAME SHARED_FILE LIBDIR  BUILD_TYPE  GENERATOR  C_COMPILER  CARGO_TARGET_DIR
# A missing tool fails the test: nothing here skips.

# run(COMMAND ... [OUTPUT_VARIABLE var]): fails the test, showing the output, unless the
# command exits 0
function(run)
  cmake_parse_arguments(R "" "OUTPUT_VARIABLE" "COMMAND" ${ARGN})
  execute_process(COMMAND ${R_COMMAND} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc STREQUAL "0")
    string(REPLACE ";" " " cmd "${R_COMMAND}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}")
  endif()
  if(R_OUTPUT_VARIABLE)
    set(${R_OUTPUT_VARIABLE} "${out}" PARENT_SCOPE)
  endif()
endfunction()

function(require_tool var name)
  find_program(${var} ${name})
  if(NOT ${var})
    message(FATAL_ERROR "${name} is needed by this test and was not found")
  endif()
endfunction()
require_tool(READELF readelf)
require_tool(LDD ldd)

# the file's SONAME is exactly `soname`
function(check_soname file soname)
  run(COMMAND "${READELF}" -d "${file}" OUTPUT_VARIABLE out)
  if(NOT out MATCHES "Library soname: \\[([^]]*)\\]")
    message(FATAL_ERROR "${file} has no SONAME:\n${out}")
  endif()
  if(NOT CMAKE_MATCH_1 STREQUAL soname)
    message(FATAL_ERROR "${file}: SONAME is ${CMAKE_MATCH_1}, expected ${soname}")
  endif()
endfunction()

# program needs libaurorax by its SONAME (kind shared) or not at all (kind static)
function(check_needed program kind)
  run(COMMAND "${READELF}" -d "${program}" OUTPUT_VARIABLE out)
  if(kind STREQUAL "shared")
    if(NOT out MATCHES "Shared library: \\[${SONAME}\\]")
      message(FATAL_ERROR "${program} does not record NEEDED ${SONAME}:\n${out}")
    endif()
  elseif(out MATCHES "Shared library: \\[libaurorax")
    message(FATAL_ERROR "${program} was meant to link libaurorax statically:\n${out}")
  endif()
endfunction()

# the loader takes libaurorax for `program` from `libdir` (and not some other copy)
function(check_loaded_from program libdir)
  run(COMMAND "${LDD}" "${program}" OUTPUT_VARIABLE out)
  if(NOT out MATCHES "${SONAME} => ([^ ]+)")
    message(FATAL_ERROR "ldd does not resolve ${SONAME} for ${program}:\n${out}")
  endif()
  get_filename_component(got "${CMAKE_MATCH_1}" REALPATH)
  get_filename_component(want "${libdir}/${SHARED_FILE}" REALPATH)
  if(NOT got STREQUAL want)
    message(FATAL_ERROR "${program} loads ${got}, expected ${want}")
  endif()
endfunction()

# runs the program; it must say it is this version (library and header) and exit 0
function(run_consumer program)
  run(COMMAND "${program}" OUTPUT_VARIABLE out)
  if(NOT out MATCHES "libaurorax ${VERSION} \\(header ${VERSION}\\)")
    message(FATAL_ERROR "${program} did not report libaurorax ${VERSION}:\n${out}")
  endif()
  message(STATUS "${program}: ${out}")
endfunction()

# configures and builds a consumer project (examples-c/consumer/...), then runs both of its
# programs and checks how each is linked
function(build_and_run_consumers source binary)
  file(REMOVE_RECURSE "${binary}")
  run(COMMAND "${CMAKE_COMMAND}" -S "${source}" -B "${binary}" -G "${GENERATOR}"
              -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_BUILD_TYPE=${BUILD_TYPE} ${ARGN})
  run(COMMAND "${CMAKE_COMMAND}" --build "${binary}" --config "${BUILD_TYPE}")
  foreach(kind shared static)
    check_needed("${binary}/consumer_${kind}" ${kind})
    run_consumer("${binary}/consumer_${kind}")
  endforeach()
endfunction()

# a CMakeCache.txt entry
function(cache_value binary name var)
  file(STRINGS "${binary}/CMakeCache.txt" line REGEX "^${name}:[A-Z]+=")
  string(REGEX REPLACE "^${name}:[A-Z]+=" "" value "${line}")
  set(${var} "${value}" PARENT_SCOPE)
endfunction()
