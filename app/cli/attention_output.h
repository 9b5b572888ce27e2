#pragma once
// The --out file of the commands that write a sequence's attention (run, generate): the
// suffix check, and the file itself with the tokens, the model folder and the variants in
// its metadata (and, for CSV, the attention's axes named and labelled with the tokens).

#include <QMap>
#include <QString>
#include <QStringList>

#include "core/attention/variant.h"
#include "core/io/safetensors_writer.h"

namespace attnscope::cli {

// ["a","b"] as one compact JSON line (token and variant lists in file metadata).
QString jsonList(const QStringList &values);

// Throws UsageError unless OUT ends in a suffix writeTensorFile() knows.
void checkTensorFileSuffix(const QString &out);

// `tensors` start with "attentions" [L, H, T, T]; `metadata` adds to tokens, model and variants.
void writeAttentionFile(const QString &out, const NamedTensors &tensors, const QStringList &tokens,
                        const QString &modelDir, const AttentionPlan &plan,
                        QMap<QString, QString> metadata = {});

} // namespace attnscope::cli
