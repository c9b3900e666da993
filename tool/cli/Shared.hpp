#pragma once

#include <filesystem>
#include <string>

#include "config/Config.hpp"

namespace dbarch {

// --config FILE, else .dbarch.json discovered from `cwd` upwards, else the built-in defaults
// rooted at `cwd`. Throws ConfigError.
Config loadEffectiveConfig(const std::string& configFile, const std::filesystem::path& cwd);

}  // namespace dbarch
