#include "viz/graph_scene.h"

#include <algorithm>
#include <cmath>

#include <QFontMetricsF>
#include <QObject>
#include <torch/torch.h>

namespace attnscope {

int weightLevel(float weight, float maxWeight)
{
    if (!(maxWeight > 0))
        return 0;
    const int level = int(std::ceil(double(weight) / double(maxWeight) * kWeightLevels)) - 1;
    return std::clamp(level, 0, kWeightLevels - 1);
}

void TokenGraphScene::computeLevels()
{
    levels.resize(graph.edges().size());
    for (size_t e = 0; e < levels.size(); ++e)
        levels[e] = uint8_t(weightLevel(graph.edges()[e].weight, graph.maxWeight()));
}

TokenGraphScene makeTokenGraphScene(const TokenGraphWeights &weights, const EdgeFilter &filter,
                                    const QStringList &labels, const std::vector<int> &segments, int layer)
{
    TokenGraphScene scene;
    scene.graph = TokenGraph(layer >= 0 ? weights.edges.slice(0, layer, layer + 1) : weights.edges, filter);
    scene.labels = labels;
    scene.segments = segments;
    if (weights.nodes.defined() && layer < 0) {
        const torch::Tensor nodes = weights.nodes.to(torch::kFloat64).contiguous();
        for (int64_t column = 0; column < nodes.size(0); ++column) {
            const double *row = nodes.data_ptr<double>() + column * nodes.size(1);
            scene.nodeValues.emplace_back(row, row + nodes.size(1));
        }
        scene.nodeValueName = weights.source == EdgeSource::Flow ? QObject::tr("max flow") : QObject::tr("rollout mass");
    }
    scene.computeLevels();
    return scene;
}

bool TokenGraphScene::hasPair() const
{
    return std::any_of(segments.begin(), segments.end(), [](int segment) { return segment != 0; });
}

namespace {
constexpr double kSmallestLine = 9;
constexpr int kMostLabelStep = 3;
}

std::optional<TokenLabels> tokenLabels(const QFont &font, double tokenPixels)
{
    if (const std::optional<QFont> every = tokenLabelFont(font, tokenPixels))
        return TokenLabels{*every, 1};
    if (tokenPixels <= 0)
        return std::nullopt;
    const int step = int(std::ceil((kSmallestLine + 2) / tokenPixels));
    if (step > kMostLabelStep)
        return std::nullopt;
    return TokenLabels{*tokenLabelFont(font, kSmallestLine + 2), step};
}

std::optional<QFont> tokenLabelFont(const QFont &font, double tokenPixels)
{
    const double room = tokenPixels - 2; // a pixel of air above and below each label
    const double line = QFontMetricsF(font).height();
    if (room >= line)
        return font;
    if (room < kSmallestLine)
        return std::nullopt;
    QFont smaller(font);
    if (font.pixelSize() > 0)
        smaller.setPixelSize(std::max(1, int(font.pixelSize() * room / line)));
    else
        smaller.setPointSizeF(font.pointSizeF() * room / line);
    return smaller;
}

double labelWidthFor(const QStringList &labels, const QFont &font)
{
    const QFontMetricsF metrics(font);
    double width = 0;
    for (const QString &label : labels)
        width = std::max(width, metrics.horizontalAdvance(label));
    return std::min(160.0, std::ceil(width) + 6);
}

} // namespace attnscope
