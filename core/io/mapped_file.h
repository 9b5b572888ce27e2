#pragma once
// A whole file mapped into memory copy-on-write: tensors are made over the mapping without a
// copy, and an in-place edit of such a tensor changes private pages, never the file.
// Shared, so that every tensor made over it keeps the mapping alive.

#include <memory>
#include <vector>

#include <QFile>
#include <QString>
#include <torch/types.h>

namespace attnscope {

class MappedFile : public std::enable_shared_from_this<MappedFile> {
public:
    // Throws InputError when the file is missing, unreadable or cannot be mapped.
    static std::shared_ptr<const MappedFile> open(const QString &path);
    ~MappedFile();

    const QString &path() const { return m_path; }
    const uchar *data() const { return m_data; }
    qint64 size() const { return m_size; }
    bool contains(qint64 offset, qint64 length) const
    {
        return offset >= 0 && length >= 0 && offset <= m_size && length <= m_size - offset;
    }

    // A tensor over the bytes starting at `offset` (already checked by the caller to hold
    // every element the sizes and strides reach). Copied only when the address is not
    // aligned for the element type.
    torch::Tensor tensor(qint64 offset, torch::ScalarType type, const std::vector<int64_t> &sizes,
                         const std::vector<int64_t> &strides) const;

private:
    explicit MappedFile(const QString &path) : m_path(path), m_file(path) {}

    QString m_path;
    QFile m_file;
    uchar *m_data = nullptr;
    qint64 m_size = 0;
};

} // namespace attnscope
