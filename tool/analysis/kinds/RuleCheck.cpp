#include "analysis/kinds/RuleCheck.hpp"

namespace dbarch {

std::vector<std::unique_ptr<RuleCheck>> createChecks(UnitContext& unit, const std::vector<Rule>& rules) {
    using Factory = std::unique_ptr<RuleCheck> (*)(UnitContext&, std::vector<Rule>);
    static const std::pair<RuleKind, Factory> registry[] = {
        {RuleKind::Construct, makeConstructCheck},
        {RuleKind::Call, makeCallCheck},
        {RuleKind::Include, makeIncludeCheck},
        {RuleKind::Literal, makeLiteralCheck},
    };
    std::vector<std::unique_ptr<RuleCheck>> checks;
    for (const auto& [kind, factory] : registry) {
        std::vector<Rule> ofKind;
        for (const auto& rule : rules)
            if (rule.enabled && rule.kind == kind) ofKind.push_back(rule);
        if (!ofKind.empty()) checks.push_back(factory(unit, std::move(ofKind)));
    }
    return checks;
}

}  // namespace dbarch
