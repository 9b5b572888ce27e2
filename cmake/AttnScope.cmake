# Shared build settings for every AttnScope target.

set(ATTNSCOPE_SHARED_DIR "${PROJECT_SOURCE_DIR}/../shared" CACHE PATH
    "Folder holding the shared test data (models/, tokenizers/); tests skip when it is absent")

# One precompiled header for every target that includes LibTorch: it costs ~14 s per
# translation unit otherwise.
add_library(attnscope_pch OBJECT ${PROJECT_SOURCE_DIR}/cmake/pch_anchor.cpp)
target_link_libraries(attnscope_pch PUBLIC Qt6::Core torch)
target_compile_definitions(attnscope_pch PUBLIC QT_NO_KEYWORDS QT_NO_CONTEXTLESS_CONNECT)
target_precompile_headers(attnscope_pch PRIVATE <torch/torch.h> <QtCore/QtCore>)
set_target_properties(attnscope_pch PROPERTIES POSITION_INDEPENDENT_CODE ON)

# attnscope_configure(TARGET [TORCH | TORCH_PCH bool]): warnings, Qt keyword hygiene and, for LibTorch users, the PCH.
function(attnscope_configure target)
  # TORCH, or TORCH_PCH <bool> from a caller's own TORCH flag: reuse the LibTorch precompiled header.
  cmake_parse_arguments(ARG "TORCH" "TORCH_PCH" "" ${ARGN})
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  target_compile_definitions(${target} PRIVATE QT_NO_KEYWORDS QT_NO_CONTEXTLESS_CONNECT
      ATTNSCOPE_VERSION="${PROJECT_VERSION}")
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  if(ARG_TORCH OR ARG_TORCH_PCH)
    target_precompile_headers(${target} REUSE_FROM attnscope_pch)
  endif()
endfunction()

# attnscope_add_library(NAME DIRS dir… LIBS lib… [TORCH]): a static library made of every
# .cpp/.h in the given folders, so that adding a feature file needs no CMake edit.
function(attnscope_add_library name)
  cmake_parse_arguments(ARG "TORCH" "" "DIRS;LIBS" ${ARGN})
  set(sources)
  foreach(dir IN LISTS ARG_DIRS)
    file(GLOB dir_sources CONFIGURE_DEPENDS ${dir}/*.cpp ${dir}/*.h)
    list(APPEND sources ${dir_sources})
  endforeach()
  add_library(${name} STATIC ${sources})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_LIBS})
  attnscope_configure(${name} TORCH_PCH ${ARG_TORCH})
endfunction()

# attnscope_add_test(NAME SOURCES src… LIBS lib… [TORCH] [LABELS l…] [TIMEOUT s]):
# one Qt Test executable registered with CTest, run headless.
function(attnscope_add_test name)
  cmake_parse_arguments(ARG "TORCH" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/tests)
  target_compile_definitions(${name} PRIVATE
      ATTNSCOPE_SHARED_DIR="${ATTNSCOPE_SHARED_DIR}"
      ATTNSCOPE_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
      ATTNSCOPE_BINARY_DIR="${PROJECT_BINARY_DIR}")
  attnscope_configure(${name} TORCH_PCH ${ARG_TORCH})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 600)
  endif()
  set_tests_properties(${name} PROPERTIES
      ENVIRONMENT "QT_QPA_PLATFORM=offscreen;ATTNSCOPE_SHARED_DIR=${ATTNSCOPE_SHARED_DIR}"
      TIMEOUT ${ARG_TIMEOUT}
      LABELS "${ARG_LABELS}")
endfunction()
