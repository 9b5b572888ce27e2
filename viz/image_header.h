#pragma once
// The pixel size an image file announces in its header, read without decoding anything, so
// that huge images are refused before their pixels are allocated.

#include <optional>

#include <QByteArray>
#include <QSize>
#include <QString>

namespace attnscope {

// format: as sniffImageFormat() names it. nullopt when the header is missing or malformed.
std::optional<QSize> imageHeaderSize(const QByteArray &bytes, const QString &format);

} // namespace attnscope
