#include "core/tokenize/json_field.h"

#include "core/io/input_error.h"

namespace attnscope::tokenize {

JsonField::JsonField(QString file, QString path, QJsonValue value)
    : m_file(std::move(file)), m_path(std::move(path)), m_value(std::move(value)) {}

JsonField JsonField::operator[](const QString &key) const
{
    const QString path = m_path.isEmpty() ? key : m_path + QLatin1Char('.') + key;
    return JsonField(m_file, path, m_value.isObject() ? m_value.toObject().value(key) : QJsonValue());
}

JsonField JsonField::at(qsizetype index) const
{
    return JsonField(m_file, QStringLiteral("%1[%2]").arg(m_path).arg(index), m_value.toArray().at(index));
}

bool JsonField::has(const QString &key) const
{
    return m_value.isObject() && m_value.toObject().contains(key) && !m_value.toObject().value(key).isNull();
}

void JsonField::fail(const QString &problem) const
{
    throw InputError(m_file, QStringLiteral("field %1: %2").arg(m_path.isEmpty() ? QStringLiteral("(root)") : m_path, problem));
}

void JsonField::require(bool ok, const char *expected) const
{
    if (!ok)
        fail(isNull() ? QStringLiteral("missing (expected %1)").arg(QLatin1String(expected))
                      : QStringLiteral("expected %1").arg(QLatin1String(expected)));
}

QJsonObject JsonField::toObject() const
{
    require(m_value.isObject(), "an object");
    return m_value.toObject();
}

QJsonArray JsonField::toArray() const
{
    require(m_value.isArray(), "a list");
    return m_value.toArray();
}

QString JsonField::toString() const
{
    require(m_value.isString(), "a string");
    return m_value.toString();
}

qint64 JsonField::toInt() const
{
    const double d = m_value.toDouble(-1.5);
    require(m_value.isDouble() && d == double(qint64(d)), "an integer");
    return qint64(d);
}

double JsonField::toDouble() const
{
    require(m_value.isDouble(), "a number");
    return m_value.toDouble();
}

bool JsonField::toBool() const
{
    require(m_value.isBool(), "true or false");
    return m_value.toBool();
}

QString JsonField::stringOr(const QString &key, const QString &fallback) const
{
    return has(key) ? (*this)[key].toString() : fallback;
}

bool JsonField::boolOr(const QString &key, bool fallback) const
{
    return has(key) ? (*this)[key].toBool() : fallback;
}

QJsonDocument parseJson(QByteArray data, const QString &file)
{
    const QByteArray bom("\xEF\xBB\xBF");
    if (data.startsWith(bom))
        data.remove(0, bom.size());
    data.replace(bom, QByteArrayLiteral("\\ufeff"));
    QJsonParseError error;
    QJsonDocument doc = QJsonDocument::fromJson(data, &error);
    if (error.error != QJsonParseError::NoError)
        throw InputError(file, QStringLiteral("invalid JSON: %1 at byte %2").arg(error.errorString()).arg(error.offset));
    if (!doc.isObject())
        throw InputError(file, QStringLiteral("expected a JSON object"));
    return doc;
}

} // namespace attnscope::tokenize
