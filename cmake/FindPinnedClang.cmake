# Finds LLVM and Clang of exactly one version, pinned by path so that a machine with several LLVMs
# installed never mixes them (unpinned find_package calls have been seen to pick LLVM 16 and
# Clang 14). LLVM 14 ships no ClangConfigVersion.cmake, so Clang is found by path, not by version.
#
#   DBARCH_LLVM_VERSION   major version to build against (default 16; 14 and 15 are supported)
#   DBARCH_LLVM_ROOT      prefix of that LLVM (default /usr/lib/llvm-${DBARCH_LLVM_VERSION})
#
# Sets DBARCH_CLANG_RESOURCE_DIR: the clang resource directory (built-in headers such as
# stddef.h) of this LLVM, checked to exist. It is baked into the binary, because LibTooling
# derives it from the executable's own path, which is wrong for a tool outside the LLVM prefix.
set(DBARCH_LLVM_VERSION 16 CACHE STRING "Major version of LLVM/Clang to build against (14, 15 or 16)")
set(DBARCH_LLVM_ROOT "/usr/lib/llvm-${DBARCH_LLVM_VERSION}" CACHE PATH "Prefix of the pinned LLVM")

find_package(LLVM ${DBARCH_LLVM_VERSION} REQUIRED CONFIG
  PATHS "${DBARCH_LLVM_ROOT}/lib/cmake/llvm" NO_DEFAULT_PATH)
find_package(Clang REQUIRED CONFIG
  PATHS "${LLVM_LIBRARY_DIR}/cmake/clang" NO_DEFAULT_PATH)

if(NOT LLVM_VERSION_MAJOR EQUAL DBARCH_LLVM_VERSION)
  message(FATAL_ERROR "dbarch: asked for LLVM ${DBARCH_LLVM_VERSION} but found ${LLVM_PACKAGE_VERSION} in ${LLVM_DIR}")
endif()
message(STATUS "dbarch: LLVM ${LLVM_PACKAGE_VERSION} from ${LLVM_DIR}, Clang from ${Clang_DIR}")

# LLVM 14 names its resource dir by the full version (14.0.6), 15 and later by the major only.
set(_dbarch_resource_candidates
  "${LLVM_LIBRARY_DIR}/clang/${LLVM_VERSION_MAJOR}"
  "${LLVM_LIBRARY_DIR}/clang/${LLVM_PACKAGE_VERSION}")
set(DBARCH_CLANG_RESOURCE_DIR "")
foreach(_candidate IN LISTS _dbarch_resource_candidates)
  if(EXISTS "${_candidate}/include/stddef.h")
    set(DBARCH_CLANG_RESOURCE_DIR "${_candidate}")
    break()
  endif()
endforeach()
if(NOT DBARCH_CLANG_RESOURCE_DIR)
  message(FATAL_ERROR "dbarch: no clang resource directory with include/stddef.h under "
    "${LLVM_LIBRARY_DIR}/clang; install libclang-common-${LLVM_VERSION_MAJOR}-dev")
endif()
message(STATUS "dbarch: clang resource dir ${DBARCH_CLANG_RESOURCE_DIR}")
