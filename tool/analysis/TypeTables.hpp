#pragma once

namespace clang {
class ASTContext;
}

namespace dbarch {

// Clang keeps every type, nested name specifier and template name of a unit unique through hash
// tables (llvm::FoldingSet) in the ASTContext that start with 64 to 4,096 buckets and double as
// they fill. Library headers fill them with tens of thousands of entries: each doubling rehashes
// every entry and takes fresh (zeroed) memory, and the chains a lookup walks (recomputing each
// entry's hash input to compare) average up to two entries. Sizing the largest tables once, before
// the unit is parsed, made each of the speed benchmark's 16 libpqxx units with a dozen standard
// headers 7-10 % faster (interleaved A/B, task-clock). The tables and their entries are the same
// either way; only their capacity differs.
void presizeTypeTables(clang::ASTContext& context);

}  // namespace dbarch
