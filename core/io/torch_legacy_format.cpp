#include "core/io/torch_legacy_format.h"

#include <cstring>
#include <limits>

#include <QtEndian>

#include "core/io/checked_size.h"
#include "core/io/input_error.h"
#include "core/io/safe_unpickler.h"

namespace attnscope {

namespace {
// pickle.dumps(0x1950a86a20f9469cfc6c, protocol=2): torch's magic number.
constexpr uchar kMagic[] = {0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46,
                            0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e};
constexpr int64_t kProtocolVersion = 1001;

class Reader {
public:
    explicit Reader(const MappedFile &file) : m_file(file) {}

    [[noreturn]] void fail(const QString &problem) const
    {
        throw InputError(m_file.path(), QStringLiteral("legacy torch.save format: ") + problem);
    }
    QByteArrayView rest() const
    {
        return QByteArrayView(reinterpret_cast<const char *>(m_file.data()) + m_at, m_file.size() - m_at);
    }
    PickleRef plainPickle(const char *what)
    {
        DataOnlyHooks hooks;
        qint64 consumed = 0;
        PickleRef value = unpickle(rest(), hooks, m_file.path(), QLatin1String(what), &consumed);
        m_at += consumed;
        return value;
    }
    TorchPickle statePickle()
    {
        // Storage sizes are only known from the data after the pickles: checked afterwards.
        const StorageBytes unknownYet = [](const std::string &) { return std::numeric_limits<qint64>::max(); };
        qint64 consumed = 0;
        TorchPickle pickle = readTorchPickle(rest(), unknownYet, m_file.path(), QStringLiteral("the state_dict pickle"), &consumed);
        m_at += consumed;
        return pickle;
    }
    qint64 storage(const std::string &key, const TorchStorageRecord &record)
    {
        if (!m_file.contains(m_at, 8))
            fail(QStringLiteral("truncated before the data of storage '%1'").arg(QString::fromStdString(key)));
        const qint64 numel = qFromLittleEndian<qint64>(m_file.data() + m_at);
        const qint64 elementBytes = qint64(c10::elementSize(record.type));
        const std::optional<int64_t> bytes = checkedMultiply(numel, elementBytes);
        if (numel < record.numel || !bytes || !m_file.contains(m_at + 8, *bytes))
            fail(QStringLiteral("storage '%1' holds %2 elements where %3 are needed, or runs past the end of the file")
                     .arg(QString::fromStdString(key)).arg(numel).arg(record.numel));
        const qint64 offset = m_at + 8;
        m_at = offset + *bytes;
        return offset;
    }
    void skip(qint64 bytes) { m_at += bytes; }

private:
    const MappedFile &m_file;
    qint64 m_at = 0;
};
} // namespace

bool isLegacyTorchFile(const MappedFile &file)
{
    return file.size() >= qint64(sizeof kMagic) && std::memcmp(file.data(), kMagic, sizeof kMagic) == 0;
}

LegacyTorchFile readLegacyTorchFile(const MappedFile &file)
{
    Reader reader(file);
    if (!isLegacyTorchFile(file))
        reader.fail(QStringLiteral("no magic number"));
    reader.skip(sizeof kMagic);
    const PickleRef protocol = reader.plainPickle("the protocol version");
    if (!protocol->is(PickleValue::Kind::Int) || protocol->integer != kProtocolVersion)
        reader.fail(QStringLiteral("unknown protocol version"));
    const PickleRef systemInfo = reader.plainPickle("the system info");
    for (size_t i = 0; systemInfo->is(PickleValue::Kind::Dict) && i + 1 < systemInfo->items.size(); i += 2)
        if (systemInfo->items[i]->text == "little_endian" && systemInfo->items[i + 1]->integer != 1)
            reader.fail(QStringLiteral("saved on a big-endian machine, which is not supported"));
    LegacyTorchFile result{reader.statePickle(), {}};
    const PickleRef keys = reader.plainPickle("the storage key list");
    if (!keys->is(PickleValue::Kind::List))
        reader.fail(QStringLiteral("the storage key list is not a list"));
    for (const PickleRef &key : keys->items) {
        const auto record = result.pickle.storages.find(key->text);
        if (!key->is(PickleValue::Kind::Text) || record == result.pickle.storages.end())
            reader.fail(QStringLiteral("the storage key list names a storage the state_dict never uses"));
        result.storageOffsets[key->text] = reader.storage(key->text, record->second);
    }
    for (const auto &[key, record] : result.pickle.storages)
        if (!result.storageOffsets.count(key))
            reader.fail(QStringLiteral("storage '%1' has no data").arg(QString::fromStdString(key)));
    return result;
}

} // namespace attnscope
