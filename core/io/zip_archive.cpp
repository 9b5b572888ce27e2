#include "core/io/zip_archive.h"

#include <algorithm>
#include <array>

#include <QtEndian>

#include "core/io/input_error.h"

namespace attnscope {

namespace {
constexpr quint32 kEndSignature = 0x06054b50;
constexpr quint32 kZip64EndSignature = 0x06064b50;
constexpr quint32 kZip64LocatorSignature = 0x07064b50;
constexpr quint32 kCentralSignature = 0x02014b50;
constexpr quint32 kLocalSignature = 0x04034b50;
constexpr qint64 kEndBytes = 22, kZip64LocatorBytes = 20, kZip64EndBytes = 56;
constexpr qint64 kCentralBytes = 46, kLocalBytes = 30;

// Bounds-checked little-endian reads over the mapped file.
class Cursor {
public:
    Cursor(const MappedFile &file, qint64 offset, qint64 length, const char *what)
    {
        if (!file.contains(offset, length))
            throw InputError(file.path(), QStringLiteral("is truncated or corrupt: the zip %1 at byte %2 lies outside the file")
                                              .arg(QLatin1String(what)).arg(offset));
        m_at = file.data() + offset;
    }
    template <typename T>
    T at(qint64 offset) const { return qFromLittleEndian<T>(m_at + offset); }
    const uchar *bytes() const { return m_at; }

private:
    const uchar *m_at;
};

[[noreturn]] void fail(const MappedFile &file, const QString &problem)
{
    throw InputError(file.path(), problem);
}

quint32 crc32Of(const uchar *data, qint64 size)
{
    static const std::array<quint32, 256> table = [] {
        std::array<quint32, 256> entries{};
        for (quint32 i = 0; i < 256; ++i) {
            quint32 value = i;
            for (int bit = 0; bit < 8; ++bit)
                value = (value & 1) ? 0xedb88320u ^ (value >> 1) : value >> 1;
            entries[i] = value;
        }
        return entries;
    }();
    quint32 crc = 0xffffffffu;
    for (qint64 i = 0; i < size; ++i)
        crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
    return crc ^ 0xffffffffu;
}

struct Directory {
    qint64 offset = 0, size = 0, count = 0;
};

Directory findDirectory(const MappedFile &file)
{
    if (file.size() < kEndBytes)
        fail(file, QStringLiteral("is truncated: too short to be a zip archive"));
    // The end record sits in the last 22 bytes plus a comment of up to 65535 bytes.
    qint64 end = -1;
    for (qint64 at = file.size() - kEndBytes; at >= 0 && at >= file.size() - kEndBytes - 65535; --at) {
        if (qFromLittleEndian<quint32>(file.data() + at) == kEndSignature) {
            end = at;
            break;
        }
    }
    if (end < 0)
        fail(file, QStringLiteral("is truncated or not a zip archive: no end of central directory record"));
    const Cursor record(file, end, kEndBytes, "end record");
    Directory directory{record.at<quint32>(16), record.at<quint32>(12), record.at<quint16>(10)};
    const bool needsZip64 = directory.offset == 0xffffffff || directory.size == 0xffffffff
                            || directory.count == 0xffff;
    if (needsZip64) {
        const Cursor locator(file, end - kZip64LocatorBytes, kZip64LocatorBytes, "ZIP64 locator");
        if (locator.at<quint32>(0) != kZip64LocatorSignature)
            fail(file, QStringLiteral("is corrupt: the ZIP64 end record locator is missing"));
        const quint64 recordOffset = locator.at<quint64>(8);
        if (recordOffset > quint64(file.size()))
            fail(file, QStringLiteral("is corrupt: the ZIP64 end record offset lies outside the file"));
        const Cursor zip64(file, qint64(recordOffset), kZip64EndBytes, "ZIP64 end record");
        if (zip64.at<quint32>(0) != kZip64EndSignature)
            fail(file, QStringLiteral("is corrupt: no ZIP64 end record where the locator points"));
        const quint64 count = zip64.at<quint64>(32), size = zip64.at<quint64>(40), offset = zip64.at<quint64>(48);
        if (count > quint64(file.size()) || size > quint64(file.size()) || offset > quint64(file.size()))
            fail(file, QStringLiteral("is corrupt: the ZIP64 central directory lies outside the file"));
        directory = {qint64(offset), qint64(size), qint64(count)};
    }
    if (!file.contains(directory.offset, directory.size))
        fail(file, QStringLiteral("is truncated or corrupt: the central directory (bytes %1–%2) lies outside the file")
                       .arg(directory.offset).arg(directory.offset + directory.size));
    return directory;
}

// The 64-bit sizes and offset of a ZIP64 extra field, each present only when its 32-bit
// field holds 0xffffffff.
void readZip64Extra(const MappedFile &file, const uchar *extra, qint64 extraBytes, quint64 &size,
                    quint64 &compressed, quint64 &localOffset, const QString &name)
{
    for (qint64 at = 0; at + 4 <= extraBytes;) {
        const quint16 id = qFromLittleEndian<quint16>(extra + at);
        const quint16 length = qFromLittleEndian<quint16>(extra + at + 2);
        if (at + 4 + length > extraBytes)
            break;
        if (id == 0x0001) {
            const uchar *field = extra + at + 4;
            qint64 left = length;
            for (quint64 *value : {&size, &compressed, &localOffset}) {
                if (*value != 0xffffffff)
                    continue;
                if (left < 8)
                    fail(file, QStringLiteral("is corrupt: entry '%1' has a short ZIP64 field").arg(name));
                *value = qFromLittleEndian<quint64>(field);
                field += 8;
                left -= 8;
            }
            return;
        }
        at += 4 + length;
    }
}
// No two entries may share bytes (one storage read as another's).
void checkDisjoint(const std::map<std::string, ZipArchive::Entry> &entries, const MappedFile &file)
{
    std::vector<std::pair<qint64, qint64>> ranges; // data offset, end
    for (const auto &[name, entry] : entries)
        if (entry.size > 0)
            ranges.emplace_back(entry.dataOffset, entry.dataOffset + entry.size);
    std::sort(ranges.begin(), ranges.end());
    for (size_t i = 1; i < ranges.size(); ++i)
        if (ranges[i].first < ranges[i - 1].second)
            fail(file, QStringLiteral("is corrupt: two entries share the bytes from %1 on").arg(ranges[i].first));
}

} // namespace

ZipArchive ZipArchive::open(std::shared_ptr<const MappedFile> file)
{
    ZipArchive archive;
    archive.m_file = file;
    const MappedFile &mapped = *file;
    const Directory directory = findDirectory(mapped);
    qint64 at = directory.offset;
    for (qint64 index = 0; index < directory.count; ++index) {
        const Cursor header(mapped, at, kCentralBytes, "central directory entry");
        if (header.at<quint32>(0) != kCentralSignature)
            fail(mapped, QStringLiteral("is corrupt: central directory entry %1 has a bad signature").arg(index));
        const quint16 flags = header.at<quint16>(8), method = header.at<quint16>(10);
        const quint32 crc = header.at<quint32>(16);
        quint64 compressed = header.at<quint32>(20), size = header.at<quint32>(24);
        const qint64 nameBytes = header.at<quint16>(28), extraBytes = header.at<quint16>(30),
                     commentBytes = header.at<quint16>(32);
        quint64 localOffset = header.at<quint32>(42);
        const Cursor variable(mapped, at + kCentralBytes, nameBytes + extraBytes + commentBytes,
                              "central directory entry");
        const std::string name(reinterpret_cast<const char *>(variable.bytes()), size_t(nameBytes));
        const QString quoted = QString::fromStdString(name);
        readZip64Extra(mapped, variable.bytes() + nameBytes, extraBytes, size, compressed, localOffset, quoted);
        if (flags & 0x1)
            fail(mapped, QStringLiteral("entry '%1' is encrypted").arg(quoted));
        if (method != 0 || compressed != size)
            fail(mapped, QStringLiteral("entry '%1' is compressed (method %2); torch.save stores entries uncompressed")
                             .arg(quoted).arg(method));
        const Cursor local(mapped, qint64(std::min<quint64>(localOffset, quint64(mapped.size()))), kLocalBytes,
                           "local header");
        if (local.at<quint32>(0) != kLocalSignature)
            fail(mapped, QStringLiteral("is corrupt: entry '%1' points to byte %2, which holds no local header")
                             .arg(quoted).arg(localOffset));
        // The local header repeats the name: an entry pointing at another entry's data fails here.
        const qint64 localNameBytes = local.at<quint16>(26);
        const Cursor localName(mapped, qint64(localOffset) + kLocalBytes, localNameBytes, "local header");
        if (QByteArray::fromRawData(reinterpret_cast<const char *>(localName.bytes()), qsizetype(localNameBytes))
            != QByteArray::fromStdString(name))
            fail(mapped, QStringLiteral("is corrupt: entry '%1' points to the local header of another entry").arg(quoted));
        Entry entry;
        entry.dataOffset = qint64(localOffset) + kLocalBytes + localNameBytes + local.at<quint16>(28);
        entry.size = qint64(std::min<quint64>(size, quint64(mapped.size()) + 1));
        entry.crc32 = crc;
        if (!mapped.contains(entry.dataOffset, entry.size))
            fail(mapped, QStringLiteral("is truncated: entry '%1' needs %2 bytes at byte %3, past the end of the file")
                             .arg(quoted).arg(size).arg(entry.dataOffset));
        if (!archive.m_entries.emplace(name, entry).second)
            fail(mapped, QStringLiteral("is corrupt: it holds two entries named '%1'").arg(quoted));
        archive.m_names.push_back(name);
        at += kCentralBytes + nameBytes + extraBytes + commentBytes;
    }
    checkDisjoint(archive.m_entries, mapped);
    return archive;
}

const ZipArchive::Entry *ZipArchive::find(const std::string &name) const
{
    const auto it = m_entries.find(name);
    return it == m_entries.end() ? nullptr : &it->second;
}

QByteArray ZipArchive::checkedBytes(const std::string &name) const
{
    const Entry *entry = find(name);
    if (!entry)
        throw InputError(m_file->path(), QStringLiteral("has no entry '%1'").arg(QString::fromStdString(name)));
    const uchar *data = m_file->data() + entry->dataOffset;
    if (crc32Of(data, entry->size) != entry->crc32)
        throw InputError(m_file->path(), QStringLiteral("is corrupt: entry '%1' fails its CRC-32 check")
                                             .arg(QString::fromStdString(name)));
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(entry->size));
}

} // namespace attnscope
