# The Python module (included by CMakeLists.txt when Python and pybind11 are found).
# build/python/femur/ is the importable package: the extension _femur plus python/femur/*.py.

file(GLOB femur_python_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/python/src/*.cpp)
pybind11_add_module(femur_python MODULE NO_EXTRAS ${femur_python_sources})
set_target_properties(femur_python PROPERTIES OUTPUT_NAME _femur
  LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/python/femur)
target_include_directories(femur_python PRIVATE ${PROJECT_SOURCE_DIR}/python/src)
target_link_libraries(femur_python PRIVATE femur_hip femur_ocp Python::NumPy)
file(GLOB femur_python_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/python/femur/*)
set(femur_python_copied)
foreach(f ${femur_python_files})
  get_filename_component(n ${f} NAME)
  add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/python/femur/${n}
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${f} ${CMAKE_BINARY_DIR}/python/femur/${n}
    DEPENDS ${f})
  list(APPEND femur_python_copied ${CMAKE_BINARY_DIR}/python/femur/${n})
endforeach()
add_custom_target(femur_python_package ALL DEPENDS ${femur_python_copied})
add_dependencies(femur_python femur_python_package femur_cli)

if(FEMUR_BUILD_TESTS)
  add_dependencies(femur_tests femur_python)
  # pytest through ctest (python/tests); one ctest entry so the suite stays under a minute.
  add_test(NAME python.pytest
    COMMAND ${Python_EXECUTABLE} -m pytest -q -p no:cacheprovider ${PROJECT_SOURCE_DIR}/python/tests
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(python.pytest PROPERTIES TIMEOUT 300
    ENVIRONMENT "PYTHONPATH=${CMAKE_BINARY_DIR}/python;FEMUR_CLI=$<TARGET_FILE:femur_cli>;PYTHONDONTWRITEBYTECODE=1")
endif()
