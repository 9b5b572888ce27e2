#include "viz/shape_images.h"

#include <cmath>
#include <random>

#include <QJsonArray>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include "viz/image_preprocessor.h"

namespace attnscope {

QStringList shapeClassNames()
{
    return {QStringLiteral("circle"), QStringLiteral("square"), QStringLiteral("triangle"), QStringLiteral("cross")};
}

namespace {

// Corners of a regular polygon (or a plus sign's outline) around `centre`.
std::vector<cv::Point> outline(int label, cv::Point2d centre, double radius, double angle)
{
    std::vector<cv::Point2d> unit;
    if (label == 1)
        unit = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
    else if (label == 2)
        for (int k = 0; k < 3; ++k)
            unit.emplace_back(std::cos(2 * M_PI * k / 3 - M_PI / 2), std::sin(2 * M_PI * k / 3 - M_PI / 2));
    else {
        const double a = 1.0, b = 0.35; // arm length and half width
        unit = {{-b, -a}, {b, -a}, {b, -b}, {a, -b}, {a, b}, {b, b}, {b, a}, {-b, a}, {-b, b}, {-a, b}, {-a, -b}, {-b, -b}};
    }
    const double scale = label == 1 ? radius / std::sqrt(2.0) : radius;
    std::vector<cv::Point> points;
    for (const cv::Point2d &p : unit) {
        const double x = p.x * std::cos(angle) - p.y * std::sin(angle);
        const double y = p.x * std::sin(angle) + p.y * std::cos(angle);
        // 4 fractional bits: sub-pixel placement, so shapes are not aligned to the pixel grid.
        points.emplace_back(int(std::lround((centre.x + scale * x) * 16)), int(std::lround((centre.y + scale * y) * 16)));
    }
    return points;
}

} // namespace

ShapePicture drawShapePicture(int side, uint64_t seed, uint64_t index)
{
    std::mt19937_64 random(seed * 0x9E3779B97F4A7C15ull + index);
    auto uniform = [&](double low, double high) { return low + (high - low) * double(random() >> 11) * 0x1.0p-53; };

    ShapePicture picture;
    picture.label = int(random() % 4);
    // A lighter shape on a darker ground: one contrast polarity keeps the task about form.
    const double background = uniform(0, 110);
    const double foreground = uniform(background + 80, 255);
    const cv::Scalar tint(uniform(-40, 40), uniform(-40, 40), uniform(-40, 40));

    const double radius = uniform(0.14, 0.3) * side;
    const cv::Point2d centre(uniform(radius + 1, side - radius - 1), uniform(radius + 1, side - radius - 1));
    picture.mask = cv::Mat::zeros(side, side, CV_8UC1);
    if (picture.label == 0)
        cv::circle(picture.mask, cv::Point(int(std::lround(centre.x * 16)), int(std::lround(centre.y * 16))),
                   int(std::lround(radius * 16)), cv::Scalar(255), cv::FILLED, cv::LINE_AA, 4);
    else
        cv::fillPoly(picture.mask, std::vector<std::vector<cv::Point>>{outline(picture.label, centre, radius, uniform(-0.25, 0.25))},
                     cv::Scalar(255), cv::LINE_AA, 4);

    cv::Mat noise(side, side, CV_32FC3);
    cv::RNG noiseSource(random());
    noiseSource.fill(noise, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(12));
    cv::Mat canvas(side, side, CV_32FC3, cv::Scalar::all(background));
    cv::Mat shapeColour(side, side, CV_32FC3, cv::Scalar::all(foreground) + tint);
    cv::Mat alpha;
    picture.mask.convertTo(alpha, CV_32F, 1.0 / 255.0);
    cv::cvtColor(alpha, alpha, cv::COLOR_GRAY2RGB);
    canvas = canvas.mul(cv::Scalar::all(1.0) - alpha) + shapeColour.mul(alpha) + noise;
    canvas.convertTo(picture.rgb, CV_8UC3);
    return picture;
}

ImageDemoData shapesDemoData(int side)
{
    ImageDemoData data;
    data.classes = shapeClassNames();
    data.imageSize = side;
    data.preprocessorConfig = {
        {QStringLiteral("image_processor_type"), QStringLiteral("ViTImageProcessor")},
        {QStringLiteral("do_resize"), true},
        {QStringLiteral("size"), QJsonObject{{QStringLiteral("height"), side}, {QStringLiteral("width"), side}}},
        {QStringLiteral("resample"), 2},
        {QStringLiteral("do_rescale"), true},
        {QStringLiteral("rescale_factor"), 1.0 / 255.0},
        {QStringLiteral("do_normalize"), true},
        {QStringLiteral("image_mean"), QJsonArray{0.5, 0.5, 0.5}},
        {QStringLiteral("image_std"), QJsonArray{0.5, 0.5, 0.5}}};
    const ImagePreprocessing settings = ImagePreprocessing::fromJson(data.preprocessorConfig, QStringLiteral("shapes demo"));
    data.sample = [side, settings](uint64_t seed, uint64_t index) {
        const ShapePicture picture = drawShapePicture(side, seed, index);
        LabeledImage image;
        image.pixelValues = prepareImage(picture.rgb, settings, 1).pixelValues;
        image.label = picture.label;
        cv::Mat mask;
        picture.mask.convertTo(mask, CV_32F, 1.0 / 255.0);
        image.objectMask = torch::from_blob(mask.data, {side, side}, torch::kFloat32).clone();
        return image;
    };
    return data;
}

} // namespace attnscope
