// A Llama-3.2-3B-shaped checkpoint in bf16 (hidden 3072, 28 layers, 24 heads, 8 KV heads,
// MLP 8192, vocab 128,256, tied LM head; two shards, 6.4 GB, random weights written once to
// the temp folder) run by the real attnscope-cli: its peak RSS against the size on disk
// (weights stay bf16 and mapped; the bound is 1.25×), and the forward pass's rate in
// GFLOP/s from the CLI's --timings. Skips when the disk lacks the room.

#include <sys/statvfs.h>

#include <benchmark/benchmark.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/io/safetensors_file.h"
#include "tests/support/measured_run.h"
#include "tests/support/random_llama.h"

using namespace attnscope;

namespace {

const QString kTokenizer = QStringLiteral(ATTNSCOPE_SHARED_DIR "/tokenizers/llama3");

test::LlamaShape shape3b()
{
    test::LlamaShape shape;
    shape.hidden = 3072;
    shape.layers = 28;
    shape.heads = 24;
    shape.kvHeads = 8;
    shape.intermediate = 8192;
    shape.vocab = 128256;
    shape.maxPositions = 131072;
    return shape;
}

double checkpointBytes(const QString &dir)
{
    double bytes = 0;
    for (const QFileInfo &file : QDir(dir).entryInfoList({QStringLiteral("*.safetensors")}, QDir::Files))
        bytes += double(file.size());
    return bytes;
}

// The checkpoint's folder, written the first time; empty (and `why` set) when it cannot be.
QString checkpoint(QString &why)
{
    const QString dir = QDir::temp().filePath(QStringLiteral("attnscope-bench-llama-3b-bf16"));
    if (QFileInfo::exists(dir + QStringLiteral("/model.safetensors.index.json")))
        return dir;
    struct statvfs disk{};
    statvfs(QDir::tempPath().toLocal8Bit().constData(), &disk);
    const double freeBytes = double(disk.f_bavail) * double(disk.f_frsize);
    if (freeBytes < 8e9) {
        why = QStringLiteral("disk short: %1 GB free in %2, the checkpoint needs 6.4 GB").arg(freeBytes / 1e9, 0, 'f', 1).arg(QDir::tempPath());
        return {};
    }
    test::writeRandomLlama(dir + QStringLiteral(".part"), shape3b(), torch::kBFloat16, 2, 3, kTokenizer);
    QDir().rename(dir + QStringLiteral(".part"), dir);
    return dir;
}

QString textOfAbout(int64_t tokens)
{
    QStringList words;
    for (int64_t i = 0; i < tokens; ++i)
        words << QStringLiteral("hello");
    return words.join(QLatin1Char(' '));
}

// Multiply-adds ×2 of the forward pass: projections, attention (q·kᵀ and p·v) and LM head.
double forwardFlops(const test::LlamaShape &s, double T)
{
    const double headDim = double(s.hidden / s.heads);
    const double perToken = double(s.hidden) * (double(s.heads) * headDim * 2 + double(s.kvHeads) * headDim * 2)
                            + 3.0 * double(s.hidden) * double(s.intermediate);
    return 2 * T * (double(s.layers) * perToken + double(s.vocab) * double(s.hidden))
           + double(s.layers) * 4 * T * T * double(s.heads) * headDim;
}

void BM_Llama3bBf16(benchmark::State &state)
{
    QString why;
    const QString dir = checkpoint(why);
    if (dir.isEmpty()) {
        state.SkipWithError(why.toUtf8().constData());
        return;
    }
    const QString out = QDir::temp().filePath(QStringLiteral("attnscope-bench-llama-3b-run.safetensors"));
    double rss = 0;
    QByteArray err;
    for (auto _ : state) {
        const test::MeasuredRun run = test::runMeasured(
            QStringLiteral(ATTNSCOPE_CLI),
            {QStringLiteral("run"), dir, QStringLiteral("--text"), textOfAbout(state.range(0) - 1), QStringLiteral("--timings"),
             QStringLiteral("--out"), out},
            QDir::temp().filePath(QStringLiteral("attnscope-bench-cli.err")), 3600 * 1000);
        rss = run.exitCode == 0 ? double(run.peakKiB) * 1024 : -1;
        err = run.err;
    }
    if (rss < 0) {
        state.SkipWithError(("attnscope-cli failed: " + err).constData());
        return;
    }
    const double tokens = double(SafetensorsFile::open(out)->load("input_ids").size(0));
    const double forwardMs = QJsonDocument::fromJson(err.trimmed().split('\n').last()).object().value(QStringLiteral("forward_ms")).toDouble();
    const double bytes = checkpointBytes(dir);
    state.counters["tokens"] = tokens;
    state.counters["checkpoint_GB"] = bytes / 1e9;
    state.counters["peak_rss_GB"] = rss / 1e9;
    state.counters["rss_over_size"] = rss / bytes;
    state.counters["forward_s"] = forwardMs / 1e3;
    state.counters["forward_GFLOPs"] = forwardFlops(shape3b(), tokens) / (forwardMs * 1e6);
    QFile::remove(out);
}
BENCHMARK(BM_Llama3bBf16)->Arg(64)->Arg(128)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
