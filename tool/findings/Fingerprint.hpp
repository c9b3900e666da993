// Line-independent identities of findings, so that tracking survives edits above a finding:
// SARIF partialFingerprints, GitLab Code Quality fingerprints and the baseline all use them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "findings/Finding.hpp"

namespace dbarch {

// A source line as compared across runs: leading and trailing whitespace removed, every run of
// whitespace inside collapsed to one space, invalid UTF-8 replaced by U+FFFD. Re-indenting a
// line keeps it the same; changing a token does not.
std::string normalizeSourceText(std::string_view line);

// 16 hex digits: FNV-1a 64 of the rule, file, enclosing function and normalised source line.
// Deliberately no line or column (moves within the function/file keep the key) and no message
// (rewording a rule's message in the config must not make every finding new). Findings on two
// identical lines of one function share a key; see uniqueFingerprints.
std::string findingKey(const Finding& finding);

// One fingerprint per finding, unique within the list: the first finding with a key gets the key
// itself, the n-th (n >= 2, in list order) gets "<key>:<n>". With findings sorted by line (as in
// a Report), adding a duplicate below an existing one leaves the existing fingerprint unchanged.
std::vector<std::string> uniqueFingerprints(const std::vector<Finding>& findings);

}  // namespace dbarch
