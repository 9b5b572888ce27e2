#include "viz/image_header.h"

#include <cstdint>

namespace attnscope {

namespace {

uint32_t bigEndian(const QByteArray &b, int at, int bytes)
{
    uint32_t value = 0;
    for (int i = 0; i < bytes; ++i)
        value = (value << 8) | uint8_t(b[at + i]);
    return value;
}

uint32_t littleEndian(const QByteArray &b, int at, int bytes)
{
    uint32_t value = 0;
    for (int i = bytes - 1; i >= 0; --i)
        value = (value << 8) | uint8_t(b[at + i]);
    return value;
}

std::optional<QSize> pngSize(const QByteArray &b)
{
    if (b.size() < 24 || b.mid(12, 4) != "IHDR")
        return std::nullopt;
    return QSize(int(bigEndian(b, 16, 4)), int(bigEndian(b, 20, 4)));
}

// The first start-of-frame marker (SOF0 … SOF15 except DHT, JPG and DAC) holds the size.
std::optional<QSize> jpegSize(const QByteArray &b)
{
    int at = 2;
    while (at + 9 < b.size()) {
        if (uint8_t(b[at]) != 0xFF)
            return std::nullopt;
        const uint8_t marker = uint8_t(b[at + 1]);
        if (marker == 0xFF) { // fill byte
            ++at;
            continue;
        }
        if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
            at += 2;
            continue;
        }
        const int length = int(bigEndian(b, at + 2, 2));
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
            return QSize(int(bigEndian(b, at + 7, 2)), int(bigEndian(b, at + 5, 2)));
        if (length < 2)
            return std::nullopt;
        at += 2 + length;
    }
    return std::nullopt;
}

std::optional<QSize> bmpSize(const QByteArray &b)
{
    if (b.size() < 26)
        return std::nullopt;
    const uint32_t headerSize = littleEndian(b, 14, 4);
    if (headerSize == 12) // OS/2 BITMAPCOREHEADER: 16-bit sides
        return QSize(int(littleEndian(b, 18, 2)), int(littleEndian(b, 20, 2)));
    const int32_t width = int32_t(littleEndian(b, 18, 4)), height = int32_t(littleEndian(b, 22, 4));
    return QSize(width, height < 0 ? -height : height); // negative height: top-down rows
}

std::optional<QSize> webpSize(const QByteArray &b)
{
    if (b.size() < 30)
        return std::nullopt;
    const QByteArray chunk = b.mid(12, 4);
    if (chunk == "VP8 ") // lossy: 14-bit sides after the frame tag and start code
        return QSize(int(littleEndian(b, 26, 2) & 0x3FFF), int(littleEndian(b, 28, 2) & 0x3FFF));
    if (chunk == "VP8L") { // lossless: 14-bit sides minus one, packed after the signature byte
        const uint32_t bits = littleEndian(b, 21, 4);
        return QSize(int((bits & 0x3FFF) + 1), int(((bits >> 14) & 0x3FFF) + 1));
    }
    if (chunk == "VP8X") // extended: 24-bit canvas sides minus one
        return QSize(int(littleEndian(b, 24, 3) + 1), int(littleEndian(b, 27, 3) + 1));
    return std::nullopt;
}

// ImageWidth (256) and ImageLength (257) of the first IFD.
std::optional<QSize> tiffSize(const QByteArray &b)
{
    if (b.size() < 8)
        return std::nullopt;
    const bool little = b[0] == 'I';
    const auto read = [&](qint64 at, int bytes) -> std::optional<uint32_t> {
        if (at < 0 || at + bytes > b.size())
            return std::nullopt;
        return little ? littleEndian(b, int(at), bytes) : bigEndian(b, int(at), bytes);
    };
    const auto ifd = read(4, 4);
    const auto count = ifd ? read(*ifd, 2) : std::nullopt;
    if (!count)
        return std::nullopt;
    int64_t width = -1, height = -1;
    for (uint32_t entry = 0; entry < *count; ++entry) {
        const qint64 at = qint64(*ifd) + 2 + 12 * qint64(entry);
        const auto tag = read(at, 2), type = read(at + 2, 2);
        if (!tag || !type)
            return std::nullopt;
        if (*tag != 256 && *tag != 257)
            continue;
        const auto value = *type == 3 ? read(at + 8, 2) : read(at + 8, 4); // SHORT or LONG
        if (!value)
            return std::nullopt;
        (*tag == 256 ? width : height) = *value;
    }
    if (width < 0 || height < 0)
        return std::nullopt;
    return QSize(int(std::min<int64_t>(width, INT32_MAX)), int(std::min<int64_t>(height, INT32_MAX)));
}

} // namespace

std::optional<QSize> imageHeaderSize(const QByteArray &bytes, const QString &format)
{
    if (format == QLatin1String("PNG"))
        return pngSize(bytes);
    if (format == QLatin1String("JPEG"))
        return jpegSize(bytes);
    if (format == QLatin1String("BMP"))
        return bmpSize(bytes);
    if (format == QLatin1String("WebP"))
        return webpSize(bytes);
    if (format == QLatin1String("TIFF"))
        return tiffSize(bytes);
    return std::nullopt;
}

} // namespace attnscope
