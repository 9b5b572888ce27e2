// Image files as the vision models read them: every format by its content, gray replicated,
// alpha dropped, 16-bit scaled to 8 bits, EXIF orientation applied; and every bad file
// (missing, empty, truncated, not an image, 20000 × 20000 pixels) refused with one line that
// names it, before its pixels are allocated.

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/io/input_error.h"
#include "viz/image_decoding.h"
#include "viz/image_header.h"

using namespace attnscope;

namespace {

// A BGR test pattern with sharp blocks (so lossy formats stay recognizable).
cv::Mat pattern(int width, int height)
{
    cv::Mat image(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.at<cv::Vec3b>(y, x) = cv::Vec3b(uint8_t(x * 9 % 256), uint8_t(y * 13 % 256), uint8_t((x + y) * 5 % 256));
    return image;
}

QByteArray encode(const cv::Mat &image, const char *extension, const std::vector<int> &options = {})
{
    std::vector<uint8_t> bytes;
    cv::imencode(extension, image, bytes, options);
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), int(bytes.size()));
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(bytes);
    return path;
}

uint32_t crc32Of(const QByteArray &bytes)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (const char byte : bytes) {
        crc ^= uint8_t(byte);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

QByteArray bigEndian(uint32_t value)
{
    const char bytes[4] = {char(value >> 24), char(value >> 16), char(value >> 8), char(value)};
    return QByteArray(bytes, 4);
}

QByteArray pngChunk(const QByteArray &type, const QByteArray &data)
{
    return bigEndian(uint32_t(data.size())) + type + data + bigEndian(crc32Of(type + data));
}

// A JPEG with an EXIF APP1 segment holding only the orientation tag.
QByteArray withExifOrientation(const QByteArray &jpeg, uint16_t orientation)
{
    QByteArray tiff("II*\0", 4);
    tiff += QByteArray("\x08\0\0\0", 4);                  // first IFD at offset 8
    tiff += QByteArray("\x01\0", 2);                      // one entry
    tiff += QByteArray("\x12\x01\x03\0\x01\0\0\0", 8);    // 0x0112 orientation, SHORT, count 1
    tiff += char(orientation & 0xFF);
    tiff += char(orientation >> 8);
    tiff += QByteArray(2, '\0');
    tiff += QByteArray(4, '\0');                          // no next IFD
    const QByteArray payload = QByteArray("Exif\0\0", 6) + tiff;
    const int length = payload.size() + 2;
    const QByteArray segment = QByteArray("\xFF\xE1", 2) + char(length >> 8) + char(length & 0xFF) + payload;
    return jpeg.left(2) + segment + jpeg.mid(2);
}

QString errorOf(const QString &path)
{
    try {
        decodeImage(path);
    } catch (const InputError &error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

} // namespace

class TestImageDecoding : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void losslessFormatsRoundTrip_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("format");
        QTest::newRow("png") << QStringLiteral("a.png") << QStringLiteral("PNG");
        QTest::newRow("bmp") << QStringLiteral("a.bmp") << QStringLiteral("BMP");
        QTest::newRow("tiff") << QStringLiteral("a.tiff") << QStringLiteral("TIFF");
        QTest::newRow("webp") << QStringLiteral("a.webp") << QStringLiteral("WebP");
        QTest::newRow("tif") << QStringLiteral("a.tif") << QStringLiteral("TIFF");
    }

    void losslessFormatsRoundTrip()
    {
        QFETCH(QString, name);
        QFETCH(QString, format);
        QTemporaryDir dir;
        const cv::Mat bgr = pattern(37, 23);
        const std::vector<int> options = format == QLatin1String("WebP") ? std::vector<int>{cv::IMWRITE_WEBP_QUALITY, 101}
                                                                           : std::vector<int>{};
        const QByteArray extension = QByteArray(".") + name.section(QLatin1Char('.'), 1).toLatin1();
        const QByteArray bytes = encode(bgr, extension.constData(), options);
        QCOMPARE(imageHeaderSize(bytes, format), std::optional<QSize>(QSize(37, 23)));
        const DecodedImage image = decodeImage(writeFile(dir, name, bytes));
        QCOMPARE(image.format, format);
        QVERIFY(image.warning.isEmpty());
        QCOMPARE(image.rgb.type(), CV_8UC3);
        cv::Mat rgb;
        cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
        QCOMPARE(cv::norm(image.rgb, rgb, cv::NORM_INF), 0.0);
    }

    void grayAlphaAndSixteenBits()
    {
        QTemporaryDir dir;
        cv::Mat gray(5, 7, CV_8U);
        cv::randu(gray, 0, 256);
        const DecodedImage fromGray = decodeImage(writeFile(dir, QStringLiteral("g.png"), encode(gray, ".png")));
        QCOMPARE(fromGray.sourceChannels, 1);
        std::vector<cv::Mat> channels;
        cv::split(fromGray.rgb, channels);
        for (const cv::Mat &channel : channels)
            QCOMPARE(cv::norm(channel, gray, cv::NORM_INF), 0.0);

        cv::Mat bgra(6, 4, CV_8UC4);
        cv::randu(bgra, 0, 256);
        const DecodedImage fromAlpha = decodeImage(writeFile(dir, QStringLiteral("a.png"), encode(bgra, ".png")));
        cv::Mat rgb;
        cv::cvtColor(bgra, rgb, cv::COLOR_BGRA2RGB); // the alpha channel dropped, colors kept
        QCOMPARE(cv::norm(fromAlpha.rgb, rgb, cv::NORM_INF), 0.0);

        cv::Mat deep(4, 4, CV_16UC3);
        cv::Mat eight(4, 4, CV_8UC3);
        cv::randu(eight, 0, 256);
        eight.convertTo(deep, CV_16U, 257.0);
        deep.at<cv::Vec3w>(0, 0) = cv::Vec3w(257 * 10 + 128, 257 * 10 + 129, 65535);
        const DecodedImage fromDeep = decodeImage(writeFile(dir, QStringLiteral("d.png"), encode(deep, ".png")));
        QCOMPARE(fromDeep.sourceBits, 16);
        cv::Mat expected;
        cv::cvtColor(eight, expected, cv::COLOR_BGR2RGB);
        expected.at<cv::Vec3b>(0, 0) = cv::Vec3b(255, 11, 10); // v / 257 rounded, RGB order
        QCOMPARE(cv::norm(fromDeep.rgb, expected, cv::NORM_INF), 0.0);
    }

    void exifOrientationIsApplied()
    {
        QTemporaryDir dir;
        cv::Mat bgr(32, 48, CV_8UC3, cv::Scalar(0, 0, 0));
        bgr(cv::Rect(0, 0, 16, 16)).setTo(cv::Scalar(255, 255, 255)); // a white block at the top left
        const QByteArray jpeg = encode(bgr, ".jpg", {cv::IMWRITE_JPEG_QUALITY, 100});
        QCOMPARE(imageHeaderSize(withExifOrientation(jpeg, 6), QStringLiteral("JPEG")), std::optional<QSize>(QSize(48, 32)));
        const DecodedImage upright = decodeImage(writeFile(dir, QStringLiteral("u.jpg"), jpeg));
        QCOMPARE(upright.rgb.cols, 48);
        // Orientation 6: shown rotated 90° clockwise, so the block lands at the top right.
        const DecodedImage rotated = decodeImage(writeFile(dir, QStringLiteral("r.jpg"), withExifOrientation(jpeg, 6)));
        QCOMPARE(rotated.rgb.cols, 32);
        QCOMPARE(rotated.rgb.rows, 48);
        QVERIFY(rotated.rgb.at<cv::Vec3b>(8, 24)[0] > 200);
        QVERIFY(rotated.rgb.at<cv::Vec3b>(8, 8)[0] < 50);
    }

    void wrongExtensionIsReadWithAWarning()
    {
        QTemporaryDir dir;
        const DecodedImage image = decodeImage(writeFile(dir, QStringLiteral("photo.jpg"), encode(pattern(8, 8), ".png")));
        QCOMPARE(image.format, QStringLiteral("PNG"));
        QVERIFY(image.warning.contains(QStringLiteral("photo.jpg")));
        QVERIFY(image.warning.contains(QStringLiteral("not the JPEG its name says")));
    }

    void badFilesGetOneLine_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        const QByteArray png = encode(pattern(64, 64), ".png");
        const QByteArray jpeg = encode(pattern(64, 64), ".jpg");
        QTest::newRow("empty") << QStringLiteral("e.png") << QByteArray() << QStringLiteral("is empty");
        QTest::newRow("truncated png") << QStringLiteral("t.png") << png.left(png.size() / 2)
                                       << QStringLiteral("cannot be decoded as PNG");
        QTest::newRow("truncated jpeg") << QStringLiteral("t.jpg") << jpeg.left(jpeg.size() / 2)
                                        << QStringLiteral("truncated JPEG");
        QTest::newRow("not an image") << QStringLiteral("notes.png") << QByteArray("just some text\n")
                                      << QStringLiteral("is not a PNG, JPEG, BMP, WebP or TIFF image");
        // A PNG whose header says 20000 × 20000: refused before 1.2 GB are allocated.
        QByteArray header = bigEndian(20000) + bigEndian(20000) + QByteArray("\x08\x02\0\0\0", 5);
        const QByteArray huge = QByteArray("\x89PNG\r\n\x1A\n", 8) + pngChunk("IHDR", header)
                                + pngChunk("IDAT", QByteArray("\x78\x9C\x03\0\0\0\0\x01", 8)) + pngChunk("IEND", {});
        QTest::newRow("huge") << QStringLiteral("huge.png") << huge << QStringLiteral("more than 100 megapixels");
    }

    void badFilesGetOneLine()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString path = writeFile(dir, name, bytes);
        const QString error = errorOf(path);
        QVERIFY2(error.contains(path) && error.contains(problem), qPrintable(error));
        QVERIFY(!error.contains(QLatin1Char('\n')));
    }

    void missingFile()
    {
        const QString error = errorOf(QStringLiteral("/nonexistent/cat.png"));
        QVERIFY2(error.contains(QStringLiteral("/nonexistent/cat.png")) && error.contains(QStringLiteral("no such file")),
                 qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestImageDecoding)
#include "test_image_decoding.moc"
