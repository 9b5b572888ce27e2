#pragma once
// The options that say how a generation draws its tokens, as `generate` and `render --view
// generation` take them: --max-new-tokens N, --greedy (the default) or --temperature τ
// --top-k K --top-p P --seed S.

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>

#include "core/models/sampling.h"

namespace attnscope::cli {

QList<QCommandLineOption> samplingOptions();
// Greedy unless a sampling option is given; never both. Throws UsageError for a bad value.
SamplingSettings samplingOf(const QCommandLineParser &parser);
// --NAME as a whole number from `minimum` on (fallback when unset); throws UsageError.
qint64 wholeNumber(const QCommandLineParser &parser, const QString &name, qint64 fallback, qint64 minimum);

} // namespace attnscope::cli
