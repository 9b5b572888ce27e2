// Image input for vision models: preprocessing equals the Hugging Face formula (Pillow resize,
// centre crop, rescale, normalize) to 1e-5 on images drawn here (references made by
// tests/data/vision/make_preprocessing_references.py with Pillow), preprocessor_config.json
// is read as Hugging Face reads it, and patch indices map exactly to pixel rectangles.

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>
#include <torch/torch.h>

#include "core/io/input_error.h"
#include "core/io/safetensors_file.h"
#include "viz/image_preprocessor.h"

Q_DECLARE_METATYPE(attnscope::ImagePreprocessing)

using namespace attnscope;

namespace {

const std::array<double, 3> kImagenetMean{0.485, 0.456, 0.406}, kImagenetStd{0.229, 0.224, 0.225};

// The same integer formula as the reference script.
cv::Mat drawImage(int width, int height)
{
    cv::Mat image(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < 3; ++c)
                image.at<cv::Vec3b>(y, x)[c] = uint8_t((int64_t(x) * x * 3 + y * 7 + c * 85 + int64_t(x) * y) % 256);
    return image;
}

ImagePreprocessing sized(int height, int width, Resample resample, std::array<double, 3> mean, std::array<double, 3> std)
{
    ImagePreprocessing s;
    s.height = height;
    s.width = width;
    s.resample = resample;
    s.mean = mean;
    s.std = std;
    return s;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

} // namespace

class TestImagePreprocessing : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void equalsTheHuggingFaceFormula_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<ImagePreprocessing>("settings");
        const std::array<double, 3> half{0.5, 0.5, 0.5}, zero{0, 0, 0}, one{1, 1, 1};
        QTest::newRow("vit_bilinear") << 50 << 37 << sized(32, 32, Resample::Bilinear, half, half);
        ImagePreprocessing deit = sized(64, 64, Resample::Bicubic, kImagenetMean, kImagenetStd);
        deit.centerCrop = true;
        deit.cropHeight = deit.cropWidth = 56;
        QTest::newRow("deit_bicubic_crop") << 301 << 203 << deit;
        ImagePreprocessing convnext = sized(0, 0, Resample::Bicubic, kImagenetMean, kImagenetStd);
        convnext.shortestEdge = 32;
        convnext.cropPct = 0.875;
        QTest::newRow("convnext_crop_pct") << 90 << 61 << convnext;
        ImagePreprocessing shortest = sized(0, 0, Resample::Bilinear, kImagenetMean, kImagenetStd);
        shortest.shortestEdge = 24;
        QTest::newRow("shortest_edge") << 45 << 80 << shortest;
        QTest::newRow("lanczos_downscale") << 400 << 300 << sized(24, 40, Resample::Lanczos, half, {0.25, 0.25, 0.25});
        QTest::newRow("box_hamming") << 70 << 70 << sized(33, 21, Resample::Box, zero, one);
        QTest::newRow("hamming") << 70 << 70 << sized(21, 33, Resample::Hamming, zero, one);
        QTest::newRow("nearest") << 37 << 29 << sized(16, 16, Resample::Nearest, half, half);
        ImagePreprocessing padded = sized(20, 20, Resample::Bilinear, half, half);
        padded.centerCrop = true;
        padded.cropHeight = 24;
        padded.cropWidth = 23;
        QTest::newRow("crop_padding") << 20 << 20 << padded;
    }

    void equalsTheHuggingFaceFormula()
    {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(ImagePreprocessing, settings);
        const auto references = SafetensorsFile::open(QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/vision/preprocessing.safetensors"));
        const torch::Tensor expected = references->load(QTest::currentDataTag());
        const PreparedImage prepared = prepareImage(drawImage(width, height), settings, 4);
        QCOMPARE(prepared.pixelValues.sizes().vec(), expected.sizes().vec());
        const double difference = (prepared.pixelValues - expected).abs().max().item<double>();
        QVERIFY2(difference < 1e-5, qPrintable(QString::number(difference)));
        QCOMPARE(prepared.geometry.inputWidth, int(expected.size(2)));
        QCOMPARE(prepared.geometry.inputHeight, int(expected.size(1)));
    }

    void readsPreprocessorConfig()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("preprocessor_config.json")),
                  R"({"do_resize": true, "size": {"height": 256, "width": 256}, "resample": 3, "do_center_crop": true,
                      "crop_size": 224, "do_rescale": true, "rescale_factor": 0.00392156862745098,
                      "do_normalize": true, "image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225]})");
        const ImagePreprocessing deit = ImagePreprocessing::load(dir.path());
        QCOMPARE(deit.height, 256);
        QCOMPARE(deit.resample, Resample::Bicubic);
        QVERIFY(deit.centerCrop);
        QCOMPARE(deit.cropWidth, 224);
        QCOMPARE(deit.std[2], 0.225);

        writeFile(dir.filePath(QStringLiteral("preprocessor_config.json")), R"({"size": {"width": 3}, "resample": 2})");
        try {
            ImagePreprocessing::load(dir.path());
            QFAIL("a size without height accepted");
        } catch (const InputError &error) {
            QVERIFY(QString::fromUtf8(error.what()).contains(QStringLiteral("preprocessor_config.json")));
            QVERIFY(QString::fromUtf8(error.what()).contains(QStringLiteral("'size'")));
        }
        writeFile(dir.filePath(QStringLiteral("preprocessor_config.json")), R"({"resample": 9})");
        QVERIFY_THROWS_EXCEPTION(InputError, ImagePreprocessing::load(dir.path()));
        // Without a preprocessor config: ViT's defaults at config.json's image_size.
        QFile::remove(dir.filePath(QStringLiteral("preprocessor_config.json")));
        writeFile(dir.filePath(QStringLiteral("config.json")), R"({"model_type": "vit", "image_size": 96})");
        const ImagePreprocessing fallback = ImagePreprocessing::load(dir.path());
        QCOMPARE(fallback.width, 96);
        QCOMPARE(fallback.resample, Resample::Bilinear);
    }

    // Every patch's rectangle in the input and in the original, and back, for a crop that
    // leaves pixels past the last whole patch, on a non-square grid.
    void patchRectanglesAreExact()
    {
        ImagePreprocessing settings = sized(40, 72, Resample::Bilinear, {0.5, 0.5, 0.5}, {0.5, 0.5, 0.5});
        settings.centerCrop = true;
        settings.cropHeight = 36;
        settings.cropWidth = 66;
        const PreparedImage prepared = prepareImage(drawImage(144, 80), settings, 8);
        const PatchGeometry &g = prepared.geometry;
        QCOMPARE(g.gridCols(), 8);  // 66 / 8
        QCOMPARE(g.gridRows(), 4);  // 36 / 8
        QCOMPARE(g.cropLeft, 3);
        QCOMPARE(g.cropTop, 2);
        QCOMPARE(g.patchInInput(13), QRectF(40, 8, 8, 8));
        // Resized 72 × 40 from 144 × 80: twice the input pixels.
        QCOMPARE(g.patchInOriginal(13), QRectF((40 + 3) * 2, (8 + 2) * 2, 16, 16));
        QCOMPARE(g.gridInOriginal(), QRectF(6, 4, 128, 64));
        for (int patch = 0; patch < g.patches(); ++patch) {
            const QRectF rect = g.patchInOriginal(patch);
            QCOMPARE(g.patchAt(rect.topLeft()), patch);
            QCOMPARE(g.patchAt(rect.bottomRight() - QPointF(1e-9, 1e-9)), patch);
            QCOMPARE(g.patchAt(rect.center()), patch);
        }
        QCOMPARE(g.patchAt(QPointF(5.9, 10)), -1);  // left of the crop
        QCOMPARE(g.patchAt(QPointF(134, 10)), -1);  // past the last whole patch
        // The model sees exactly the input pixels of the patch.
        const cv::Vec3b pixel = prepared.modelView.at<cv::Vec3b>(8 + 3, 40 + 5);
        const float expected = float((pixel[1] / 255.0 - 0.5) / 0.5);
        QVERIFY(std::abs(prepared.pixelValues[1][11][45].item<float>() - expected) < 1e-6f);
    }

    void refusesImagesSmallerThanAPatch()
    {
        ImagePreprocessing settings;
        settings.resize = false;
        QVERIFY_THROWS_EXCEPTION(InputError, prepareImage(drawImage(10, 40), settings, 16));
    }
};

QTEST_GUILESS_MAIN(TestImagePreprocessing)
#include "test_image_preprocessing.moc"
