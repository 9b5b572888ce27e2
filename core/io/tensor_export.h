#pragma once
// Tensors out, for other tools: NumPy .npy (one array, format 1.0, little-endian), CSV in long
// form (one row per value with its indices, and labels such as token texts when given), and
// JSON (every tensor as shape, dtype and nested lists, with string metadata). Safetensors
// files come from safetensors_writer.h; writeTensorFile() picks the format by the suffix.

#include <vector>

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include "core/io/safetensors_writer.h"

namespace attnscope {

// One CSV column per dimension: its name and, optionally, a label per index.
struct CsvDimension {
    QString name;
    QStringList labels; // empty: indices only
};

void writeNpy(const QString &path, const torch::Tensor &tensor);
void writeCsv(const QString &path, const torch::Tensor &tensor, const std::vector<CsvDimension> &dimensions,
              const QString &valueName);
void writeTensorsJson(const QString &path, const NamedTensors &tensors, const QMap<QString, QString> &metadata);
// {name: {"shape", "dtype", "data" (nested lists)}} — also the "tensors" of analysis results.
QJsonObject tensorsToJson(const NamedTensors &tensors);

// By suffix: .safetensors and .json hold every tensor; .npy and .csv the first one (with
// `dimensions` naming its axes for CSV). Throws InputError(path, …) on an unknown suffix or
// a write failure.
void writeTensorFile(const QString &path, const NamedTensors &tensors, const QMap<QString, QString> &metadata,
                     const std::vector<CsvDimension> &dimensions = {});
QStringList tensorFileSuffixes(); // "safetensors", "npy", "csv", "json"

} // namespace attnscope
