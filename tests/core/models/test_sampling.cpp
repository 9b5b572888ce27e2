// Sampling for generation: the distribution a step draws from equals softmax(logits / τ) with
// the top-k and top-p masks applied in Hugging Face's order, checked against a plain-loop
// reference written here; the sampler draws by that distribution, the same seed gives the
// same draws and another seed other ones; bad settings are named; on stories260K, sampled
// generation repeats itself under a seed and changes with another.

#include <algorithm>
#include <cmath>
#include <numeric>

#include <QtTest>

#include <torch/torch.h>

#include "core/models/generation.h"
#include "core/models/model.h"
#include "core/models/sampling.h"
#include "core/tokenize/tokenizer.h"

using namespace attnscope;

Q_DECLARE_METATYPE(torch::Tensor)
Q_DECLARE_METATYPE(std::vector<double>)

namespace {

// Hugging Face's warpers written out: temperature, then top-k (ties with the k-th kept), then
// top-p (tokens in decreasing probability while the ones before hold less than p).
std::vector<double> referenceDistribution(const std::vector<double> &logits, double temperature, int topK, double topP)
{
    const size_t vocab = logits.size();
    std::vector<double> scores(vocab);
    for (size_t i = 0; i < vocab; ++i)
        scores[i] = logits[i] / temperature;
    const double peak = *std::max_element(scores.begin(), scores.end());
    std::vector<double> p(vocab);
    for (size_t i = 0; i < vocab; ++i)
        p[i] = std::exp(scores[i] - peak);
    const auto normalize = [&] {
        double sum = 0;
        for (double value : p)
            sum += value;
        for (double &value : p)
            value /= sum;
    };
    normalize();
    if (topK > 0 && size_t(topK) < vocab) {
        std::vector<double> sorted = scores;
        std::sort(sorted.begin(), sorted.end(), std::greater<double>());
        for (size_t i = 0; i < vocab; ++i)
            if (scores[i] < sorted[size_t(topK - 1)])
                p[i] = 0;
        normalize();
    }
    if (topP < 1) {
        std::vector<size_t> order(vocab);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] > p[b]; });
        double before = 0;
        for (size_t index : order) {
            const double probability = p[index];
            if (before >= topP)
                p[index] = 0;
            before += probability;
        }
        normalize();
    }
    return p;
}

torch::Tensor randomLogits(int64_t vocab, uint64_t seed)
{
    auto generator = at::detail::createCPUGenerator(seed);
    return at::normal(0.0, 2.0, {vocab}, generator);
}

std::vector<double> valuesOf(const torch::Tensor &tensor)
{
    const torch::Tensor values = tensor.to(torch::kFloat64).contiguous();
    return {values.data_ptr<double>(), values.data_ptr<double>() + values.numel()};
}

SamplingSettings sampled(double temperature, int64_t topK, double topP, uint64_t seed = 0)
{
    SamplingSettings settings;
    settings.greedy = false;
    settings.temperature = temperature;
    settings.topK = topK;
    settings.topP = topP;
    settings.seed = seed;
    return settings;
}

std::vector<int64_t> draws(const torch::Tensor &logits, const SamplingSettings &settings, int count)
{
    TokenSampler sampler(settings);
    std::vector<int64_t> tokens;
    for (int i = 0; i < count; ++i)
        tokens.push_back(sampler.next(logits));
    return tokens;
}

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");

} // namespace

class TestSampling : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void distributionMatchesTheReference_data()
    {
        QTest::addColumn<torch::Tensor>("logits");
        QTest::addColumn<double>("temperature");
        QTest::addColumn<int>("topK");
        QTest::addColumn<double>("topP");
        const torch::Tensor random = randomLogits(64, 7);
        // Ties across the k-th place: every token equal to the 3rd largest stays.
        const torch::Tensor tied = torch::tensor({1.0, 3.0, 2.0, 2.0, 2.0, -1.0, 0.5});
        QTest::newRow("softmax") << random << 1.0 << 0 << 1.0;
        QTest::newRow("cold") << random << 0.3 << 0 << 1.0;
        QTest::newRow("hot") << random << 2.5 << 0 << 1.0;
        QTest::newRow("top-k 5") << random << 1.0 << 5 << 1.0;
        QTest::newRow("top-k 1") << random << 0.7 << 1 << 1.0;
        QTest::newRow("top-k all") << random << 1.0 << 64 << 1.0;
        QTest::newRow("top-p 0.9") << random << 1.0 << 0 << 0.9;
        QTest::newRow("top-p 0.01 keeps one") << random << 1.0 << 0 << 0.01;
        QTest::newRow("hot, top-k then top-p") << random << 1.7 << 12 << 0.63;
        QTest::newRow("cold, top-k then top-p") << random << 0.5 << 20 << 0.97;
        QTest::newRow("tied top-k 3") << tied << 1.0 << 3 << 1.0;
        QTest::newRow("tied top-k 2, top-p") << tied << 0.8 << 2 << 0.5;
    }

    void distributionMatchesTheReference()
    {
        QFETCH(torch::Tensor, logits);
        QFETCH(double, temperature);
        QFETCH(int, topK);
        QFETCH(double, topP);
        const std::vector<double> expected = referenceDistribution(valuesOf(logits), temperature, topK, topP);
        const std::vector<double> actual = valuesOf(samplingDistribution(logits, sampled(temperature, topK, topP)));
        QCOMPARE(actual.size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i)
            QVERIFY2(std::abs(actual[i] - expected[i]) < 1e-12,
                     qPrintable(QStringLiteral("token %1: %2, expected %3").arg(i).arg(actual[i]).arg(expected[i])));
    }

    // Probabilities 0.1, 0.2, 0.3, 0.4: the nucleus of 0.35 is {0.4}, of 0.5 {0.4, 0.3}, of
    // 0.75 {0.4, 0.3, 0.2}, renormalized.
    void nucleusByHand_data()
    {
        QTest::addColumn<double>("topP");
        QTest::addColumn<std::vector<double>>("expected");
        QTest::newRow("0.35") << 0.35 << std::vector<double>{0, 0, 0, 1};
        QTest::newRow("0.5") << 0.5 << std::vector<double>{0, 0, 3.0 / 7, 4.0 / 7};
        QTest::newRow("0.75") << 0.75 << std::vector<double>{0, 2.0 / 9, 3.0 / 9, 4.0 / 9};
    }

    void nucleusByHand()
    {
        QFETCH(double, topP);
        QFETCH(std::vector<double>, expected);
        const torch::Tensor logits = torch::tensor({0.1, 0.2, 0.3, 0.4}, torch::kFloat64).log();
        const std::vector<double> p = valuesOf(samplingDistribution(logits, sampled(1.0, 0, topP)));
        for (size_t i = 0; i < expected.size(); ++i)
            QVERIFY2(std::abs(p[i] - expected[i]) < 1e-12, qPrintable(QStringLiteral("token %1: %2").arg(i).arg(p[i])));
    }

    void greedyTakesTheLargestLogit()
    {
        const torch::Tensor logits = randomLogits(100, 3);
        QCOMPARE(draws(logits, SamplingSettings(), 3),
                 std::vector<int64_t>(3, logits.argmax().item<int64_t>()));
    }

    void theSameSeedDrawsTheSameTokens()
    {
        const torch::Tensor logits = randomLogits(50, 11);
        const SamplingSettings settings = sampled(1.0, 0, 1.0, 42);
        const std::vector<int64_t> first = draws(logits, settings, 200);
        QCOMPARE(draws(logits, settings, 200), first);
        QVERIFY(draws(logits, sampled(1.0, 0, 1.0, 43), 200) != first);
    }

    // 40,000 draws land on each token in proportion to its probability (within 5 standard
    // errors), and never outside the top-k/top-p set.
    void drawsFollowTheDistribution()
    {
        const torch::Tensor logits = randomLogits(30, 5);
        const SamplingSettings settings = sampled(1.3, 10, 0.9, 9);
        const std::vector<double> p = referenceDistribution(valuesOf(logits), 1.3, 10, 0.9);
        const int count = 40000;
        std::vector<int> seen(p.size(), 0);
        for (const int64_t token : draws(logits, settings, count))
            ++seen[size_t(token)];
        for (size_t i = 0; i < p.size(); ++i) {
            if (p[i] == 0) {
                QCOMPARE(seen[i], 0);
                continue;
            }
            const double error = std::sqrt(p[i] * (1 - p[i]) / count);
            QVERIFY2(std::abs(double(seen[i]) / count - p[i]) < 5 * error + 1e-9,
                     qPrintable(QStringLiteral("token %1: %2 of %3, p = %4").arg(i).arg(seen[i]).arg(count).arg(p[i])));
        }
    }

    void namesBadSettings_data()
    {
        QTest::addColumn<double>("temperature");
        QTest::addColumn<qint64>("topK");
        QTest::addColumn<double>("topP");
        QTest::addColumn<QString>("problem");
        QTest::newRow("zero temperature") << 0.0 << qint64(0) << 1.0 << QStringLiteral("temperature must be a number above 0");
        QTest::newRow("negative temperature") << -1.0 << qint64(0) << 1.0 << QStringLiteral("temperature must be");
        QTest::newRow("NaN temperature") << std::nan("") << qint64(0) << 1.0 << QStringLiteral("temperature must be");
        QTest::newRow("negative top-k") << 1.0 << qint64(-2) << 1.0 << QStringLiteral("top-k must be 0");
        QTest::newRow("top-p 0") << 1.0 << qint64(0) << 0.0 << QStringLiteral("top-p must be in (0, 1], not 0");
        QTest::newRow("top-p above 1") << 1.0 << qint64(0) << 1.5 << QStringLiteral("top-p must be in (0, 1], not 1.5");
    }

    void namesBadSettings()
    {
        QFETCH(double, temperature);
        QFETCH(qint64, topK);
        QFETCH(double, topP);
        QFETCH(QString, problem);
        const SamplingSettings settings = sampled(temperature, topK, topP);
        QVERIFY2(samplingProblem(settings).startsWith(problem), qPrintable(samplingProblem(settings)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TokenSampler{settings});
        SamplingSettings greedy = settings;
        greedy.greedy = true;
        QCOMPARE(samplingProblem(greedy), QString());
    }

    void sampledGenerationRepeatsUnderASeed()
    {
        if (!QFileInfo::exists(kStories + QStringLiteral("/config.json")))
            QSKIP("shared test data absent: no ../shared/models/stories260K");
        const auto model = loadModel(kStories);
        const auto tokenizer = tokenize::loadTokenizer(kStories);
        GenerationRequest request;
        request.promptIds = torch::tensor(tokenizer->encode(QStringLiteral("Once upon a time")).ids(), torch::kInt64);
        request.maxNewTokens = 24;
        request.sampling = sampled(1.2, 40, 0.95, 1);
        const Generation first = generate(*model, request, {});
        QCOMPARE(first.ids.size(), size_t(request.promptIds.numel() + 24));
        QCOMPARE(first.stepLogits.sizes().vec(), (std::vector<int64_t>{24, 512}));
        QVERIFY(generate(*model, request, {}).ids == first.ids);
        request.sampling.seed = 2;
        QVERIFY(generate(*model, request, {}).ids != first.ids);
    }
};

QTEST_GUILESS_MAIN(TestSampling)
#include "test_sampling.moc"
