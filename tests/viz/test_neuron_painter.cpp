// The neuron view drawing: each dimension's cell has the diverging color of its value over
// its strip's largest magnitude (0 is the colormap's middle), in every strip.

#include <QPainter>
#include <QtTest>

#include <torch/torch.h>

#include "core/capture/neuron_breakdown.h"
#include "viz/colormap.h"
#include "viz/neuron_painter.h"

using namespace attnscope;

class TestNeuronPainter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cellsHaveTheirValuesColor()
    {
        NeuronBreakdown breakdown;
        breakdown.query = torch::tensor({1.0, -2.0, 0.5, 0.0, 4.0, -1.0, 3.0, 2.0}, torch::kDouble);
        breakdown.key = torch::tensor({-1.0, 1.0, 2.0, 0.25, 0.5, 1.5, -3.0, 0.0}, torch::kDouble);
        breakdown.scale = 0.5;
        breakdown.contributions = breakdown.query * breakdown.key * breakdown.scale;
        breakdown.score = breakdown.contributions.sum().item<double>();
        const Colormap colormap = Colormap::byName(QStringLiteral("rdbu"));
        QImage image(800, 400, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        const QRectF area(0, 0, 800, 400);
        {
            QPainter painter(&image);
            paintNeuronBreakdown(painter, area, breakdown, QStringLiteral("L0 H0"), QFont(), colormap);
        }
        const NeuronLayout layout(area, 8);
        const std::pair<NeuronStrip, torch::Tensor> strips[] = {{NeuronStrip::Query, breakdown.query},
                                                                {NeuronStrip::Key, breakdown.key},
                                                                {NeuronStrip::Contribution, breakdown.contributions}};
        for (const auto &[strip, values] : strips) {
            const double magnitude = values.abs().max().item<double>();
            for (int64_t d = 0; d < 8; ++d) {
                const QRgb expected = neuronColor(colormap, values[d].item<double>(), magnitude);
                QCOMPARE(image.pixel(layout.cellRect(strip, d).center().toPoint()), expected);
            }
        }
        QCOMPARE(neuronColor(colormap, 0.0, 2.0), colormap.color(0.5));
        QCOMPARE(neuronColor(colormap, -2.0, 2.0), colormap.color(0.0));
        QCOMPARE(neuronColor(colormap, 2.0, 2.0), colormap.color(1.0));
    }
};

QTEST_MAIN(TestNeuronPainter)
#include "test_neuron_painter.moc"
