# The two programs every consumer project builds from main.c: consumer_shared links
# aurorax::aurorax, consumer_static links aurorax::aurorax_static.
foreach(target aurorax::aurorax aurorax::aurorax_static)
  if(NOT TARGET ${target})
    message(FATAL_ERROR "${target} is not defined")
  endif()
endforeach()
foreach(kind shared static)
  add_executable(consumer_${kind} "${CMAKE_CURRENT_LIST_DIR}/main.c")
  target_compile_options(consumer_${kind} PRIVATE -Wall -Wextra -Werror)
endforeach()
target_link_libraries(consumer_shared PRIVATE aurorax::aurorax)
target_link_libraries(consumer_static PRIVATE aurorax::aurorax_static)

# libaurorax included as a subproject (add_subdirectory, FetchContent) must stay out of
# the way: no tests of its own, no targets but the cargo step.
function(aurorax_check_subproject dir)
  get_property(tests DIRECTORY "${dir}" PROPERTY TESTS)
  if(tests)
    message(FATAL_ERROR "libaurorax added tests to its parent project: ${tests}")
  endif()
  get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
  if(NOT targets STREQUAL "aurorax_cargo")
    message(FATAL_ERROR "libaurorax as a subproject defines targets [${targets}], expected only aurorax_cargo")
  endif()
endfunction()
