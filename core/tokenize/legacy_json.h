#pragma once
// Small tokenizer.json fragments the legacy loaders assemble, as transformers' converters do.

#include <QJsonArray>
#include <QJsonObject>

namespace attnscope::tokenize::legacy {

QJsonObject object(std::initializer_list<std::pair<QString, QJsonValue>> fields);
QJsonObject addedToken(qint64 id, const QString &content, bool lstrip = false);
QJsonObject byteLevel(bool addPrefixSpace, bool useRegex, bool trimOffsets);
// single: "<bos> $A", pair: "<bos> $A <bos>:1 $B:1" (HF's Llama / Llama 3 templates).
QJsonObject bosTemplate(const QString &bos, qint64 id);

} // namespace attnscope::tokenize::legacy
