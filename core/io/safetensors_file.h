#pragma once
// One .safetensors file: an 8-byte little-endian header length, a JSON header naming each
// tensor's dtype, shape and byte range, then the data. The header is validated whole at
// open (lengths, offsets inside the file, no overlaps, ranges matching shape × dtype);
// tensors are views over the memory-mapped file.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <QMap>
#include <QString>

#include "core/io/mapped_file.h"
#include "core/io/weights.h"

namespace attnscope {

class SafetensorsFile : public WeightSource {
public:
    struct Entry {
        QString dtype;                // the name in the file: "F32", "BF16", "U16" …
        std::vector<int64_t> shape;
        qint64 begin = 0, end = 0;    // byte range inside the data section
    };

    // Throws InputError naming the file and the problem.
    static std::unique_ptr<SafetensorsFile> open(const QString &path);

    std::vector<std::string> names() const override; // in the order of their data
    bool contains(const std::string &name) const override;
    // The tensor exactly as stored (F16 and BF16 kept), a view over the mapping.
    torch::Tensor load(const std::string &name) const override;
    QString fileOf(const std::string &) const override { return m_file->path(); }

    const Entry &entry(const std::string &name) const; // throws InputError when absent
    const QMap<QString, QString> &metadata() const { return m_metadata; }
    const QString &path() const { return m_file->path(); }

private:
    explicit SafetensorsFile(std::shared_ptr<const MappedFile> file) : m_file(std::move(file)) {}
    void parseHeader();
    [[noreturn]] void fail(const QString &problem) const;

    std::shared_ptr<const MappedFile> m_file;
    qint64 m_dataStart = 0;
    std::map<std::string, Entry> m_entries;
    std::vector<std::string> m_order;
    QMap<QString, QString> m_metadata;
};

} // namespace attnscope
