#include "core/io/torch_checkpoint.h"

#include <QtEndian>

#include "core/io/input_error.h"
#include "core/io/safe_unpickler.h"

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

void checkNotLegacy(const MappedFile &file)
{
    if (file.size() >= 2 && file.data()[0] == 0x80 && file.data()[1] <= 5)
        throw InputError(file.path(), QStringLiteral("uses the legacy torch.save format of PyTorch < 1.6, which is not "
                                                     "supported; re-save it with a newer PyTorch or convert it to safetensors"));
    if (file.size() < 4 || qFromLittleEndian<quint32>(file.data()) != 0x04034b50)
        throw InputError(file.path(), QStringLiteral("is not a torch.save checkpoint (no zip signature)"));
}
} // namespace

std::unique_ptr<TorchCheckpoint> TorchCheckpoint::open(const QString &path)
{
    const std::shared_ptr<const MappedFile> file = MappedFile::open(path);
    checkNotLegacy(*file);
    std::unique_ptr<TorchCheckpoint> checkpoint(new TorchCheckpoint(ZipArchive::open(file)));
    const ZipArchive &archive = checkpoint->m_archive;
    checkpoint->m_prefix = archivePrefix(archive);
    const std::string prefix = checkpoint->m_prefix;
    if (archive.find(prefix + "byteorder")) {
        const QByteArray value = archive.checkedBytes(prefix + "byteorder");
        if (value != "little")
            throw InputError(path, QStringLiteral("stores tensors in '%1' byte order; only little-endian is supported")
                                       .arg(QString::fromLatin1(value.left(16))));
    }
    const StorageBytes storageBytes = [&](const std::string &key) {
        const ZipArchive::Entry *entry = archive.find(prefix + "data/" + key);
        if (!entry)
            throw PickleRefusal{QStringLiteral("storage '%1' has no entry %2data/%1 in the archive")
                                    .arg(QString::fromStdString(key), QString::fromStdString(prefix))};
        return entry->size;
    };
    const std::string pickleName = prefix + "data.pkl";
    checkpoint->m_tensors = readTorchPickle(archive.checkedBytes(pickleName), storageBytes, path,
                                            QString::fromStdString(pickleName));
    for (size_t i = 0; i < checkpoint->m_tensors.size(); ++i)
        checkpoint->m_indexOf.emplace(checkpoint->m_tensors[i].name, i);
    return checkpoint;
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
        throw InputError(m_archive.file()->path(), QStringLiteral("has no tensor '%1'").arg(QString::fromStdString(name)));
    const TorchTensorRecord &record = m_tensors[it->second];
    const ZipArchive::Entry *storage = m_archive.find(m_prefix + "data/" + record.storageKey);
    const qint64 offset = storage->dataOffset + record.storageOffset * qint64(c10::elementSize(record.type));
    const torch::Tensor tensor = m_archive.file()->tensor(offset, record.type, record.sizes, record.strides);
    return tensor.scalar_type() == torch::kFloat16 ? tensor.to(torch::kFloat32) : tensor;
}

} // namespace attnscope
