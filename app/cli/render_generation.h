#pragma once
// render SOURCE --view generation [--step N] [--layer L --head H]: one generation step on a
// page (viz/figure/generation_figure.h). SOURCE is a model folder, which generates from the
// text with the sampling options as `generate` does, or a steps file of `generate --out`,
// whose distribution the sampling options (if given) redraw.

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>

namespace attnscope::cli {

QList<QCommandLineOption> generationFigureOptions(); // --step and the sampling options
void renderGeneration(const QCommandLineParser &parser, const QString &out);

} // namespace attnscope::cli
