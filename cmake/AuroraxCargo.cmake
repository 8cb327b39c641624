# Finds cargo and rustc, works out the target's file names from rustc itself, and adds the
# `aurorax_cargo` target: `cargo build` in the profile matching the build type, then a copy
# of the results under their install names into ${AURORAX_STAGE_DIR} (so programs linked
# in the build tree find the library by its SONAME through their build RPATH).
#
# Sets: AURORAX_STAGE_DIR, AURORAX_SHARED_FILE (the real file), AURORAX_SHARED_LINKS
# (symlinks, link -> target pairs), AURORAX_SONAME, AURORAX_IMPORT_LIB, AURORAX_STATIC_FILE,
# AURORAX_SHARED_IN_BINDIR, AURORAX_NATIVE_STATIC_LIBS (pkg-config form) and
# AURORAX_NATIVE_STATIC_LIBS_CMAKE (a CMake list).

set(_aurorax_cargo_hints "$ENV{CARGO_HOME}/bin" "$ENV{HOME}/.cargo/bin")
find_program(AURORAX_CARGO cargo HINTS ${_aurorax_cargo_hints} DOC "cargo, which builds libaurorax")
if(NOT AURORAX_CARGO)
  message(FATAL_ERROR "cargo not found: install Rust (https://rustup.rs) or set -DAURORAX_CARGO=/path/to/cargo")
endif()
# the rustc next to that cargo (what cargo itself runs, unless RUSTC says otherwise)
get_filename_component(_aurorax_cargo_dir "${AURORAX_CARGO}" DIRECTORY)
if(DEFINED ENV{RUSTC} AND NOT "$ENV{RUSTC}" STREQUAL "")
  set(_aurorax_rustc_default "$ENV{RUSTC}")
endif()
find_program(AURORAX_RUSTC NAMES ${_aurorax_rustc_default} rustc HINTS "${_aurorax_cargo_dir}" ${_aurorax_cargo_hints}
             DOC "rustc, asked for the target's properties")
if(NOT AURORAX_RUSTC)
  message(FATAL_ERROR "rustc not found next to ${AURORAX_CARGO}: set -DAURORAX_RUSTC=/path/to/rustc")
endif()

set(AURORAX_RUST_TARGET "" CACHE STRING "Rust target triple to build for (empty: the host)")
set(AURORAX_CARGO_FLAGS "" CACHE STRING "extra `cargo build` arguments, a CMake list (e.g. --locked;--offline)")
if(DEFINED ENV{CARGO_TARGET_DIR} AND NOT "$ENV{CARGO_TARGET_DIR}" STREQUAL "")
  set(_aurorax_target_dir_default "$ENV{CARGO_TARGET_DIR}")
else()
  # inside this build tree, so two build trees (or a parent project's) never share outputs
  set(_aurorax_target_dir_default "${CMAKE_CURRENT_BINARY_DIR}/cargo")
endif()
set(AURORAX_CARGO_TARGET_DIR "${_aurorax_target_dir_default}" CACHE PATH
    "cargo's target directory (default: $CARGO_TARGET_DIR at configure time, else <build dir>/cargo)")
get_filename_component(_aurorax_target_dir "${AURORAX_CARGO_TARGET_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")

set(_aurorax_target_args "")
set(_aurorax_triple_dir "")
if(AURORAX_RUST_TARGET)
  set(_aurorax_target_args --target "${AURORAX_RUST_TARGET}")
  set(_aurorax_triple_dir "${AURORAX_RUST_TARGET}/")
endif()

# The target's OS and environment as rustc sees them (they decide the file names).
execute_process(COMMAND "${AURORAX_RUSTC}" ${_aurorax_target_args} --print cfg
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _aurorax_cfg ERROR_VARIABLE _err)
if(_rc OR NOT _aurorax_cfg MATCHES "target_os=\"([^\"]+)\"")
  message(FATAL_ERROR "`${AURORAX_RUSTC} --print cfg` failed: ${_err}")
endif()
set(_aurorax_os "${CMAKE_MATCH_1}")
set(_aurorax_env "")
if(_aurorax_cfg MATCHES "target_env=\"([^\"]*)\"")
  set(_aurorax_env "${CMAKE_MATCH_1}")
endif()

# The ABI part of the name: MAJOR.MINOR while 0.x (0.2 and 0.3 are incompatible), MAJOR
# from 1.0 on. build.rs sets the same SONAME / install name.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_aurorax_abi "0.${PROJECT_VERSION_MINOR}")
else()
  set(_aurorax_abi "${PROJECT_VERSION_MAJOR}")
endif()
set(AURORAX_ABI_VERSION "${_aurorax_abi}")
set(AURORAX_SONAME "")
set(AURORAX_IMPORT_LIB "")
set(AURORAX_SHARED_LINKS "")
set(AURORAX_SHARED_IN_BINDIR OFF)
if(_aurorax_os STREQUAL "windows")
  # DLLs are looked up by file name: no version in it, no links
  set(_aurorax_cargo_shared aurorax.dll)
  set(AURORAX_SHARED_FILE aurorax.dll)
  set(AURORAX_SHARED_IN_BINDIR ON)
  if(_aurorax_env STREQUAL "msvc")
    set(AURORAX_IMPORT_LIB aurorax.dll.lib)
    set(AURORAX_STATIC_FILE aurorax.lib)
  else()
    set(AURORAX_IMPORT_LIB libaurorax.dll.a)
    set(AURORAX_STATIC_FILE libaurorax.a)
  endif()
  set(_aurorax_cargo_static "${AURORAX_STATIC_FILE}")
elseif(_aurorax_os STREQUAL "macos" OR _aurorax_os STREQUAL "ios")
  set(_aurorax_cargo_shared libaurorax.dylib)
  set(AURORAX_SHARED_FILE libaurorax.${PROJECT_VERSION}.dylib)
  set(AURORAX_SONAME "@rpath/libaurorax.${_aurorax_abi}.dylib")
  set(AURORAX_SHARED_LINKS libaurorax.${_aurorax_abi}.dylib ${AURORAX_SHARED_FILE}
                           libaurorax.dylib libaurorax.${_aurorax_abi}.dylib)
  set(AURORAX_STATIC_FILE libaurorax.a)
  set(_aurorax_cargo_static libaurorax.a)
else()
  # ELF: libaurorax.so -> libaurorax.so.ABI (the SONAME) -> libaurorax.so.X.Y.Z (the file)
  set(_aurorax_cargo_shared libaurorax.so)
  set(AURORAX_SHARED_FILE libaurorax.so.${PROJECT_VERSION})
  if(_aurorax_os MATCHES "^(linux|android|freebsd|netbsd|openbsd|dragonfly)$")  # as in build.rs
    set(AURORAX_SONAME libaurorax.so.${_aurorax_abi})
  endif()
  set(AURORAX_SHARED_LINKS libaurorax.so.${_aurorax_abi} ${AURORAX_SHARED_FILE}
                           libaurorax.so libaurorax.so.${_aurorax_abi})
  set(AURORAX_STATIC_FILE libaurorax.a)
  set(_aurorax_cargo_static libaurorax.a)
endif()

# What a program linking the static library needs from the system. rustc prints it only
# while linking a staticlib, and asking cargo for it would rebuild the library with other
# flags; so we ask the same rustc for the same target about an empty std staticlib (0.1 s).
# Our dependencies add nothing to std's list on Linux (ring's C code is bundled into the
# archive); set AURORAX_NATIVE_STATIC_LIBS to override, e.g. with the line printed by
#   cargo rustc -p aurorax --lib --crate-type staticlib -- --print native-static-libs
set(AURORAX_NATIVE_STATIC_LIBS "" CACHE STRING
    "system libraries a static libaurorax needs, in pkg-config form (empty: ask rustc)")
if(AURORAX_NATIVE_STATIC_LIBS)
  set(_aurorax_native "${AURORAX_NATIVE_STATIC_LIBS}")
else()
  set(_probe "${CMAKE_CURRENT_BINARY_DIR}/aurorax-native-libs-probe")
  file(WRITE "${_probe}/probe.rs" "// empty: its native-static-libs are the standard library's\n")
  execute_process(COMMAND "${AURORAX_RUSTC}" ${_aurorax_target_args} --crate-type staticlib --crate-name aurorax_probe
                          --print native-static-libs --out-dir "${_probe}" "${_probe}/probe.rs"
                  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  file(REMOVE_RECURSE "${_probe}")
  if(_rc OR NOT "${_out}${_err}" MATCHES "native-static-libs: ([^\r\n]*)")
    message(FATAL_ERROR "rustc did not print native-static-libs (set -DAURORAX_NATIVE_STATIC_LIBS=...):\n${_out}${_err}")
  endif()
  string(STRIP "${CMAKE_MATCH_1}" _aurorax_native)
endif()
set(AURORAX_NATIVE_STATIC_LIBS_PC "")
set(AURORAX_NATIVE_STATIC_LIBS_CMAKE "")
separate_arguments(_items UNIX_COMMAND "${_aurorax_native}")
set(_framework OFF)
foreach(_item IN LISTS _items)
  if(_framework)
    list(APPEND AURORAX_NATIVE_STATIC_LIBS_CMAKE "-framework ${_item}")  # one item for CMake
    string(APPEND AURORAX_NATIVE_STATIC_LIBS_PC " -framework ${_item}")
    set(_framework OFF)
  elseif(_item STREQUAL "-framework")
    set(_framework ON)
  elseif(_item MATCHES "^/defaultlib:")
    # MSVC's C runtime: the consumer's MSVC_RUNTIME_LIBRARY chooses it, and CMake would take
    # the leading slash for a path
  else()
    list(APPEND AURORAX_NATIVE_STATIC_LIBS_CMAKE "${_item}")
    string(APPEND AURORAX_NATIVE_STATIC_LIBS_PC " ${_item}")
  endif()
endforeach()
string(STRIP "${AURORAX_NATIVE_STATIC_LIBS_PC}" AURORAX_NATIVE_STATIC_LIBS_PC)
message(STATUS "libaurorax ${PROJECT_VERSION} for ${_aurorax_os}${AURORAX_RUST_TARGET}: static link also needs ${AURORAX_NATIVE_STATIC_LIBS_PC}")

# --- the cargo step -----------------------------------------------------------------------
set(AURORAX_STAGE_DIR "${CMAKE_CURRENT_BINARY_DIR}/aurorax-lib")
file(MAKE_DIRECTORY "${AURORAX_STAGE_DIR}")
# Debug -> cargo's dev profile (target/debug); every other configuration -> release
set(_aurorax_profile "$<IF:$<CONFIG:Debug>,dev,release>")
set(_aurorax_out "${_aurorax_target_dir}/${_aurorax_triple_dir}$<IF:$<CONFIG:Debug>,debug,release>")

set(_aurorax_copy
  COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${_aurorax_out}/${_aurorax_cargo_shared}" "${AURORAX_STAGE_DIR}/${AURORAX_SHARED_FILE}"
  COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${_aurorax_out}/${_aurorax_cargo_static}" "${AURORAX_STAGE_DIR}/${AURORAX_STATIC_FILE}")
set(_aurorax_byproducts "${AURORAX_STAGE_DIR}/${AURORAX_SHARED_FILE}" "${AURORAX_STAGE_DIR}/${AURORAX_STATIC_FILE}")
if(AURORAX_IMPORT_LIB)
  list(APPEND _aurorax_copy COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${_aurorax_out}/${AURORAX_IMPORT_LIB}" "${AURORAX_STAGE_DIR}/${AURORAX_IMPORT_LIB}")
  list(APPEND _aurorax_byproducts "${AURORAX_STAGE_DIR}/${AURORAX_IMPORT_LIB}")
endif()
set(_links ${AURORAX_SHARED_LINKS})
while(_links)
  list(POP_FRONT _links _link _to)
  list(APPEND _aurorax_copy COMMAND "${CMAKE_COMMAND}" -E create_symlink "${_to}" "${AURORAX_STAGE_DIR}/${_link}")
  list(APPEND _aurorax_byproducts "${AURORAX_STAGE_DIR}/${_link}")
endwhile()

# Always run: cargo knows best whether the library is up to date (a no-op build takes
# well under a second).
add_custom_target(aurorax_cargo ALL
  COMMAND "${AURORAX_CARGO}" build --manifest-path "${CMAKE_CURRENT_SOURCE_DIR}/Cargo.toml" -p aurorax --lib
          --profile "${_aurorax_profile}" --target-dir "${_aurorax_target_dir}" ${_aurorax_target_args} ${AURORAX_CARGO_FLAGS}
  ${_aurorax_copy}
  BYPRODUCTS ${_aurorax_byproducts}
  WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
  COMMENT "cargo build libaurorax (target dir ${_aurorax_target_dir})"
  USES_TERMINAL
  VERBATIM)
