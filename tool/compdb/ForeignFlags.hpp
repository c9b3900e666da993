// Compile commands written for another compiler. Most projects on Linux are built with GCC, and
// clang's driver accepts nearly all of GCC's flags, but two things in such a database make a unit
// fail before a line of it is read:
//  - options clang does not know at all (GCC's -fconcepts-diagnostics-depth=3, -fno-allocation-dce):
//    "unknown argument". They only tune GCC's own warnings and code generation, so they are left
//    out, and the run says which.
//  - precompiled headers, a build product of that compiler: CMake's `-include cmake_pch.hxx` next
//    to cmake_pch.hxx.gch, which clang's driver picks up by name and cannot read ("input is not a
//    PCH file"), or `-Xclang -include-pch -Xclang cmake_pch.hxx.pch` from another clang version.
//    The header the precompiled header was made from is parsed instead, which means the same.
// Also, -std=c++23 / gnu++23 (GCC 11 and later) become c++2b / gnu++2b for clang before 17.
#pragma once

#include <clang/Tooling/CompilationDatabase.h>

#include <map>
#include <string>
#include <vector>

namespace dbarch {

struct ForeignFlags {
    std::map<std::string, size_t> unknownOptions;  // option as written -> units that had it
    size_t unitsWithPrecompiledHeader = 0;         // units whose precompiled header was replaced by its source

    // One line each for the run's notes; empty when nothing changed.
    std::vector<std::string> notes() const;
};

// Rewrites `command` so clang can parse the unit, and records what it changed in `seen`.
// Commands for clang-cl (`--driver-mode=cl`, cl.exe) are left as they are.
void adaptForeignFlags(clang::tooling::CompileCommand& command, ForeignFlags& seen);

}  // namespace dbarch
