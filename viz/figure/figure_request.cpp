#include "viz/figure/figure_request.h"

#include <algorithm>

#include <QRegularExpression>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/token_graph_weights.h"
#include "viz/figure/view_figures.h"

namespace attnscope {

namespace {

struct FigureView {
    const char *name;
    const char *description;
    std::unique_ptr<FigureContent> (*build)(const FigureRequest &, const FigureSource &);
};

const std::vector<FigureView> &figureViews()
{
    static const std::vector<FigureView> views{
        {"model", "every head of every layer as thumbnails (layers × heads)", modelFigure},
        {"head", "one head's attention matrix (--layer, --head)", headFigure},
        {"lines", "lines from each query to the keys it attends to, heads of one layer in colors", linesFigure},
        {"token", "one token's attention: its row (--direction query) or column (key) as bars", tokenFigure},
        {"neuron", "the query and key vectors of one query–key pair and their products (--token, --key)", neuronFigure},
        {"graph", "attention as a graph of tokens across layers (--drawing, --edges, --threshold)", graphFigure},
        {"rollout", "attention rollout (Abnar & Zuidema): mean heads, 0.5·(A + I), up to --layer", rolloutFigure},
        {"charts", "a per-head score of head-statistics or sink-score as a layers × heads table or a line per layer", chartFigure},
        {"analysis", "an analysis' result (--method NAME and its options, --tensor): per-head maps, token maps, bars, the logit lens' grid", analysisFigure},
    };
    return views;
}

const FigureView &viewNamed(const QString &name)
{
    for (const FigureView &view : figureViews())
        if (name == QLatin1String(view.name))
            return view;
    throw FigureRequestError(QStringLiteral("--view '%1' is not one of: %2").arg(name, figureViewNames().join(QStringLiteral(", "))));
}

int integerValue(const QCommandLineParser &parser, const QString &name, int fallback, int minimum, int maximum)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < minimum || value > maximum)
        throw FigureRequestError(QStringLiteral("--%1 '%2' is not a whole number from %3 to %4")
                                     .arg(name, parser.value(name)).arg(minimum).arg(maximum));
    return value;
}

double realValue(const QCommandLineParser &parser, const QString &name, double fallback)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const double value = parser.value(name).toDouble(&ok);
    if (!ok || !(value > 0))
        throw FigureRequestError(QStringLiteral("--%1 '%2' is not a positive number").arg(name, parser.value(name)));
    return value;
}

QString choiceValue(const QCommandLineParser &parser, const QString &name, const QStringList &choices)
{
    const QString value = parser.value(name);
    if (!value.isEmpty() && !choices.contains(value))
        throw FigureRequestError(QStringLiteral("--%1 '%2' is not one of: %3").arg(name, value, choices.join(QStringLiteral(", "))));
    return value;
}

QString shellQuoted(const QString &word)
{
    static const QRegularExpression plain(QStringLiteral(R"(^[A-Za-z0-9_./:=@%+,-]+$)"));
    if (plain.match(word).hasMatch())
        return word;
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

// A view's figure of the reference run beside a variant: its title says so.
class ReferenceRunFigure : public FigureContent {
public:
    explicit ReferenceRunFigure(std::unique_ptr<FigureContent> figure) : m_figure(std::move(figure)) {}
    QString title() const override { return m_figure->title() + QStringLiteral(", reference"); }
    std::optional<FigureColorbar> colorbar() const override { return m_figure->colorbar(); }
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override
    {
        m_figure->paint(painter, area, canvas);
    }

private:
    std::unique_ptr<FigureContent> m_figure;
};

} // namespace

FigureSource figureSourceOf(std::shared_ptr<const AttentionRecord> record, bool causal)
{
    FigureSource source;
    for (const RecordedToken &token : record->tokens) {
        source.labels << token.text;
        source.segments.push_back(token.typeId);
    }
    source.record = std::move(record);
    source.causal = causal;
    return source;
}

QStringList comparedMapNames() { return {QStringLiteral("variant"), QStringLiteral("reference"), QStringLiteral("difference")}; }

QStringList figureViewNames()
{
    QStringList names;
    for (const FigureView &view : figureViews())
        names << QLatin1String(view.name);
    return names;
}

QString figureViewDescription(const QString &view) { return QString::fromUtf8(viewNamed(view).description); }

QStringList FigureRequest::arguments() const
{
    QStringList list{QStringLiteral("--view"), view};
    const auto add = [&](const char *name, const QString &value) {
        if (!value.isEmpty())
            list << QLatin1String(name) << value;
    };
    const auto addNumber = [&](const char *name, double value) {
        if (value >= 0)
            add(name, QString::number(value));
    };
    addNumber("--layer", layer);
    addNumber("--head", head);
    addNumber("--token", token);
    addNumber("--key", key);
    add("--direction", direction);
    add("--colormap", colormap);
    add("--scale", scale);
    add("--drawing", drawing);
    add("--edges", edges);
    addNumber("--threshold", threshold);
    add("--score", score);
    add("--chart", chart);
    add("--compared", compared);
    if (perRow)
        list << QStringLiteral("--per-row");
    add("--method", method);
    add("--tensor", tensor);
    const Analysis *analysis = findAnalysis(method);
    for (const auto &[name, value] : methodOptions) {
        list << QStringLiteral("--") + name;
        const std::vector<AnalysisOption> declared = analysis ? analysis->options() : std::vector<AnalysisOption>();
        const bool flag = std::any_of(declared.begin(), declared.end(), [&](const AnalysisOption &option) {
            return option.name == name && option.kind == AnalysisOption::Kind::Flag;
        });
        if (!flag)
            list << value;
    }
    return list + page.arguments();
}

bool FigureRequest::operator==(const FigureRequest &other) const
{
    return view == other.view && layer == other.layer && head == other.head && token == other.token && key == other.key
           && direction == other.direction && colormap == other.colormap && scale == other.scale
           && drawing == other.drawing && edges == other.edges && threshold == other.threshold
           && score == other.score && chart == other.chart && compared == other.compared && perRow == other.perRow
           && method == other.method && tensor == other.tensor && methodOptions == other.methodOptions && page == other.page;
}

QList<QCommandLineOption> figureRequestOptions()
{
    return {
        {QStringLiteral("view"), QStringLiteral("What to draw: %1.").arg(figureViewNames().join(QStringLiteral(", "))), QStringLiteral("NAME")},
        {QStringLiteral("layer"), QStringLiteral("Layer (default: 0; the last for rollout)."), QStringLiteral("L")},
        {QStringLiteral("head"), QStringLiteral("Head (default 0; lines: every head)."), QStringLiteral("H")},
        {QStringLiteral("token"), QStringLiteral("token, neuron: the query; lines: the query a window of tokens is around (default: the last token)."), QStringLiteral("N")},
        {QStringLiteral("key"), QStringLiteral("neuron: the key (default: the query's strongest)."), QStringLiteral("N")},
        {QStringLiteral("direction"), QStringLiteral("token: query (its row, default) or key (its column)."), QStringLiteral("D")},
        {QStringLiteral("colormap"), QStringLiteral("Colormap: %1 (\"_r\" reverses).").arg(Colormap::names().join(QStringLiteral(", "))), QStringLiteral("NAME")},
        {QStringLiteral("scale"), QStringLiteral("Value scale: %1 (default linear).").arg(scaleKindNames().join(QStringLiteral(", "))), QStringLiteral("KIND")},
        {QStringLiteral("drawing"), QStringLiteral("graph: layered (default), arcs or bipartite."), QStringLiteral("KIND")},
        {QStringLiteral("edges"), QStringLiteral("graph: %1 (default layer-mean).").arg(edgeSourceNames().join(QStringLiteral(", "))), QStringLiteral("SOURCE")},
        {QStringLiteral("threshold"), QStringLiteral("graph: leave out edges under this weight (default 0.05)."), QStringLiteral("W")},
        {QStringLiteral("score"), QStringLiteral("charts: the per-head score (default entropy)."), QStringLiteral("NAME")},
        {QStringLiteral("chart"), QStringLiteral("charts: table (layers × heads, default) or layers (mean per layer)."), QStringLiteral("KIND")},
        {QStringLiteral("compared"), QStringLiteral("with --variant: variant (default), reference, or (head) difference (variant − reference)."),
         QStringLiteral("MAP")},
        {QStringLiteral("per-row"), QStringLiteral("head, rollout: divide each row by its largest weight (a row's shape, not its strength).")},
        {QStringLiteral("method"), QStringLiteral("analysis: the analysis drawn (its options follow, as for `analyze`)."), QStringLiteral("NAME")},
        {QStringLiteral("tensor"), QStringLiteral("analysis: which tensor of the result (default: the one the method is named after)."), QStringLiteral("NAME")},
        {QStringLiteral("width"), QStringLiteral("Page width (default 12)."), QStringLiteral("W")},
        {QStringLiteral("height"), QStringLiteral("Page height (default 10)."), QStringLiteral("H")},
        {QStringLiteral("unit"), QStringLiteral("Unit of --width and --height: cm (default) or in."), QStringLiteral("UNIT")},
        {QStringLiteral("dpi"), QStringLiteral("PNG resolution, and that of rasters in SVG and PDF (default 300)."), QStringLiteral("N")},
        {QStringLiteral("title"), QStringLiteral("Title (default: the view's)."), QStringLiteral("TEXT")},
        {QStringLiteral("no-title"), QStringLiteral("No title.")},
        {QStringLiteral("no-colorbar"), QStringLiteral("No colorbar.")},
        {QStringLiteral("no-labels"), QStringLiteral("No token labels on the axes.")},
        {QStringLiteral("font"), QStringLiteral("Font family (default DejaVu Sans)."), QStringLiteral("FAMILY")},
        {QStringLiteral("font-size"), QStringLiteral("Font size in points (default 7)."), QStringLiteral("PT")},
        {QStringLiteral("vector-cells"), QStringLiteral("Matrices up to this many rows and columns are drawn as rectangles (default 128)."), QStringLiteral("N")},
    };
}

FigureRequest figureRequestFromParser(const QCommandLineParser &parser)
{
    FigureRequest request;
    request.view = parser.value(QStringLiteral("view"));
    viewNamed(request.view);
    constexpr int kMost = 1 << 30;
    request.layer = integerValue(parser, QStringLiteral("layer"), -1, 0, kMost);
    request.head = integerValue(parser, QStringLiteral("head"), -1, 0, kMost);
    request.token = integerValue(parser, QStringLiteral("token"), -1, 0, kMost);
    request.key = integerValue(parser, QStringLiteral("key"), -1, 0, kMost);
    request.direction = choiceValue(parser, QStringLiteral("direction"), {QStringLiteral("query"), QStringLiteral("key")});
    request.colormap = parser.value(QStringLiteral("colormap"));
    if (!request.colormap.isEmpty() && !Colormap::find(request.colormap))
        throw FigureRequestError(QStringLiteral("--colormap '%1' is not one of: %2").arg(request.colormap, Colormap::names().join(QStringLiteral(", "))));
    request.scale = choiceValue(parser, QStringLiteral("scale"), scaleKindNames());
    request.drawing = choiceValue(parser, QStringLiteral("drawing"), {QStringLiteral("layered"), QStringLiteral("arcs"), QStringLiteral("bipartite")});
    request.edges = choiceValue(parser, QStringLiteral("edges"), edgeSourceNames());
    if (parser.isSet(QStringLiteral("threshold"))) {
        bool ok = false;
        request.threshold = parser.value(QStringLiteral("threshold")).toDouble(&ok);
        if (!ok || request.threshold < 0 || request.threshold > 1)
            throw FigureRequestError(QStringLiteral("--threshold '%1' is not a weight from 0 to 1").arg(parser.value(QStringLiteral("threshold"))));
    }
    request.score = parser.value(QStringLiteral("score"));
    request.chart = choiceValue(parser, QStringLiteral("chart"), {QStringLiteral("table"), QStringLiteral("layers")});
    request.compared = choiceValue(parser, QStringLiteral("compared"), comparedMapNames());
    request.perRow = parser.isSet(QStringLiteral("per-row"));
    request.method = parser.value(QStringLiteral("method"));
    request.tensor = parser.value(QStringLiteral("tensor"));
    request.page = figurePageFromParser(parser);
    return request;
}

FigurePage figurePageFromParser(const QCommandLineParser &parser)
{
    FigurePage page;
    page.width = realValue(parser, QStringLiteral("width"), page.width);
    page.height = realValue(parser, QStringLiteral("height"), page.height);
    const QString unit = choiceValue(parser, QStringLiteral("unit"), lengthUnitNames());
    if (!unit.isEmpty())
        page.unit = LengthUnit(lengthUnitNames().indexOf(unit));
    page.dpi = integerValue(parser, QStringLiteral("dpi"), page.dpi, 10, 2400);
    page.title = parser.value(QStringLiteral("title"));
    page.showTitle = !parser.isSet(QStringLiteral("no-title"));
    page.colorbar = !parser.isSet(QStringLiteral("no-colorbar"));
    page.labels = !parser.isSet(QStringLiteral("no-labels"));
    if (parser.isSet(QStringLiteral("font")))
        page.fontFamily = parser.value(QStringLiteral("font"));
    page.fontPoints = integerValue(parser, QStringLiteral("font-size"), page.fontPoints, FigurePage::kLeastFontPoints, 72);
    page.vectorCellLimit = integerValue(parser, QStringLiteral("vector-cells"), page.vectorCellLimit, 0, 4096);
    const QString problem = page.problem();
    if (!problem.isEmpty())
        throw FigureRequestError(problem);
    return page;
}

std::unique_ptr<FigureContent> makeFigure(const FigureRequest &request, const FigureSource &source)
{
    if (!source.record)
        throw FigureRequestError(QStringLiteral("there is no attention to draw yet"));
    const FigureView &view = viewNamed(request.view);
    if (request.view == QLatin1String("head") || request.compared.isEmpty() || request.compared == QLatin1String("variant"))
        return view.build(request, source);
    // Every other view draws one run's weights: the reference's, as the GUI's Show says.
    if (!source.reference)
        throw FigureRequestError(QStringLiteral("--compared %1 needs a run with --variant").arg(request.compared));
    if (request.compared != QLatin1String("reference"))
        throw FigureRequestError(QStringLiteral("--view %1 draws the weights of one run: --compared difference is drawn by --view head").arg(request.view));
    FigureSource reference = source;
    reference.record = source.reference;
    reference.reference = nullptr;
    return std::make_unique<ReferenceRunFigure>(view.build(request, reference));
}

QString renderCommandLine(const QString &sourcePath, const QStringList &inputArguments, const FigureRequest &request,
                          const QString &outPath)
{
    QStringList words{QStringLiteral("attnscope-cli"), QStringLiteral("render"), sourcePath};
    words << inputArguments << request.arguments() << QStringLiteral("--out") << outPath;
    QStringList quoted;
    for (const QString &word : words)
        quoted << shellQuoted(word);
    return quoted.join(QLatin1Char(' '));
}

int requestedLayer(const FigureRequest &request, const AttentionRecord &record, int fallback)
{
    const int layer = request.layer >= 0 ? request.layer : fallback;
    if (layer < 0 || layer >= record.layers())
        throw FigureRequestError(QStringLiteral("--layer %1 is outside the %2 layers").arg(layer).arg(record.layers()));
    return layer;
}

int requestedHead(const FigureRequest &request, const AttentionRecord &record, int fallback)
{
    const int head = request.head >= 0 ? request.head : fallback;
    if (head < 0 || head >= record.heads())
        throw FigureRequestError(QStringLiteral("--head %1 is outside the %2 heads").arg(head).arg(record.heads()));
    return head;
}

int64_t requestedToken(const FigureRequest &request, const AttentionRecord &record)
{
    const int64_t token = request.token >= 0 ? request.token : record.queries() - 1;
    if (token < 0 || token >= record.queries())
        throw FigureRequestError(QStringLiteral("--token %1 is outside the %2 tokens").arg(token).arg(record.queries()));
    return token;
}

HeatmapStyle requestedStyle(const FigureRequest &request, const QString &defaultColormap)
{
    HeatmapStyle style;
    style.colormap = Colormap::byName(request.colormap.isEmpty() ? defaultColormap : request.colormap);
    if (!request.scale.isEmpty())
        style.scale.kind = *scaleKindFromName(request.scale);
    return style;
}

} // namespace attnscope
