#include "core/training/demo_run.h"

#include <algorithm>

#include <QDir>

#include "core/io/json_file.h"

namespace attnscope {

TrainingSchedule demoSchedule(const DemoRun &run, int defaultSteps, double learningRate, double finalLearningRate)
{
    TrainingSchedule schedule;
    schedule.steps = run.steps > 0 ? run.steps : defaultSteps;
    schedule.batch = 16;
    schedule.learningRate = learningRate;
    schedule.finalLearningRate = finalLearningRate;
    schedule.warmupSteps = std::min(200, schedule.steps / 10);
    return schedule;
}

void writeModelCard(const DemoRun &run, const QString &name, const QString &about,
                    const TrainingSchedule &schedule, const DemoResult &result)
{
    const QString card = QStringLiteral(
        "%1\n\n"
        "## Training\n\n"
        "Made by AttnScope itself: `attnscope-cli train-demo %2 --out DIR --seed %3 --steps %4` "
        "reproduces these weights (LibTorch, CPU, fixed seeds). AdamW, %4 steps of %5 examples, "
        "learning rate %6 with %7 warm-up steps and cosine decay to %8, weight decay %9; "
        "final training loss %10.\n\n"
        "## Measured\n\n%11")
        .arg(about.trimmed(), name).arg(run.seed).arg(schedule.steps).arg(schedule.batch)
        .arg(schedule.learningRate).arg(schedule.warmupSteps).arg(schedule.finalLearningRate)
        .arg(schedule.weightDecay).arg(result.finalLoss, 0, 'f', 4).arg(result.findings);
    writeTextFile(QDir(run.outDir).filePath(QStringLiteral("README.md")), card.toUtf8());
}

} // namespace attnscope
