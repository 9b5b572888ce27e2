#include "core/tokenize/vocabulary.h"

#include <algorithm>

#include "core/tokenize/json_field.h"

namespace attnscope::tokenize {

namespace {
// Vocabularies may have holes (ids given to added tokens elsewhere), never millions of them.
constexpr qint64 kIdSlack = qint64(1) << 20;
} // namespace

void Vocabulary::add(const std::string &token, int64_t id)
{
    m_ids[token] = id;
    m_longestTokenBytes = std::max(m_longestTokenBytes, token.size());
    if (id >= int64_t(m_tokens.size()))
        m_tokens.resize(size_t(id) + 1);
    m_tokens[size_t(id)] = token;
}

int byteFallbackValue(const std::string &token)
{
    if (token.size() != 6 || token.compare(0, 3, "<0x") != 0 || token[5] != '>')
        return -1;
    bool ok = false;
    const int value = QByteArray::fromStdString(token.substr(3, 2)).toInt(&ok, 16);
    return ok ? value : -1;
}

Vocabulary readVocabulary(const JsonField &field)
{
    Vocabulary vocab;
    const QJsonObject object = field.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const JsonField id(field.file(), QStringLiteral("%1[\"%2\"]").arg(field.path(), it.key()), it.value());
        const qint64 value = id.toInt();
        // Ids index a dense table: far beyond the entries they would only make it huge.
        if (value < 0 || value >= qint64(object.size()) + kIdSlack)
            id.fail(QStringLiteral("id %1 is out of range for a vocabulary of %2 entries").arg(value).arg(object.size()));
        vocab.add(it.key().toStdString(), value);
    }
    return vocab;
}

} // namespace attnscope::tokenize
