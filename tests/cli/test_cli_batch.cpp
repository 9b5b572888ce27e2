// Corpus mode on the grammar demo (a BERT): each example's stored scores equal `analyze` on
// that example alone; the aggregate equals a plain recomputation from the stored rows (mean,
// Poisson bootstrap interval from its documented generator, top examples); three shards merged
// give the unsharded run byte for byte; a run cut short and resumed gives the uninterrupted
// one; malformed lines are skipped with their line numbers, or are fatal with --on-error.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>

#include "cli_runner.h"
#include "safetensors_header.h"

namespace {

const QString kGrammar = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/grammar");
const QStringList kWords{"the", "dog", "dogs", "cat", "cats", "sees", "see", "that", "is", "are", "happy", "big", "."};

// Sentences of 3 to 12 words, the same every time.
QByteArray corpusText(int examples)
{
    QByteArray text;
    uint32_t state = 12345;
    for (int e = 0; e < examples; ++e) {
        state = state * 1664525u + 1013904223u;
        const int words = 3 + int(state >> 24) % 10;
        for (int w = 0; w < words; ++w) {
            state = state * 1664525u + 1013904223u;
            text += kWords[int(state >> 20) % kWords.size()].toUtf8() + (w + 1 < words ? " " : "\n");
        }
    }
    return text;
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(content);
    return path;
}

QByteArray contentOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QJsonObject jsonOf(const QString &path) { return QJsonDocument::fromJson(contentOf(path)).object(); }

void flatten(const QJsonValue &value, std::vector<double> &into)
{
    if (!value.isArray()) {
        into.push_back(value.toDouble());
        return;
    }
    for (const QJsonValue &item : value.toArray())
        flatten(item, into);
}

struct Rows {
    std::vector<int64_t> index;
    std::vector<std::vector<double>> values;
};

Rows rowsOf(const QString &dir, int64_t perRow)
{
    const QByteArray bytes = contentOf(dir + QStringLiteral("/values.bin"));
    Rows rows;
    const qsizetype rowBytes = qsizetype(8 * (perRow + 1));
    for (qsizetype at = 0; at + rowBytes <= bytes.size(); at += rowBytes) {
        int64_t index;
        std::memcpy(&index, bytes.constData() + at, 8);
        std::vector<double> values(static_cast<size_t>(perRow));
        std::memcpy(values.data(), bytes.constData() + at + 8, size_t(8 * perRow));
        rows.index.push_back(index);
        rows.values.push_back(values);
    }
    return rows;
}

int64_t valuesPerRow(const QJsonObject &manifest)
{
    int64_t total = 0;
    for (const QJsonValue &score : manifest.value(QStringLiteral("scores")).toArray()) {
        int64_t size = 1;
        for (const QJsonValue &extent : score.toObject().value(QStringLiteral("shape")).toArray())
            size *= extent.toInteger();
        total += size;
    }
    return total;
}

// The documented generator: splitmix64 seeded with seed ^ (index · 0xD1B54A32D192ED03), each
// weight Knuth's Poisson(1) draw from its uniforms (the top 53 bits).
std::vector<int> poissonWeights(uint64_t seed, int64_t index, int resamples)
{
    uint64_t state = seed ^ (uint64_t(index) * 0xD1B54A32D192ED03ull);
    const auto uniform = [&] {
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return double((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
    };
    std::vector<int> weights;
    for (int b = 0; b < resamples; ++b) {
        int k = -1;
        double product = 1;
        do {
            ++k;
            product *= uniform();
        } while (product > std::exp(-1.0));
        weights.push_back(k);
    }
    return weights;
}

double percentile(std::vector<double> values, double q)
{
    std::sort(values.begin(), values.end());
    const double at = q * double(values.size() - 1);
    const size_t below = size_t(std::floor(at)), above = std::min(below + 1, values.size() - 1);
    return values[below] + (at - double(below)) * (values[above] - values[below]);
}

CliResult batch(const QString &corpus, const QString &out, const QStringList &more = {})
{
    return runCli(QStringList{QStringLiteral("batch"), kGrammar, QStringLiteral("--inputs"), corpus, QStringLiteral("--out"), out,
                              QStringLiteral("--resamples"), QStringLiteral("200"), QStringLiteral("--seed"), QStringLiteral("7")}
                  + more);
}

} // namespace

class TestCliBatch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aggregateEqualsAPlainRecomputation()
    {
        QTemporaryDir dir;
        const QString corpus = writeFile(dir, QStringLiteral("corpus.txt"), corpusText(30));
        const QString out = dir.filePath(QStringLiteral("run"));
        const CliResult run = batch(corpus, out);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject manifest = jsonOf(out + QStringLiteral("/manifest.json"));
        const int64_t perRow = valuesPerRow(manifest);
        const Rows rows = rowsOf(out, perRow);
        QCOMPARE(int(rows.index.size()), 30);

        // One example's head statistics are those `analyze` gives on it alone.
        const QList<QByteArray> lines = corpusText(30).split('\n');
        const QString json = dir.filePath(QStringLiteral("one.json"));
        QCOMPARE(runCli({QStringLiteral("analyze"), kGrammar, QStringLiteral("--text"), QString::fromUtf8(lines[4]), QStringLiteral("--method"),
                         QStringLiteral("head-stats"), QStringLiteral("--out"), json}).exitCode, 0);
        std::vector<double> entropy;
        flatten(jsonOf(json).value(QStringLiteral("tensors")).toObject().value(QStringLiteral("entropy")).toObject().value(QStringLiteral("data")),
                entropy);
        int64_t offset = 0;
        for (const QJsonValue &score : manifest.value(QStringLiteral("scores")).toArray()) {
            if (score.toObject().value(QStringLiteral("name")).toString() == QLatin1String("head-stats/entropy"))
                break;
            int64_t size = 1;
            for (const QJsonValue &extent : score.toObject().value(QStringLiteral("shape")).toArray())
                size *= extent.toInteger();
            offset += size;
        }
        QCOMPARE(entropy.size(), size_t(3 * 4)); // 3 layers × 4 heads
        for (size_t k = 0; k < entropy.size(); ++k)
            QVERIFY(std::abs(rows.values[4][offset + int64_t(k)] - entropy[k]) < 1e-9);

        // Every entry: the mean, the 95% interval of 200 Poisson resamples, the top examples.
        const QJsonObject aggregate = jsonOf(out + QStringLiteral("/aggregate.json"));
        QCOMPARE(aggregate.value(QStringLiteral("examples")).toInt(), 30);
        std::vector<std::vector<int>> weights;
        for (const int64_t index : rows.index)
            weights.push_back(poissonWeights(7, index, 200));
        int64_t k = 0;
        for (const QJsonValue &score : manifest.value(QStringLiteral("scores")).toArray()) {
            const QJsonObject result = aggregate.value(QStringLiteral("scores")).toObject()
                                           .value(score.toObject().value(QStringLiteral("name")).toString()).toObject();
            const QJsonArray mean = result.value(QStringLiteral("mean")).toArray(), low = result.value(QStringLiteral("ci_low")).toArray(),
                             high = result.value(QStringLiteral("ci_high")).toArray(), top = result.value(QStringLiteral("top")).toArray();
            for (qsizetype entry = 0; entry < mean.size(); ++entry, ++k) {
                double sum = 0;
                std::vector<std::pair<double, int64_t>> order;
                for (size_t e = 0; e < rows.index.size(); ++e) {
                    sum += rows.values[e][size_t(k)];
                    order.emplace_back(rows.values[e][size_t(k)], rows.index[e]);
                }
                QVERIFY(std::abs(mean[entry].toDouble() - sum / 30) < 1e-9);
                std::vector<double> resampled;
                for (int b = 0; b < 200; ++b) {
                    double weighted = 0, total = 0;
                    for (size_t e = 0; e < rows.index.size(); ++e) {
                        weighted += weights[e][size_t(b)] * rows.values[e][size_t(k)];
                        total += weights[e][size_t(b)];
                    }
                    resampled.push_back(weighted / total);
                }
                QVERIFY2(std::abs(low[entry].toDouble() - percentile(resampled, 0.025)) < 1e-9, qPrintable(QString::number(k)));
                QVERIFY(std::abs(high[entry].toDouble() - percentile(resampled, 0.975)) < 1e-9);
                std::stable_sort(order.begin(), order.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
                QCOMPARE(top[entry].toArray().size(), 10);
                QCOMPARE(top[entry].toArray()[0].toArray()[1].toDouble(), order[0].first);
            }
        }
        QCOMPARE(k, perRow);
    }

    void threeShardsMergeIntoTheUnshardedRun()
    {
        QTemporaryDir dir;
        const QString corpus = writeFile(dir, QStringLiteral("corpus.txt"), corpusText(20));
        const QString whole = dir.filePath(QStringLiteral("whole"));
        QCOMPARE(batch(corpus, whole).exitCode, 0);
        QStringList shards;
        for (int i = 0; i < 3; ++i) {
            shards << dir.filePath(QStringLiteral("shard%1").arg(i));
            const CliResult run = batch(corpus, shards.back(), {QStringLiteral("--shard"), QStringLiteral("%1/3").arg(i)});
            QVERIFY2(run.exitCode == 0, run.err.constData());
        }
        const QString merged = dir.filePath(QStringLiteral("merged"));
        const CliResult merge = runCli(QStringList{QStringLiteral("merge")} + shards
                                       + QStringList{QStringLiteral("--out"), merged, QStringLiteral("--resamples"), QStringLiteral("200"),
                                                     QStringLiteral("--seed"), QStringLiteral("7")});
        QVERIFY2(merge.exitCode == 0, merge.err.constData());
        for (const char *file : {"/values.bin", "/examples.jsonl", "/aggregate.json"})
            QVERIFY2(contentOf(merged + QLatin1String(file)) == contentOf(whole + QLatin1String(file)), file);
        QVERIFY(!contentOf(merged + QStringLiteral("/values.bin")).isEmpty());
        // A shard merged twice is refused.
        verifyOneLineError(runCli({QStringLiteral("merge"), shards[0], shards[0], QStringLiteral("--out"), dir.filePath(QStringLiteral("twice"))}),
                           3, QStringLiteral("in two shards"));
    }

    void aResumedRunEqualsAnUninterruptedOne()
    {
        QTemporaryDir dir;
        const QString corpus = writeFile(dir, QStringLiteral("corpus.txt"), corpusText(12));
        const QString whole = dir.filePath(QStringLiteral("whole")), cut = dir.filePath(QStringLiteral("cut"));
        QCOMPARE(batch(corpus, whole).exitCode, 0);
        QCOMPARE(batch(corpus, cut).exitCode, 0);
        // As a kill leaves it: five whole rows and half of the sixth, four example lines.
        const int64_t perRow = valuesPerRow(jsonOf(cut + QStringLiteral("/manifest.json")));
        QFile values(cut + QStringLiteral("/values.bin"));
        QVERIFY(values.open(QIODevice::ReadWrite) && values.resize(8 * (perRow + 1) * 5 + 20));
        values.close();
        QByteArray examples = contentOf(cut + QStringLiteral("/examples.jsonl"));
        examples.truncate(int(examples.indexOf('\n', examples.indexOf('\n', examples.indexOf('\n', examples.indexOf('\n') + 1) + 1) + 1) + 1));
        writeFile(dir, QStringLiteral("cut/examples.jsonl"), examples);
        QFile::remove(cut + QStringLiteral("/aggregate.json"));
        verifyOneLineError(batch(corpus, cut), 3, QStringLiteral("--resume"));
        const CliResult resumed = batch(corpus, cut, {QStringLiteral("--resume")});
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        for (const char *file : {"/values.bin", "/examples.jsonl", "/aggregate.json"})
            QVERIFY2(contentOf(cut + QLatin1String(file)) == contentOf(whole + QLatin1String(file)), file);
    }

    // --qk-sample: each head's joint query–key map of the first tokens, with their examples.
    void queryKeyMapsOfTheFirstTokens()
    {
        QTemporaryDir dir;
        const QString corpus = writeFile(dir, QStringLiteral("corpus.txt"), corpusText(10));
        const QString out = dir.filePath(QStringLiteral("run"));
        const CliResult run = batch(corpus, out, {QStringLiteral("--qk-sample"), QStringLiteral("25")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const SafetensorsContents qk = readSafetensors(out + QStringLiteral("/qk.safetensors"));
        for (const QString &head : {QStringLiteral("L0H0"), QStringLiteral("L2H3")})
            QCOMPARE(qk.shape(head), (QList<qint64>{50, 2}));
        QCOMPARE(qk.shape(QStringLiteral("example")), (QList<qint64>{25}));
        const QJsonArray tokens = QJsonDocument::fromJson(qk.metadata(QStringLiteral("tokens")).toUtf8()).array();
        QCOMPARE(tokens.size(), 25);
        QCOMPARE(tokens[0].toString(), QStringLiteral("[CLS]"));
    }

    void malformedExamplesAreSkippedWithTheirLines()
    {
        QTemporaryDir dir;
        QByteArray jsonl = "{\"text\": \"the dog sees the cat .\"}\n"
                           "{\"text\": broken\n"
                           "\n"
                           "{\"other\": \"no text here\"}\n";
        jsonl += "{\"text\": \"" + QByteArray("the dog ").repeated(40) + "\"}\n"; // 80 words: past the 64 positions
        jsonl += "{\"text\": \"the cats are happy .\"}\n";
        const QString corpus = writeFile(dir, QStringLiteral("corpus.jsonl"), jsonl);
        const QString out = dir.filePath(QStringLiteral("run"));
        const CliResult run = batch(corpus, out);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QList<QByteArray> errors = contentOf(out + QStringLiteral("/errors.jsonl")).trimmed().split('\n');
        QCOMPARE(errors.size(), 3);
        QCOMPARE(QJsonDocument::fromJson(errors[0]).object().value(QStringLiteral("line")).toInt(), 2);
        QVERIFY(QJsonDocument::fromJson(errors[0]).object().value(QStringLiteral("error")).toString().contains(QStringLiteral("corpus.jsonl:2")));
        QCOMPARE(QJsonDocument::fromJson(errors[1]).object().value(QStringLiteral("line")).toInt(), 4);
        QVERIFY(QJsonDocument::fromJson(errors[2]).object().value(QStringLiteral("error")).toString().contains(QStringLiteral("positions")));
        QCOMPARE(jsonOf(out + QStringLiteral("/aggregate.json")).value(QStringLiteral("examples")).toInt(), 2);

        const CliResult fatal = batch(corpus, dir.filePath(QStringLiteral("fatal")), {QStringLiteral("--on-error"), QStringLiteral("fatal")});
        verifyOneLineError(fatal, 3, QStringLiteral("corpus.jsonl:2"));
        QCOMPARE(rowsOf(dir.filePath(QStringLiteral("fatal")), valuesPerRow(jsonOf(out + QStringLiteral("/manifest.json")))).index.size(),
                 size_t(1)); // the example before it is kept

        verifyOneLineError(batch(writeFile(dir, QStringLiteral("empty.txt"), "\n\n"), dir.filePath(QStringLiteral("empty"))), 3,
                           QStringLiteral("no example"));
        verifyOneLineError(batch(writeFile(dir, QStringLiteral("corpus.csv"), "id,sentence\n1,the dog\n"), dir.filePath(QStringLiteral("csv")),
                                 {QStringLiteral("--field"), QStringLiteral("text")}),
                           3, QStringLiteral("columns: id, sentence"));
    }

    void csvFieldsMayHoldCommasQuotesAndLineBreaks()
    {
        QTemporaryDir dir;
        const QString corpus = writeFile(dir, QStringLiteral("corpus.csv"),
                                         "id,sentence\n1,\"the dog, the cat .\"\n2,\"the \"\"big\"\" dog\nsees the cat .\"\n3,the cats .\n");
        const QString out = dir.filePath(QStringLiteral("run"));
        const CliResult run = batch(corpus, out, {QStringLiteral("--field"), QStringLiteral("sentence")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QList<QByteArray> examples = contentOf(out + QStringLiteral("/examples.jsonl")).trimmed().split('\n');
        QCOMPARE(examples.size(), 3);
        QCOMPARE(QJsonDocument::fromJson(examples[1]).object().value(QStringLiteral("text")).toString(),
                 QStringLiteral("the \"big\" dog\nsees the cat ."));
        QCOMPARE(QJsonDocument::fromJson(examples[2]).object().value(QStringLiteral("line")).toInt(), 5);
    }
};

QTEST_MAIN(TestCliBatch)
#include "test_cli_batch.moc"
