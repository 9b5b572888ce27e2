#pragma once
// Image resizing bit for bit as Pillow's Image.resize does it on 8-bit images (Hugging Face's
// image processors resize through Pillow): separable convolution whose support widens with the
// downscaling factor (antialiasing), coefficients normalized per output pixel and rounded to
// 22-bit fixed point, a horizontal pass then a vertical pass, each rounded to 8 bits.

#include <opencv2/core/mat.hpp>

namespace attnscope {

// Pillow's resampling filter codes (as in preprocessor_config.json's "resample").
enum class Resample { Nearest = 0, Lanczos = 1, Bilinear = 2, Bicubic = 3, Box = 4, Hamming = 5 };

// rgb: CV_8UC3 (or any CV_8UC(n)). Throws std::invalid_argument on an empty image or size.
cv::Mat resizeLikePillow(const cv::Mat &image, int width, int height, Resample resample);

} // namespace attnscope
