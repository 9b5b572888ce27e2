#include "app/cli/attention_output.h"

#include <QJsonArray>
#include <QJsonDocument>

#include "app/cli/command.h"
#include "core/attention/variant_spec.h"
#include "core/io/tensor_export.h"

namespace attnscope::cli {

QString jsonList(const QStringList &values)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(values)).toJson(QJsonDocument::Compact));
}

void checkTensorFileSuffix(const QString &out)
{
    if (!tensorFileSuffixes().contains(out.section(QLatin1Char('.'), -1).toLower()))
        throw UsageError(QStringLiteral("--out '%1' must end in .%2").arg(out, tensorFileSuffixes().join(QStringLiteral(", ."))));
}

void writeAttentionFile(const QString &out, const NamedTensors &tensors, const QStringList &tokens,
                        const QString &modelDir, const AttentionPlan &plan, QMap<QString, QString> metadata)
{
    metadata.insert(QStringLiteral("tokens"), jsonList(tokens));
    metadata.insert(QStringLiteral("model"), modelDir);
    metadata.insert(QStringLiteral("variants"), jsonList(planSpecs(plan)));
    writeTensorFile(out, tensors, metadata,
                    {{QStringLiteral("layer"), {}}, {QStringLiteral("head"), {}}, {QStringLiteral("query"), tokens},
                     {QStringLiteral("key"), tokens}});
}

} // namespace attnscope::cli
