#pragma once
// Reading a file we are about to parse: only a regular file (a FIFO would block the open, a
// device such as /dev/zero never ends, a folder is no file) and only up to a cap suited to
// its kind, checked before anything is allocated for it. Header-only, so that the tokenizers
// (which do not link LibTorch) use it as every other reader does.

#include <sys/stat.h>

#include <QByteArray>
#include <QFile>
#include <QString>

#include "core/io/input_error.h"

namespace attnscope {

// Caps by kind: far above every real file of the kind, far below what would hurt.
constexpr qint64 kMaxConfigFileBytes = qint64(16) << 20;    // config.json, *_config.json, *.index.json
constexpr qint64 kMaxTokenizerFileBytes = qint64(64) << 20; // tokenizer.json (the largest real ones: ~35 MB), vocabularies
constexpr qint64 kMaxTextFileBytes = qint64(16) << 20;      // --text-file
constexpr qint64 kMaxSessionFileBytes = qint64(16) << 20;   // .attnscope sessions

// Throws InputError(path, …) unless path (after symbolic links) is an existing regular file;
// returns its size.
inline qint64 requireRegularFile(const QString &path)
{
    struct stat status {};
    if (::stat(QFile::encodeName(path).constData(), &status) != 0) {
        if (!QFile::exists(path))
            throw InputError(path, QStringLiteral("does not exist"));
        throw InputError(path, QStringLiteral("cannot be read"));
    }
    if (S_ISDIR(status.st_mode))
        throw InputError(path, QStringLiteral("is a folder, not a file"));
    if (S_ISFIFO(status.st_mode))
        throw InputError(path, QStringLiteral("is a pipe (FIFO), not a regular file"));
    if (S_ISCHR(status.st_mode) || S_ISBLK(status.st_mode))
        throw InputError(path, QStringLiteral("is a device, not a regular file"));
    if (!S_ISREG(status.st_mode))
        throw InputError(path, QStringLiteral("is not a regular file"));
    return qint64(status.st_size);
}

// The whole file, refused when it is not a regular file or holds more than maxBytes
// (`kind` names what it should be in the message: "a config file", "a text file" …).
inline QByteArray readBoundedFile(const QString &path, qint64 maxBytes, const char *kind)
{
    const auto tooLarge = [&](qint64 bytes) {
        return InputError(path, QStringLiteral("is %1 bytes, more than the %2 MiB allowed for %3")
                                    .arg(bytes).arg(maxBytes >> 20).arg(QLatin1String(kind)));
    };
    const qint64 size = requireRegularFile(path);
    if (size > maxBytes)
        throw tooLarge(size);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw InputError(path, QStringLiteral("cannot be read (%1)").arg(file.errorString()));
    // In pieces up to one byte past the cap: a file that grew since stat() (or reports no
    // size, as /proc does) still stops there.
    QByteArray bytes;
    bytes.reserve(qsizetype(size));
    while (bytes.size() <= maxBytes) {
        const QByteArray piece = file.read(qint64(1) << 20);
        if (piece.isEmpty())
            break;
        bytes += piece;
    }
    if (bytes.size() > maxBytes)
        throw tooLarge(bytes.size());
    return bytes;
}

} // namespace attnscope
