# The `aurorax` command line (the cli/ crate): built by cargo beside the library, in the
# same profile and target directory, and installed as bin/aurorax. Uses the variables
# AuroraxCargo.cmake sets.
set(AURORAX_CLI_FILE "aurorax${CMAKE_EXECUTABLE_SUFFIX}")
if(_aurorax_os STREQUAL "windows")
  set(AURORAX_CLI_FILE aurorax.exe)
endif()
add_custom_target(aurorax_cli ALL
  COMMAND "${AURORAX_CARGO}" build --manifest-path "${CMAKE_CURRENT_SOURCE_DIR}/Cargo.toml" -p aurorax-cli --bin aurorax
          --profile "${_aurorax_profile}" --target-dir "${_aurorax_target_dir}" ${_aurorax_target_args} ${AURORAX_CARGO_FLAGS}
  COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${_aurorax_out}/${AURORAX_CLI_FILE}" "${AURORAX_STAGE_DIR}/${AURORAX_CLI_FILE}"
  BYPRODUCTS "${AURORAX_STAGE_DIR}/${AURORAX_CLI_FILE}"
  WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
  COMMENT "cargo build the aurorax command line"
  USES_TERMINAL
  VERBATIM)
# one cargo at a time over the shared target directory
add_dependencies(aurorax_cli aurorax_cargo)
if(AURORAX_INSTALL)
  install(PROGRAMS "${AURORAX_STAGE_DIR}/${AURORAX_CLI_FILE}" DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT aurorax)
endif()
