// attnscope-cli generate: the steps file holds each token's attention row as computed at its
// step (through the KV cache, or the whole sequence again under a variant) and each step's
// logits; both equal one forward pass of the final ids (1e-5 and 1e-4), on stories260K and
// on a random GPT-2 checkpoint written here. A seed repeats the tokens and another changes
// them; bad input is one line with exit code 2 (usage) or 3 (input).

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include "cli/cli_runner.h"
#include "core/attention/variant_spec.h"
#include "core/capture/attention_record.h"
#include "core/io/safetensors_file.h"
#include "core/models/decoder_test_support.h"
#include "core/models/model.h"

using namespace attnscope;

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
const QString kInduction = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/induction");
const QString kGrammar = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/grammar");
constexpr int64_t kGpt2Positions = 32;

bool storiesPresent()
{
    return QFileInfo::exists(kStories + QStringLiteral("/config.json"));
}

// GPT-2 layout with random weights, 2 layers × 4 heads, 32 positions, and the induction demo's
// word-level tokenizer (339 ids).
class RandomGpt2 {
public:
    RandomGpt2() : m_checkpoint(26)
    {
        const int64_t hidden = 32, vocab = 339;
        m_checkpoint.add("wte.weight", {vocab, hidden}, 0.5);
        m_checkpoint.add("wpe.weight", {kGpt2Positions, hidden}, 0.3);
        for (int layer = 0; layer < 2; ++layer) {
            const std::string at = "h." + std::to_string(layer) + ".";
            for (const char *norm : {"ln_1", "ln_2"}) {
                m_checkpoint.add(at + norm + ".weight", {hidden}, 0.1, true);
                m_checkpoint.add(at + norm + ".bias", {hidden}, 0.1);
            }
            const auto conv = [&](const std::string &name, int64_t in, int64_t out) {
                m_checkpoint.add(at + name + ".weight", {in, out}, 0.3);
                m_checkpoint.add(at + name + ".bias", {out}, 0.1);
            };
            conv("attn.c_attn", hidden, 3 * hidden);
            conv("attn.c_proj", hidden, hidden);
            conv("mlp.c_fc", hidden, 4 * hidden);
            conv("mlp.c_proj", 4 * hidden, hidden);
        }
        m_checkpoint.add("ln_f.weight", {hidden}, 0.1, true);
        m_checkpoint.add("ln_f.bias", {hidden}, 0.1);
        m_dir = m_checkpoint.write(QJsonObject{
            {QStringLiteral("model_type"), QStringLiteral("gpt2")}, {QStringLiteral("vocab_size"), int(vocab)},
            {QStringLiteral("n_embd"), int(hidden)}, {QStringLiteral("n_layer"), 2}, {QStringLiteral("n_head"), 4},
            {QStringLiteral("n_positions"), int(kGpt2Positions)}, {QStringLiteral("eos_token_id"), 1}});
        QFile::copy(kInduction + QStringLiteral("/tokenizer.json"), m_dir + QStringLiteral("/tokenizer.json"));
    }
    const QString &dir() const { return m_dir; }

private:
    test::TinyCheckpoint m_checkpoint;
    QString m_dir;
};

struct Steps {
    torch::Tensor attentions, stepLogits, ids;
    QMap<QString, QString> metadata;
};

Steps readSteps(const QString &path)
{
    const auto file = SafetensorsFile::open(path);
    return {file->load("attentions").clone(), file->load("step_logits").clone(), file->load("input_ids").clone(),
            file->metadata()};
}

QStringList generateArguments(const QString &modelDir, const QString &prompt, int newTokens)
{
    return {QStringLiteral("generate"), modelDir, QStringLiteral("--text"), prompt, QStringLiteral("--max-new-tokens"),
            QString::number(newTokens)};
}

// Runs generate with --out, reads the steps file and checks it against one forward pass of
// its input_ids under the same variants. Callers stop when QTest::currentTestFailed().
void verifyStepsMatchForward(const QString &modelDir, QStringList arguments, const QStringList &variants, Steps &steps)
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("steps.safetensors"));
    for (const QString &spec : variants)
        arguments << QStringLiteral("--variant") << spec;
    const CliResult result = runCli(arguments << QStringLiteral("--out") << out);
    QVERIFY2(result.exitCode == 0, result.err.constData());
    steps = readSteps(out);
    const int64_t tokens = steps.ids.numel();
    const int64_t prompt = steps.metadata.value(QStringLiteral("prompt_tokens")).toLongLong();
    QVERIFY(prompt > 0 && prompt < tokens);

    const auto model = loadModel(modelDir);
    ModelInput input;
    input.inputIds = steps.ids;
    AttentionRecord record;
    const torch::Tensor logits = model->forward(input, parsePlan(variants), &record);
    QCOMPARE(steps.attentions.sizes().vec(),
             (std::vector<int64_t>{model->info().layers, model->info().heads, tokens, tokens}));
    QCOMPARE(steps.attentions.triu(1).abs().max().item<double>(), 0.0);
    const double attention = test::maxDifference(steps.attentions, record.all());
    QVERIFY2(attention <= 1e-5, qPrintable(QStringLiteral("attention differs by %1").arg(attention)));
    QCOMPARE(steps.stepLogits.size(0), tokens - prompt);
    const double stepLogits = test::maxDifference(steps.stepLogits, logits.slice(0, prompt - 1, tokens - 1));
    QVERIFY2(stepLogits <= 1e-4, qPrintable(QStringLiteral("step logits differ by %1").arg(stepLogits)));
    const QStringList tokenTexts =
        QJsonDocument::fromJson(steps.metadata.value(QStringLiteral("tokens")).toUtf8()).toVariant().toStringList();
    QCOMPARE(tokenTexts.size(), int(tokens));
    QCOMPARE(steps.metadata.value(QStringLiteral("model")), modelDir);
}

QJsonObject samplingOf(const Steps &steps)
{
    return QJsonDocument::fromJson(steps.metadata.value(QStringLiteral("sampling")).toUtf8()).object();
}

// Sampled generation to `out`: what it printed and the ids it wrote.
void generateSampled(const QStringList &arguments, const QString &out, QByteArray &printed, std::vector<int64_t> &ids)
{
    const CliResult result = runCli(QStringList(arguments) << QStringLiteral("--out") << out);
    QVERIFY2(result.exitCode == 0, result.err.constData());
    printed = result.out;
    const torch::Tensor written = readSteps(out).ids.contiguous();
    ids.assign(written.data_ptr<int64_t>(), written.data_ptr<int64_t>() + written.numel());
}

} // namespace

class TestGenerate : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<RandomGpt2> m_gpt2;

    const QStringList kSampled{QStringLiteral("--temperature"), QStringLiteral("0.9"), QStringLiteral("--top-k"),
                               QStringLiteral("40"), QStringLiteral("--top-p"), QStringLiteral("0.95")};

private Q_SLOTS:
    void initTestCase()
    {
        m_gpt2 = std::make_unique<RandomGpt2>();
    }

    void greedyStepsMatchAForwardOnStories()
    {
        if (!storiesPresent())
            QSKIP("shared test data absent: no ../shared/models/stories260K");
        Steps steps;
        verifyStepsMatchForward(kStories, generateArguments(kStories, QStringLiteral("Once upon a time"), 20)
                                              << QStringLiteral("--greedy"), {}, steps);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(steps.ids.numel(), int64_t(5 + 20));
        // Greedy: each step wrote its most likely token.
        QVERIFY(torch::equal(steps.stepLogits.argmax(1), steps.ids.slice(0, 5)));
        QCOMPARE(samplingOf(steps), QJsonObject({{QStringLiteral("greedy"), true}}));
    }

    void sampledStepsMatchAForwardOnStories()
    {
        if (!storiesPresent())
            QSKIP("shared test data absent: no ../shared/models/stories260K");
        Steps steps;
        verifyStepsMatchForward(kStories, generateArguments(kStories, QStringLiteral("The dog"), 24)
                                              << kSampled << QStringLiteral("--seed") << QStringLiteral("3"), {}, steps);
        if (QTest::currentTestFailed())
            return;
        const QJsonObject sampling = samplingOf(steps);
        QCOMPARE(sampling.value(QStringLiteral("greedy")).toBool(true), false);
        QCOMPARE(sampling.value(QStringLiteral("seed")).toInteger(), qint64(3));
        QCOMPARE(sampling.value(QStringLiteral("top_k")).toInteger(), qint64(40));
        QCOMPARE(sampling.value(QStringLiteral("top_p")).toDouble(), 0.95);
        QCOMPARE(sampling.value(QStringLiteral("temperature")).toDouble(), 0.9);
    }

    // A variant reruns the whole sequence each step; the rows kept are those of the new tokens.
    void stepsUnderAVariantMatchAForwardOnStories()
    {
        if (!storiesPresent())
            QSKIP("shared test data absent: no ../shared/models/stories260K");
        Steps steps;
        verifyStepsMatchForward(kStories, generateArguments(kStories, QStringLiteral("Once upon a time"), 12),
                                {QStringLiteral("window:size=3@layers=1-2"), QStringLiteral("topk:k=2@heads=0-3")}, steps);
    }

    void greedyStepsMatchAForwardOnGpt2()
    {
        Steps steps;
        verifyStepsMatchForward(m_gpt2->dir(), generateArguments(m_gpt2->dir(), QStringLiteral("the cat sat on"), 20), {},
                                steps);
    }

    void sampledStepsMatchAForwardOnGpt2()
    {
        Steps steps;
        verifyStepsMatchForward(m_gpt2->dir(), generateArguments(m_gpt2->dir(), QStringLiteral("the cat sat on"), 20)
                                                   << kSampled << QStringLiteral("--seed") << QStringLiteral("5"),
                                {}, steps);
    }

    void theSeedRepeatsTheTokens()
    {
        QTemporaryDir dir;
        const QStringList arguments = generateArguments(m_gpt2->dir(), QStringLiteral("the cat"), 24)
                                      << QStringLiteral("--temperature") << QStringLiteral("1.5") << QStringLiteral("--seed");
        QByteArray first, again, other;
        std::vector<int64_t> firstIds, againIds, otherIds;
        generateSampled(QStringList(arguments) << QStringLiteral("7"), dir.filePath(QStringLiteral("a.safetensors")), first,
                        firstIds);
        generateSampled(QStringList(arguments) << QStringLiteral("7"), dir.filePath(QStringLiteral("b.safetensors")), again,
                        againIds);
        generateSampled(QStringList(arguments) << QStringLiteral("8"), dir.filePath(QStringLiteral("c.safetensors")), other,
                        otherIds);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(againIds, firstIds);
        QCOMPARE(again, first);
        QVERIFY(otherIds != firstIds);
    }

    void writesJson()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("steps.json"));
        const CliResult result = runCli(generateArguments(m_gpt2->dir(), QStringLiteral("the cat"), 4)
                                        << QStringLiteral("--out") << out);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonObject tensors = json.value(QStringLiteral("tensors")).toObject();
        const QJsonArray shape = tensors.value(QStringLiteral("step_logits")).toObject().value(QStringLiteral("shape")).toArray();
        QCOMPARE(shape.size(), 2);
        QCOMPARE(shape[0].toInt(), 4);
        QCOMPARE(shape[1].toInt(), 339);
        QVERIFY2(QJsonDocument(json).toJson().contains("prompt_tokens"), "no prompt_tokens in the metadata");
    }

    void badInputIsOneLine_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentions");
        const QString gpt2 = m_gpt2->dir();
        const QStringList base = generateArguments(gpt2, QStringLiteral("the cat"), 4);
        const auto with = [&](const QStringList &extra) { return QStringList(base) << extra; };
        QTest::newRow("encoder-only model") << generateArguments(kGrammar, QStringLiteral("the cat"), 4) << 3
                                            << QStringLiteral("is not a causal language model");
        QTest::newRow("top-p 0") << with({QStringLiteral("--top-p"), QStringLiteral("0")}) << 2
                                 << QStringLiteral("--top-p must be in (0, 1], not 0");
        QTest::newRow("top-p 1.5") << with({QStringLiteral("--top-p"), QStringLiteral("1.5")}) << 2
                                   << QStringLiteral("--top-p must be in (0, 1], not 1.5");
        QTest::newRow("temperature 0") << with({QStringLiteral("--temperature"), QStringLiteral("0")}) << 2
                                       << QStringLiteral("--temperature must be a number above 0");
        QTest::newRow("negative temperature") << with({QStringLiteral("--temperature"), QStringLiteral("-1")}) << 2
                                              << QStringLiteral("--temperature must be a number above 0");
        QTest::newRow("greedy and a seed") << with({QStringLiteral("--greedy"), QStringLiteral("--seed"), QStringLiteral("1")})
                                           << 2 << QStringLiteral("--greedy takes no");
        QTest::newRow("no new tokens") << generateArguments(gpt2, QStringLiteral("the cat"), 0) << 2
                                       << QStringLiteral("--max-new-tokens '0' must be a whole number from 1 on");
        QTest::newRow("out suffix") << with({QStringLiteral("--out"), QStringLiteral("steps.txt")}) << 2
                                    << QStringLiteral("must end in .");
        QStringList words;
        for (int i = 0; i < 40; ++i)
            words << QStringLiteral("cat");
        QTest::newRow("prompt beyond the positions") << generateArguments(gpt2, words.join(QLatin1Char(' ')), 1) << 3
                                                     << QStringLiteral("beyond the 32 positions of this gpt2 model");
        QTest::newRow("tokens beyond the context") << generateArguments(gpt2, QStringLiteral("the cat"), 40) << 3
                                                   << QStringLiteral("exceed the 32 positions of this gpt2 model");
    }

    void badInputIsOneLine()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("steps.safetensors"));
        if (!arguments.contains(QStringLiteral("--out")))
            arguments << QStringLiteral("--out") << out;
        const CliResult result = runCli(arguments);
        verifyOneLineError(result, exitCode, mentions);
        QVERIFY(!QFileInfo::exists(out));
    }
};

QTEST_GUILESS_MAIN(TestGenerate)
#include "test_generate.moc"
