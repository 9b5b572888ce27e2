#include "app/cli/command.h"

#include <cstdio>

namespace attnscope::cli {

bool parseArguments(QCommandLineParser &parser, const QStringList &arguments,
                    int minPositional, int maxPositional)
{
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    parser.addOption(help);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    if (!parser.parse(arguments))
        throw UsageError(parser.errorText());
    if (parser.isSet(help)) {
        printLine(parser.helpText().toUtf8());
        return false;
    }
    const int count = parser.positionalArguments().size();
    if (count < minPositional)
        throw UsageError(QStringLiteral("missing arguments; see --help"));
    if (maxPositional >= 0 && count > maxPositional)
        throw UsageError(QStringLiteral("unexpected argument '%1'; see --help")
                             .arg(parser.positionalArguments().value(maxPositional)));
    return true;
}

void printLine(const QByteArray &text)
{
    std::fwrite(text.constData(), 1, static_cast<size_t>(text.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

} // namespace attnscope::cli
