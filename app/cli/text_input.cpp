#include "app/cli/text_input.h"

#include "app/cli/command.h"
#include "core/io/bounded_file.h"
#include "core/io/input_error.h"

namespace attnscope::cli {

void addTextOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("text"), QStringLiteral("Text to read."), QStringLiteral("T")});
    parser.addOption({QStringLiteral("text-file"), QStringLiteral("File holding the text."), QStringLiteral("F")});
    parser.addOption({QStringLiteral("text-pair"), QStringLiteral("Second sentence of a pair."), QStringLiteral("T2")});
    parser.addOption({QStringLiteral("text-pair-file"), QStringLiteral("File holding the second sentence."), QStringLiteral("F2")});
}

std::optional<QByteArray> readText(const QCommandLineParser &parser, const QString &name, bool required)
{
    const bool inline_ = parser.isSet(name);
    const bool file = parser.isSet(name + QStringLiteral("-file"));
    if (inline_ && file)
        throw UsageError(QStringLiteral("give either --%1 or --%1-file, not both").arg(name));
    if (inline_)
        return parser.value(name).toUtf8();
    if (file)
        return readBoundedFile(parser.value(name + QStringLiteral("-file")), kMaxTextFileBytes, "a text file");
    if (required)
        throw UsageError(QStringLiteral("give the text with --%1 or --%1-file").arg(name));
    return std::nullopt;
}

} // namespace attnscope::cli
