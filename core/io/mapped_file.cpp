#include "core/io/mapped_file.h"

#include <cstring>

#include "core/io/bounded_file.h"
#include "core/io/input_error.h"

namespace attnscope {

std::shared_ptr<const MappedFile> MappedFile::open(const QString &path)
{
    std::shared_ptr<MappedFile> file(new MappedFile(path));
    requireRegularFile(path); // a FIFO would block the open, a device has no size to map
    if (!file->m_file.open(QIODevice::ReadOnly))
        throw InputError(path, QStringLiteral("cannot be read (%1)").arg(file->m_file.errorString()));
    file->m_size = file->m_file.size();
    if (file->m_size > 0) {
        file->m_data = file->m_file.map(0, file->m_size, QFileDevice::MapPrivateOption);
        if (!file->m_data)
            throw InputError(path, QStringLiteral("cannot be memory-mapped (%1)")
                                       .arg(file->m_file.errorString()));
    }
    return file;
}

MappedFile::~MappedFile()
{
    if (m_data)
        m_file.unmap(m_data);
}

torch::Tensor MappedFile::tensor(qint64 offset, torch::ScalarType type,
                                 const std::vector<int64_t> &sizes,
                                 const std::vector<int64_t> &strides) const
{
    const auto options = torch::TensorOptions().dtype(type);
    auto *address = const_cast<uchar *>(m_data) + offset;
    const size_t alignment = c10::elementSize(type);
    if (reinterpret_cast<uintptr_t>(address) % alignment == 0) {
        std::shared_ptr<const MappedFile> keepAlive = shared_from_this();
        return torch::from_blob(address, sizes, strides, [keepAlive](void *) {}, options);
    }
    // Misaligned (a zip writer that does not pad): copy the reachable bytes to aligned memory.
    int64_t span = 1;
    for (size_t i = 0; i < sizes.size(); ++i) {
        if (sizes[i] == 0)
            return torch::empty(sizes, options);
        span += (sizes[i] - 1) * strides[i];
    }
    torch::Tensor storage = torch::empty({span}, options);
    std::memcpy(storage.data_ptr(), address, static_cast<size_t>(span) * alignment);
    return storage.as_strided(sizes, strides);
}

} // namespace attnscope
