#include "core/tokenize/legacy_json.h"

namespace attnscope::tokenize::legacy {

QJsonObject object(std::initializer_list<std::pair<QString, QJsonValue>> fields)
{
    QJsonObject o;
    for (const auto &[key, value] : fields)
        o.insert(key, value);
    return o;
}

QJsonObject addedToken(qint64 id, const QString &content, bool lstrip)
{
    return object({{QStringLiteral("id"), id}, {QStringLiteral("content"), content},
                   {QStringLiteral("special"), true}, {QStringLiteral("normalized"), false},
                   {QStringLiteral("lstrip"), lstrip}, {QStringLiteral("rstrip"), false},
                   {QStringLiteral("single_word"), false}});
}

QJsonObject byteLevel(bool addPrefixSpace, bool useRegex, bool trimOffsets)
{
    return object({{QStringLiteral("type"), QStringLiteral("ByteLevel")},
                   {QStringLiteral("add_prefix_space"), addPrefixSpace},
                   {QStringLiteral("use_regex"), useRegex}, {QStringLiteral("trim_offsets"), trimOffsets}});
}

QJsonObject wrapTemplate(const std::optional<TemplateToken> &bos, const std::optional<TemplateToken> &eos)
{
    auto special = [](const TemplateToken &token, int typeId) {
        return object({{QStringLiteral("SpecialToken"),
                        object({{QStringLiteral("id"), token.content}, {QStringLiteral("type_id"), typeId}})}});
    };
    auto sequence = [](const char *name, int typeId) {
        return object({{QStringLiteral("Sequence"), object({{QStringLiteral("id"), QLatin1String(name)}, {QStringLiteral("type_id"), typeId}})}});
    };
    QJsonArray single, pair;
    QJsonObject specials;
    for (int typeId : {0, 1}) {
        QJsonArray &into = typeId == 0 ? single : pair;
        if (typeId == 1)
            pair = single;
        if (bos)
            into.append(special(*bos, typeId));
        into.append(sequence(typeId == 0 ? "A" : "B", typeId));
        if (eos)
            into.append(special(*eos, typeId));
    }
    for (const std::optional<TemplateToken> &token : {bos, eos})
        if (token)
            specials.insert(token->content, object({{QStringLiteral("id"), token->content},
                                                    {QStringLiteral("ids"), QJsonArray{token->id}},
                                                    {QStringLiteral("tokens"), QJsonArray{token->content}}}));
    return object({{QStringLiteral("type"), QStringLiteral("TemplateProcessing")},
                   {QStringLiteral("single"), single},
                   {QStringLiteral("pair"), pair},
                   {QStringLiteral("special_tokens"), specials}});
}

} // namespace attnscope::tokenize::legacy
