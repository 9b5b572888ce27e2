#include "ui/gui_startup.h"

#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

#include "core/analysis/analysis_registry.h"
#include "ui/attention_selection.h"
#include "ui/attention_workspace.h"
#include "ui/mainwindow.h"
#include "viz/library_versions.h"

namespace attnscope {

namespace {

constexpr int kUsageExit = 2;
constexpr int kMinSide = 200;
constexpr int kMaxSide = 16384;

void printOut(const QString &text)
{
    std::fputs(qPrintable(text), stdout);
    std::fputc('\n', stdout);
}

int usageError(const QString &problem)
{
    std::fprintf(stderr, "attnscope: %s; see attnscope --help\n", qPrintable(problem));
    return kUsageExit;
}

// QApplication consumes these itself; the parser must let them through.
void addQtOptions(QCommandLineParser &parser)
{
    for (const char *name : {"platform", "platformpluginpath", "platformtheme", "style",
                             "stylesheet", "qwindowgeometry", "qwindowtitle", "display"}) {
        QCommandLineOption option(QString::fromLatin1(name), QString(), QStringLiteral("value"));
        option.setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOption(option);
    }
    QCommandLineOption reverse(QStringLiteral("reverse"));
    reverse.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(reverse);
}

std::optional<QSize> parseSize(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,5})x(\\d{1,5})$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const QSize size(match.captured(1).toInt(), match.captured(2).toInt());
    if (size.width() < kMinSide || size.height() < kMinSide || size.width() > kMaxSide
        || size.height() > kMaxSide)
        return std::nullopt;
    return size;
}

} // namespace

std::optional<int> parseGuiCommandLine(int argc, char *argv[], GuiOptions &options)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "AttnScope: explore attention inside transformer models.\n"
        "The headless attnscope-cli computes and renders the same figures."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help and exit."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     QStringLiteral("Show the versions of AttnScope, Qt, LibTorch and OpenCV and exit."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Render the window offscreen after loading what the other arguments say, "
                       "write it to FILE.png and exit."), QStringLiteral("FILE.png"));
    const QCommandLineOption size(QStringLiteral("size"),
        QStringLiteral("Window size, e.g. 1280x800 (the default for --screenshot)."),
        QStringLiteral("WIDTHxHEIGHT"));
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Start on the built-in demo."));
    const QCommandLineOption presentation(QStringLiteral("presentation"),
        QStringLiteral("Start in presentation mode (larger text, side panel folded; View → Presentation Mode, F5)."));
    const QCommandLineOption text(QStringLiteral("text"),
        QStringLiteral("Run MODEL_DIR on this text at once (a screenshot then waits for the attention)."),
        QStringLiteral("TEXT"));
    const QCommandLineOption analysis(QStringLiteral("analysis"),
        QStringLiteral("After the --text run, run this analysis (as attnscope-cli analyze --method) and chart it in the analyses view (unless --view names another)."),
        QStringLiteral("NAME"));
    const QCommandLineOption view(QStringLiteral("view"),
        QStringLiteral("The view to show: %1 (default head).").arg(workspaceViewNames().join(QStringLiteral(", "))),
        QStringLiteral("NAME"));
    const QCommandLineOption layer(QStringLiteral("layer"), QStringLiteral("The layer to show first (from 0)."),
                                   QStringLiteral("N"));
    const QCommandLineOption head(QStringLiteral("head"), QStringLiteral("The head to show first (from 0)."),
                                  QStringLiteral("N"));
    const QCommandLineOption image(QStringLiteral("image"),
        QStringLiteral("Run the vision model MODEL_DIR on this image at once."), QStringLiteral("FILE"));
    parser.addOptions({help, version, screenshot, size, demo, presentation, text, image, analysis, view, layer, head});
    addQtOptions(parser);
    parser.addPositionalArgument(QStringLiteral("MODEL_DIR"),
        QStringLiteral("A model folder to open: config.json and weights, or a Hugging Face "
                       "snapshot folder; or a corpus run (the folder of attnscope-cli batch --out)."), QStringLiteral("[MODEL_DIR]"));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);

    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(help)) {
        int appArgc = argc;
        const QCoreApplication app(appArgc, argv); // helpText() names the program through it
        printOut(parser.helpText());
        return 0;
    }
    if (parser.isSet(version)) {
        printOut(QStringLiteral("attnscope " ATTNSCOPE_VERSION "\n") + libraryVersionsLine());
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return usageError(QStringLiteral("unexpected argument '%1'").arg(positional[1]));
    options.path = positional.value(0);
    options.demo = parser.isSet(demo);
    options.presentation = parser.isSet(presentation);
    options.text = parser.value(text);
    if (parser.isSet(text) && options.path.isEmpty())
        return usageError(QStringLiteral("--text needs a MODEL_DIR to run"));
    options.image = parser.value(image);
    if (parser.isSet(image) && (options.path.isEmpty() || parser.isSet(text)))
        return usageError(QStringLiteral("--image needs a MODEL_DIR and no --text"));
    options.analysis = parser.value(analysis);
    if (parser.isSet(analysis) && !parser.isSet(text) && !parser.isSet(image))
        return usageError(QStringLiteral("--analysis needs --text or --image to run the model on"));
    if (parser.isSet(analysis) && !analysisNames().contains(options.analysis))
        return usageError(QStringLiteral("unknown analysis '%1' (one of: %2)")
                              .arg(options.analysis, analysisNames().join(QStringLiteral(", "))));
    options.view = parser.value(view);
    if (parser.isSet(view) && !workspaceViewNames().contains(options.view))
        return usageError(QStringLiteral("unknown view '%1' (one of: %2)")
                              .arg(options.view, workspaceViewNames().join(QStringLiteral(", "))));
    for (const auto &[option, target] : {std::pair{&layer, &options.layer}, std::pair{&head, &options.head}}) {
        if (!parser.isSet(*option))
            continue;
        bool number = false;
        *target = parser.value(*option).toInt(&number);
        if (!number || **target < 0)
            return usageError(QStringLiteral("--%1 '%2' is not a number from 0")
                                  .arg(option->names().first(), parser.value(*option)));
    }
    options.screenshot = parser.value(screenshot);
    if (parser.isSet(screenshot)
        && !options.screenshot.endsWith(QLatin1String(".png"), Qt::CaseInsensitive))
        return usageError(QStringLiteral("--screenshot needs a file name ending in .png"));
    if (parser.isSet(size)) {
        const std::optional<QSize> parsed = parseSize(parser.value(size));
        if (!parsed)
            return usageError(QStringLiteral("--size '%1' is not WIDTHxHEIGHT with sides from %2 to %3")
                                  .arg(parser.value(size)).arg(kMinSide).arg(kMaxSide));
        options.size = *parsed;
    }
    if (options.demo && !options.path.isEmpty())
        return usageError(QStringLiteral("--demo and MODEL_DIR cannot be combined"));
    return std::nullopt;
}

bool chooseDisplayPlatform(const GuiOptions &options)
{
    if (!qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        return true;
    if (!options.screenshot.isEmpty()) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        return true;
    }
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        std::fputs("attnscope: no display (DISPLAY and WAYLAND_DISPLAY are unset); run it in a "
                   "desktop session, or use --screenshot FILE.png to render offscreen\n", stderr);
        return false;
    }
#endif
    return true;
}

void showCommandLineChoices(AttentionWorkspace &workspace, const GuiOptions &options)
{
    if (auto *window = qobject_cast<MainWindow *>(workspace.window()); window && options.presentation)
        window->setPresentationMode(true);
    if (options.layer || options.head) {
        AttentionSelection *selection = workspace.selection();
        selection->selectHead(options.layer.value_or(selection->layer()), options.head.value_or(selection->head()));
    }
    if (!options.view.isEmpty())
        workspace.showView(options.view);
    else if (!options.analysis.isEmpty())
        workspace.showView(QStringLiteral("analyses"));
}

} // namespace attnscope
