#pragma once
// The attnscope-cli subcommands. Each lives in its own file (app/cli/<name>.cpp) and is
// listed once in commands.cpp. Contract: ../shared/DESIGN.md, "Headless CLI contract".

#include <stdexcept>
#include <vector>

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

namespace attnscope::cli {

enum ExitCode { ExitSuccess = 0, ExitFailure = 1, ExitUsage = 2, ExitBadInput = 3 };

// Wrong arguments: main prints "attnscope-cli <command>: <what>" and exits 2.
class UsageError : public std::runtime_error {
public:
    explicit UsageError(const QString &what) : std::runtime_error(what.toStdString()) {}
};

struct Command {
    const char *name;
    const char *summary;
    int (*run)(const QStringList &arguments); // arguments[0] is the command name
    bool needsGui = false; // renders text or images: main creates an offscreen QGuiApplication
};

const std::vector<Command> &commands();

// Parses `arguments` with the options already added to `parser`; adds --help itself.
// Throws UsageError on unknown options or a wrong number of positional arguments.
// Returns false when --help was answered (the caller returns ExitSuccess).
bool parseArguments(QCommandLineParser &parser, const QStringList &arguments,
                    int minPositional, int maxPositional);

// Writes text (plus a newline) to stdout as UTF-8.
void printLine(const QByteArray &text);

} // namespace attnscope::cli
