#pragma once
// Reads a .safetensors file the plain way (8-byte header length, JSON header, data) so the
// CLI tests check what the CLI wrote without linking the engine.

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

struct SafetensorsContents {
    QJsonObject header;  // tensor name → {dtype, shape, data_offsets}; "__metadata__"
    QByteArray data;     // everything after the header

    // The float32 values of one tensor.
    QVector<float> floats(const QString &name) const
    {
        const QJsonArray range = header.value(name).toObject().value(QStringLiteral("data_offsets")).toArray();
        const qint64 begin = range.at(0).toInteger(), end = range.at(1).toInteger();
        QVector<float> values(int((end - begin) / 4));
        std::memcpy(values.data(), data.constData() + begin, size_t(end - begin));
        return values;
    }
    QString metadata(const QString &key) const
    {
        return header.value(QStringLiteral("__metadata__")).toObject().value(key).toString();
    }
    QList<qint64> shape(const QString &name) const
    {
        QList<qint64> sizes;
        for (const QJsonValue &size : header.value(name).toObject().value(QStringLiteral("shape")).toArray())
            sizes << size.toInteger();
        return sizes;
    }
};

inline SafetensorsContents readSafetensors(const QString &path)
{
    QFile file(path);
    SafetensorsContents contents;
    if (!file.open(QIODevice::ReadOnly))
        return contents;
    const QByteArray bytes = file.readAll();
    const qint64 length = qFromLittleEndian<qint64>(bytes.constData());
    contents.header = QJsonDocument::fromJson(bytes.mid(8, length)).object();
    contents.data = bytes.mid(8 + length);
    return contents;
}
