// attnscope-cli tokenize DIR (--text T | --text-file F) [--text-pair T2 | --text-pair-file F2] [--no-special]
// Prints {"ids", "tokens", "offsets", "special", "type_ids", "display"} as one JSON object.
#include <optional>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "app/cli/command.h"
#include "core/io/input_error.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope::cli {

namespace {

// The UTF-8 bytes of --NAME or --NAME-file (exactly as stored: offsets refer to them).
std::optional<QByteArray> readText(const QCommandLineParser &parser, const QString &name, bool required)
{
    const bool inline_ = parser.isSet(name);
    const bool file = parser.isSet(name + QStringLiteral("-file"));
    if (inline_ && file)
        throw UsageError(QStringLiteral("give either --%1 or --%1-file, not both").arg(name));
    if (inline_)
        return parser.value(name).toUtf8();
    if (file) {
        const QString path = parser.value(name + QStringLiteral("-file"));
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            throw InputError(path, QStringLiteral("cannot read: %1").arg(f.errorString()));
        return f.readAll();
    }
    if (required)
        throw UsageError(QStringLiteral("give the text with --%1 or --%1-file").arg(name));
    return std::nullopt;
}

} // namespace

int runTokenize(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Tokenizes text exactly as Hugging Face does and prints the tokens as JSON; offsets are\n"
        "UTF-8 byte ranges of the input (of its own sequence for --text-pair)."));
    parser.addPositionalArgument(QStringLiteral("MODEL_OR_TOKENIZER_DIR"),
                                 QStringLiteral("folder with tokenizer.json, tokenizer.model, *.tiktoken, "
                                                "vocab.json + merges.txt or vocab.txt (or one such file)"));
    parser.addOption({QStringLiteral("text"), QStringLiteral("Text to tokenize."), QStringLiteral("T")});
    parser.addOption({QStringLiteral("text-file"), QStringLiteral("File holding the text."), QStringLiteral("F")});
    parser.addOption({QStringLiteral("text-pair"), QStringLiteral("Second sentence of a pair."), QStringLiteral("T2")});
    parser.addOption({QStringLiteral("text-pair-file"), QStringLiteral("File holding the second sentence."), QStringLiteral("F2")});
    parser.addOption({QStringLiteral("no-special"), QStringLiteral("Do not add the special tokens (BOS, [CLS] …).")});
    if (!parseArguments(parser, arguments, 1, 1))
        return ExitSuccess;
    const QByteArray text = *readText(parser, QStringLiteral("text"), true);
    const std::optional<QByteArray> pair = readText(parser, QStringLiteral("text-pair"), false);
    const bool addSpecial = !parser.isSet(QStringLiteral("no-special"));

    const auto tokenizer = tokenize::loadTokenizer(parser.positionalArguments().first());
    const tokenize::Encoding encoding = pair ? tokenizer->encodePair(text, *pair, addSpecial)
                                             : tokenizer->encode(text, addSpecial);
    QJsonArray ids, tokens, offsets, special, typeIds, display;
    for (const tokenize::Token &t : encoding.tokens) {
        ids.append(qint64(t.id));
        tokens.append(t.token);
        offsets.append(QJsonArray{t.byteBegin, t.byteEnd});
        special.append(t.special);
        typeIds.append(t.typeId);
        display.append(t.text);
    }
    QJsonObject out{{QStringLiteral("ids"), ids}, {QStringLiteral("tokens"), tokens},
                    {QStringLiteral("offsets"), offsets}, {QStringLiteral("special"), special},
                    {QStringLiteral("type_ids"), typeIds}, {QStringLiteral("display"), display}};
    printLine(QJsonDocument(out).toJson(QJsonDocument::Compact));
    return ExitSuccess;
}

} // namespace attnscope::cli
