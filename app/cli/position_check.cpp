#include "app/cli/position_check.h"

#include <cstdio>

#include <QDir>
#include <QFileInfo>
#include <QLocale>

#include "core/io/input_error.h"
#include "core/io/model_config.h"
#include "core/models/position_limit.h"

namespace attnscope::cli {

QString number(int64_t value)
{
    return QLocale(QLocale::English).toString(qlonglong(value));
}

void addPositionOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("allow-longer"),
                      QStringLiteral("Run a rotary (RoPE) model on more tokens than the context it was trained on "
                                     "(out of distribution; refused without this).")});
}

bool checkPositions(const QCommandLineParser &parser, const QString &modelDir, int64_t tokens, const QString &counted)
{
    const ModelConfig config = ModelConfig::load(modelDir);
    const PositionLimit limit = positionLimitOf(config);
    if (limit.kind == PositionKind::None || tokens <= limit.tokens)
        return false;
    if (limit.kind == PositionKind::Learned && !counted.isEmpty())
        return false; // generate: the engine's refusal says how many new tokens fit
    if (limit.kind == PositionKind::Learned)
        throw InputError(QStringLiteral("input"), positionLimitWarning(config, tokens));
    const QString what = counted.isEmpty() ? number(tokens) + QStringLiteral(" tokens")
                                           : QStringLiteral("%1 (%2 tokens)").arg(counted, number(tokens));
    const QString model = QFileInfo(QDir::cleanPath(modelDir)).fileName();
    if (!parser.isSet(QStringLiteral("allow-longer")))
        throw InputError(QStringLiteral("input"),
                         QStringLiteral("%1 exceed the %2 positions %3 was trained on%4; --allow-longer runs it anyway, "
                                        "out of distribution")
                             .arg(what, number(limit.tokens), model, assumedNote(limit)));
    std::fprintf(stderr, "attnscope-cli: warning: %s\n",
                 qPrintable(QStringLiteral("%1 run past the %2 positions %3 was trained on%4 (--allow-longer): attention "
                                           "beyond them is out of distribution")
                                .arg(what, number(limit.tokens), model, assumedNote(limit))));
    return true;
}

} // namespace attnscope::cli
