#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/Commands.hpp"

namespace dbarch {

int runCli(int argc, char** argv) {
    // Everything after the first "--" is compiler flags; CLI11 never sees it.
    std::vector<std::string> args(argv + 1, argv + argc);
    CheckOptions check;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--") {
            check.haveExtraArgs = true;
            check.extraArgs.assign(args.begin() + i + 1, args.end());
            args.resize(i);
            break;
        }
    }

    CLI::App app{"dbarch: every database connection through the approved handler, checked by the compiler", "dbarch"};
    app.set_version_flag("--version", std::string("dbarch ") + DBARCH_VERSION);
    app.require_subcommand(1);

    auto* checkCommand = app.add_subcommand("check", "Check translation units against the rules");
    checkCommand->add_option("paths", check.paths, "Files or directories to check (default: every unit of the compilation database)");
    checkCommand->add_option("-p,--build-path", check.buildPath, "Build directory with compile_commands.json (or the file itself)");
    checkCommand->add_option("--config", check.configFile, "Project config (default: .dbarch.json here or in a parent directory)");
    const std::vector<std::string> formats{"text", "json", "sarif", "github", "codeclimate", "junit"};
    checkCommand->add_option("--format", check.format, "Output format")->check(CLI::IsMember(formats));
    checkCommand->add_option("-o,--output", check.output, "Write the report to this file instead of stdout");
    for (const auto& format : formats) {
        checkCommand
            ->add_option_function<std::string>(
                "--" + format + "-output", [&check, format](const std::string& path) { check.extraOutputs.emplace_back(format, path); },
                "Also write the " + format + " report to this file")
            ->option_text("FILE");
    }
    checkCommand->add_option("--diff", check.diffRef, "Report only findings on lines added or changed since this git ref");
    checkCommand->add_flag("--staged", check.staged, "Check the staged content; report only findings on staged lines");
    checkCommand->add_option("--line-filter", check.lineFilter,
                             "Report only findings on these lines (clang-tidy's JSON: [{\"name\":\"f.cpp\",\"lines\":[[1,3]]}])");
    checkCommand->add_option("--baseline", check.baselineFile, "Fail only on findings not recorded in this baseline file");
    checkCommand->add_option("--write-baseline", check.writeBaselineFile, "Record today's findings in this baseline file");
    checkCommand->add_flag("--baseline-strict", check.baselineStrict, "Also fail when baseline entries were fixed (the file only shrinks)");
    checkCommand->add_flag("--require-reason", check.requireReason,
                           "A NOLINT for a dbarch rule must give a reason: // NOLINT(dbarch-x): why");
    checkCommand->add_flag("--report-unused-suppressions", check.reportUnusedSuppressions,
                           "Report NOLINT comments naming dbarch rules that suppress nothing");
    checkCommand->add_option("--docs-url", check.docsUrl, "Where the rule docs are browsable, for SARIF links (<URL>/rules/docs/<id>.md)")
        ->envname("DBARCH_DOCS_URL");
    checkCommand->add_option("-j,--jobs", check.jobs, "Parallel jobs (default: number of cores)")->check(CLI::Range(1, 1024));
    checkCommand->add_option("--color", check.color, "Colour text output")->check(CLI::IsMember({"auto", "always", "never"}));
    checkCommand->add_option("--fail-on", check.failOn, "Lowest severity that makes the exit code 1")
        ->check(CLI::IsMember({"error", "warning"}));
    checkCommand->add_flag("--full-parse", check.fullParse,
                           "Parse library function bodies too (slower; for comparing against the default)");
    checkCommand->add_flag("--no-cache", check.noCache, "Analyse every unit, neither reading nor writing the result cache");
    checkCommand->add_option("--cache-dir", check.cacheDir, "Result cache directory (default: .dbarch-cache/ beside the compilation database)")
        ->envname("DBARCH_CACHE_DIR");
    checkCommand->add_flag("--no-shared-preamble", check.noSharedPreamble,
                           "Parse every unit on its own, without the precompiled header shared by units with the same includes");
    checkCommand->add_flag("--stats", check.stats, "Print units from the cache and time spent in parsing, matching and reporting");
    checkCommand->add_option("--resource-dir", check.resourceDir, "Clang resource directory (default: the one dbarch was built with)");
    checkCommand->footer(
        "Compile flags after -- serve files the compilation database lacks (and are appended for the others).\n"
        "Exit codes: 0 clean, 1 violations, 2 usage or configuration error, 3 a file could not be analysed.");

    std::string rulesConfig;
    auto* rulesCommand = app.add_subcommand("rules", "List the rules in effect, with ids and summaries");
    rulesCommand->add_option("--config", rulesConfig, "Project config (default: discovered)");

    std::string explainId, explainConfig;
    auto* explainCommand = app.add_subcommand("explain", "Explain a rule: what it forbids, why, what to do instead");
    explainCommand->add_option("rule", explainId, "Rule id, e.g. dbarch-direct-connection")->required();
    explainCommand->add_option("--config", explainConfig, "Project config (default: discovered)");

    // CLI11 says only "a subcommand is required" for `dbarch frob`; name it.
    if (!args.empty() && !args[0].empty() && args[0][0] != '-' && args[0] != "check" && args[0] != "rules" &&
        args[0] != "explain" && args[0] != "install-hook" && args[0] != "audit" && args[0] != "init") {
        std::cerr << "dbarch: error: unknown command '" << args[0]
                  << "' (commands: check, rules, explain, audit, init, install-hook; see dbarch --help)\n";
        return kExitUsage;
    }
    // dbarch audit / dbarch init analyse like check; they take its unit-selection options.
    auto addAnalysisOptions = [](CLI::App* command, CheckOptions& o) {
        command->add_option("paths", o.paths, "Files or directories (default: every unit of the compilation database)");
        command->add_option("-p,--build-path", o.buildPath, "Build directory with compile_commands.json (or the file itself)");
        command->add_option("-j,--jobs", o.jobs, "Parallel jobs (default: number of cores)")->check(CLI::Range(1, 1024));
        command->add_option("--resource-dir", o.resourceDir, "Clang resource directory");
        command->add_flag("--full-parse", o.fullParse, "Parse library function bodies too");
        command->add_flag("--no-cache", o.noCache, "Neither read nor write the result cache");
    };
    CheckOptions auditOptions;
    auto* auditCommand = app.add_subcommand("audit", "One-off look at a codebase: violations, tables by rule, directory and API, handler candidates");
    addAnalysisOptions(auditCommand, auditOptions);
    auditCommand->add_option("--config", auditOptions.configFile, "Project config (default: discovered, else builtin:default)");
    auditCommand->add_option("--format", auditOptions.format, "Output format")->check(CLI::IsMember({"text", "json"}));
    auditCommand->add_option("-o,--output", auditOptions.output, "Write the audit to this file");
    auditCommand->footer("Exit codes: 0 audited (whatever was found), 2 usage or configuration error, 3 a file could not be analysed.");

    CheckOptions initOptions;
    bool initForce = false;
    auto* initCommand = app.add_subcommand("init", "Write a starter .dbarch.json here from an audit of the code");
    addAnalysisOptions(initCommand, initOptions);
    initCommand->add_flag("--force", initForce, "Overwrite an existing .dbarch.json");

    bool hookForce = false;
    std::string hookArgs;
    auto* hookCommand = app.add_subcommand("install-hook", "Install the pre-commit hook into this git repository");
    hookCommand->add_flag("--force", hookForce, "Replace an existing pre-commit hook that is not dbarch's");
    hookCommand->add_option("--args", hookArgs, "Arguments the hook passes to 'dbarch check', e.g. \"-p build\"");

    try {
        std::vector<std::string> reversed(args.rbegin(), args.rend());
        app.parse(reversed);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    }
    if (check.haveExtraArgs && !checkCommand->parsed() && !auditCommand->parsed() && !initCommand->parsed()) {
        std::cerr << "dbarch: error: compile flags after -- only go with 'dbarch check', 'audit' or 'init'\n";
        return kExitUsage;
    }
    for (CheckOptions* o : {&auditOptions, &initOptions}) {
        o->haveExtraArgs = check.haveExtraArgs;
        o->extraArgs = check.extraArgs;
    }
    if (auditCommand->parsed()) return runAudit(auditOptions);
    if (initCommand->parsed()) return runInit(initOptions, initForce);
    if (checkCommand->parsed()) return runCheck(check);
    if (rulesCommand->parsed()) return runRules(rulesConfig);
    if (explainCommand->parsed()) return runExplain(explainId, explainConfig);
    if (hookCommand->parsed()) return runInstallHook(hookForce, hookArgs);
    return kExitUsage;
}

}  // namespace dbarch

int main(int argc, char** argv) {
    return dbarch::runCli(argc, argv);
}
