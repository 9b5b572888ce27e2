#include "ui/demo_catalog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include "core/analysis/analysis_registry.h"
#include "core/io/input_error.h"
#include "core/io/json_file.h"

namespace attnscope {

namespace {

const QString kCatalogFile = QStringLiteral("demos.json");

QString requiredString(const QJsonObject &object, const QString &key, const QString &path)
{
    const QJsonValue value = object.value(key);
    if (!value.isString() || value.toString().isEmpty())
        throw InputError(path, QStringLiteral("field '%1' must be a non-empty string").arg(key));
    return value.toString();
}

DemoTourStep tourStep(const QJsonObject &json, const QString &path)
{
    DemoTourStep step;
    step.title = requiredString(json, QStringLiteral("title"), path);
    step.text = requiredString(json, QStringLiteral("text"), path);
    step.view = json.value(QStringLiteral("view")).toString();
    step.layer = json.value(QStringLiteral("layer")).toInt(-1);
    step.head = json.value(QStringLiteral("head")).toInt(-1);
    step.variant = json.value(QStringLiteral("variant")).toString();
    step.analysis = json.value(QStringLiteral("analysis")).toString();
    if (!step.analysis.isEmpty() && !analysisNames().contains(step.analysis))
        throw InputError(path, QStringLiteral("tour step '%1' names no analysis '%2'").arg(step.title, step.analysis));
    return step;
}

DemoExample example(const QJsonObject &json, const QDir &root, const QString &path)
{
    DemoExample example;
    example.title = requiredString(json, QStringLiteral("title"), path);
    example.text = json.value(QStringLiteral("text")).toString();
    if (const QString image = json.value(QStringLiteral("image")).toString(); !image.isEmpty())
        example.imagePath = root.absoluteFilePath(image);
    if (example.text.isEmpty() == example.imagePath.isEmpty())
        throw InputError(path, QStringLiteral("example '%1' needs either a text or an image").arg(example.title));
    return example;
}

} // namespace

QString demosDirectory()
{
    const QStringList candidates{
        qEnvironmentVariable("ATTNSCOPE_DEMOS"),
        QCoreApplication::applicationDirPath() + QStringLiteral("/../share/attnscope/demos"),
        QStringLiteral(ATTNSCOPE_SOURCE_DEMOS_DIR)};
    for (const QString &candidate : candidates)
        if (!candidate.isEmpty() && QFileInfo::exists(QDir(candidate).filePath(kCatalogFile)))
            return QDir(candidate).absolutePath();
    return QString();
}

QList<DemoEntry> loadDemoCatalog(const QString &directory)
{
    const QDir root(directory);
    const QString path = root.filePath(kCatalogFile);
    const QJsonObject catalog = readJsonObject(path);
    QList<DemoEntry> demos;
    for (const QJsonValue &value : catalog.value(QStringLiteral("demos")).toArray()) {
        const QJsonObject json = value.toObject();
        DemoEntry demo;
        demo.name = requiredString(json, QStringLiteral("name"), path);
        demo.title = requiredString(json, QStringLiteral("title"), path);
        demo.folder = root.absoluteFilePath(requiredString(json, QStringLiteral("folder"), path));
        demo.summary = json.value(QStringLiteral("summary")).toString();
        for (const QJsonValue &item : json.value(QStringLiteral("examples")).toArray())
            demo.examples << example(item.toObject(), root, path);
        for (const QJsonValue &item : json.value(QStringLiteral("tour")).toArray())
            demo.tour << tourStep(item.toObject(), path);
        if (demo.examples.isEmpty())
            throw InputError(path, QStringLiteral("demo '%1' has no examples").arg(demo.name));
        demos << demo;
    }
    if (demos.isEmpty())
        throw InputError(path, QStringLiteral("lists no demos"));
    return demos;
}

} // namespace attnscope
