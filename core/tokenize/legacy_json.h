#pragma once
// Small tokenizer.json fragments the legacy loaders assemble, as transformers' converters do.

#include <QJsonArray>
#include <QJsonObject>

#include <optional>

namespace attnscope::tokenize::legacy {

QJsonObject object(std::initializer_list<std::pair<QString, QJsonValue>> fields);
QJsonObject addedToken(qint64 id, const QString &content, bool lstrip = false);
QJsonObject byteLevel(bool addPrefixSpace, bool useRegex, bool trimOffsets);
// A special token of a template: its text and id.
struct TemplateToken {
    QString content;
    qint64 id = -1;
};
// single: "[bos] $A [eos]", pair: "[bos] $A [eos] [bos]:1 $B:1 [eos]:1", each special token
// only when given (HF's Llama / Llama 3 templates have a bos only).
QJsonObject wrapTemplate(const std::optional<TemplateToken> &bos, const std::optional<TemplateToken> &eos);

} // namespace attnscope::tokenize::legacy
