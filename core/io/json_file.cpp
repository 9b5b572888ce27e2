#include "core/io/json_file.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

#include "core/io/bounded_file.h"
#include "core/io/input_error.h"

namespace attnscope {

QJsonObject readJsonObject(const QString &path)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(readBoundedFile(path, kMaxConfigFileBytes, "a JSON file"), &error);
    if (error.error != QJsonParseError::NoError)
        throw InputError(path, QStringLiteral("is not valid JSON at offset %1 (%2)")
                                   .arg(error.offset).arg(error.errorString()));
    if (!doc.isObject())
        throw InputError(path, QStringLiteral("must hold a JSON object"));
    return doc.object();
}

void writeTextFile(const QString &path, const QByteArray &text)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit())
        throw InputError(path, QStringLiteral("cannot be written (%1)").arg(file.errorString()));
}

void writeJsonFile(const QString &path, const QJsonObject &object)
{
    writeTextFile(path, QJsonDocument(object).toJson(QJsonDocument::Indented));
}

} // namespace attnscope
