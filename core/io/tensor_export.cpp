#include "core/io/tensor_export.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <torch/torch.h>

#include "core/io/input_error.h"

namespace attnscope {

namespace {

void openForWriting(QFile &file)
{
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        throw InputError(file.fileName(), QStringLiteral("cannot write: %1").arg(file.errorString()));
}

void checkWritten(QFile &file)
{
    if (file.error() != QFileDevice::NoError)
        throw InputError(file.fileName(), QStringLiteral("cannot write: %1").arg(file.errorString()));
}

// NumPy's dtype string of a tensor, after the conversions writeNpy applies.
const char *npyType(torch::ScalarType type)
{
    switch (type) {
    case torch::kFloat64: return "<f8";
    case torch::kInt64: return "<i8";
    case torch::kInt32: return "<i4";
    case torch::kBool: return "|b1";
    case torch::kUInt8: return "|u1";
    default: return "<f4";
    }
}

QJsonValue nestedList(const torch::Tensor &tensor)
{
    if (tensor.dim() == 0)
        return tensor.item<double>();
    QJsonArray list;
    for (int64_t i = 0; i < tensor.size(0); ++i)
        list.append(nestedList(tensor[i]));
    return list;
}

} // namespace

void writeNpy(const QString &path, const torch::Tensor &tensor)
{
    torch::Tensor values = tensor.detach().cpu();
    const char *type = npyType(values.scalar_type());
    if (QByteArray(type) == "<f4")
        values = values.to(torch::kFloat32);
    values = values.contiguous();
    QStringList shape;
    for (const int64_t size : values.sizes())
        shape << QString::number(size);
    const QString shapeText = shape.size() == 1 ? shape.first() + QLatin1Char(',') : shape.join(QStringLiteral(", "));
    QByteArray header = QStringLiteral("{'descr': '%1', 'fortran_order': False, 'shape': (%2), }")
                            .arg(QLatin1String(type), shapeText).toLatin1();
    // Magic, version 1.0, header length; the header is padded so the data starts on 64 bytes.
    const int unpadded = 10 + header.size() + 1;
    header += QByteArray((64 - unpadded % 64) % 64, ' ') + '\n';
    QFile file(path);
    openForWriting(file);
    file.write("\x93NUMPY\x01\x00", 8);
    const uint16_t length = uint16_t(header.size());
    const char lengthBytes[2] = {char(length & 0xFF), char(length >> 8)};
    file.write(lengthBytes, 2);
    file.write(header);
    file.write(static_cast<const char *>(values.data_ptr()), qint64(values.nbytes()));
    checkWritten(file);
}

void writeCsv(const QString &path, const torch::Tensor &tensor, const std::vector<CsvDimension> &dimensions,
              const QString &valueName)
{
    const torch::Tensor values = tensor.detach().to(torch::kFloat64).contiguous();
    const int64_t rank = values.dim();
    QFile file(path);
    openForWriting(file);
    QTextStream out(&file);
    const auto dimensionAt = [&](int64_t d) {
        return size_t(d) < dimensions.size() ? dimensions[size_t(d)] : CsvDimension{QStringLiteral("dim%1").arg(d), {}};
    };
    const auto quoted = [](QString text) {
        return text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) || text.contains(QLatin1Char('\n'))
                   ? QLatin1Char('"') + text.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"')
                   : text;
    };
    QStringList header;
    for (int64_t d = 0; d < rank; ++d) {
        const CsvDimension dimension = dimensionAt(d);
        header << dimension.name;
        if (!dimension.labels.isEmpty())
            header << dimension.name + QStringLiteral("_label");
    }
    out << (header << valueName).join(QLatin1Char(',')) << '\n';
    const double *data = values.data_ptr<double>();
    std::vector<int64_t> index(size_t(rank), 0);
    for (int64_t flat = 0; flat < values.numel(); ++flat) {
        QStringList row;
        for (int64_t d = 0; d < rank; ++d) {
            row << QString::number(index[size_t(d)]);
            const CsvDimension dimension = dimensionAt(d);
            if (!dimension.labels.isEmpty())
                row << quoted(dimension.labels.value(int(index[size_t(d)])));
        }
        out << row.join(QLatin1Char(',')) << ',' << QString::number(data[flat], 'g', 9) << '\n';
        for (int64_t d = rank - 1; d >= 0; --d) { // the next index, last dimension fastest
            if (++index[size_t(d)] < values.size(d))
                break;
            index[size_t(d)] = 0;
        }
    }
    out.flush();
    checkWritten(file);
}

QJsonObject tensorsToJson(const NamedTensors &tensors)
{
    QJsonObject entries;
    for (const auto &[name, tensor] : tensors) {
        QJsonArray shape;
        for (const int64_t size : tensor.sizes())
            shape.append(qint64(size));
        entries.insert(QString::fromStdString(name),
                       QJsonObject{{QStringLiteral("shape"), shape},
                                   {QStringLiteral("dtype"), QString::fromLatin1(npyType(tensor.scalar_type()))},
                                   {QStringLiteral("data"), nestedList(tensor.detach().to(torch::kFloat64))}});
    }
    return entries;
}

void writeTensorsJson(const QString &path, const NamedTensors &tensors, const QMap<QString, QString> &metadata)
{
    QJsonObject meta;
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it) {
        // Metadata that is itself JSON (token lists, summaries) stays structured.
        const QJsonDocument parsed = QJsonDocument::fromJson(it.value().toUtf8());
        meta.insert(it.key(), parsed.isNull() ? QJsonValue(it.value())
                              : parsed.isArray() ? QJsonValue(parsed.array()) : QJsonValue(parsed.object()));
    }
    QFile file(path);
    openForWriting(file);
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("metadata"), meta}, {QStringLiteral("tensors"), tensorsToJson(tensors)}})
                   .toJson(QJsonDocument::Compact));
    checkWritten(file);
}

QStringList tensorFileSuffixes()
{
    return {QStringLiteral("safetensors"), QStringLiteral("npy"), QStringLiteral("csv"), QStringLiteral("json")};
}

void writeTensorFile(const QString &path, const NamedTensors &tensors, const QMap<QString, QString> &metadata,
                     const std::vector<CsvDimension> &dimensions)
{
    const QString suffix = path.section(QLatin1Char('.'), -1).toLower();
    if (suffix == QLatin1String("safetensors"))
        return writeSafetensors(path, tensors, metadata);
    if (suffix == QLatin1String("json"))
        return writeTensorsJson(path, tensors, metadata);
    if (tensors.empty())
        throw InputError(path, QStringLiteral("nothing to write"));
    if (suffix == QLatin1String("npy"))
        return writeNpy(path, tensors.front().second);
    if (suffix == QLatin1String("csv"))
        return writeCsv(path, tensors.front().second, dimensions, QString::fromStdString(tensors.front().first));
    throw InputError(path, QStringLiteral("unknown file type; use .%1").arg(tensorFileSuffixes().join(QStringLiteral(", ."))));
}

} // namespace attnscope
