// attnscope-cli render SOURCE (--text T | --text-file F | --image FILE) --view NAME [options] --out FIG.(png|svg|pdf)
// Draws a figure the GUI draws, from the same functions, so that the pixels are the same as
// the GUI's export: the views of viz/figure on a page of a physical size (FigureRequest), and
// the attention overlay of a vision model on its image, on the same page.

#include <QFileInfo>
#include <QImage>
#include <torch/torch.h>

#include "app/cli/analysis_run.h"
#include "app/cli/command.h"
#include "app/cli/position_check.h"
#include "app/cli/render_generation.h"
#include "app/cli/text_input.h"
#include "core/analysis/analysis_registry.h"
#include "core/analysis/gradient_relevance.h"
#include "core/attention/variant_report.h"
#include "core/attention/variant_spec.h"
#include "core/capture/attention_file.h"
#include "core/capture/attention_record.h"
#include "core/capture/causal_check.h"
#include "core/capture/encoded_text.h"
#include "core/capture/vision_tokens.h"
#include "core/io/input_error.h"
#include "core/models/model.h"
#include "core/tokenize/tokenizer.h"
#include "viz/attention_overlay.h"
#include "viz/figure/figure_request.h"
#include "viz/figure/figure_writer.h"
#include "viz/figure/overlay_figure.h"
#include "viz/image_decoding.h"
#include "viz/image_preprocessor.h"
#include "viz/vision_maps.h"

namespace attnscope::cli {

namespace {

QStringList renderedViews() { return figureViewNames() << QStringLiteral("overlay") << QStringLiteral("generation"); }

int integerOption(const QCommandLineParser &parser, const QString &name, int fallback)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok)
        throw UsageError(QStringLiteral("--%1 '%2' is not a whole number").arg(name, parser.value(name)));
    return value;
}

double fractionOption(const QCommandLineParser &parser, const QString &name, double fallback)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const double value = parser.value(name).toDouble(&ok);
    if (!ok || value < 0 || value > 1)
        throw UsageError(QStringLiteral("--%1 '%2' is not a number from 0 to 1").arg(name, parser.value(name)));
    return value;
}

void renderOverlay(const QCommandLineParser &parser, const QString &out)
{
    FigurePage page;
    try {
        page = figurePageFromParser(parser);
    } catch (const FigureRequestError &error) {
        throw UsageError(QString::fromUtf8(error.what()));
    }
    const QString imagePath = parser.value(QStringLiteral("image"));
    if (imagePath.isEmpty())
        throw UsageError(QStringLiteral("--view overlay needs --image FILE"));
    const QString mapName = parser.isSet(QStringLiteral("map")) ? parser.value(QStringLiteral("map")) : QStringLiteral("cls");
    if (!visionMapNames().contains(mapName))
        throw UsageError(QStringLiteral("--map '%1' is not one of: %2").arg(mapName, visionMapNames().join(QStringLiteral(", "))));
    const VisionMap kind = VisionMap(visionMapNames().indexOf(mapName));
    OverlayStyle style;
    if (parser.isSet(QStringLiteral("colormap")))
        style.colormap = Colormap::byName(parser.value(QStringLiteral("colormap")));
    style.opacity = fractionOption(parser, QStringLiteral("opacity"), style.opacity);
    style.threshold = fractionOption(parser, QStringLiteral("threshold"), style.threshold);
    const QString upsampling = parser.isSet(QStringLiteral("upsampling")) ? parser.value(QStringLiteral("upsampling"))
                                                                          : QStringLiteral("bilinear");
    if (upsampling != QLatin1String("bilinear") && upsampling != QLatin1String("nearest"))
        throw UsageError(QStringLiteral("--upsampling '%1' is not bilinear or nearest").arg(upsampling));
    style.upsampling = upsampling == QLatin1String("nearest") ? Upsampling::Nearest : Upsampling::Bilinear;
    style.gridLines = parser.isSet(QStringLiteral("grid"));

    const QString modelDir = parser.positionalArguments().first();
    const auto model = loadModel(modelDir);
    const ModelInfo &info = model->info();
    if (!info.vision)
        throw InputError(modelDir, QStringLiteral("is a text model: the overlay view needs a vision model"));
    const int layer = integerOption(parser, QStringLiteral("layer"), info.layers - 1);
    const int head = integerOption(parser, QStringLiteral("head"), 0);
    if (layer < 0 || layer >= info.layers || head < 0 || head >= info.heads)
        throw UsageError(QStringLiteral("--layer %1 --head %2 is outside %3 layers × %4 heads").arg(layer).arg(head)
                             .arg(info.layers).arg(info.heads));
    const DecodedImage decoded = decodeImage(imagePath);
    if (!decoded.warning.isEmpty())
        std::fprintf(stderr, "attnscope-cli: warning: %s\n", qPrintable(decoded.warning));
    const PreparedImage prepared = prepareImage(decoded.rgb, ImagePreprocessing::load(modelDir), info.patchSize, imagePath);
    const PatchGeometry &geometry = prepared.geometry;
    const int patch = integerOption(parser, QStringLiteral("patch"), 0);
    if (kind == VisionMap::Patch && (patch < 0 || patch >= geometry.patches()))
        throw UsageError(QStringLiteral("--patch %1 is outside the %2 patches").arg(patch).arg(geometry.patches()));

    ModelInput input;
    input.pixelValues = prepared.pixelValues;
    auto record = std::make_shared<AttentionRecord>();
    record->tokens = visionTokens(info, geometry.gridRows(), geometry.gridCols());
    {
        const torch::NoGradGuard noGradients;
        record->logits = model->forward(input, parsePlan(QStringList()), record.get());
    }
    VisionMaps maps(record, info.leadingTokens, geometry.gridRows(), geometry.gridCols());
    if (kind == VisionMap::Relevance) {
        const AttentionGradients gradients = attentionGradients(*model, input, integerOption(parser, QStringLiteral("class"), -1));
        maps.setRelevance(gradientRelevance(gradients.attention, gradients.gradients)[0]);
    }
    OverlayFigureData figure;
    figure.original = QImage(decoded.rgb.data, decoded.rgb.cols, decoded.rgb.rows, int(decoded.rgb.step), QImage::Format_RGB888).copy();
    figure.map = maps.map(kind, layer, head, patch);
    figure.geometry = geometry;
    figure.style = style;
    figure.title = overlayFigureTitle(QFileInfo(imagePath).fileName(), kind, layer, head, patch);
    figure.valueName = overlayValueName(kind);
    writeFigure(out, page, *overlayFigure(std::move(figure)));
}

// The attention the figure shows: from an attention file, or one run of the model on the
// text with the variants given (as the GUI's run).
FigureSource attentionToDraw(const QCommandLineParser &parser)
{
    const QString source = parser.positionalArguments().first();
    if (QFileInfo(source).isFile()) {
        const AttentionFile loaded = loadAttentionFile(source);
        for (const QString &warning : loaded.warnings)
            std::fprintf(stderr, "attnscope-cli: warning: %s\n", qPrintable(warning));
        return figureSourceOf(loaded.record, hasNoFutureWeight(*loaded.record));
    }
    const AttentionPlan plan = parsePlan(parser.values(QStringLiteral("variant")));
    const auto model = loadModel(source);
    const ModelInfo &info = model->info();
    checkPlanFits(plan, info.layers, info.heads);
    if (info.vision)
        throw InputError(source, QStringLiteral("is a vision model: draw it with --view overlay --image FILE"));
    const QByteArray text = *readText(parser, QStringLiteral("text"), true);
    const std::optional<QByteArray> pair = readText(parser, QStringLiteral("text-pair"), false);
    const auto tokenizer = tokenize::loadTokenizer(source);
    const tokenize::Encoding encoding = pair ? tokenizer->encodePair(text, *pair) : tokenizer->encode(text);
    checkPositions(parser, source, int64_t(encoding.tokens.size()));
    const torch::NoGradGuard noGradients;
    if (!plan.isReference()) { // as the GUI compares: the variant's run beside the reference's
        const VariantReport report = compareVariant(*model, comparisonInputOf(encoding, pair.has_value(), *tokenizer), plan);
        FigureSource figure = figureSourceOf(report.variantRecord, info.causal);
        figure.reference = report.referenceRecord;
        return figure;
    }
    auto record = std::make_shared<AttentionRecord>();
    record->tokens = recordedTokensOf(encoding);
    record->modelName = source;
    record->logits = model->forward(modelInputOf(encoding, pair.has_value()), plan, record.get());
    return figureSourceOf(record, info.causal);
}

} // namespace

int runRender(const QStringList &arguments)
{
    QCommandLineParser parser;
    QString views;
    for (const QString &view : figureViewNames())
        views += QStringLiteral("\n  %1  %2").arg(view, -8).arg(figureViewDescription(view));
    views += QStringLiteral("\n  overlay   a vision model's attention on its image (--image, --map, --grid)");
    views += QStringLiteral("\n  generation  one step of a generation: candidates, its row in every head, the text (--step)");
    parser.setApplicationDescription(QStringLiteral("Draws a figure as the GUI exports it. Views:%1").arg(views));
    parser.addPositionalArgument(QStringLiteral("SOURCE"), QStringLiteral("model folder, or attention .safetensors"));
    addTextOptions(parser);
    addPositionOptions(parser);
    const QList<QCommandLineOption> options = figureRequestOptions() + QList<QCommandLineOption>{
        {QStringLiteral("variant"), QStringLiteral("Variant SPEC the model runs with (repeatable)."), QStringLiteral("SPEC")},
        {QStringLiteral("image"), QStringLiteral("overlay: image file for a vision model."), QStringLiteral("FILE")},
        {QStringLiteral("map"), QStringLiteral("overlay: %1 (default cls).").arg(visionMapNames().join(QStringLiteral(", "))),
         QStringLiteral("NAME")},
        {QStringLiteral("patch"), QStringLiteral("overlay --map patch: the patch whose row is drawn."), QStringLiteral("N")},
        {QStringLiteral("class"), QStringLiteral("overlay --map relevance: the class explained (default: the predicted)."), QStringLiteral("C")},
        {QStringLiteral("opacity"), QStringLiteral("overlay: opacity from 0 to 1 (default 0.6)."), QStringLiteral("A")},
        {QStringLiteral("upsampling"), QStringLiteral("overlay: bilinear (default) or nearest."), QStringLiteral("KIND")},
        {QStringLiteral("grid"), QStringLiteral("overlay: draw the patch grid.")},
        {QStringLiteral("out"), QStringLiteral("Output figure: .png, .svg or .pdf."), QStringLiteral("FIG")},
    } + generationFigureOptions();
    parser.addOptions(options);
    // --view analysis: the method's options too, except those render has (--token, --threshold),
    // which the method then reads as well.
    const Analysis *analysis = methodOf(arguments, false);
    if (analysis) {
        QSet<QString> taken;
        for (const QCommandLineOption &option : options)
            for (const QString &name : option.names())
                taken.insert(name);
        addMethodOptions(parser, *analysis, taken);
    }
    if (!parseArguments(parser, arguments, 1, 1))
        return ExitSuccess;
    const QString view = parser.value(QStringLiteral("view"));
    if (!renderedViews().contains(view))
        throw UsageError(QStringLiteral("--view '%1' is not one of: %2").arg(view, renderedViews().join(QStringLiteral(", "))));
    const QString out = parser.value(QStringLiteral("out"));
    if (out.isEmpty())
        throw UsageError(QStringLiteral("give the output figure with --out FIG.png"));
    if (!figureFormats().contains(QFileInfo(out).suffix().toLower()))
        throw UsageError(QStringLiteral("--out '%1' must end in .png, .svg or .pdf").arg(out));
    if (view == QLatin1String("overlay")) {
        renderOverlay(parser, out);
        return ExitSuccess;
    }
    if (view == QLatin1String("generation")) {
        renderGeneration(parser, out);
        return ExitSuccess;
    }
    try {
        FigureRequest request = figureRequestFromParser(parser);
        if (view == QLatin1String("analysis")) {
            if (!analysis)
                throw UsageError(QStringLiteral("--view analysis needs --method NAME, one of: %1").arg(analysisNames().join(QStringLiteral(", "))));
            if (parser.isSet(QStringLiteral("variant")))
                throw UsageError(QStringLiteral("--view analysis draws the model's own run: leave out --variant"));
            request.methodOptions = givenMethodOptions(parser, *analysis);
            const AnalysisRun run = runAnalysis(parser, *analysis, checkedMethodOptions(*analysis, request.methodOptions), true);
            FigureSource source = figureSourceOf(run.record, run.causal);
            source.analysis = std::make_shared<const AnalysisResult>(run.result);
            writeFigure(out, request.page, *makeFigure(request, source));
            return ExitSuccess;
        }
        const FigureSource source = attentionToDraw(parser);
        writeFigure(out, request.page, *makeFigure(request, source));
    } catch (const FigureRequestError &error) {
        throw UsageError(QString::fromUtf8(error.what()));
    }
    return ExitSuccess;
}

} // namespace attnscope::cli
