// The shapes demo's pictures: deterministic, the shape where the mask says and of the
// brightness that makes it visible, every class drawn, and pixel values as the pipeline makes them.

#include <QtTest>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include "viz/shape_images.h"

using namespace attnscope;

class ShapeImagesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameSeedAndIndexDrawTheSamePicture()
    {
        const ShapePicture a = drawShapePicture(48, 3, 17);
        const ShapePicture b = drawShapePicture(48, 3, 17);
        const ShapePicture c = drawShapePicture(48, 3, 18);
        QCOMPARE(cv::norm(a.rgb, b.rgb, cv::NORM_INF), 0.0);
        QVERIFY(cv::norm(a.rgb, c.rgb, cv::NORM_INF) > 0);
    }

    void shapeDiffersFromBackgroundWhereTheMaskIs()
    {
        std::array<int, 4> perClass{};
        for (uint64_t i = 0; i < 200; ++i) {
            const ShapePicture picture = drawShapePicture(48, 0, i);
            QCOMPARE(picture.rgb.size(), cv::Size(48, 48));
            QVERIFY(picture.label >= 0 && picture.label < 4);
            ++perClass[size_t(picture.label)];
            cv::Mat gray;
            cv::cvtColor(picture.rgb, gray, cv::COLOR_RGB2GRAY);
            const cv::Mat inside = picture.mask > 200, outside = picture.mask < 50;
            const double area = cv::countNonZero(inside) / double(48 * 48);
            QVERIFY2(area > 0.02 && area < 0.5, qPrintable(QString::number(area)));
            const double contrast = std::abs(cv::mean(gray, inside)[0] - cv::mean(gray, outside)[0]);
            QVERIFY2(contrast > 40, qPrintable(QStringLiteral("picture %1: contrast %2").arg(i).arg(contrast)));
        }
        for (int count : perClass)
            QVERIFY(count > 30);
    }

    void samplesArePreprocessedPixelValues()
    {
        const ImageDemoData data = shapesDemoData(48);
        QCOMPARE(data.classes, shapeClassNames());
        const LabeledImage image = data.sample(5, 9);
        const ShapePicture picture = drawShapePicture(48, 5, 9);
        QCOMPARE(image.label, int64_t(picture.label));
        QCOMPARE(image.pixelValues.sizes(), (c10::IntArrayRef{3, 48, 48}));
        // rescale 1/255 and normalize with mean = std = 0.5: v / 127.5 - 1
        const float expected = float(picture.rgb.at<cv::Vec3b>(20, 30)[1]) / 127.5f - 1.0f;
        QVERIFY(std::abs(image.pixelValues[1][20][30].item<float>() - expected) < 1e-5);
        QVERIFY(std::abs(image.objectMask.sum().item<double>() - cv::sum(picture.mask)[0] / 255.0) < 1e-3);
    }
};

QTEST_GUILESS_MAIN(ShapeImagesTest)
#include "test_shape_images.moc"
