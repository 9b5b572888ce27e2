#pragma once
// The entries of a zip archive as written by torch.save: stored (uncompressed) entries read
// straight from the memory-mapped file, ZIP64 when sizes or offsets need it. The central
// directory and every local header are validated at open, so a lying offset or a truncated
// file fails there with a clear message rather than later.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/io/mapped_file.h"

namespace attnscope {

class ZipArchive {
public:
    struct Entry {
        qint64 dataOffset = 0; // of the stored bytes inside the file
        qint64 size = 0;
        quint32 crc32 = 0;
    };

    // Throws InputError(file, problem).
    static ZipArchive open(std::shared_ptr<const MappedFile> file);

    const std::vector<std::string> &names() const { return m_names; } // in directory order
    const Entry *find(const std::string &name) const;                 // null when absent
    const std::shared_ptr<const MappedFile> &file() const { return m_file; }
    // The entry's bytes after checking them against the CRC-32 the archive records.
    QByteArray checkedBytes(const std::string &name) const;

private:
    std::shared_ptr<const MappedFile> m_file;
    std::map<std::string, Entry> m_entries;
    std::vector<std::string> m_names;
};

} // namespace attnscope
