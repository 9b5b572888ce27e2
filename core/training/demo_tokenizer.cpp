#include "core/training/demo_tokenizer.h"

#include <QJsonArray>

namespace attnscope {

QStringList DemoVocabulary::tokens() const
{
    QStringList list = specials + words;
    QStringList fallback;
    for (char c = 'a'; c <= 'z'; ++c)
        fallback << QString(QLatin1Char(c));
    for (char c = '0'; c <= '9'; ++c)
        fallback << QString(QLatin1Char(c));
    for (const QString &piece : QStringList(fallback))
        fallback << QStringLiteral("##") + piece;
    for (const QString &piece : fallback)
        if (!list.contains(piece))
            list << piece;
    return list;
}

namespace {

QJsonObject specialPiece(const QString &token, int typeId)
{
    return {{QStringLiteral("SpecialToken"), QJsonObject{{QStringLiteral("id"), token}, {QStringLiteral("type_id"), typeId}}}};
}

QJsonObject sequencePiece(const QString &which, int typeId)
{
    return {{QStringLiteral("Sequence"), QJsonObject{{QStringLiteral("id"), which}, {QStringLiteral("type_id"), typeId}}}};
}

QJsonArray framed(const QStringList &before, const QString &sequence, const QStringList &after, int typeId)
{
    QJsonArray pieces;
    for (const QString &token : before)
        pieces.append(specialPiece(token, typeId));
    pieces.append(sequencePiece(sequence, typeId));
    for (const QString &token : after)
        pieces.append(specialPiece(token, typeId));
    return pieces;
}

} // namespace

QJsonObject demoTokenizerJson(const DemoVocabulary &vocabulary, const QStringList &before, const QStringList &after)
{
    const QStringList tokens = vocabulary.tokens();
    QJsonObject vocab;
    for (int id = 0; id < tokens.size(); ++id)
        vocab.insert(tokens[id], id);
    QJsonArray added;
    QJsonObject specialTokens;
    for (const QString &special : vocabulary.specials) {
        const int id = int(tokens.indexOf(special));
        added.append(QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("content"), special},
                                 {QStringLiteral("single_word"), false}, {QStringLiteral("lstrip"), false},
                                 {QStringLiteral("rstrip"), false}, {QStringLiteral("normalized"), false},
                                 {QStringLiteral("special"), true}});
        specialTokens.insert(special, QJsonObject{{QStringLiteral("id"), special},
                                                  {QStringLiteral("ids"), QJsonArray{id}},
                                                  {QStringLiteral("tokens"), QJsonArray{special}}});
    }
    QJsonArray pair = framed(before, QStringLiteral("A"), after, 0);
    for (const QJsonValue &piece : framed({}, QStringLiteral("B"), after, 1))
        pair.append(piece);
    return {
        {QStringLiteral("version"), QStringLiteral("1.0")},
        {QStringLiteral("truncation"), QJsonValue::Null},
        {QStringLiteral("padding"), QJsonValue::Null},
        {QStringLiteral("added_tokens"), added},
        {QStringLiteral("normalizer"), QJsonObject{{QStringLiteral("type"), QStringLiteral("BertNormalizer")},
                                                   {QStringLiteral("clean_text"), true},
                                                   {QStringLiteral("handle_chinese_chars"), true},
                                                   {QStringLiteral("strip_accents"), QJsonValue::Null},
                                                   {QStringLiteral("lowercase"), true}}},
        {QStringLiteral("pre_tokenizer"), QJsonObject{{QStringLiteral("type"), QStringLiteral("BertPreTokenizer")}}},
        {QStringLiteral("post_processor"), QJsonObject{{QStringLiteral("type"), QStringLiteral("TemplateProcessing")},
                                                       {QStringLiteral("single"), framed(before, QStringLiteral("A"), after, 0)},
                                                       {QStringLiteral("pair"), pair},
                                                       {QStringLiteral("special_tokens"), specialTokens}}},
        {QStringLiteral("decoder"), QJsonObject{{QStringLiteral("type"), QStringLiteral("WordPiece")},
                                                {QStringLiteral("prefix"), QStringLiteral("##")},
                                                {QStringLiteral("cleanup"), true}}},
        {QStringLiteral("model"), QJsonObject{{QStringLiteral("type"), QStringLiteral("WordPiece")},
                                              {QStringLiteral("unk_token"), QStringLiteral("[UNK]")},
                                              {QStringLiteral("continuing_subword_prefix"), QStringLiteral("##")},
                                              {QStringLiteral("max_input_chars_per_word"), 100},
                                              {QStringLiteral("vocab"), vocab}}},
    };
}

} // namespace attnscope
