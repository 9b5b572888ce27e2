#pragma once
// Colormaps for heatmaps: viridis, magma, inferno, cividis (the published 256-entry tables),
// grays, and the diverging ColorBrewer RdBu for signed data such as differences.
// A name ending in "_r" gives the reversed map ("grays_r": white = 0, black = 1).

#include <optional>
#include <vector>

#include <QColor>
#include <QString>
#include <QStringList>

namespace attnscope {

class Colormap {
public:
    // Every base name, lower case, in menu order (for --colormap and the GUI).
    static QStringList names();
    // Case-insensitive, with an optional "_r" suffix; nullopt for an unknown name.
    static std::optional<Colormap> find(const QString &name);
    // As find(), but throws InputError("colormap", "unknown colormap 'x' (known: …)").
    static Colormap byName(const QString &name);
    // White to `color` in 256 steps: what a stroke of `color` at opacity t shows on white
    // (the colour scale of line drawings).
    static Colormap opacityRamp(const QColor &color);

    QString name() const { return m_name; }
    bool isDiverging() const { return m_diverging; }
    int size() const { return int(m_entries.size()); }
    QRgb entry(int index) const { return m_entries[size_t(index)]; }

    // Entry for t in [0, 1] (clamped) with matplotlib's convention: floor(t·N), the top
    // entry for t = 1. NaN maps to nanColor().
    int indexOf(double t) const;
    QRgb color(double t) const;

    // Matplotlib's default: transparent, so the canvas shows through.
    QRgb nanColor() const { return m_nanColor; }
    void setNanColor(QRgb color) { m_nanColor = color; }

    Colormap reversed() const;

private:
    Colormap(QString name, bool diverging, std::vector<QRgb> entries);

    QString m_name;
    bool m_diverging = false;
    std::vector<QRgb> m_entries;
    QRgb m_nanColor = qRgba(0, 0, 0, 0);
};

} // namespace attnscope
