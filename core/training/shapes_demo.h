#pragma once
// The "shapes" demo: a small ViT trained to name the shape in a picture. The pictures come
// from the caller (viz/shape_images draws them with OpenCV; core has no image library), as
// pixel values already preprocessed the way the shipped preprocessor_config.json says.

#include <functional>

#include <QJsonObject>
#include <QStringList>
#include <torch/types.h>

#include "core/training/demo_run.h"

namespace attnscope {

struct LabeledImage {
    torch::Tensor pixelValues; // [3, side, side]
    int64_t label = 0;
    torch::Tensor objectMask;  // [side, side] float in [0, 1]: where the shape is
};

struct ImageDemoData {
    QStringList classes;
    int imageSize = 48;
    QJsonObject preprocessorConfig; // written as preprocessor_config.json
    std::function<LabeledImage(uint64_t seed, uint64_t index)> sample;
};

// What the card advertises, measured on fresh pictures (a seed never used in training).
struct ShapesMeasure {
    double accuracy = 0;
    double clsOnShape = 0;   // share of the rollout CLS → patch attention on patches the shape touches
    double shapeArea = 0;    // share of the patches the shape touches
};
ShapesMeasure measureShapes(const Model &model, const ImageDemoData &data, uint64_t seed, int pictures);

DemoResult trainShapesDemo(const DemoRun &run, const ImageDemoData &data);

} // namespace attnscope
