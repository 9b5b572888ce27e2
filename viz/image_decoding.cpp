#include "viz/image_decoding.h"

#include <QFile>
#include <QFileInfo>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/io/bounded_file.h"
#include "core/io/input_error.h"
#include "viz/image_header.h"

namespace attnscope {

namespace {

// The formats the name suggests, by extension.
QString formatOfName(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return QStringLiteral("PNG");
    if (suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg") || suffix == QLatin1String("jpe"))
        return QStringLiteral("JPEG");
    if (suffix == QLatin1String("bmp") || suffix == QLatin1String("dib"))
        return QStringLiteral("BMP");
    if (suffix == QLatin1String("webp"))
        return QStringLiteral("WebP");
    if (suffix == QLatin1String("tif") || suffix == QLatin1String("tiff"))
        return QStringLiteral("TIFF");
    return {};
}

// A JPEG ends with the end-of-image marker (possibly followed by padding); libjpeg would
// otherwise fill the missing rows with gray and succeed.
bool jpegIsComplete(const QByteArray &bytes)
{
    const int from = std::max(0, int(bytes.size()) - 256);
    return bytes.indexOf(QByteArray("\xFF\xD9", 2), from) >= 0;
}

// The fewest bytes a file of that size can take, so that a header claiming far more pixels
// than the data could hold (the decoder would allocate them all, then fill them with gray)
// is refused first. JPEG: at least one bit per 8×8 block of the luma channel (Huffman coding;
// rare arithmetic-coded files could in theory beat this); PNG: the scanlines at one bit a
// pixel, deflated at most 1032:1. No bound for the other formats.
qint64 fewestEncodedBytes(const QString &format, const QSize &size)
{
    const qint64 width = size.width(), height = size.height();
    if (format == QLatin1String("JPEG"))
        return ((width + 7) / 8) * ((height + 7) / 8) / 8;
    if (format == QLatin1String("PNG"))
        return height * (1 + (width + 7) / 8) / 1032;
    return 0;
}

} // namespace

QString sniffImageFormat(const QByteArray &head)
{
    if (head.startsWith(QByteArray("\x89PNG\r\n\x1A\n", 8)))
        return QStringLiteral("PNG");
    if (head.startsWith(QByteArray("\xFF\xD8\xFF", 3)))
        return QStringLiteral("JPEG");
    if (head.startsWith("BM"))
        return QStringLiteral("BMP");
    if (head.startsWith("RIFF") && head.mid(8, 4) == "WEBP")
        return QStringLiteral("WebP");
    if (head.startsWith(QByteArray("II*\0", 4)) || head.startsWith(QByteArray("MM\0*", 4)))
        return QStringLiteral("TIFF");
    return {};
}

DecodedImage decodeImage(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        throw InputError(path, QStringLiteral("no such file"));
    requireRegularFile(path); // a FIFO would block the open
    if (!file.open(QIODevice::ReadOnly))
        throw InputError(path, QStringLiteral("cannot read: %1").arg(file.errorString()));
    if (file.size() == 0)
        throw InputError(path, QStringLiteral("is empty (0 bytes)"));
    if (file.size() > kMaxImageFileBytes)
        throw InputError(path, QStringLiteral("is %1 MiB; images over %2 MiB are refused")
                                   .arg(file.size() >> 20).arg(kMaxImageFileBytes >> 20));
    const QByteArray bytes = file.readAll();
    DecodedImage image;
    image.format = sniffImageFormat(bytes.left(16));
    if (image.format.isEmpty())
        throw InputError(path, QStringLiteral("is not a PNG, JPEG, BMP, WebP or TIFF image"));
    const QString named = formatOfName(path);
    if (named != image.format)
        image.warning = QStringLiteral("%1: the file holds a %2 image%3; read as %2")
                            .arg(path, image.format,
                                 named.isEmpty() ? QString() : QStringLiteral(", not the %1 its name says").arg(named));
    if (image.format == QLatin1String("JPEG") && !jpegIsComplete(bytes))
        throw InputError(path, QStringLiteral("is a truncated JPEG (no end-of-image marker)"));

    // OpenCV fixes its own pixel limit (2^30) when it loads: check the header first.
    const std::optional<QSize> size = imageHeaderSize(bytes, image.format);
    if (!size || size->width() <= 0 || size->height() <= 0)
        throw InputError(path, QStringLiteral("has no readable %1 header (truncated or corrupt)").arg(image.format));
    if (int64_t(size->width()) * size->height() > kMaxImagePixels)
        throw InputError(path, QStringLiteral("is %1×%2 pixels, more than %3 megapixels")
                                   .arg(size->width()).arg(size->height()).arg(kMaxImagePixels / 1'000'000));
    if (const qint64 fewest = fewestEncodedBytes(image.format, *size); bytes.size() < fewest)
        throw InputError(path, QStringLiteral("claims %1×%2 pixels, but its %3 bytes cannot hold them (at least %4 "
                                              "needed): truncated or corrupt")
                                   .arg(size->width()).arg(size->height()).arg(bytes.size()).arg(fewest));
    cv::Mat decoded;
    try {
        const cv::Mat buffer(1, int(bytes.size()), CV_8U, const_cast<char *>(bytes.constData()));
        // ANYDEPTH | ANYCOLOR keeps 16-bit and gray samples and still applies EXIF orientation.
        decoded = cv::imdecode(buffer, cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR);
    } catch (const cv::Exception &error) {
        throw InputError(path, QStringLiteral("cannot be decoded as %1: %2")
                                   .arg(image.format, QString::fromUtf8(error.what()).simplified().left(160)));
    }
    if (decoded.empty() || decoded.cols <= 0 || decoded.rows <= 0)
        throw InputError(path, QStringLiteral("cannot be decoded as %1 (truncated or corrupt)").arg(image.format));
    image.sourceChannels = decoded.channels();
    switch (decoded.depth()) {
    case CV_8U: image.sourceBits = 8; break;
    case CV_16U:
        image.sourceBits = 16;
        decoded.convertTo(decoded, CV_8U, 1.0 / 257.0); // rounds to nearest: 257·v ↦ v
        break;
    default: throw InputError(path, QStringLiteral("has floating-point or signed samples; only 8- and 16-bit images are read"));
    }
    switch (decoded.channels()) {
    case 1: cv::cvtColor(decoded, image.rgb, cv::COLOR_GRAY2RGB); break;
    case 3: cv::cvtColor(decoded, image.rgb, cv::COLOR_BGR2RGB); break;
    case 4: cv::cvtColor(decoded, image.rgb, cv::COLOR_BGRA2RGB); break; // alpha dropped, as convert("RGB")
    default: throw InputError(path, QStringLiteral("has %1 channels; 1, 3 or 4 are read").arg(decoded.channels()));
    }
    return image;
}

} // namespace attnscope
