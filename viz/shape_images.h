#pragma once
// Random pictures of simple shapes drawn with OpenCV, for the "shapes" demo: one shape
// (circle, square, triangle or cross) of random size, position, slight rotation and colour,
// lighter than its noisy, darker background. The same seed and index always draw the same
// picture.

#include <QStringList>
#include <opencv2/core/mat.hpp>

#include "core/training/shapes_demo.h"

namespace attnscope {

struct ShapePicture {
    cv::Mat rgb;  // CV_8UC3, side × side
    cv::Mat mask; // CV_8UC1, 255 where the shape is
    int label = 0; // index into shapeClassNames()
};

QStringList shapeClassNames();

ShapePicture drawShapePicture(int side, uint64_t seed, uint64_t index);

// The shapes demo's pictures as the trainer takes them: drawn, then preprocessed by the
// pipeline the GUI uses, with the preprocessor_config.json that says so.
ImageDemoData shapesDemoData(int side = 48);

} // namespace attnscope
