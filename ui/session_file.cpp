#include "ui/session_file.h"

#include <cmath>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include "core/io/input_error.h"
#include "core/io/json_file.h"

namespace attnscope {

namespace {

constexpr int kFormatVersion = 1;

// A session may name its source and image relative to itself (so that a folder of sessions
// and models can move together).
QString besideSession(const QString &sessionPath, const QString &path)
{
    return QDir::cleanPath(QFileInfo(sessionPath).absoluteDir().absoluteFilePath(path));
}

} // namespace

bool Session::operator==(const Session &other) const
{
    return source == other.source && text == other.text && image == other.image && compare == other.compare
           && variant == other.variant && layer == other.layer && head == other.head && query == other.query
           && key == other.key && view == other.view && viewSettings == other.viewSettings;
}

QJsonObject sessionToJson(const Session &session)
{
    return QJsonObject{
        {QStringLiteral("attnscope_session"), kFormatVersion},
        {QStringLiteral("source"), session.source},
        {QStringLiteral("input"), QJsonObject{{QStringLiteral("text"), session.text}, {QStringLiteral("image"), session.image}}},
        {QStringLiteral("variant"), QJsonObject{{QStringLiteral("compare"), session.compare}, {QStringLiteral("spec"), session.variant}}},
        {QStringLiteral("selection"), QJsonObject{{QStringLiteral("layer"), session.layer}, {QStringLiteral("head"), session.head},
                                                  {QStringLiteral("query"), session.query}, {QStringLiteral("key"), session.key}}},
        {QStringLiteral("view"), session.view},
        {QStringLiteral("view_settings"), session.viewSettings},
    };
}

Session sessionFromJson(const QJsonObject &json, const QString &path)
{
    if (json.value(QStringLiteral("attnscope_session")).toInt() != kFormatVersion)
        throw InputError(path, QStringLiteral("is not an AttnScope session (no \"attnscope_session\": %1)").arg(kFormatVersion));
    const auto string = [&](const QJsonObject &object, const QString &key, const QString &where) {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return QString();
        if (!value.isString())
            throw InputError(path, QStringLiteral("field '%1' is not a string").arg(where));
        return value.toString();
    };
    const auto integer = [&](const QJsonObject &object, const QString &key, int fallback) {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return fallback;
        if (!value.isDouble() || value.toDouble() != std::floor(value.toDouble()))
            throw InputError(path, QStringLiteral("field 'selection.%1' is not a whole number").arg(key));
        return value.toInt();
    };
    Session session;
    session.source = string(json, QStringLiteral("source"), QStringLiteral("source"));
    if (session.source.isEmpty())
        throw InputError(path, QStringLiteral("names no model folder or attention file (field 'source')"));
    const QJsonObject input = json.value(QStringLiteral("input")).toObject();
    session.text = string(input, QStringLiteral("text"), QStringLiteral("input.text"));
    session.image = string(input, QStringLiteral("image"), QStringLiteral("input.image"));
    const QJsonObject variant = json.value(QStringLiteral("variant")).toObject();
    session.compare = variant.value(QStringLiteral("compare")).toBool(false);
    session.variant = string(variant, QStringLiteral("spec"), QStringLiteral("variant.spec"));
    const QJsonObject selection = json.value(QStringLiteral("selection")).toObject();
    session.layer = integer(selection, QStringLiteral("layer"), 0);
    session.head = integer(selection, QStringLiteral("head"), 0);
    session.query = integer(selection, QStringLiteral("query"), -1);
    session.key = integer(selection, QStringLiteral("key"), -1);
    session.view = string(json, QStringLiteral("view"), QStringLiteral("view"));
    const QJsonValue settings = json.value(QStringLiteral("view_settings"));
    if (!settings.isUndefined() && !settings.isObject())
        throw InputError(path, QStringLiteral("field 'view_settings' is not an object"));
    session.viewSettings = settings.toObject();
    for (auto view = session.viewSettings.begin(); view != session.viewSettings.end(); ++view)
        if (!view.value().isObject())
            throw InputError(path, QStringLiteral("field 'view_settings.%1' is not an object").arg(view.key()));
    return session;
}

void writeSession(const QString &path, const Session &session)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || file.write(QJsonDocument(sessionToJson(session)).toJson(QJsonDocument::Indented)) < 0)
        throw InputError(path, QStringLiteral("cannot write: %1").arg(file.errorString()));
}

Session readSession(const QString &path)
{
    Session session = sessionFromJson(readJsonObject(path), path);
    session.source = besideSession(path, session.source);
    if (!session.image.isEmpty())
        session.image = besideSession(path, session.image);
    return session;
}

} // namespace attnscope
