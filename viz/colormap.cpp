#include "viz/colormap.h"

#include <algorithm>
#include <cmath>

#include "core/io/input_error.h"
#include "viz/colormap_tables.h"

namespace attnscope {

namespace {

int toByte(double unit) { return std::clamp(int(std::lround(unit * 255.0)), 0, 255); }

std::vector<QRgb> fromTable(const colormap_tables::Table &table)
{
    std::vector<QRgb> entries;
    entries.reserve(table.size());
    for (const auto &rgb : table)
        entries.push_back(qRgb(toByte(rgb[0]), toByte(rgb[1]), toByte(rgb[2])));
    return entries;
}

std::vector<QRgb> grays()
{
    std::vector<QRgb> entries;
    for (int i = 0; i < 256; ++i)
        entries.push_back(qRgb(i, i, i));
    return entries;
}

// ColorBrewer RdBu (11 classes, Cynthia Brewer), red for low and blue for high, linearly
// interpolated like matplotlib's RdBu. An odd number of entries puts the neutral anchor
// #f7f7f7 exactly at t = 0.5, so that zero difference is drawn neutral.
std::vector<QRgb> redBlue()
{
    static const int anchors[11][3] = {
        {103, 0, 31},    {178, 24, 43},   {214, 96, 77},   {244, 165, 130},
        {253, 219, 199}, {247, 247, 247}, {209, 229, 240}, {146, 197, 222},
        {67, 147, 195},  {33, 102, 172},  {5, 48, 97}};
    const int count = 257;
    std::vector<QRgb> entries;
    for (int i = 0; i < count; ++i) {
        const double x = double(i) / (count - 1) * 10.0;
        const int segment = std::min(int(x), 9);
        const double frac = x - segment;
        int rgb[3];
        for (int c = 0; c < 3; ++c) {
            const double a = anchors[segment][c], b = anchors[segment + 1][c];
            rgb[c] = int(std::lround(a + (b - a) * frac));
        }
        entries.push_back(qRgb(rgb[0], rgb[1], rgb[2]));
    }
    return entries;
}

struct BaseMap {
    bool diverging;
    std::vector<QRgb> entries;
};

const std::vector<std::pair<QString, BaseMap>> &baseMaps()
{
    static const std::vector<std::pair<QString, BaseMap>> maps = {
        {QStringLiteral("viridis"), {false, fromTable(colormap_tables::viridis)}},
        {QStringLiteral("magma"), {false, fromTable(colormap_tables::magma)}},
        {QStringLiteral("inferno"), {false, fromTable(colormap_tables::inferno)}},
        {QStringLiteral("cividis"), {false, fromTable(colormap_tables::cividis)}},
        {QStringLiteral("grays"), {false, grays()}},
        {QStringLiteral("rdbu"), {true, redBlue()}},
    };
    return maps;
}

} // namespace

Colormap::Colormap(QString name, bool diverging, std::vector<QRgb> entries)
    : m_name(std::move(name)), m_diverging(diverging), m_entries(std::move(entries))
{
}

QStringList Colormap::names()
{
    QStringList list;
    for (const auto &[name, map] : baseMaps())
        list << name;
    return list;
}

std::optional<Colormap> Colormap::find(const QString &requested)
{
    QString base = requested.trimmed().toLower();
    const bool reverse = base.endsWith(QLatin1String("_r"));
    if (reverse)
        base.chop(2);
    if (base == QLatin1String("gray"))
        base = QStringLiteral("grays");
    for (const auto &[name, map] : baseMaps()) {
        if (name != base)
            continue;
        Colormap colormap(name, map.diverging, map.entries);
        return reverse ? colormap.reversed() : colormap;
    }
    return std::nullopt;
}

Colormap Colormap::byName(const QString &name)
{
    if (auto colormap = find(name))
        return *colormap;
    throw InputError(QStringLiteral("colormap"),
                     QStringLiteral("unknown colormap '%1' (known: %2, each also with _r)")
                         .arg(name, names().join(QStringLiteral(", "))));
}

Colormap Colormap::opacityRamp(const QColor &color)
{
    std::vector<QRgb> entries;
    const auto blend = [](int ink, double alpha) { return int(std::lround(255 + (ink - 255) * alpha)); };
    for (int i = 0; i < 256; ++i) {
        const double alpha = i / 255.0;
        entries.push_back(qRgb(blend(color.red(), alpha), blend(color.green(), alpha), blend(color.blue(), alpha)));
    }
    return Colormap(QStringLiteral("opacity of %1").arg(color.name()), false, std::move(entries));
}

int Colormap::indexOf(double t) const
{
    const int last = size() - 1;
    if (!(t > 0.0))
        return 0;
    if (t >= 1.0)
        return last;
    return std::min(int(t * size()), last);
}

QRgb Colormap::color(double t) const
{
    return std::isnan(t) ? m_nanColor : m_entries[size_t(indexOf(t))];
}

Colormap Colormap::reversed() const
{
    const bool wasReversed = m_name.endsWith(QLatin1String("_r"));
    Colormap flipped(wasReversed ? m_name.chopped(2) : m_name + QStringLiteral("_r"), m_diverging,
                     std::vector<QRgb>(m_entries.rbegin(), m_entries.rend()));
    flipped.m_nanColor = m_nanColor;
    return flipped;
}

} // namespace attnscope
