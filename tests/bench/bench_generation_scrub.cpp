// Scrubbing the steps of a generation in the studio (goal: the UI thread busy at most 16 ms
// per step). The studio generates N tokens of stories260K once, shown in a 1024 × 768 window;
// each iteration moves the step slider one step, as → does, and repaints the whole studio at
// once (candidates, the layers × heads grid of rows, the coloured text). Time per iteration:
// that whole synchronous step on the UI thread. Counter picture_ms: building the step's
// picture alone (the distribution from the saved logits, the rows); p95_ms and worst_ms: the
// 95th percentile and the longest step.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <vector>

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSignalSpy>
#include <QSlider>

#include "core/capture/generation_steps.h"
#include "ui/generation/generation_steps_model.h"
#include "ui/generation/generation_studio.h"
#include "viz/generation_step.h"

using namespace attnscope;

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");

void scrubSteps(benchmark::State &state)
{
    if (!QFileInfo::exists(kStories + QStringLiteral("/config.json"))) {
        state.SkipWithError("shared test data absent: no ../shared/models/stories260K");
        return;
    }
    GenerationStudio studio(kStories);
    studio.resize(1024, 768);
    studio.show();
    studio.setPrompt(QStringLiteral("Once upon a time"));
    studio.setMaxNewTokens(int(state.range(0)));
    QSignalSpy generated(&studio, &GenerationStudio::generated);
    studio.generate();
    if (!generated.wait(300000) || !studio.stepsModel()->hasSteps()) {
        state.SkipWithError("generation failed");
        return;
    }
    const int steps = studio.stepsModel()->stepCount();
    QSlider *slider = studio.stepSlider();
    int step = 0;
    double picture = 0;
    std::vector<double> times; // ms per step
    for (auto _ : state) {
        step = (step + 1) % steps;
        QElapsedTimer timer;
        timer.start();
        slider->setValue(step);
        studio.repaint(); // every child paints now, not at the next event loop turn
        const double seconds = timer.nsecsElapsed() / 1e9;
        state.SetIterationTime(seconds);
        times.push_back(seconds * 1e3);
        timer.restart();
        benchmark::DoNotOptimize(stepPicture(*studio.stepsModel()->steps(), step, studio.stepsModel()->shownSettings()));
        picture += timer.nsecsElapsed() / 1e6;
    }
    state.counters["steps"] = steps;
    state.counters["picture_ms"] = picture / double(state.iterations());
    std::sort(times.begin(), times.end());
    state.counters["p95_ms"] = times[times.size() * 95 / 100];
    state.counters["worst_ms"] = times.back(); // on a busy machine, another process's time slice
}
BENCHMARK(scrubSteps)->Arg(64)->Arg(400)->ArgName("tokens")->UseManualTime()->Iterations(200)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
