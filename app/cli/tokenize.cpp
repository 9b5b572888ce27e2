// attnscope-cli tokenize DIR (--text T | --text-file F) [--text-pair T2 | --text-pair-file F2] [--no-special]
// Prints {"ids", "tokens", "offsets", "special", "type_ids", "display"} as one JSON object.
#include <optional>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "app/cli/command.h"
#include "app/cli/text_input.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope::cli {

int runTokenize(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Tokenizes text exactly as Hugging Face does and prints the tokens as JSON; offsets are\n"
        "UTF-8 byte ranges of the input (of its own sequence for --text-pair)."));
    parser.addPositionalArgument(QStringLiteral("MODEL_OR_TOKENIZER_DIR"),
                                 QStringLiteral("folder with tokenizer.json, tokenizer.model, *.tiktoken, "
                                                "vocab.json + merges.txt or vocab.txt (or one such file)"));
    addTextOptions(parser);
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
