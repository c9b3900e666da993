// Parsing a library template's body only when the unit first needs it.
//
// Clang can keep a function template's body as tokens and parse it when it is first instantiated
// (its "late parsed templates", made for -fdelayed-template-parsing). It only does so at the end
// of a unit: until then Sema has no parser to call and postpones such instantiations, which is
// why clang never delays a constexpr template (a constant may need its instantiation at once).
//
// dbarch delays the bodies of constexpr library templates (analysis/BodySkipping.hpp) and so
// gives Sema its parser from the start. A body needed in the middle of the unit is then parsed
// exactly as clang parses one at the end of the unit: in the scope of the translation unit, with
// the parser's expression state of an outermost declaration, and with the annotations the
// interrupted parse still holds left alive.
#pragma once

#include <clang/Sema/DeclSpec.h>

namespace clang {
class Sema;
class Preprocessor;
}  // namespace clang

namespace dbarch {

// Lets `sema` parse late-parsed templates whenever it instantiates one. Call once the parser of
// `preprocessor` exists (from the first declaration on); returns false when it does not.
bool parseLateTemplatesOnDemand(clang::Sema& sema, clang::Preprocessor& preprocessor);

// While a function declaration is being acted on: whether a body follows (the parser's current
// token is `{`, `:` or `try`).
bool startsFunctionBody(clang::Preprocessor& preprocessor);

// While a function declaration is being acted on, before its body is parsed: the tokens of that
// body, from the parser's current token (`{`, or the `:` of a constructor's member initializers)
// to the matching `}`, read ahead from the preprocessor (the parser then reads them from its
// cache). False, reading nothing, for anything else (a function-try-block, a declaration).
bool readFunctionBodyAhead(clang::Preprocessor& preprocessor, clang::CachedTokens& body);

}  // namespace dbarch
