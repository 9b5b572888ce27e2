// attnscope-cli train-demo NAME --out DIR: trains one of the built-in demonstration models
// with the engine's own forward pass and writes it in Hugging Face layout with a model card.

#include <QElapsedTimer>

#include "app/cli/command.h"
#include "core/training/grammar_demo.h"
#include "core/training/induction_demo.h"
#include "viz/shape_images.h"

namespace attnscope::cli {

namespace {

struct DemoTrainer {
    const char *name;
    const char *summary;
    DemoResult (*train)(const DemoRun &run);
};

DemoResult trainShapes(const DemoRun &run)
{
    return trainShapesDemo(run, shapesDemoData());
}

const std::vector<DemoTrainer> &demoTrainers()
{
    static const std::vector<DemoTrainer> list = {
        {"induction", "2-layer decoder with a previous-token and an induction head", trainInductionDemo},
        {"grammar", "masked LM whose verbs agree with subjects across relative clauses", trainGrammarDemo},
        {"shapes", "ViT that names the shape in a picture and looks at it", trainShapes},
    };
    return list;
}

QString demoList()
{
    QStringList lines;
    for (const DemoTrainer &demo : demoTrainers())
        lines << QStringLiteral("  %1  %2").arg(QLatin1String(demo.name), -10).arg(QLatin1String(demo.summary));
    return lines.join(QLatin1Char('\n'));
}

} // namespace

int runTrainDemo(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Trains a built-in demonstration model:\n") + demoList());
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("which demo"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("folder to write the model into"), QStringLiteral("DIR"));
    const QCommandLineOption steps(QStringLiteral("steps"), QStringLiteral("optimizer steps (default: the demo's own)"), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("random seed (default 0, as shipped)"), QStringLiteral("S"), QStringLiteral("0"));
    parser.addOptions({out, steps, seed});
    if (!parseArguments(parser, arguments, 1, 1))
        return ExitSuccess;
    const QString name = parser.positionalArguments().first();
    if (!parser.isSet(out))
        throw UsageError(QStringLiteral("--out DIR is required"));
    bool stepsOk = false, seedOk = false;
    DemoRun run;
    run.outDir = parser.value(out);
    run.steps = parser.value(steps).toInt(&stepsOk);
    run.seed = parser.value(seed).toULongLong(&seedOk);
    if (!stepsOk || run.steps < 0)
        throw UsageError(QStringLiteral("--steps must be a non-negative integer"));
    if (!seedOk)
        throw UsageError(QStringLiteral("--seed must be a non-negative integer"));
    for (const DemoTrainer &demo : demoTrainers()) {
        if (name != QLatin1String(demo.name))
            continue;
        QElapsedTimer clock;
        clock.start();
        int lastPercent = -1;
        run.observer.stepDone = [&](int step, int total, double loss) {
            const int percent = int(100 * int64_t(step) / total);
            if (percent == lastPercent && step != total)
                return;
            lastPercent = percent;
            fprintf(stderr, "%s: step %d/%d loss %.4f (%.0f s)\n", demo.name, step, total, loss,
                    double(clock.elapsed()) / 1000.0);
        };
        const DemoResult result = demo.train(run);
        printLine(result.findings.toUtf8());
        return ExitSuccess;
    }
    throw UsageError(QStringLiteral("unknown demo '%1'; the demos are:\n%2").arg(name, demoList()));
}

} // namespace attnscope::cli
