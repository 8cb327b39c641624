# Install rules: headers, the shared library under its versioned name with its links, the
# static library, the CMake package and aurorax.pc. Nothing installed names an absolute
# path, so the tree can be moved after installing (and DESTDIR staging just works).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Every include/aurorax*.h* (the C++ header joins the C one later); matched when
# installing, so a header added since configuring is installed too.
install(DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}/include/" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        COMPONENT aurorax FILES_MATCHING PATTERN "aurorax*.h*")

if(AURORAX_SHARED_IN_BINDIR)
  set(AURORAX_SHARED_DIR "${CMAKE_INSTALL_BINDIR}")  # Windows: DLLs live beside programs
else()
  set(AURORAX_SHARED_DIR "${CMAKE_INSTALL_LIBDIR}")
endif()
install(FILES "${AURORAX_STAGE_DIR}/${AURORAX_SHARED_FILE}" DESTINATION "${AURORAX_SHARED_DIR}" COMPONENT aurorax
        PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(_links ${AURORAX_SHARED_LINKS})
while(_links)
  list(POP_FRONT _links _link _to)
  # install(FILES) copies a symlink as a symlink
  install(FILES "${AURORAX_STAGE_DIR}/${_link}" DESTINATION "${AURORAX_SHARED_DIR}" COMPONENT aurorax)
endwhile()
if(AURORAX_IMPORT_LIB)
  install(FILES "${AURORAX_STAGE_DIR}/${AURORAX_IMPORT_LIB}" DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT aurorax)
endif()
install(FILES "${AURORAX_STAGE_DIR}/${AURORAX_STATIC_FILE}" DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT aurorax)
# GNUInstallDirs' DOCDIR is named after the first project that included it (the parent's,
# when we are a subproject)
install(FILES "${CMAKE_CURRENT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/aurorax" COMPONENT aurorax)

# --- CMake package: paths relative to the config file's own location ---------------------
set(AURORAX_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/aurorax")
configure_package_config_file("${CMAKE_CURRENT_SOURCE_DIR}/packaging/aurorax-config.cmake.in"
  "${CMAKE_CURRENT_BINARY_DIR}/packaging/aurorax-config.cmake"
  INSTALL_DESTINATION "${AURORAX_CMAKE_DIR}"
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_LIBDIR AURORAX_SHARED_DIR)
# 0.x minor releases break the ABI (as Cargo treats them); from 1.0 on only majors do
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_compat SameMinorVersion)
else()
  set(_compat SameMajorVersion)
endif()
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/packaging/aurorax-config-version.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY ${_compat})
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/packaging/aurorax-config.cmake"
              "${CMAKE_CURRENT_BINARY_DIR}/packaging/aurorax-config-version.cmake"
        DESTINATION "${AURORAX_CMAKE_DIR}" COMPONENT aurorax)

# --- pkg-config: prefix found from the .pc file's own directory --------------------------
function(_aurorax_pc_path var dir)
  if(IS_ABSOLUTE "${dir}")
    set(${var} "${dir}" PARENT_SCOPE)  # the user asked for an absolute directory
  else()
    set(${var} "\${prefix}/${dir}" PARENT_SCOPE)
  endif()
endfunction()
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(AURORAX_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  message(WARNING "CMAKE_INSTALL_LIBDIR is absolute: aurorax.pc will not be relocatable")
else()
  # lib/pkgconfig -> ../.., lib/x86_64-linux-gnu/pkgconfig -> ../../..
  file(RELATIVE_PATH _up "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
  string(REGEX REPLACE "/$" "" _up "${_up}")
  set(AURORAX_PC_PREFIX "\${pcfiledir}/${_up}")
endif()
_aurorax_pc_path(AURORAX_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
_aurorax_pc_path(AURORAX_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
configure_file("${CMAKE_CURRENT_SOURCE_DIR}/packaging/aurorax.pc.in" "${CMAKE_CURRENT_BINARY_DIR}/packaging/aurorax.pc" @ONLY)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/packaging/aurorax.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig" COMPONENT aurorax)
