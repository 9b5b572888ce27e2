#pragma once
// Reading an image file for a vision model, as Hugging Face's image processors see it after
// PIL's convert("RGB"): 8-bit RGB, grayscale replicated to three channels, alpha dropped,
// 16-bit samples scaled to 8 bits (v / 257, rounded), and the EXIF orientation applied.
// PNG, JPEG, BMP, WebP and TIFF are recognized by their first bytes, not their name. Memory
// stays bounded: files over kMaxImageFileBytes and images over kMaxImagePixels are refused
// before their pixels are allocated.

#include <cstdint>

#include <QString>
#include <opencv2/core/mat.hpp>

namespace attnscope {

constexpr int64_t kMaxImagePixels = 100'000'000; // 100 megapixels
constexpr int64_t kMaxImageFileBytes = int64_t(512) << 20;

struct DecodedImage {
    cv::Mat rgb;          // CV_8UC3, RGB order
    QString format;       // "PNG", "JPEG", "BMP", "WebP", "TIFF"
    int sourceBits = 8;   // bits per sample in the file (8 or 16)
    int sourceChannels = 3; // 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA
    QString warning;      // e.g. the name says JPEG but the file is a PNG; empty when none
};

// Throws InputError(path, problem) with one line: missing, empty, truncated, too large, not
// an image, or a sample format the models cannot take.
DecodedImage decodeImage(const QString &path);

// The format the first bytes announce, or an empty string.
QString sniffImageFormat(const QByteArray &head);

} // namespace attnscope
