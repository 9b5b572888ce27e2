#include "core/io/torch_checkpoint.h"

#include <QtEndian>

#include "core/io/input_error.h"
#include "core/io/safe_unpickler.h"
#include "core/io/torch_legacy_format.h"
#include "core/io/zip_archive.h"

namespace attnscope {

namespace {
// torch.save names the archive folder after the file; any single folder holding data.pkl.
std::string archivePrefix(const ZipArchive &archive)
{
    for (const std::string &name : archive.names()) {
        const size_t slash = name.find('/');
        if (slash != std::string::npos && name.compare(slash, std::string::npos, "/data.pkl") == 0)
            return name.substr(0, slash + 1);
    }
    throw InputError(archive.file()->path(),
                     QStringLiteral("is a zip archive without <folder>/data.pkl, so not a torch.save checkpoint"));
}

// The tensors of a zip checkpoint and where each storage's bytes start in the file.
std::pair<TorchPickle, std::map<std::string, qint64>> readZipCheckpoint(const std::shared_ptr<const MappedFile> &file)
{
    const ZipArchive archive = ZipArchive::open(file);
    const std::string prefix = archivePrefix(archive);
    if (archive.find(prefix + "byteorder")) {
        const QByteArray order = archive.checkedBytes(prefix + "byteorder");
        if (order != "little")
            throw InputError(file->path(), QStringLiteral("stores tensors in '%1' byte order; only little-endian is supported")
                                               .arg(QString::fromLatin1(order.left(16))));
    }
    const StorageBytes storageBytes = [&](const std::string &key) {
        const ZipArchive::Entry *entry = archive.find(prefix + "data/" + key);
        if (!entry)
            throw PickleRefusal{QStringLiteral("storage '%1' has no entry %2data/%1 in the archive")
                                    .arg(QString::fromStdString(key), QString::fromStdString(prefix))};
        return entry->size;
    };
    const std::string pickleName = prefix + "data.pkl";
    TorchPickle pickle = readTorchPickle(archive.checkedBytes(pickleName), storageBytes, file->path(),
                                         QString::fromStdString(pickleName));
    std::map<std::string, qint64> offsets;
    for (const auto &[key, storage] : pickle.storages)
        offsets[key] = archive.find(prefix + "data/" + key)->dataOffset;
    return {std::move(pickle), std::move(offsets)};
}
} // namespace

TorchCheckpoint::TorchCheckpoint(std::shared_ptr<const MappedFile> file, std::vector<TorchTensorRecord> tensors,
                                 std::map<std::string, qint64> storageOffsets)
    : m_file(std::move(file)), m_tensors(std::move(tensors)), m_storageOffsets(std::move(storageOffsets))
{
    for (size_t i = 0; i < m_tensors.size(); ++i)
        m_indexOf.emplace(m_tensors[i].name, i);
}

std::unique_ptr<TorchCheckpoint> TorchCheckpoint::open(const QString &path)
{
    std::shared_ptr<const MappedFile> file = MappedFile::open(path);
    if (isLegacyTorchFile(*file)) {
        LegacyTorchFile legacy = readLegacyTorchFile(*file);
        return std::unique_ptr<TorchCheckpoint>(
            new TorchCheckpoint(file, std::move(legacy.pickle.tensors), std::move(legacy.storageOffsets)));
    }
    if (file->size() < 4 || qFromLittleEndian<quint32>(file->data()) != 0x04034b50)
        throw InputError(path, QStringLiteral("is not a torch.save checkpoint (neither a zip archive nor the legacy format)"));
    auto [pickle, offsets] = readZipCheckpoint(file);
    return std::unique_ptr<TorchCheckpoint>(new TorchCheckpoint(file, std::move(pickle.tensors), std::move(offsets)));
}

std::vector<std::string> TorchCheckpoint::names() const
{
    std::vector<std::string> names;
    for (const TorchTensorRecord &tensor : m_tensors)
        names.push_back(tensor.name);
    return names;
}

bool TorchCheckpoint::contains(const std::string &name) const
{
    return m_indexOf.count(name) > 0;
}

torch::Tensor TorchCheckpoint::load(const std::string &name) const
{
    const auto it = m_indexOf.find(name);
    if (it == m_indexOf.end())
        throw InputError(m_file->path(), QStringLiteral("has no tensor '%1'").arg(QString::fromStdString(name)));
    const TorchTensorRecord &record = m_tensors[it->second];
    const qint64 offset = m_storageOffsets.at(record.storageKey) + record.storageOffset * qint64(c10::elementSize(record.type));
    return m_file->tensor(offset, record.type, record.sizes, record.strides);
}

} // namespace attnscope
