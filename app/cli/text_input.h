#pragma once
// The text options shared by the commands that read text: --NAME T or --NAME-file F.

#include <optional>

#include <QByteArray>
#include <QCommandLineParser>

namespace attnscope::cli {

// Adds --text/--text-file and --text-pair/--text-pair-file to `parser`.
void addTextOptions(QCommandLineParser &parser);

// The UTF-8 bytes of --NAME or --NAME-file (exactly as stored: offsets refer to them).
// Throws UsageError when both or (if required) neither is given, InputError when the file
// cannot be read.
std::optional<QByteArray> readText(const QCommandLineParser &parser, const QString &name, bool required);

} // namespace attnscope::cli
