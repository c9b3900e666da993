#pragma once

// Reaching a private member of a Clang class, for the two places where Clang keeps what dbarch
// must set private: the parser's state for a late body parse (LateParsing.cpp) and the sizes of
// the ASTContext's type tables (TypeTables.cpp). An explicit instantiation may name private
// members (C++20 [temp.spec.general]/6): DBARCH_EXPOSE(Tag, Class::member) instantiates Expose
// with the member's pointer, and `member(Tag{})` then returns it.
//
// Use: DBARCH_DEFINE_EXPOSE(); once, then DBARCH_EXPOSE(...) per member, all in the unnamed
// namespace of one source file (the friend function and the explicit instantiation must be in the
// tag's namespace), for as few members as possible: these are not Clang's API, and a member that
// changes between LLVM versions fails the build where it is named.

#define DBARCH_DEFINE_EXPOSE()                                \
    template <typename Tag, auto Member>                      \
    struct Expose {                                           \
        friend constexpr auto member(Tag) { return Member; }  \
    }

#define DBARCH_EXPOSE(Tag, Member)         \
    struct Tag {                           \
        friend constexpr auto member(Tag); \
    };                                     \
    template struct Expose<Tag, &Member>
