#include "viz/pillow_resample.h"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace attnscope {

namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;

struct Filter {
    double support;
    double (*weight)(double);
};

double boxWeight(double x) { return x > -0.5 && x <= 0.5 ? 1.0 : 0.0; }
double bilinearWeight(double x)
{
    x = std::abs(x);
    return x < 1.0 ? 1.0 - x : 0.0;
}
double hammingWeight(double x)
{
    x = std::abs(x);
    if (x == 0.0)
        return 1.0;
    if (x >= 1.0)
        return 0.0;
    x *= M_PI;
    return std::sin(x) / x * (0.54 + 0.46 * std::cos(x));
}
double bicubicWeight(double x)
{
    constexpr double a = -0.5;
    x = std::abs(x);
    if (x < 1.0)
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    if (x < 2.0)
        return (((x - 5) * x + 8) * x - 4) * a;
    return 0.0;
}
double sinc(double x)
{
    if (x == 0.0)
        return 1.0;
    x *= M_PI;
    return std::sin(x) / x;
}
double lanczosWeight(double x) { return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0; }

Filter filterOf(Resample resample)
{
    switch (resample) {
    case Resample::Box: return {0.5, boxWeight};
    case Resample::Bilinear: return {1.0, bilinearWeight};
    case Resample::Hamming: return {1.0, hammingWeight};
    case Resample::Bicubic: return {2.0, bicubicWeight};
    case Resample::Lanczos: return {3.0, lanczosWeight};
    case Resample::Nearest: break;
    }
    throw std::invalid_argument("nearest has no convolution filter");
}

// Per output pixel: the first input pixel and the fixed-point weights of the pixels it reads.
struct Coefficients {
    std::vector<int> first;
    std::vector<std::vector<int32_t>> weights;
};

Coefficients coefficientsFor(int inSize, int outSize, const Filter &filter)
{
    const double scale = double(inSize) / outSize;
    const double filterScale = std::max(scale, 1.0);
    const double support = filter.support * filterScale;
    Coefficients result;
    result.first.resize(size_t(outSize));
    result.weights.resize(size_t(outSize));
    std::vector<double> k;
    for (int xx = 0; xx < outSize; ++xx) {
        const double center = (xx + 0.5) * scale;
        const double ss = 1.0 / filterScale;
        // Pillow truncates toward zero here.
        const int xmin = std::max(0, int(center - support + 0.5));
        const int xmax = std::min(inSize, int(center + support + 0.5)) - xmin;
        k.assign(size_t(std::max(0, xmax)), 0.0);
        double total = 0.0;
        for (int x = 0; x < xmax; ++x) {
            k[size_t(x)] = filter.weight((x + xmin - center + 0.5) * ss);
            total += k[size_t(x)];
        }
        std::vector<int32_t> &fixed = result.weights[size_t(xx)];
        for (int x = 0; x < xmax; ++x) {
            const double w = total != 0.0 ? k[size_t(x)] / total : k[size_t(x)];
            fixed.push_back(int32_t(w < 0 ? -0.5 + w * (1 << kPrecisionBits) : 0.5 + w * (1 << kPrecisionBits)));
        }
        result.first[size_t(xx)] = xmin;
    }
    return result;
}

uint8_t clip8(int64_t value)
{
    const int64_t shifted = value >> kPrecisionBits;
    return uint8_t(std::clamp<int64_t>(shifted, 0, 255));
}

cv::Mat resampleHorizontal(const cv::Mat &in, int outWidth, const Filter &filter)
{
    const Coefficients c = coefficientsFor(in.cols, outWidth, filter);
    const int channels = in.channels();
    cv::Mat out(in.rows, outWidth, in.type());
    for (int y = 0; y < in.rows; ++y) {
        const uint8_t *row = in.ptr<uint8_t>(y);
        uint8_t *target = out.ptr<uint8_t>(y);
        for (int xx = 0; xx < outWidth; ++xx) {
            const std::vector<int32_t> &k = c.weights[size_t(xx)];
            for (int ch = 0; ch < channels; ++ch) {
                int64_t ss = int64_t(1) << (kPrecisionBits - 1);
                for (size_t x = 0; x < k.size(); ++x)
                    ss += int64_t(row[(size_t(c.first[size_t(xx)]) + x) * size_t(channels) + size_t(ch)]) * k[x];
                target[xx * channels + ch] = clip8(ss);
            }
        }
    }
    return out;
}

cv::Mat resampleVertical(const cv::Mat &in, int outHeight, const Filter &filter)
{
    const Coefficients c = coefficientsFor(in.rows, outHeight, filter);
    const int values = in.cols * in.channels();
    cv::Mat out(outHeight, in.cols, in.type());
    for (int yy = 0; yy < outHeight; ++yy) {
        const std::vector<int32_t> &k = c.weights[size_t(yy)];
        uint8_t *target = out.ptr<uint8_t>(yy);
        for (int v = 0; v < values; ++v) {
            int64_t ss = int64_t(1) << (kPrecisionBits - 1);
            for (size_t y = 0; y < k.size(); ++y)
                ss += int64_t(in.ptr<uint8_t>(c.first[size_t(yy)] + int(y))[v]) * k[y];
            target[v] = clip8(ss);
        }
    }
    return out;
}

// Pillow's nearest resize: the input pixel under the centre of each output pixel.
cv::Mat resizeNearest(const cv::Mat &in, int width, int height)
{
    cv::Mat out(height, width, in.type());
    const size_t pixelBytes = in.elemSize();
    const double xScale = double(in.cols) / width, yScale = double(in.rows) / height;
    for (int y = 0; y < height; ++y) {
        const int sy = std::min(in.rows - 1, int((y + 0.5) * yScale));
        for (int x = 0; x < width; ++x) {
            const int sx = std::min(in.cols - 1, int((x + 0.5) * xScale));
            std::memcpy(out.ptr<uint8_t>(y) + size_t(x) * pixelBytes, in.ptr<uint8_t>(sy) + size_t(sx) * pixelBytes, pixelBytes);
        }
    }
    return out;
}

} // namespace

cv::Mat resizeLikePillow(const cv::Mat &image, int width, int height, Resample resample)
{
    if (image.empty() || image.depth() != CV_8U)
        throw std::invalid_argument("resize: the image must be a non-empty 8-bit image");
    if (width <= 0 || height <= 0)
        throw std::invalid_argument("resize: the size must be positive");
    if (resample == Resample::Nearest)
        return resizeNearest(image, width, height);
    const Filter filter = filterOf(resample);
    cv::Mat result = image;
    if (width != image.cols)
        result = resampleHorizontal(result, width, filter);
    if (height != image.rows)
        result = resampleVertical(result, height, filter);
    return width == image.cols && height == image.rows ? image.clone() : result;
}

} // namespace attnscope
