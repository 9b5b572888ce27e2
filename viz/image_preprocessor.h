#pragma once
// A vision checkpoint's image preprocessing, as its preprocessor_config.json says and as Hugging
// Face's ViT, DeiT and ConvNeXt-style image processors apply it: resize (to height × width, or
// the shortest edge, with crop_pct: to shortest_edge / crop_pct then a centre crop), centre
// crop, rescale, normalize with the mean and std, and [3, H, W] float pixel values. Resizing
// is Pillow's, bit for bit (see pillow_resample.h).

#include <array>

#include <QJsonObject>
#include <QString>
#include <opencv2/core/mat.hpp>
#include <torch/types.h>

#include "viz/patch_geometry.h"
#include "viz/pillow_resample.h"

namespace attnscope {

struct ImagePreprocessing {
    bool resize = true;
    int height = 224, width = 224; // used when shortestEdge is 0
    int shortestEdge = 0;
    double cropPct = 0;            // with shortestEdge: resize to shortestEdge / cropPct, crop
    Resample resample = Resample::Bilinear;
    bool centerCrop = false;
    int cropHeight = 224, cropWidth = 224;
    bool rescale = true;
    double rescaleFactor = 1.0 / 255.0;
    bool normalize = true;
    std::array<double, 3> mean{0.5, 0.5, 0.5};
    std::array<double, 3> std{0.5, 0.5, 0.5};

    // MODEL_DIR/preprocessor_config.json; without one, ViT's defaults at config.json's
    // image_size. Throws InputError naming the file and the field.
    static ImagePreprocessing load(const QString &modelDir);
    // The same from the file's contents; `path` names it in errors.
    static ImagePreprocessing fromJson(const QJsonObject &json, const QString &path);
};

struct PreparedImage {
    torch::Tensor pixelValues; // [3, H, W] float32
    cv::Mat modelView;         // CV_8UC3 RGB: the image as the model sees it (resized, cropped)
    PatchGeometry geometry;
};

// rgb: CV_8UC3. Throws InputError when the result is smaller than one patch.
PreparedImage prepareImage(const cv::Mat &rgb, const ImagePreprocessing &settings, int patchSize,
                           const QString &source = QStringLiteral("image"));

} // namespace attnscope
