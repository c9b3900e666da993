// Rule metadata for the machine-readable reports, from the configuration and rules/docs/*.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/Config.hpp"
#include "report/Report.hpp"

namespace dbarch {

// The "**Forbids:** ..." paragraph of a rule doc on one line, without the marker; for a doc
// without one, its first paragraph that is not a heading. "" for an empty doc.
std::string ruleSummaryFromDoc(std::string_view doc);

// One RuleInfo per distinct rule id of `config` (enabled when any entry of that id is; level
// error when any enabled entry is an error, else the first entry's), plus dbarch-nolint, which
// dbarch itself reports. Sorted by id. Summary and pages come from embeddedRuleDocs(); a rule
// without a doc page is summarised by its first entry's message.
std::vector<RuleInfo> describeRules(const Config& config);

}  // namespace dbarch
