#include "analysis/TypeTables.hpp"

#include <clang/AST/ASTContext.h>
#include <llvm/Config/llvm-config.h>

#include "analysis/PrivateMember.hpp"

using namespace clang;

namespace dbarch {
namespace {

// The tables are private members of ASTContext (PrivateMember.hpp).
DBARCH_DEFINE_EXPOSE();

DBARCH_EXPOSE(ElaboratedTypes, ASTContext::ElaboratedTypes);
DBARCH_EXPOSE(FunctionProtoTypes, ASTContext::FunctionProtoTypes);
DBARCH_EXPOSE(NestedNameSpecifiers, ASTContext::NestedNameSpecifiers);
DBARCH_EXPOSE(TemplateTypeParmTypes, ASTContext::TemplateTypeParmTypes);
DBARCH_EXPOSE(SubstTemplateTypeParmTypes, ASTContext::SubstTemplateTypeParmTypes);
DBARCH_EXPOSE(LValueReferenceTypes, ASTContext::LValueReferenceTypes);
#if LLVM_VERSION_MAJOR >= 16
DBARCH_EXPOSE(TemplateSpecializationTypes, ASTContext::TemplateSpecializationTypes);
#endif
DBARCH_EXPOSE(DependentNameTypes, ASTContext::DependentNameTypes);
DBARCH_EXPOSE(PointerTypes, ASTContext::PointerTypes);
DBARCH_EXPOSE(RValueReferenceTypes, ASTContext::RValueReferenceTypes);
DBARCH_EXPOSE(PackExpansionTypes, ASTContext::PackExpansionTypes);
DBARCH_EXPOSE(QualifiedTemplateNames, ASTContext::QualifiedTemplateNames);
#undef DBARCH_EXPOSE

template <typename Tag>
void reserve(ASTContext& context, unsigned nodes) {
    (context.*member(Tag{})).reserve(nodes);
}

}  // namespace

void presizeTypeTables(ASTContext& context) {
    // About 1.1 times what a unit with libpqxx and a dozen standard headers ends with (counted on
    // the speed benchmark's services/orders/store.cpp), rounded up to a power of two: the table
    // then has as many buckets, never grows, and keeps its chains short. Together the buckets
    // take about 1.3 MB; a unit that needs more still grows its tables as before.
    reserve<ElaboratedTypes>(context, 32768);              // 29,755 nodes
    reserve<FunctionProtoTypes>(context, 32768);           // 28,706
    reserve<NestedNameSpecifiers>(context, 16384);         // 15,142
    reserve<TemplateTypeParmTypes>(context, 16384);        // 14,756
    reserve<SubstTemplateTypeParmTypes>(context, 16384);   // 10,689
    reserve<LValueReferenceTypes>(context, 16384);         //  9,215
#if LLVM_VERSION_MAJOR >= 16  // before 16, this table's hash function is not in the libraries
    reserve<TemplateSpecializationTypes>(context, 8192);   //  4,283
#endif
    reserve<DependentNameTypes>(context, 8192);            //  5,578
    reserve<PointerTypes>(context, 8192);                  //  5,236
    reserve<RValueReferenceTypes>(context, 4096);          //  3,197
    reserve<PackExpansionTypes>(context, 1024);            //    951
    reserve<QualifiedTemplateNames>(context, 1024);        //    987
}

}  // namespace dbarch
