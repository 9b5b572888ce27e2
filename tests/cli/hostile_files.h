#pragma once
// Makers of malformed inputs for the hostile-input regression test, written byte by byte
// (no LibTorch: the bytes are the point): safetensors files with any header, stored zip
// archives whose directory may lie, model folders that link to a shared model but replace
// one file, FIFOs. Runs of attnscope-cli are measured by tests/support/measured_run.h.

#include <csignal>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcessEnvironment>
#include <QThread>
#include <QtEndian>

#include "tests/support/measured_run.h"

namespace hostile {

using attnscope::test::MeasuredRun;
using attnscope::test::runMeasured;

inline bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

// {"dtype", "shape", "data_offsets"}; sizes up to 2^53 are exact JSON numbers.
inline QJsonObject tensorEntry(const char *dtype, const std::vector<double> &shape, qint64 begin, qint64 end)
{
    QJsonArray sizes;
    for (const double size : shape)
        sizes.append(size);
    return QJsonObject{{QStringLiteral("dtype"), QLatin1String(dtype)},
                       {QStringLiteral("shape"), sizes},
                       {QStringLiteral("data_offsets"), QJsonArray{double(begin), double(end)}}};
}

// A .safetensors file: the header padded with spaces to 8 bytes, its length declared
// `lengthError` bytes off.
inline bool writeSafetensors(const QString &path, const QJsonObject &header, const QByteArray &data,
                             int lengthError = 0)
{
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    json.append(QByteArray((8 - json.size() % 8) % 8 + 8, ' '));
    QByteArray bytes(8, '\0');
    qToLittleEndian<quint64>(quint64(json.size() + lengthError), bytes.data());
    return writeBytes(path, bytes + json + data);
}

inline quint32 crc32(const QByteArray &bytes)
{
    quint32 crc = 0xffffffffu;
    for (const char byte : bytes) {
        crc ^= quint8(byte);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 1) ? 0xedb88320u ^ (crc >> 1) : crc >> 1;
    }
    return crc ^ 0xffffffffu;
}

struct ZipEntry {
    QByteArray name;
    QByteArray data;
};

// A stored (uncompressed) zip archive as torch.save writes it; the directory entry of
// entry `lying` points at the local header of entry `target` instead of its own.
inline QByteArray zipArchive(const std::vector<ZipEntry> &entries, int lying = -1, int target = -1)
{
    const auto le16 = [](QByteArray &out, quint16 value) { out.append(char(value & 0xff)).append(char(value >> 8)); };
    const auto le32 = [&](QByteArray &out, quint32 value) { le16(out, quint16(value & 0xffff)); le16(out, quint16(value >> 16)); };
    QByteArray archive, directory;
    std::vector<quint32> offsets;
    for (const ZipEntry &entry : entries) {
        offsets.push_back(quint32(archive.size()));
        le32(archive, 0x04034b50);
        le16(archive, 20); le16(archive, 0); le16(archive, 0); le16(archive, 0); le16(archive, 0);
        le32(archive, crc32(entry.data));
        le32(archive, quint32(entry.data.size())); le32(archive, quint32(entry.data.size()));
        le16(archive, quint16(entry.name.size())); le16(archive, 0);
        archive += entry.name + entry.data;
    }
    for (size_t i = 0; i < entries.size(); ++i) {
        const ZipEntry &entry = entries[i];
        le32(directory, 0x02014b50);
        le16(directory, 20); le16(directory, 20); le16(directory, 0); le16(directory, 0); le16(directory, 0); le16(directory, 0);
        le32(directory, crc32(entry.data));
        le32(directory, quint32(entry.data.size())); le32(directory, quint32(entry.data.size()));
        le16(directory, quint16(entry.name.size())); le16(directory, 0); le16(directory, 0); le16(directory, 0); le16(directory, 0);
        le32(directory, 0);
        le32(directory, offsets[int(i) == lying ? size_t(target) : i]);
        directory += entry.name;
    }
    QByteArray end;
    le32(end, 0x06054b50);
    le16(end, 0); le16(end, 0); le16(end, quint16(entries.size())); le16(end, quint16(entries.size()));
    le32(end, quint32(directory.size())); le32(end, quint32(archive.size()));
    le16(end, 0);
    return archive + directory + end;
}

// A folder whose files link to `model`'s, except those given, which are written as bytes.
inline QString modelFolder(const QString &parent, const QString &name, const QString &model,
                           const QMap<QString, QByteArray> &replaced = {}, const QStringList &left = {})
{
    const QString folder = QDir(parent).filePath(name);
    QDir().mkpath(folder);
    for (const QString &file : QDir(model).entryList(QDir::Files))
        if (!replaced.contains(file) && !left.contains(file))
            QFile::link(QDir(model).filePath(file), QDir(folder).filePath(file));
    for (auto it = replaced.begin(); it != replaced.end(); ++it)
        writeBytes(QDir(folder).filePath(it.key()), it.value());
    return folder;
}

// config.json of `model` with fields set (a null value removes the field).
inline QByteArray changedConfig(const QString &model, const QJsonObject &changes)
{
    QFile file(QDir(model).filePath(QStringLiteral("config.json")));
    file.open(QIODevice::ReadOnly);
    QJsonObject config = QJsonDocument::fromJson(file.readAll()).object();
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        if (it.value().isNull())
            config.remove(it.key());
        else
            config.insert(it.key(), it.value());
    }
    return QJsonDocument(config).toJson();
}

inline bool makeFifo(const QString &path)
{
    return ::mkfifo(QFile::encodeName(path).constData(), 0600) == 0;
}

} // namespace hostile
