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

QJsonObject bosTemplate(const QString &bos, qint64 id)
{
    auto special = [&bos](int typeId) {
        return object({{QStringLiteral("SpecialToken"), object({{QStringLiteral("id"), bos}, {QStringLiteral("type_id"), typeId}})}});
    };
    auto sequence = [](const char *name, int typeId) {
        return object({{QStringLiteral("Sequence"), object({{QStringLiteral("id"), QLatin1String(name)}, {QStringLiteral("type_id"), typeId}})}});
    };
    const QJsonObject specials = object({{bos, object({{QStringLiteral("id"), bos},
                                                       {QStringLiteral("ids"), QJsonArray{id}},
                                                       {QStringLiteral("tokens"), QJsonArray{bos}}})}});
    return object({{QStringLiteral("type"), QStringLiteral("TemplateProcessing")},
                   {QStringLiteral("single"), QJsonArray{special(0), sequence("A", 0)}},
                   {QStringLiteral("pair"), QJsonArray{special(0), sequence("A", 0), special(1), sequence("B", 1)}},
                   {QStringLiteral("special_tokens"), specials}});
}

} // namespace attnscope::tokenize::legacy
