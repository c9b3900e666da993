#include "analysis/LateParsing.hpp"

#include <clang/Parse/Parser.h>
#include <clang/Sema/Sema.h>

#include <type_traits>
#include <utility>

#include "analysis/PrivateMember.hpp"

using namespace clang;

namespace dbarch {
namespace {

// The parser keeps what a body parse needs private: the function that parses a late-parsed body
// and the state that says where in a declaration or expression it stands (PrivateMember.hpp).
DBARCH_DEFINE_EXPOSE();

DBARCH_EXPOSE(CurrentToken, Parser::Tok);
DBARCH_EXPOSE(ParseBody, Parser::ParseLateTemplatedFuncDef);
DBARCH_EXPOSE(CurrentScope, Sema::CurScope);
DBARCH_EXPOSE(TemplateIds, Parser::TemplateIds);
DBARCH_EXPOSE(AngleBrackets, Parser::AngleBrackets);
DBARCH_EXPOSE(GreaterThanIsOperator, Parser::GreaterThanIsOperator);
DBARCH_EXPOSE(ColonIsSacred, Parser::ColonIsSacred);
DBARCH_EXPOSE(TemplateDepth, Parser::TemplateParameterDepth);
DBARCH_EXPOSE(PreviousToken, Parser::PrevTokLocation);
DBARCH_EXPOSE(ParenCount, Parser::ParenCount);
DBARCH_EXPOSE(BracketCount, Parser::BracketCount);
DBARCH_EXPOSE(BraceCount, Parser::BraceCount);
#undef DBARCH_EXPOSE

// Sets a member to `value` (or leaves it) for the lifetime of the object, then puts the old value
// back.
template <typename Object, typename Tag>
class Override {
  public:
    Override(Object& object, Tag tag) : field_(object.*member(tag)), saved_(field_) {}
    template <typename Value>
    Override(Object& object, Tag tag, Value&& value) : field_(object.*member(tag)) {
        saved_ = std::exchange(field_, std::forward<Value>(value));
    }
    ~Override() { field_ = std::move(saved_); }
    Override(const Override&) = delete;
    Override& operator=(const Override&) = delete;

  private:
    std::remove_reference_t<decltype(std::declval<Object&>().*member(Tag{}))>& field_;
    std::remove_reference_t<decltype(std::declval<Object&>().*member(Tag{}))> saved_;
};

Parser* parserOf(Preprocessor& preprocessor) {
    // The parser registers itself as the preprocessor's code-completion handler when it is made.
    return static_cast<Parser*>(preprocessor.getCodeCompletionHandler());
}

// Sema's callback: parses `body` now, wherever the unit's parse stands.
void parseNow(void* opaqueParser, LateParsedTemplate& body) {
    Parser& parser = *static_cast<Parser*>(opaqueParser);
    Sema& sema = parser.getActions();
    // A tentative parse (is this a declaration or an expression?) may be rewound to a point before
    // the body's tokens: then the body waits, and Sema tries again at the next use or at the end
    // of the unit, as it does for any constexpr template without a definition yet.
    if (parser.getPreprocessor().isBacktrackEnabled()) return;

    // As at the end of the unit: scopes start at the translation unit's (unqualified lookup must
    // not see the interrupted function's locals or using-directives), the expression state is an
    // outermost one (`>` is an operator even when a template argument list is being parsed), and
    // template parameters start at depth 0 (a generic lambda in the body, needed by a member of a
    // class template being parsed, would otherwise get that template's depth: tested).
    Override scope(sema, CurrentScope{}, sema.TUScope);
    Override greater(parser, GreaterThanIsOperator{}, true);
    Override colon(parser, ColonIsSacred{}, false);
    Override depth(parser, TemplateDepth{}, 0u);
    // The body parse consumes the interrupted token once more and ends on it again: positions and
    // bracket counts (error recovery relies on them) are the interrupted parse's.
    Override previous(parser, PreviousToken{});
    Override parens(parser, ParenCount{});
    Override brackets(parser, BracketCount{});
    Override braces(parser, BraceCount{});
    // At its end the body parse frees every template-id annotation it can; the interrupted parse
    // may still hold some (its current token among them), so they are kept out of its reach.
    Override ids(parser, TemplateIds{}, std::remove_reference_t<decltype(parser.*member(TemplateIds{}))>{});
    Override angles(parser, AngleBrackets{}, std::remove_reference_t<decltype(parser.*member(AngleBrackets{}))>{});
    // Referenced functions are marked as in any function body, also when the body is needed
    // inside decltype or sizeof.
    EnterExpressionEvaluationContext evaluated(sema, Sema::ExpressionEvaluationContext::PotentiallyEvaluated);

    (parser.*member(ParseBody{}))(body);
}

}  // namespace

bool parseLateTemplatesOnDemand(Sema& sema, Preprocessor& preprocessor) {
    Parser* parser = parserOf(preprocessor);
    if (!parser || &parser->getActions() != &sema) return false;
    sema.SetLateTemplateParser(parseNow, nullptr, parser);
    return true;
}

bool startsFunctionBody(Preprocessor& preprocessor) {
    Parser* parser = parserOf(preprocessor);
    return parser && (parser->*member(CurrentToken{})).isOneOf(tok::l_brace, tok::colon, tok::kw_try);
}

bool readFunctionBodyAhead(Preprocessor& preprocessor, CachedTokens& body) {
    Parser* parser = parserOf(preprocessor);
    if (!parser) return false;
    const Token first = parser->*member(CurrentToken{});
    if (!first.isOneOf(tok::l_brace, tok::colon)) return false;
    body.assign(1, first);
    // Member initializers (`: base(x), member{y}`) end where a `{` follows a complete initializer
    // (after `)`, `}` or a pack's `...`); any other `{` outside brackets opens a braced initializer.
    bool inBody = first.is(tok::l_brace);
    unsigned depth = inBody ? 1 : 0;
    tok::TokenKind previous = first.getKind();
    for (unsigned ahead = 0;; ++ahead) {
        const Token& token = preprocessor.LookAhead(ahead);
        if (token.is(tok::eof)) return false;
        body.push_back(token);
        if (token.isOneOf(tok::l_paren, tok::l_square)) {
            ++depth;
        } else if (token.is(tok::l_brace)) {
            if (!inBody && depth == 0 && (previous == tok::r_paren || previous == tok::r_brace || previous == tok::ellipsis))
                inBody = true;
            ++depth;
        } else if (token.isOneOf(tok::r_paren, tok::r_square, tok::r_brace)) {
            if (depth == 0) return false;
            if (--depth == 0 && inBody) return token.is(tok::r_brace);
        }
        previous = token.getKind();
    }
}

}  // namespace dbarch
