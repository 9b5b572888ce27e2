#include "viz/image_preprocessor.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <torch/torch.h>

#include "core/io/input_error.h"
#include "core/io/json_file.h"
#include "core/io/model_config.h"

namespace attnscope {

namespace {

// No checkpoint asks for more than a few thousand pixels a side; beyond this the input
// (and the tokens it makes) would only exhaust memory.
constexpr int kMaxModelImageSide = 4096;
// Patches become tokens, and attention grows with their square: 16,384 is a 2048-pixel image
// at ViT-B/16 (224 pixels make 196).
constexpr int64_t kMaxImagePatches = 16'384;

// A size field: {"height", "width"}, {"shortest_edge"}, or a plain number (a square).
void readSize(const QJsonValue &value, const QString &path, const QString &key, int &height, int &width, int *shortestEdge)
{
    if (value.isUndefined() || value.isNull())
        return;
    const auto positive = [&](const QJsonValue &number, const QString &field) {
        if (!number.isDouble() || number.toDouble() < 1 || number.toDouble() != std::floor(number.toDouble()))
            throw InputError(path, QStringLiteral("field '%1' is not a positive whole number").arg(field));
        if (number.toDouble() > kMaxModelImageSide)
            throw InputError(path, QStringLiteral("field '%1' is %2 pixels; at most %3 are accepted")
                                       .arg(field).arg(number.toDouble()).arg(kMaxModelImageSide));
        return number.toInt();
    };
    if (value.isDouble()) {
        height = width = positive(value, key);
        return;
    }
    const QJsonObject object = value.toObject();
    if (object.contains(QStringLiteral("shortest_edge")) && shortestEdge) {
        *shortestEdge = positive(object.value(QStringLiteral("shortest_edge")), key + QStringLiteral(".shortest_edge"));
        return;
    }
    if (!object.contains(QStringLiteral("height")) || !object.contains(QStringLiteral("width")))
        throw InputError(path, QStringLiteral("field '%1' has neither height and width nor shortest_edge").arg(key));
    height = positive(object.value(QStringLiteral("height")), key + QStringLiteral(".height"));
    width = positive(object.value(QStringLiteral("width")), key + QStringLiteral(".width"));
}

std::array<double, 3> readTriple(const QJsonObject &json, const QString &path, const QString &key, std::array<double, 3> fallback)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (value.isDouble())
        return {value.toDouble(), value.toDouble(), value.toDouble()};
    const QJsonArray array = value.toArray();
    if (array.size() != 3 || !array[0].isDouble() || !array[1].isDouble() || !array[2].isDouble())
        throw InputError(path, QStringLiteral("field '%1' is not a list of 3 numbers").arg(key));
    return {array[0].toDouble(), array[1].toDouble(), array[2].toDouble()};
}

// Height × width after resizing the shortest edge to `edge`, as Hugging Face rounds it.
std::pair<int, int> shortestEdgeSize(int height, int width, int edge)
{
    const bool portrait = width <= height;
    const int shortSide = portrait ? width : height, longSide = portrait ? height : width;
    const int newLong = int(std::min(double(edge) * longSide / shortSide, 1e9)); // refused by the caller when huge
    return portrait ? std::pair{newLong, edge} : std::pair{edge, newLong};
}

// The centre crop of Hugging Face's image_transforms.center_crop; zero padding when larger.
cv::Mat centreCrop(const cv::Mat &image, int height, int width, int &left, int &top)
{
    top = (image.rows - height) / 2;
    left = (image.cols - width) / 2;
    if (image.rows - height < 0 && (image.rows - height) % 2 != 0)
        --top; // Python's floor division
    if (image.cols - width < 0 && (image.cols - width) % 2 != 0)
        --left;
    cv::Mat result = cv::Mat::zeros(height, width, image.type());
    const cv::Rect source = cv::Rect(left, top, width, height) & cv::Rect(0, 0, image.cols, image.rows);
    image(source).copyTo(result(cv::Rect(source.x - left, source.y - top, source.width, source.height)));
    return result;
}

} // namespace

ImagePreprocessing ImagePreprocessing::load(const QString &modelDir)
{
    ImagePreprocessing settings;
    const QString path = QDir(modelDir).filePath(QStringLiteral("preprocessor_config.json"));
    if (!QFileInfo::exists(path)) {
        const ModelConfig config = ModelConfig::load(modelDir);
        const qint64 side = config.integer(QStringLiteral("image_size"), 224);
        if (side < 1 || side > kMaxModelImageSide)
            config.fail(QStringLiteral("field 'image_size' is %1; expected 1 … %2 pixels").arg(side).arg(kMaxModelImageSide));
        settings.height = settings.width = int(side);
        return settings;
    }
    return fromJson(readJsonObject(path), path);
}

ImagePreprocessing ImagePreprocessing::fromJson(const QJsonObject &json, const QString &path)
{
    ImagePreprocessing settings;
    const auto flag = [&](const char *key, bool fallback) {
        const QJsonValue value = json.value(QLatin1String(key));
        if (value.isUndefined() || value.isNull())
            return fallback;
        if (!value.isBool())
            throw InputError(path, QStringLiteral("field '%1' is not true or false").arg(QLatin1String(key)));
        return value.toBool();
    };
    settings.resize = flag("do_resize", true);
    readSize(json.value(QStringLiteral("size")), path, QStringLiteral("size"), settings.height, settings.width, &settings.shortestEdge);
    settings.cropPct = json.value(QStringLiteral("crop_pct")).toDouble(0);
    if (settings.cropPct < 0 || settings.cropPct > 1 || (settings.cropPct > 0 && settings.cropPct < 0.05))
        throw InputError(path, QStringLiteral("field 'crop_pct' is %1; expected 0.05 … 1").arg(settings.cropPct));
    const int resample = json.value(QStringLiteral("resample")).toInt(int(Resample::Bilinear));
    if (resample < 0 || resample > int(Resample::Hamming))
        throw InputError(path, QStringLiteral("field 'resample' is %1, not a Pillow filter (0 … 5)").arg(resample));
    settings.resample = Resample(resample);
    settings.centerCrop = flag("do_center_crop", false);
    readSize(json.value(QStringLiteral("crop_size")), path, QStringLiteral("crop_size"), settings.cropHeight, settings.cropWidth, nullptr);
    settings.rescale = flag("do_rescale", true);
    settings.rescaleFactor = json.value(QStringLiteral("rescale_factor")).toDouble(1.0 / 255.0);
    settings.normalize = flag("do_normalize", true);
    settings.mean = readTriple(json, path, QStringLiteral("image_mean"), settings.mean);
    settings.std = readTriple(json, path, QStringLiteral("image_std"), settings.std);
    for (const double s : settings.std)
        if (s == 0)
            throw InputError(path, QStringLiteral("field 'image_std' holds a zero"));
    return settings;
}

PreparedImage prepareImage(const cv::Mat &rgb, const ImagePreprocessing &settings, int patchSize, const QString &source)
{
    PreparedImage prepared;
    PatchGeometry &geometry = prepared.geometry;
    geometry.originalWidth = rgb.cols;
    geometry.originalHeight = rgb.rows;
    geometry.patchSize = patchSize;
    cv::Mat image = rgb;
    bool cropAfterResize = settings.centerCrop;
    int cropHeight = settings.cropHeight, cropWidth = settings.cropWidth;
    if (settings.resize) {
        std::pair<int, int> size{settings.height, settings.width};
        if (settings.shortestEdge > 0 && settings.cropPct > 0 && settings.shortestEdge < 384) {
            size = shortestEdgeSize(rgb.rows, rgb.cols, int(settings.shortestEdge / settings.cropPct));
            cropAfterResize = true;
            cropHeight = cropWidth = settings.shortestEdge;
        } else if (settings.shortestEdge > 0 && settings.cropPct > 0) {
            size = {settings.shortestEdge, settings.shortestEdge};
        } else if (settings.shortestEdge > 0) {
            size = shortestEdgeSize(rgb.rows, rgb.cols, settings.shortestEdge);
        }
        // A long thin image resized by its shortest edge could still ask for anything.
        if (int64_t(size.first) * size.second > int64_t(kMaxModelImageSide) * kMaxModelImageSide)
            throw InputError(source, QStringLiteral("would be resized to %1×%2 pixels, more than the %3×%3 accepted")
                                         .arg(size.second).arg(size.first).arg(kMaxModelImageSide));
        image = resizeLikePillow(rgb, size.second, size.first, settings.resample);
    }
    geometry.resizedWidth = image.cols;
    geometry.resizedHeight = image.rows;
    if (cropAfterResize)
        image = centreCrop(image, cropHeight, cropWidth, geometry.cropLeft, geometry.cropTop);
    geometry.inputWidth = image.cols;
    geometry.inputHeight = image.rows;
    if (geometry.gridCols() == 0 || geometry.gridRows() == 0)
        throw InputError(source, QStringLiteral("becomes %1×%2 pixels, smaller than one %3-pixel patch")
                                     .arg(image.cols).arg(image.rows).arg(patchSize));
    if (int64_t(geometry.gridRows()) * geometry.gridCols() > kMaxImagePatches)
        throw InputError(source, QStringLiteral("becomes %1×%2 pixels, %3 patches of %4 pixels: more than the %5 "
                                                "tokens accepted (check the preprocessor's size)")
                                     .arg(image.cols).arg(image.rows).arg(int64_t(geometry.gridRows()) * geometry.gridCols())
                                     .arg(patchSize).arg(kMaxImagePatches));
    prepared.modelView = image.isContinuous() ? image : image.clone();

    torch::Tensor pixels = torch::from_blob(prepared.modelView.data, {image.rows, image.cols, 3}, torch::kUInt8)
                               .permute({2, 0, 1}).to(torch::kFloat64);
    if (settings.rescale)
        pixels = pixels * settings.rescaleFactor;
    if (settings.normalize) {
        const auto channel = [](const std::array<double, 3> &values) {
            return torch::tensor({values[0], values[1], values[2]}, torch::kFloat64).view({3, 1, 1});
        };
        pixels = (pixels - channel(settings.mean)) / channel(settings.std);
    }
    prepared.pixelValues = pixels.to(torch::kFloat32).contiguous();
    return prepared;
}

} // namespace attnscope
