// attnscope-cli batch MODEL_DIR --inputs FILE [--field NAME] [--pair-field NAME] --out DIR
//     [--shard I/N] [--resume] [--on-error skip|fatal] [--resamples B] [--seed S] [--top K] [--qk-sample N]
// attnscope-cli merge DIR… --out DIR
// Corpus mode: every example of FILE scored (core/corpus/example_scores.h) and stored row by
// row (corpus_store.h), then aggregated with bootstrap intervals (corpus_aggregate.h). The
// run streams: memory stays that of one example however long the corpus. Ctrl-C stops after
// the example in hand; --resume goes on where a run stopped, however it stopped.

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>

#include "app/cli/command.h"
#include "app/cli/progress_bar.h"
#include "core/corpus/corpus_aggregate.h"
#include "core/corpus/corpus_reader.h"
#include "core/corpus/corpus_store.h"
#include "core/corpus/example_scores.h"
#include "core/corpus/query_key_map.h"
#include "core/io/input_error.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope::cli {

namespace {

std::atomic<bool> interrupted{false};

extern "C" void stopAfterThisExample(int) { interrupted = true; }

QList<QCommandLineOption> aggregateOptions()
{
    return {{QStringLiteral("resamples"), QStringLiteral("Bootstrap resamples of the intervals (default 1000)."), QStringLiteral("B")},
            {QStringLiteral("seed"), QStringLiteral("Seed of the bootstrap (default 0)."), QStringLiteral("S")},
            {QStringLiteral("top"), QStringLiteral("Examples kept per head and score where it is highest (default 10)."), QStringLiteral("K")}};
}

int boundedInteger(const QCommandLineParser &parser, const QString &name, int fallback, int least, int most)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < least || value > most)
        throw UsageError(QStringLiteral("--%1 '%2' is not a whole number from %3 to %4").arg(name, parser.value(name)).arg(least).arg(most));
    return value;
}

AggregateOptions aggregateOptionsFrom(const QCommandLineParser &parser)
{
    AggregateOptions options;
    options.resamples = boundedInteger(parser, QStringLiteral("resamples"), options.resamples, 10, 100000);
    options.top = boundedInteger(parser, QStringLiteral("top"), options.top, 0, 1000);
    if (parser.isSet(QStringLiteral("seed"))) {
        bool ok = false;
        options.seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok)
            throw UsageError(QStringLiteral("--seed '%1' is not a whole number").arg(parser.value(QStringLiteral("seed"))));
    }
    return options;
}

void parseShard(const QString &text, CorpusManifest &manifest)
{
    static const QRegularExpression pattern(QStringLiteral(R"(^(\d+)/(\d+)$)"));
    const QRegularExpressionMatch match = pattern.match(text);
    manifest.shardIndex = match.captured(1).toInt();
    manifest.shardCount = match.captured(2).toInt();
    if (!match.hasMatch() || manifest.shardCount < 1 || manifest.shardIndex >= manifest.shardCount)
        throw UsageError(QStringLiteral("--shard '%1' is not I/N with 0 ≤ I < N").arg(text));
}

QString durationText(double seconds)
{
    const int s = int(seconds + 0.5);
    return s >= 3600 ? QStringLiteral("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60)
                     : QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
}

// The first tokens of the shard's examples, in index order (the same after --resume).
void writeQueryKeySample(const ExampleScorer &scorer, const CorpusManifest &manifest, int tokens, const QString &path)
{
    QueryKeySample sample(tokens);
    CorpusReader reader(manifest.inputs, manifest.field, manifest.pairField);
    CorpusExample example;
    while (!sample.full() && reader.next(example)) {
        if (example.index % manifest.shardCount != manifest.shardIndex || !example.error.isEmpty())
            continue;
        try {
            sample.add(*scorer.run(example, manifest.inputs), example.index);
        } catch (const InputError &) { // listed in errors.jsonl already
        }
    }
    sample.write(path);
}

} // namespace

int runBatch(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Scores every example of a corpus and aggregates per head, with bootstrap "
                                                    "intervals. Scores: %1.").arg(ExampleScorer::analyses().join(QStringLiteral(", "))));
    parser.addPositionalArgument(QStringLiteral("MODEL_DIR"), QStringLiteral("model folder"));
    parser.addOptions({
        {QStringLiteral("inputs"), QStringLiteral("Corpus: .txt (one example per line), .jsonl or .csv."), QStringLiteral("FILE")},
        {QStringLiteral("field"), QStringLiteral(".jsonl/.csv: the text's field (default: text; .csv: the first column)."), QStringLiteral("NAME")},
        {QStringLiteral("pair-field"), QStringLiteral(".jsonl/.csv: the second sentence's field, for sentence pairs."), QStringLiteral("NAME")},
        {QStringLiteral("out"), QStringLiteral("Folder of the run."), QStringLiteral("DIR")},
        {QStringLiteral("shard"), QStringLiteral("Only every N-th example, from the I-th (0-based): I/N."), QStringLiteral("I/N")},
        {QStringLiteral("resume"), QStringLiteral("Go on with the run in --out after its last finished example.")},
        {QStringLiteral("on-error"), QStringLiteral("A malformed or over-long example: skip (default, listed in errors.jsonl) or fatal."), QStringLiteral("WHAT")},
        {QStringLiteral("qk-sample"), QStringLiteral("Also write qk.safetensors: each head's joint query–key map (PCA) of the first N tokens (default 0: none)."),
         QStringLiteral("N")},
    });
    parser.addOptions(aggregateOptions());
    if (!parseArguments(parser, arguments, 1, 1))
        return ExitSuccess;
    const QString inputs = parser.value(QStringLiteral("inputs")), out = parser.value(QStringLiteral("out"));
    if (inputs.isEmpty() || out.isEmpty())
        throw UsageError(QStringLiteral("give the corpus with --inputs FILE and the run's folder with --out DIR"));
    const QString onError = parser.isSet(QStringLiteral("on-error")) ? parser.value(QStringLiteral("on-error")) : QStringLiteral("skip");
    if (onError != QLatin1String("skip") && onError != QLatin1String("fatal"))
        throw UsageError(QStringLiteral("--on-error '%1' is not skip or fatal").arg(onError));
    const AggregateOptions aggregate = aggregateOptionsFrom(parser);
    const int qkTokens = boundedInteger(parser, QStringLiteral("qk-sample"), 0, 0, 20000);
    CorpusManifest manifest;
    // Absolute, so that the GUI finds them from the run's folder wherever the run was started.
    manifest.model = QFileInfo(parser.positionalArguments().first()).absoluteFilePath();
    manifest.inputs = QFileInfo(inputs).absoluteFilePath();
    manifest.field = parser.value(QStringLiteral("field"));
    manifest.pairField = parser.value(QStringLiteral("pair-field"));
    if (parser.isSet(QStringLiteral("shard")))
        parseShard(parser.value(QStringLiteral("shard")), manifest);

    int64_t total = 0; // this shard's examples, for the progress and the estimate
    {
        CorpusReader counting(inputs, manifest.field, manifest.pairField);
        CorpusExample example;
        while (counting.next(example))
            total += example.index % manifest.shardCount == manifest.shardIndex;
    }
    if (total == 0)
        throw InputError(inputs, QStringLiteral("holds no example%1").arg(manifest.shardCount > 1 ? QStringLiteral(" for this shard") : QString()));

    ProgressBar progress;
    progress.show(QStringLiteral("loading the model"));
    const auto model = loadModel(manifest.model);
    const ExampleScorer scorer(*model, tokenize::loadTokenizer(manifest.model));
    manifest.blocks = scorer.blocks();
    CorpusWriter writer(out, manifest, parser.isSet(QStringLiteral("resume")));

    interrupted = false;
    const auto previousHandler = std::signal(SIGINT, stopAfterThisExample);
    CorpusReader reader(inputs, manifest.field, manifest.pairField);
    CorpusExample example;
    int64_t done = 0, skipped = 0, scoredNow = 0;
    const auto start = std::chrono::steady_clock::now();
    try {
        while (!interrupted && reader.next(example)) {
            if (example.index % manifest.shardCount != manifest.shardIndex)
                continue;
            ++done;
            if (example.index <= writer.lastDone())
                continue; // finished before --resume
            QString error = example.error.isEmpty() ? QString() : QStringLiteral("%1:%2: %3").arg(inputs).arg(example.line).arg(example.error);
            if (error.isEmpty()) {
                try {
                    writer.addRow(example, scorer.score(example, inputs));
                    ++scoredNow;
                } catch (const InputError &bad) {
                    error = QString::fromUtf8(bad.what());
                }
            }
            if (!error.isEmpty()) {
                if (onError == QLatin1String("fatal"))
                    throw InputError(QString(), error + QStringLiteral(" (the examples before it are kept: --resume after fixing it)"));
                writer.addError(example, error);
                ++skipped;
            }
            const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const double perExample = scoredNow > 0 ? elapsed / double(scoredNow) : 0;
            progress.show(QStringLiteral("examples, about %1 left").arg(durationText(perExample * double(total - done))), int(done), int(total));
        }
    } catch (...) {
        std::signal(SIGINT, previousHandler);
        throw;
    }
    std::signal(SIGINT, previousHandler);
    progress.clear();
    if (interrupted) {
        std::fprintf(stderr, "attnscope-cli batch: interrupted after %lld of %lld examples; --resume goes on from there\n",
                     static_cast<long long>(done), static_cast<long long>(total));
        return 130;
    }
    if (qkTokens > 0)
        writeQueryKeySample(scorer, manifest, qkTokens, QDir(out).filePath(QStringLiteral("qk.safetensors")));
    writeCorpusAggregate(out, aggregate);
    printLine(QJsonDocument(QJsonObject{{QStringLiteral("examples"), qint64(writer.rowsWritten())},
                                        {QStringLiteral("skipped_now"), qint64(skipped)},
                                        {QStringLiteral("out"), out}})
                  .toJson(QJsonDocument::Compact));
    return ExitSuccess;
}

int runMerge(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Combines the folders of sharded batch runs into the folder one unsharded run writes."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("folders of `batch --shard` runs"), QStringLiteral("DIR…"));
    parser.addOption({QStringLiteral("out"), QStringLiteral("Folder of the merged run."), QStringLiteral("DIR")});
    parser.addOptions(aggregateOptions());
    if (!parseArguments(parser, arguments, 1, 100000))
        return ExitSuccess;
    const QString out = parser.value(QStringLiteral("out"));
    if (out.isEmpty())
        throw UsageError(QStringLiteral("give the merged run's folder with --out DIR"));
    const AggregateOptions aggregate = aggregateOptionsFrom(parser);
    mergeCorpusRuns(parser.positionalArguments(), out);
    writeCorpusAggregate(out, aggregate);
    printLine(QJsonDocument(QJsonObject{{QStringLiteral("out"), out}}).toJson(QJsonDocument::Compact));
    return ExitSuccess;
}

} // namespace attnscope::cli
