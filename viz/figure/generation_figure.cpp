#include "viz/figure/generation_figure.h"

#include <QFontMetricsF>
#include <QPainter>

#include "core/capture/generation_steps.h"
#include "viz/generation_step_painter.h"

namespace attnscope {

namespace {

class GenerationFigure : public FigureContent {
public:
    explicit GenerationFigure(GenerationFigureData data) : m_data(std::move(data))
    {
        m_data.style.scale.range = {0.0, m_data.picture.peak > 0 ? m_data.picture.peak : 1.0};
    }

    QString title() const override { return generationFigureTitle(m_data.model, m_data.picture, m_data.generated); }
    std::optional<FigureColorbar> colorbar() const override
    {
        return FigureColorbar{m_data.style, QStringLiteral("attention weight")};
    }

    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override
    {
        const StepPicture &picture = m_data.picture;
        const QFont &font = canvas.font;
        const double line = QFontMetricsF(font).height();
        const double gap = line * 0.6;
        const QRectF upper(area.left(), area.top(), area.width(), area.height() * 0.68);
        const QRectF lower(area.left(), upper.bottom() + gap, area.width(), area.bottom() - upper.bottom() - gap);
        const QRectF bars(upper.left(), upper.top(), upper.width() * 0.45, upper.height());
        const QRectF grid(bars.right() + gap, upper.top(), upper.right() - bars.right() - gap, upper.height());
        // Each part headed by what it shows, wrapped to its width.
        const auto heading = [&](const QRectF &part, const QString &text) {
            painter.setFont(font);
            painter.setPen(Qt::black);
            const QStringList lines = headingLines(text, font, part.width());
            for (int i = 0; i < lines.size(); ++i)
                painter.drawText(QRectF(part.left(), part.top() + i * line, part.width(), line),
                                 Qt::AlignLeft | Qt::AlignVCenter, lines[i]);
            return part.adjusted(0, line * (lines.size() + 0.3), 0, 0);
        };
        const QRectF barsBody = heading(bars, QStringLiteral("%1; %2 (orange: the token written)")
                                                  .arg(stepSummary(picture), distributionCaption(picture.shown)));
        paintCandidateBars(painter, barsBody.adjusted(0, 0, 0, -line), picture, font);
        const QRectF gridBody = heading(grid, QStringLiteral("the row of position %1 (%2) in every layer × head")
                                                  .arg(picture.query).arg(picture.keyLabels.value(int(picture.query))));
        paintRowGrid(painter, gridBody, picture, m_data.style, font, m_data.layer, m_data.head);
        const QRectF textBody = heading(lower, QStringLiteral("the text coloured by layer %1, head %2 (framed: "
                                                              "position %3; orange: the token it wrote)")
                                                   .arg(m_data.layer).arg(m_data.head).arg(picture.query));
        paintWeightedText(painter, textBody, picture.keyLabels, picture.row(m_data.layer, m_data.head), m_data.style,
                          font, int(picture.query), picture.written);
    }

private:
    GenerationFigureData m_data;
};

} // namespace

QString generationFigureTitle(const QString &model, const StepPicture &picture, const SamplingSettings &generated)
{
    return QStringLiteral("%1 · step %2 of %3 · %4").arg(model).arg(picture.step + 1).arg(picture.steps)
        .arg(samplingCaption(generated));
}

std::unique_ptr<FigureContent> generationFigure(GenerationFigureData data)
{
    return std::make_unique<GenerationFigure>(std::move(data));
}

} // namespace attnscope
