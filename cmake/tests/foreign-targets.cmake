# macOS and Windows cannot be built here; this configures the project for their Rust
# targets (configure only: rustc knows every target's properties without its standard
# library) and checks the file names, install name and link items the generated CMake
# package would use. It shows the per-OS choices are made, not that those builds work.
cmake_minimum_required(VERSION 3.16)  # script mode: the policies of 3.16 (IN_LIST)
include("${CMAKE_CURRENT_LIST_DIR}/common.cmake")

function(configure_for triple native)
  set(binary "${WORK}/foreign-${triple}")
  file(REMOVE_RECURSE "${binary}")
  run(COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${binary}" -G "${GENERATOR}" -DCMAKE_C_COMPILER=${C_COMPILER}
              -DAURORAX_RUST_TARGET=${triple} "-DAURORAX_NATIVE_STATIC_LIBS=${native}" -DAURORAX_BUILD_TESTS=OFF)
  file(READ "${binary}/packaging/aurorax-config.cmake" config)
  file(READ "${binary}/packaging/aurorax.pc" pc)
  set(config "${config}" PARENT_SCOPE)
  set(pc "${pc}" PARENT_SCOPE)
  set(binary "${binary}" PARENT_SCOPE)
endfunction()

function(expect text what)
  foreach(s IN LISTS ARGN)
    string(FIND "${text}" "${s}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${what} lacks `${s}`:\n${text}")
    endif()
  endforeach()
endfunction()

string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" abi "${VERSION}")
if(CMAKE_MATCH_1 STREQUAL "0")
  set(abi "0.${CMAKE_MATCH_2}")
else()
  set(abi "${CMAKE_MATCH_1}")
endif()

configure_for(x86_64-apple-darwin "-lSystem -framework Security -lc -lm")
expect("${config}" "macOS aurorax-config.cmake"
  "IMPORTED_LOCATION \"\${PACKAGE_PREFIX_DIR}/${LIBDIR}/libaurorax.${VERSION}.dylib\""
  "IMPORTED_SONAME \"@rpath/libaurorax.${abi}.dylib\""
  "INTERFACE_LINK_LIBRARIES \"-lSystem;-framework Security;-lc;-lm\"")
expect("${pc}" "macOS aurorax.pc" "Libs.private: -lSystem -framework Security -lc -lm")
file(READ "${binary}/cmake_install.cmake" install)
expect("${install}" "macOS install rules" "libaurorax.${abi}.dylib" "libaurorax.dylib")
message(STATUS "x86_64-apple-darwin: libaurorax.${VERSION}.dylib, install name @rpath/libaurorax.${abi}.dylib")

configure_for(x86_64-pc-windows-msvc "kernel32.lib ntdll.lib userenv.lib ws2_32.lib /defaultlib:msvcrt")
expect("${config}" "Windows aurorax-config.cmake"
  "IMPORTED_LOCATION \"\${PACKAGE_PREFIX_DIR}/bin/aurorax.dll\""
  "IMPORTED_IMPLIB \"\${PACKAGE_PREFIX_DIR}/${LIBDIR}/aurorax.dll.lib\""
  "IMPORTED_LOCATION \"\${PACKAGE_PREFIX_DIR}/${LIBDIR}/aurorax.lib\""
  "INTERFACE_LINK_LIBRARIES \"kernel32.lib;ntdll.lib;userenv.lib;ws2_32.lib\""
  "IMPORTED_SONAME \"\")")  # (empty: a DLL has none, and the config file then sets none)
message(STATUS "x86_64-pc-windows-msvc: bin/aurorax.dll, ${LIBDIR}/aurorax.dll.lib, ${LIBDIR}/aurorax.lib")
