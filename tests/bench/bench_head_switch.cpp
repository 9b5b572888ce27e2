// Switching head or layer in the GUI on a long input (goal: the UI thread is never busy for
// more than 50 ms per switch, and the new head's overview appears within 1 s). The workspace
// runs stories260K on a 4,096-token text (kept as q and k: every tile is recomputed exactly),
// then steps through heads and layers as the arrow keys do. Time per iteration: from the
// switch to the new head's overview. Counter ui_busy_ms: the longest the UI thread did not
// answer a 1 ms timer during that iteration (the switch call itself included).
#include <benchmark/benchmark.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTimer>
#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "core/tokenize/tokenizer.h"
#include "ui/attention_run.h"
#include "ui/attention_selection.h"
#include "ui/attention_workspace.h"
#include "ui/views/head_view.h"
#include "ui/views/model_view.h"

using namespace attnscope;

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
constexpr int kTokens = 4096;

// The longest gap between ticks of a 1 ms timer: how long the UI thread was busy at once.
class UiLatencyProbe {
public:
    UiLatencyProbe()
    {
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            m_longest = std::max(m_longest, m_sinceTick.nsecsElapsed() / 1e6);
            m_sinceTick.restart();
        });
    }
    void start()
    {
        m_longest = 0;
        m_sinceTick.start();
        m_timer.start();
    }
    double stop()
    {
        m_timer.stop();
        return std::max(m_longest, m_sinceTick.nsecsElapsed() / 1e6);
    }

private:
    QTimer m_timer;
    QElapsedTimer m_sinceTick;
    double m_longest = 0;
};

// A story repeated until the tokenizer gives kTokens tokens or more.
QString longText()
{
    const auto tokenizer = tokenize::loadTokenizer(kStories);
    const QString sentence = QStringLiteral("Once upon a time, there was a little girl named Lily. She loved to play outside in the park. ");
    const int64_t perSentence = int64_t(tokenizer->encode(sentence, false).ids().size());
    return sentence.repeated(int(kTokens / perSentence + 1));
}

bool waitFor(const std::function<bool()> &done, int milliseconds)
{
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < milliseconds)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    return done();
}

void headSwitch(benchmark::State &state)
{
    if (!QFileInfo::exists(kStories + QStringLiteral("/tokenizer.json"))) {
        state.SkipWithError("shared test data absent: no ../shared/models/stories260K");
        return;
    }
    AttentionWorkspace workspace(kStories, QStringLiteral("llama"));
    workspace.resize(1280, 800);
    workspace.show();
    workspace.setText(longText());
    workspace.startRun();
    if (!waitFor([&] { return workspace.isReady(); }, 600000)) {
        state.SkipWithError("the run did not finish");
        return;
    }
    const auto record = workspace.run()->record();
    state.counters["tokens"] = double(record->queries());
    state.counters["dense"] = record->isDense() ? 1 : 0;
    // The model view computes its thumbnails once per run: switching starts after that.
    if (!waitFor([&] { return workspace.modelView()->isReady(); }, 600000)) {
        state.SkipWithError("the model view did not finish");
        return;
    }
    const bool layers = state.range(0) != 0;
    UiLatencyProbe probe;
    double busiest = 0;
    int step = 0;
    for (auto _ : state) {
        ++step;
        QElapsedTimer sinceSwitch;
        probe.start();
        sinceSwitch.start();
        workspace.selection()->step(layers ? (step % 2 ? 1 : -1) : 0, layers ? 0 : (step % 2 ? 1 : -1));
        if (qEnvironmentVariableIsSet("ATTNSCOPE_SLOW_EVENTS"))
            fprintf(stderr, "switch %d: the call took %.1f ms\n", step, sinceSwitch.nsecsElapsed() / 1e6);
        const bool shown = waitFor([&] { return workspace.headView()->hasOverview(); }, 10000);
        state.SetIterationTime(sinceSwitch.nsecsElapsed() / 1e9);
        busiest = std::max(busiest, probe.stop());
        if (!shown) {
            state.SkipWithError("the new head's overview did not arrive within 10 s");
            return;
        }
    }
    state.counters["ui_busy_ms"] = busiest;
}
BENCHMARK(headSwitch)->Arg(0)->Arg(1)->ArgName("layers")->UseManualTime()->Iterations(12)->Unit(benchmark::kMillisecond);

// With ATTNSCOPE_SLOW_EVENTS set, names every event the UI thread took more than 3 ms to
// deliver (nested ones indented): what to look at when ui_busy_ms grows.
class EventTimingApplication : public QApplication {
public:
    using QApplication::QApplication;
    bool notify(QObject *receiver, QEvent *event) override
    {
        if (!m_report)
            return QApplication::notify(receiver, event);
        QElapsedTimer timer;
        timer.start();
        const int type = int(event->type());
        ++m_depth;
        const bool result = QApplication::notify(receiver, event);
        --m_depth;
        const double milliseconds = timer.nsecsElapsed() / 1e6;
        if (milliseconds > 3)
            fprintf(stderr, "%*s%.1f ms: event %d to %s %s\n", m_depth * 2, "", milliseconds, type,
                    receiver->metaObject()->className(), qPrintable(receiver->objectName()));
        return result;
    }

private:
    const bool m_report = qEnvironmentVariableIsSet("ATTNSCOPE_SLOW_EVENTS");
    int m_depth = 0;
};

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    EventTimingApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
