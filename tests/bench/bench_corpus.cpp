// Corpus mode through the real attnscope-cli: `batch` on 1,000 and 10,000 one-line stories
// with stories260K (head statistics, sink scores, logit-lens agreement per example, then the
// aggregate with 1,000 bootstrap resamples): examples per second and peak RSS, which must not
// grow with the corpus (rows stream to disk; the aggregate reads them in chunks).

#include <chrono>

#include <benchmark/benchmark.h>

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

#include "tests/support/measured_run.h"

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");

QByteArray corpus(int64_t examples)
{
    static const char *const subjects[] = {"Lily", "Tim", "The little dog", "Mom", "A big bird", "Ben"};
    static const char *const actions[] = {"saw a red ball", "went to the park", "had a toy", "liked to play", "was very happy"};
    static const char *const ends[] = {"in the sun.", "with her friend.", "all day.", "and smiled.", "at home."};
    QByteArray text;
    for (int64_t i = 0; i < examples; ++i)
        text += QByteArray(subjects[i % 6]) + ' ' + actions[(i / 6) % 5] + ' ' + ends[(i / 30) % 5] + '\n';
    return text;
}

void BM_Batch(benchmark::State &state)
{
    if (!QFileInfo::exists(kStories + QStringLiteral("/config.json"))) {
        state.SkipWithError("stories260K not found under ATTNSCOPE_SHARED_DIR");
        return;
    }
    QTemporaryDir dir;
    const QString inputs = dir.filePath(QStringLiteral("corpus.txt"));
    QFile file(inputs);
    file.open(QIODevice::WriteOnly);
    file.write(corpus(state.range(0)));
    file.close();
    double rss = 0, seconds = 0;
    QByteArray err;
    for (auto _ : state) {
        const QString out = dir.filePath(QStringLiteral("run%1").arg(state.iterations()));
        const attnscope::test::MeasuredRun run = attnscope::test::runMeasured(
            QStringLiteral(ATTNSCOPE_CLI), {QStringLiteral("batch"), kStories, QStringLiteral("--inputs"), inputs, QStringLiteral("--out"), out},
            dir.filePath(QStringLiteral("stderr.txt")), 3600 * 1000);
        rss = run.exitCode == 0 ? double(run.peakKiB) * 1024 : -1;
        seconds = double(run.ms) / 1e3;
        err = run.err;
        if (rss < 0) {
            state.SkipWithError(err.constData());
            return;
        }
    }
    state.counters["peak_rss_MB"] = rss / 1e6;
    state.counters["examples_per_s"] = double(state.range(0)) / seconds;
}
BENCHMARK(BM_Batch)->Arg(1000)->Arg(10000)->Iterations(1)->Unit(benchmark::kSecond);

} // namespace

BENCHMARK_MAIN();
