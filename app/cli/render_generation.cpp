#include "app/cli/render_generation.h"

#include <QFileInfo>
#include <torch/torch.h>

#include "app/cli/command.h"
#include "app/cli/position_check.h"
#include "app/cli/sampling_options.h"
#include "app/cli/text_input.h"
#include "core/attention/variant_spec.h"
#include "core/capture/generation_steps.h"
#include "core/io/input_error.h"
#include "core/io/model_config.h"
#include "core/models/generation.h"
#include "core/models/model.h"
#include "core/tokenize/tokenizer.h"
#include "viz/figure/figure_request.h"
#include "viz/figure/figure_writer.h"
#include "viz/figure/generation_figure.h"

namespace attnscope::cli {

namespace {

bool samplingGiven(const QCommandLineParser &parser)
{
    for (const char *name : {"greedy", "temperature", "top-k", "top-p", "seed"})
        if (parser.isSet(QLatin1String(name)))
            return true;
    return false;
}

GenerationSteps stepsToDraw(const QCommandLineParser &parser)
{
    const QString source = parser.positionalArguments().first();
    if (QFileInfo(source).isFile())
        return loadGenerationFile(source);
    const AttentionPlan plan = parsePlan(parser.values(QStringLiteral("variant")));
    const auto model = loadModel(source);
    checkPlanFits(plan, model->info().layers, model->info().heads);
    std::shared_ptr<const tokenize::Tokenizer> tokenizer = tokenize::loadTokenizer(source);
    GenerationRequest request;
    request.promptIds = torch::tensor(tokenizer->encode(*readText(parser, QStringLiteral("text"), true)).ids(),
                                      torch::kInt64);
    request.maxNewTokens = wholeNumber(parser, QStringLiteral("max-new-tokens"), 32, 1);
    request.sampling = samplingOf(parser);
    request.stopIds = stopIdsOf(ModelConfig::load(source));
    request.captureAttention = true;
    const int64_t promptTokens = request.promptIds.numel();
    request.pastTrainedContext = checkPositions(
        parser, source, promptTokens + request.maxNewTokens,
        QStringLiteral("%1 prompt tokens + %2 new tokens").arg(number(promptTokens), number(request.maxNewTokens)));
    return generationSteps(generate(*model, request, plan), tokenizer, source, request.sampling);
}

} // namespace

QList<QCommandLineOption> generationFigureOptions()
{
    QList<QCommandLineOption> options{{QStringLiteral("step"),
                                       QStringLiteral("generation: the step drawn, from 1 (default: the last)."),
                                       QStringLiteral("N")}};
    return options << samplingOptions();
}

void renderGeneration(const QCommandLineParser &parser, const QString &out)
{
    FigurePage page;
    try {
        page = figurePageFromParser(parser);
    } catch (const FigureRequestError &error) {
        throw UsageError(QString::fromUtf8(error.what()));
    }
    const SamplingSettings asked = samplingOf(parser); // checked before the model loads
    const GenerationSteps steps = stepsToDraw(parser);
    if (steps.steps() == 0)
        throw InputError(parser.positionalArguments().first(), QStringLiteral("the generation wrote no token to draw"));
    const int step = int(wholeNumber(parser, QStringLiteral("step"), steps.steps(), 1));
    if (step > steps.steps())
        throw UsageError(QStringLiteral("--step %1 is beyond the %2 steps generated").arg(step).arg(steps.steps()));
    GenerationFigureData figure;
    figure.layer = int(wholeNumber(parser, QStringLiteral("layer"), 0, 0));
    figure.head = int(wholeNumber(parser, QStringLiteral("head"), 0, 0));
    if (figure.layer >= steps.layers() || figure.head >= steps.heads())
        throw UsageError(QStringLiteral("--layer %1 --head %2 is outside %3 layers × %4 heads").arg(figure.layer)
                             .arg(figure.head).arg(steps.layers()).arg(steps.heads()));
    if (parser.isSet(QStringLiteral("colormap")))
        figure.style.colormap = Colormap::byName(parser.value(QStringLiteral("colormap")));
    figure.picture = stepPicture(steps, step - 1, samplingGiven(parser) ? asked : steps.sampling);
    figure.generated = steps.sampling;
    figure.model = QFileInfo(steps.model.isEmpty() ? parser.positionalArguments().first() : steps.model).fileName();
    writeFigure(out, page, *generationFigure(std::move(figure)));
}

} // namespace attnscope::cli
