#include "core/io/model_config.h"

#include <cmath>

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include "core/io/input_error.h"
#include "core/io/json_file.h"

namespace attnscope {

ModelConfig ModelConfig::load(const QString &modelDir)
{
    if (!QFileInfo(modelDir).isDir())
        throw InputError(modelDir, QStringLiteral("is not a folder"));
    const QString path = QDir(modelDir).filePath(QStringLiteral("config.json"));
    return fromJson(readJsonObject(path), path);
}

ModelConfig ModelConfig::fromJson(const QJsonObject &json, const QString &path)
{
    ModelConfig config;
    config.m_json = json;
    config.m_path = path;
    return config;
}

void ModelConfig::fail(const QString &problem) const
{
    throw InputError(m_path, problem);
}

QString ModelConfig::modelType() const
{
    return string(QStringLiteral("model_type"));
}

QStringList ModelConfig::architectures() const
{
    const QJsonValue list = m_json.value(QStringLiteral("architectures"));
    if (list.isUndefined() || list.isNull())
        return {};
    QStringList names;
    for (const QJsonValue &value : list.toArray()) {
        if (!value.isString())
            break;
        names << value.toString();
    }
    if (!list.isArray() || names.size() != list.toArray().size())
        fail(QStringLiteral("field 'architectures' is not a list of strings"));
    return names;
}

namespace {
QString missing(const QString &key) { return QStringLiteral("field '%1' is missing").arg(key); }
// A required field set to null is as missing as an absent one.
bool isAbsent(const QJsonValue &value) { return value.isUndefined() || value.isNull(); }
QString wrongType(const QString &key, const char *type)
{
    return QStringLiteral("field '%1' is not %2").arg(key, QLatin1String(type));
}
} // namespace

qint64 ModelConfig::integer(const QString &key) const
{
    if (isAbsent(m_json.value(key)))
        fail(missing(key));
    return integer(key, 0);
}

qint64 ModelConfig::integer(const QString &key, qint64 fallback) const
{
    const QJsonValue value = m_json.value(key);
    if (isAbsent(value))
        return fallback;
    const double number = value.toDouble(std::nan(""));
    if (!value.isDouble() || std::floor(number) != number)
        fail(wrongType(key, "an integer"));
    if (std::abs(number) > 9007199254740992.0) // beyond 2^53 a JSON number is no exact integer
        fail(QStringLiteral("field '%1' is out of range").arg(key));
    return static_cast<qint64>(number);
}

double ModelConfig::number(const QString &key) const
{
    if (isAbsent(m_json.value(key)))
        fail(missing(key));
    return number(key, 0.0);
}

double ModelConfig::number(const QString &key, double fallback) const
{
    const QJsonValue value = m_json.value(key);
    if (isAbsent(value))
        return fallback;
    if (!value.isDouble())
        fail(wrongType(key, "a number"));
    return value.toDouble();
}

QString ModelConfig::string(const QString &key) const
{
    if (isAbsent(m_json.value(key)))
        fail(missing(key));
    return string(key, QString());
}

QString ModelConfig::string(const QString &key, const QString &fallback) const
{
    const QJsonValue value = m_json.value(key);
    if (isAbsent(value))
        return fallback;
    if (!value.isString())
        fail(wrongType(key, "a string"));
    return value.toString();
}

bool ModelConfig::boolean(const QString &key) const
{
    if (isAbsent(m_json.value(key)))
        fail(missing(key));
    return boolean(key, false);
}

bool ModelConfig::boolean(const QString &key, bool fallback) const
{
    const QJsonValue value = m_json.value(key);
    if (isAbsent(value))
        return fallback;
    if (!value.isBool())
        fail(wrongType(key, "true or false"));
    return value.toBool();
}

QJsonObject ModelConfig::object(const QString &key) const
{
    const QJsonValue value = m_json.value(key);
    if (value.isUndefined() || value.isNull())
        return {};
    if (!value.isObject())
        fail(wrongType(key, "an object"));
    return value.toObject();
}

} // namespace attnscope
