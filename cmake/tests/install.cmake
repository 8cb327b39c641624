# `DESTDIR=... cmake --install <build> --prefix /opt/aurorax`: the packager's route. Checks
# the layout, the library's links and SONAME, and that no installed file names an absolute
# path (neither the prefix nor DESTDIR nor the source or build tree). Leaves the tree in
# WORK/destdir for the find_package and version tests.
cmake_minimum_required(VERSION 3.16)  # script mode: the policies of 3.16 (IN_LIST)
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")
set(dest "${WORK}/destdir")
set(prefix /opt/aurorax)
set(root "${dest}${prefix}")
file(REMOVE_RECURSE "${dest}")
run(COMMAND "${CMAKE_COMMAND}" -E env "DESTDIR=${dest}" "${CMAKE_COMMAND}" --install "${BINARY_DIR}" --prefix ${prefix} --config ${BUILD_TYPE})

set(expected include/aurorax.h "${LIBDIR}/${SHARED_FILE}" "${LIBDIR}/libaurorax.a"
    "${LIBDIR}/pkgconfig/aurorax.pc" "${LIBDIR}/cmake/aurorax/aurorax-config.cmake"
    "${LIBDIR}/cmake/aurorax/aurorax-config-version.cmake" share/doc/aurorax/LICENSE
    bin/aurorax)
foreach(f IN LISTS expected)
  if(NOT EXISTS "${root}/${f}" OR IS_SYMLINK "${root}/${f}")
    message(FATAL_ERROR "not installed as a file: ${prefix}/${f}")
  endif()
endforeach()
# the command line runs from where it was installed
run(COMMAND "${root}/bin/aurorax" --version)

# every public header, as it is in the source tree (aurorax.hpp included once it exists)
file(GLOB headers RELATIVE "${SOURCE_DIR}/include" "${SOURCE_DIR}/include/aurorax*.h*")
file(GLOB installed RELATIVE "${root}/include" "${root}/include/*")
list(SORT headers)
list(SORT installed)
if(NOT headers STREQUAL installed)
  message(FATAL_ERROR "installed headers [${installed}], expected [${headers}]")
endif()
foreach(h IN LISTS headers)
  file(SHA256 "${SOURCE_DIR}/include/${h}" a)
  file(SHA256 "${root}/include/${h}" b)
  if(NOT a STREQUAL b)
    message(FATAL_ERROR "installed ${h} differs from include/${h}")
  endif()
endforeach()

# libaurorax.so -> SONAME -> the real file, as relative links
foreach(pair "libaurorax.so;${SONAME}" "${SONAME};${SHARED_FILE}")
  list(GET pair 0 link)
  list(GET pair 1 to)
  if(NOT IS_SYMLINK "${root}/${LIBDIR}/${link}")
    message(FATAL_ERROR "${LIBDIR}/${link} is not a symlink")
  endif()
  file(READ_SYMLINK "${root}/${LIBDIR}/${link}" target)
  if(NOT target STREQUAL to)
    message(FATAL_ERROR "${LIBDIR}/${link} -> ${target}, expected -> ${to}")
  endif()
endforeach()
check_soname("${root}/${LIBDIR}/${SHARED_FILE}" "${SONAME}")

# relocatable: no absolute path in the package files
foreach(f "${LIBDIR}/pkgconfig/aurorax.pc" "${LIBDIR}/cmake/aurorax/aurorax-config.cmake"
          "${LIBDIR}/cmake/aurorax/aurorax-config-version.cmake")
  file(READ "${root}/${f}" text)
  foreach(path "${prefix}" "${dest}" "${SOURCE_DIR}" "${BINARY_DIR}")
    string(FIND "${text}" "${path}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${f} names the absolute path ${path}:\n${text}")
    endif()
  endforeach()
endforeach()
file(STRINGS "${root}/${LIBDIR}/pkgconfig/aurorax.pc" pc REGEX "^[^#]")
foreach(line IN LISTS pc)
  if(line MATCHES "(=| -[IL])/")
    message(FATAL_ERROR "aurorax.pc: absolute path in `${line}`")
  endif()
endforeach()
file(RELATIVE_PATH up "/p/${LIBDIR}/pkgconfig" "/p")
string(REGEX REPLACE "/$" "" up "${up}")
if(NOT "prefix=\${pcfiledir}/${up}" IN_LIST pc)
  message(FATAL_ERROR "aurorax.pc: no `prefix=\${pcfiledir}/${up}` line:\n${pc}")
endif()
message(STATUS "installed in ${root}")
