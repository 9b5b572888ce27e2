#include "ui/panels/analysis_charts.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <tuple>

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QHash>
#include <QLegend>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include "viz/colormap.h"

namespace attnscope {

namespace {

QChart *newChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    // Compact: the Analyses tab is often a few hundred pixels high.
    chart->setMargins(QMargins(4, 2, 4, 2));
    chart->setBackgroundRoundness(0);
    QFont titleFont = chart->titleFont();
    titleFont.setPointSizeF(std::max(7.0, titleFont.pointSizeF() - 1));
    chart->setTitleFont(titleFont);
    // Right of the plot, one entry a line: the names keep their full length.
    chart->legend()->setAlignment(Qt::AlignRight);
    QFont font = chart->legend()->font();
    font.setPointSizeF(std::max(7.0, font.pointSizeF() - 1));
    chart->legend()->setFont(font);
    return chart;
}

// The smallest of 1, 2, 5 × 10^k at or above `rough`.
double roundStep(double rough)
{
    if (!(rough > 0) || !std::isfinite(rough))
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(rough)));
    for (const double factor : {1.0, 2.0, 5.0})
        if (factor * power >= rough * (1 - 1e-9))
            return factor * power;
    return 10 * power;
}

QString decimalsFormat(double step)
{
    const int decimals = std::max(0, int(-std::floor(std::log10(step) + 1e-9)));
    return QStringLiteral("%.%1f").arg(decimals);
}

// Axis titles are HTML. A long one goes on two lines — the unit on its own, else broken at the
// space nearest the middle — rather than being cut to the plot's height, unit first.
QString axisTitle(const QString &title)
{
    const QString text = title.toHtmlEscaped();
    if (title.size() <= 20)
        return text;
    int space = int(text.lastIndexOf(QStringLiteral(" (")));
    if (space < 0) {
        const int middle = int(text.size()) / 2;
        for (int i = 0; i < text.size(); ++i)
            if (text[i] == QLatin1Char(' ') && (space < 0 || std::abs(i - middle) < std::abs(space - middle)))
                space = i;
    }
    return space < 0 ? text : text.left(space) + QStringLiteral("<br>") + text.mid(space + 1);
}

QValueAxis *valueAxis(const QString &title)
{
    auto *axis = new QValueAxis;
    axis->setTitleText(axisTitle(title));
    QFont font = axis->titleFont();
    font.setPointSizeF(std::max(7.0, font.pointSizeF() - 1));
    axis->setTitleFont(font);
    return axis;
}

// A value axis over [min(0, low), high], ending on round ticks a little beyond the data, so
// that no point sits on the frame.
void fitValues(QValueAxis *axis, double low, double high)
{
    low = std::min(0.0, low);
    if (!(high > low))
        high = low + 1;
    const double headroom = 0.03 * (high - low);
    axis->setRange(low < 0 ? low - headroom : low, high + headroom);
    axis->applyNiceNumbers();
}

// An axis counting whole things 0 … count − 1 (layers, heads masked), ticks on round steps.
QValueAxis *countAxis(const QString &title, double last)
{
    auto *axis = valueAxis(title);
    const double margin = std::max(0.25, last * 0.03);
    axis->setRange(-margin, last + margin);
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setTickInterval(roundStep(std::max(1.0, last / 10)));
    axis->setLabelFormat(QStringLiteral("%d"));
    return axis;
}

void attach(QChart *chart, QAbstractAxis *x, QAbstractAxis *y)
{
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries *series : chart->series()) {
        series->attachAxis(x);
        series->attachAxis(y);
    }
}

// Both axes span `bounds` and show the same data length per pixel, so that distances on the
// map look as they are: the plot area is the largest rectangle of the data's aspect inside
// the one the layout offers (recomputed whenever the chart changes size).
void keepEqualAspect(QChart *chart, QValueAxis *x, QValueAxis *y, const QRectF &bounds)
{
    const double step = roundStep(std::max(bounds.width(), bounds.height()) / 4);
    for (QValueAxis *axis : {x, y}) {
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0);
        axis->setTickInterval(step); // the same grid step on both axes: square cells
        axis->setLabelFormat(decimalsFormat(step));
    }
    x->setRange(bounds.left(), bounds.right());
    y->setRange(bounds.top(), bounds.bottom()); // top() is the smaller y
    const auto automatic = std::make_shared<bool>(true); // the plot area is the layout's own
    QObject::connect(chart, &QChart::plotAreaChanged, chart, [chart, bounds, automatic](const QRectF &offered) {
        if (!*automatic || offered.width() < 1 || offered.height() < 1)
            return;
        const double aspect = bounds.width() / bounds.height();
        const double width = std::min(offered.width(), offered.height() * aspect);
        QRectF plot(0, 0, width, width / aspect);
        plot.moveCenter(offered.center());
        *automatic = false;
        chart->setPlotArea(plot); // laid out on the next pass, not from inside this one
    });
    QObject::connect(chart, &QGraphicsWidget::geometryChanged, chart, [chart, automatic] {
        *automatic = true;
        chart->setPlotArea(QRectF()); // the layout's again; plotAreaChanged then narrows it
    });
}

} // namespace

QChart *perLayerChart(const HeadValues &values, const QString &label)
{
    QChart *chart = newChart(QObject::tr("%1 per layer").arg(label));
    auto *heads = new QScatterSeries;
    heads->setName(QObject::tr("one head"));
    heads->setMarkerSize(6);
    heads->setColor(QColor(31, 87, 163, 90));
    heads->setBorderColor(Qt::transparent);
    auto *mean = new QLineSeries;
    mean->setName(QObject::tr("mean over heads"));
    mean->setPointsVisible(true);
    mean->setColor(QColor(31, 87, 163));
    double low = 0, high = 0;
    for (size_t layer = 0; layer < values.size(); ++layer) {
        const std::vector<double> &row = values[layer];
        for (const double value : row) {
            heads->append(double(layer), value);
            low = std::min(low, value);
            high = std::max(high, value);
        }
        mean->append(double(layer), row.empty() ? 0 : std::accumulate(row.begin(), row.end(), 0.0) / double(row.size()));
    }
    chart->addSeries(heads);
    chart->addSeries(mean);
    QValueAxis *y = valueAxis(label);
    fitValues(y, low, high);
    attach(chart, countAxis(QObject::tr("layer"), double(values.size()) - 1), y);
    return chart;
}

QChart *tokenRoleChart(const std::vector<NamedLayerValues> &roles)
{
    QChart *chart = newChart(QObject::tr("Attention to token roles, mean over heads"));
    auto *bars = new QBarSeries;
    size_t layers = 0;
    double high = 0;
    for (const NamedLayerValues &role : roles) {
        auto *set = new QBarSet(role.name);
        for (const double value : role.perLayer) {
            set->append(value);
            high = std::max(high, value);
        }
        layers = std::max(layers, role.perLayer.size());
        bars->append(set);
    }
    chart->addSeries(bars);
    auto *x = new QBarCategoryAxis;
    for (size_t layer = 0; layer < layers; ++layer)
        x->append(QObject::tr("L%1").arg(layer));
    x->setTitleText(QObject::tr("layer"));
    QValueAxis *y = valueAxis(QObject::tr("attention (share of a row)"));
    fitValues(y, 0, high);
    attach(chart, x, y);
    return chart;
}

QChart *headMapChart(const std::vector<QPointF> &points, int heads, const std::function<void(int, int)> &chosen)
{
    QChart *chart = newChart(QObject::tr("Heads by Jensen–Shannon distance (MDS)"));
    const int layers = heads > 0 ? int(points.size()) / heads : 0;
    const Colormap colors = Colormap::byName(QStringLiteral("viridis"));
    double left = INFINITY, right = -INFINITY, bottom = INFINITY, top = -INFINITY;
    for (int layer = 0; layer < layers; ++layer) {
        auto *series = new QScatterSeries;
        series->setName(QObject::tr("layer %1").arg(layer));
        series->setMarkerSize(9);
        // viridis up to 0.85: its last yellows vanish on white.
        series->setColor(QColor::fromRgb(colors.color(layers > 1 ? 0.85 * layer / (layers - 1) : 0.4)));
        for (int head = 0; head < heads; ++head) {
            const QPointF point = points[size_t(layer * heads + head)];
            series->append(point);
            left = std::min(left, point.x());
            right = std::max(right, point.x());
            bottom = std::min(bottom, point.y());
            top = std::max(top, point.y());
        }
        QObject::connect(series, &QScatterSeries::clicked, chart, [series, layer, chosen](const QPointF &clicked) {
            const QList<QPointF> all = series->points();
            qsizetype nearest = 0;
            for (qsizetype i = 1; i < all.size(); ++i)
                if (QLineF(all[i], clicked).length() < QLineF(all[nearest], clicked).length())
                    nearest = i;
            chosen(layer, int(nearest));
        });
        chart->addSeries(series);
    }
    // A margin of 8% of the larger span, so no marker sits on the frame.
    if (points.empty())
        left = bottom = -1, right = top = 1;
    const double margin = 0.08 * std::max({right - left, top - bottom, 1e-6});
    const QRectF bounds(QPointF(left - margin, bottom - margin), QPointF(right + margin, top + margin));
    QValueAxis *x = valueAxis(QObject::tr("MDS 1 (bits)"));
    QValueAxis *y = valueAxis(QObject::tr("MDS 2 (bits)"));
    attach(chart, x, y);
    keepEqualAspect(chart, x, y, bounds);
    return chart;
}

QChart *pruningChart(const std::vector<std::array<double, 3>> &curve)
{
    QChart *chart = newChart(QObject::tr("Pruning the least important heads (Michel et al.)"));
    auto *loss = new QLineSeries;
    loss->setName(QObject::tr("loss (nats)"));
    loss->setPointsVisible(true);
    auto *agreement = new QLineSeries;
    agreement->setName(QObject::tr("agreement with the unmasked model"));
    agreement->setPointsVisible(true);
    double most = 0, lossHigh = 0;
    for (const auto &[masked, lossValue, agreed] : curve) {
        loss->append(masked, lossValue);
        agreement->append(masked, agreed);
        most = std::max(most, masked);
        lossHigh = std::max(lossHigh, lossValue);
    }
    chart->addSeries(loss);
    chart->addSeries(agreement);
    QValueAxis *x = countAxis(QObject::tr("heads masked"), most);
    QValueAxis *lossAxis = valueAxis(QObject::tr("loss (nats)"));
    fitValues(lossAxis, 0, lossHigh);
    QValueAxis *agreementAxis = valueAxis(QObject::tr("agreement"));
    agreementAxis->setRange(0, 1);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(lossAxis, Qt::AlignLeft);
    chart->addAxis(agreementAxis, Qt::AlignRight);
    loss->attachAxis(x);
    loss->attachAxis(lossAxis);
    agreement->attachAxis(x);
    agreement->attachAxis(agreementAxis);
    chart->legend()->setAlignment(Qt::AlignBottom); // beside two value axes, the right has no room
    return chart;
}

QChart *barChart(const std::vector<double> &values, const QStringList &labels, const QString &title,
                 const QString &valueLabel)
{
    std::vector<int> shown(values.size());
    std::iota(shown.begin(), shown.end(), 0);
    if (int(shown.size()) > kMostBars) {
        std::stable_sort(shown.begin(), shown.end(), [&](int a, int b) { return values[size_t(a)] > values[size_t(b)]; });
        shown.resize(kMostBars);
        std::sort(shown.begin(), shown.end());
    }
    QChart *chart = newChart(int(values.size()) > kMostBars
                                 ? QObject::tr("%1 (the %2 largest of %3)").arg(title).arg(kMostBars).arg(values.size())
                                 : title);
    auto *set = new QBarSet(valueLabel);
    // An empty slot at each end: Qt Charts hides a rotated label that sticks out of the axis.
    QStringList categories{QStringLiteral(" ")};
    set->append(0.0);
    QHash<QString, int> seen;
    double low = 0, high = 0;
    for (const int i : shown) {
        const double value = values[size_t(i)];
        set->append(value);
        low = std::min(low, value);
        high = std::max(high, value);
        // A category axis merges equal names: a repeated token gets zero-width spaces to keep its bar.
        const QString name = labels.value(i, QString::number(i)).toHtmlEscaped(); // axis labels are HTML: <s> is a token
        categories << name + QString(seen[name]++, QChar(0x200B));
    }
    categories << QStringLiteral("  ");
    set->append(0.0);
    auto *series = new QBarSeries;
    series->setBarWidth(0.9);
    series->append(set);
    chart->addSeries(series);
    chart->legend()->hide(); // one set: the value axis says what it is
    auto *x = new QBarCategoryAxis;
    x->append(categories);
    x->setLabelsAngle(-90);
    x->setTruncateLabels(false);
    QFont small = x->labelsFont();
    small.setPointSizeF(7);
    x->setLabelsFont(small);
    QValueAxis *y = valueAxis(valueLabel);
    fitValues(y, low, high);
    attach(chart, x, y);
    return chart;
}

QString coloredTokensHtml(const std::vector<double> &values, const QStringList &labels)
{
    const Colormap colors = Colormap::byName(QStringLiteral("magma")).reversed();
    const double peak = std::max(1e-12, *std::max_element(values.begin(), values.end()));
    QString html;
    for (int i = 0; i < labels.size() && i < int(values.size()); ++i) {
        const QColor background = QColor::fromRgb(colors.color(std::max(0.0, values[size_t(i)]) / peak));
        html += QStringLiteral("<span style='background:%1;color:%2' title='%3'>%4</span> ")
                    .arg(background.name(), background.lightness() > 128 ? QStringLiteral("black") : QStringLiteral("white"))
                    .arg(values[size_t(i)], 0, 'g', 4)
                    .arg(labels[i].toHtmlEscaped());
    }
    return html;
}

} // namespace attnscope
