// GitHub Actions workflow commands: the runner turns each line into an annotation on the pull
// request diff. File paths must be relative to the repository root (Report::pathPrefix).
#include "findings/PathFrame.hpp"
#include "report/Report.hpp"

namespace dbarch {
namespace {

// The documented escaping of a command's message: without it a newline would end the command
// and a literal "%0A" in a message would turn into a newline.
std::string escapeData(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '%': out += "%25"; break;
            case '\r': out += "%0D"; break;
            case '\n': out += "%0A"; break;
            default: out += c;
        }
    }
    return out;
}

// Property values additionally end at ',' and the properties at "::".
std::string escapeProperty(const std::string& text) {
    std::string out;
    for (char c : escapeData(text)) {
        switch (c) {
            case ':': out += "%3A"; break;
            case ',': out += "%2C"; break;
            default: out += c;
        }
    }
    return out;
}

// The message plus its notes, one per line, as the text output shows them.
std::string messageWithNotes(const Finding& f) {
    std::string text = f.message;
    for (const auto& note : f.notes) {
        text += "\nnote: ";
        if (!note.file.empty()) {
            text += note.file;
            if (note.line) text += ":" + std::to_string(note.line) + ":" + std::to_string(note.column);
            text += ": ";
        }
        text += note.message;
    }
    return text;
}

}  // namespace

void writeGithub(std::ostream& out, const Report& report) {
    for (const auto& f : report.findings) {
        out << "::" << (f.severity == Severity::Error ? "error" : "warning") << " file="
            << escapeProperty(inFrame(report.pathPrefix, f.file));
        if (f.line) {
            out << ",line=" << f.line;
            if (f.column) out << ",col=" << f.column;
        }
        out << ",title=" << escapeProperty(f.rule) << "::" << escapeData(messageWithNotes(f)) << "\n";
    }
    for (const auto& e : report.errors) {
        out << "::error";
        if (!e.file.empty()) out << " file=" << escapeProperty(inFrame(report.pathPrefix, e.file));
        out << "::" << escapeData(e.message) << "\n";
    }
    for (const auto& w : report.warnings) out << "::warning::" << escapeData(w.message) << "\n";
    out << summaryLine(report) << "\n";
}

}  // namespace dbarch
