# How the checker links Clang and LLVM.
#
#   DBARCH_LINK_LLVM_STATIC   ON (default): link the static component archives of the pinned LLVM
#                             (clang: libclang-N-dev; LLVM: llvm-N-dev), nothing of LLVM's shared
#                             libraries. OFF: link the shared libclang-cpp and libLLVM.
#
# Why static: a run of one translation unit takes a few hundred milliseconds, and a dynamically
# linked checker spends about 20 ms of that loading and relocating libLLVM and libclang-cpp before
# main, then calls across them through the PLT. Linked statically, the heaviest units of the speed
# benchmark ran 5-10 % faster (interleaved A/B runs on the 16 libpqxx units with a dozen standard
# headers, task-clock). The binary is about 55 MB.
#
# Debian builds LLVM with the dylib, so its exported clang targets (clangTooling, ...) link
# libLLVM.so: they cannot be used here. Mixing the two would load two copies of LLVM's global
# registries (command-line options) into one process, so the archives are named by path, and the
# shared libraries stay out entirely. The archives depend on each other in cycles; they are linked
# as one group. Only archives this LLVM version has are listed (LLVM 14 has no TargetParser or
# WindowsDriver); the linker takes from each only the objects the checker uses.
#
# Sets DBARCH_CLANG_LINK_LIBRARIES (what dbarch_analysis links) and DBARCH_CLANG_LINK_OPTIONS (how
# the dbarch executable is linked).
option(DBARCH_LINK_LLVM_STATIC "Link the static Clang/LLVM archives instead of the shared libraries" ON)

set(_dbarch_clang_archives
  clangTooling clangToolingCore clangFormat clangRewrite clangFrontend clangDriver clangSerialization
  clangParse clangSema clangAnalysis clangASTMatchers clangAST clangAPINotes clangEdit clangLex
  clangBasic clangSupport)
set(_dbarch_llvm_archives
  LLVMFrontendOpenMP LLVMFrontendHLSL LLVMOption LLVMWindowsDriver LLVMProfileData LLVMIRReader
  LLVMAsmParser LLVMBitReader LLVMObject LLVMTextAPI LLVMMCParser LLVMMC LLVMDebugInfoDWARF
  LLVMDebugInfoCodeView LLVMCore LLVMRemarks LLVMBitstreamReader LLVMBinaryFormat LLVMTargetParser
  LLVMSupport LLVMDemangle)

set(DBARCH_CLANG_LINK_LIBRARIES "")
set(DBARCH_CLANG_LINK_OPTIONS "")
if(DBARCH_LINK_LLVM_STATIC)
  set(_dbarch_archives "")
  foreach(_name IN LISTS _dbarch_clang_archives _dbarch_llvm_archives)
    set(_path "${LLVM_LIBRARY_DIR}/lib${_name}.a")
    if(EXISTS "${_path}")
      list(APPEND _dbarch_archives "${_path}")
    endif()
  endforeach()
  # These three must exist for a static link to be possible at all.
  foreach(_required clangTooling clangSema LLVMSupport)
    if(NOT EXISTS "${LLVM_LIBRARY_DIR}/lib${_required}.a")
      message(FATAL_ERROR "dbarch: DBARCH_LINK_LLVM_STATIC is ON but ${LLVM_LIBRARY_DIR}/lib${_required}.a "
        "does not exist; install libclang-${LLVM_VERSION_MAJOR}-dev and llvm-${LLVM_VERSION_MAJOR}-dev, "
        "or configure with -DDBARCH_LINK_LLVM_STATIC=OFF to link the shared libraries")
    endif()
  endforeach()
  # What LLVMSupport links on Debian: compression and the terminal database. Each is optional in
  # an LLVM build; an archive that needs one that is missing fails at link time, naming it.
  set(_dbarch_system_libraries "")
  foreach(_lib z zstd tinfo)
    find_library(DBARCH_${_lib}_LIBRARY NAMES ${_lib})
    if(DBARCH_${_lib}_LIBRARY)
      list(APPEND _dbarch_system_libraries "${DBARCH_${_lib}_LIBRARY}")
    endif()
  endforeach()
  list(JOIN _dbarch_archives "," _dbarch_archive_list)
  set(DBARCH_CLANG_LINK_LIBRARIES
    "$<LINK_GROUP:RESCAN,${_dbarch_archive_list}>" ${_dbarch_system_libraries} ${CMAKE_DL_LIBS} rt m)
  # A position-dependent executable: a position-independent one would have to apply about 260,000
  # relocations (vtables and tables of the archives) at every start, ~5 ms.
  set(DBARCH_CLANG_LINK_OPTIONS -no-pie)
  list(LENGTH _dbarch_archives _count)
  message(STATUS "dbarch: linking ${_count} static Clang/LLVM archives from ${LLVM_LIBRARY_DIR}")
else()
  set(DBARCH_CLANG_LINK_LIBRARIES clang-cpp LLVM)
  message(STATUS "dbarch: linking the shared libclang-cpp and libLLVM")
endif()
