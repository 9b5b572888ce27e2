#include "core/io/safetensors_writer.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QtEndian>

#include "core/io/input_error.h"
#include "core/io/tensor_layout.h"

namespace attnscope {

namespace {
struct Planned {
    QString name;
    QString dtype;
    torch::Tensor data; // contiguous, on the CPU
};

std::vector<Planned> plan(const NamedTensors &tensors)
{
    std::vector<Planned> planned;
    std::set<std::string> seen;
    for (const auto &[name, tensor] : tensors) {
        if (name == "__metadata__")
            throw std::invalid_argument("writeSafetensors: '__metadata__' is reserved");
        if (!seen.insert(name).second)
            throw std::invalid_argument("writeSafetensors: duplicate tensor name '" + name + "'");
        const QString dtype = safetensorsNameOf(tensor.scalar_type());
        if (dtype.isEmpty())
            throw std::invalid_argument("writeSafetensors: tensor '" + name + "' has dtype "
                                        + std::string(c10::toString(tensor.scalar_type()))
                                        + ", which safetensors cannot hold");
        planned.push_back({QString::fromStdString(name), dtype, tensor.cpu().contiguous()});
    }
    std::stable_sort(planned.begin(), planned.end(), [](const Planned &a, const Planned &b) {
        return a.data.element_size() > b.data.element_size();
    });
    return planned;
}

QByteArray headerJson(const std::vector<Planned> &planned, const QMap<QString, QString> &metadata)
{
    QJsonObject header;
    qint64 offset = 0;
    for (const Planned &tensor : planned) {
        QJsonArray shape;
        for (int64_t size : tensor.data.sizes())
            shape.append(qint64(size));
        const qint64 bytes = qint64(tensor.data.nbytes());
        header.insert(tensor.name, QJsonObject{{"dtype", tensor.dtype},
                                               {"shape", shape},
                                               {"data_offsets", QJsonArray{offset, offset + bytes}}});
        offset += bytes;
    }
    if (!metadata.isEmpty()) {
        QJsonObject object;
        for (auto it = metadata.begin(); it != metadata.end(); ++it)
            object.insert(it.key(), it.value());
        header.insert(QStringLiteral("__metadata__"), object);
    }
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    json.append(QByteArray((8 - json.size() % 8) % 8, ' ')); // keeps the data 8-byte aligned
    return json;
}
} // namespace

void writeSafetensors(const QString &path, const NamedTensors &tensors,
                      const QMap<QString, QString> &metadata)
{
    const std::vector<Planned> planned = plan(tensors);
    const QByteArray header = headerJson(planned, metadata);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw InputError(path, QStringLiteral("cannot be written (%1)").arg(file.errorString()));
    uchar length[8];
    qToLittleEndian<quint64>(quint64(header.size()), length);
    bool written = file.write(reinterpret_cast<const char *>(length), 8) == 8
                   && file.write(header) == header.size();
    for (const Planned &tensor : planned) {
        const qint64 bytes = qint64(tensor.data.nbytes());
        written = written && file.write(static_cast<const char *>(tensor.data.data_ptr()), bytes) == bytes;
    }
    if (!written || !file.commit())
        throw InputError(path, QStringLiteral("cannot be written (%1)").arg(file.errorString()));
}

} // namespace attnscope
