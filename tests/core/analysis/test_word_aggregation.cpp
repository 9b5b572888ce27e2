// Word-level aggregation: which tokens form words, and sum-over-keys / mean-over-queries.
#include <QtTest>

#include "core/analysis/random_attention.h"
#include "core/analysis/token_roles.h"
#include "core/analysis/word_aggregation.h"
#include "core/io/input_error.h"

using namespace attnscope;

Q_DECLARE_METATYPE(std::vector<int64_t>)

namespace {

std::vector<RecordedToken> tokensOf(const QStringList &texts, const std::vector<std::pair<qint64, qint64>> &bytes = {})
{
    std::vector<RecordedToken> tokens;
    for (int i = 0; i < texts.size(); ++i) {
        RecordedToken token;
        token.text = texts[i];
        token.special = texts[i].startsWith(QLatin1Char('[')) || texts[i] == QLatin1String("<s>");
        if (!bytes.empty())
            std::tie(token.byteBegin, token.byteEnd) = bytes[size_t(i)];
        tokens.push_back(token);
    }
    return tokens;
}

} // namespace

class TestWordAggregation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void wordsOfTokens_data()
    {
        QTest::addColumn<QStringList>("texts");
        QTest::addColumn<std::vector<int64_t>>("words");
        QTest::newRow("wordpiece") << QStringList{"[CLS]", "un", "##believ", "##able", "!", "[SEP]"}
                                   << std::vector<int64_t>{0, 1, 1, 1, 2, 3};
        QTest::newRow("byte-level BPE") << QStringList{"<s>", "Hello", "\u0120wor", "ld", ",", "\u0120ok"}
                                        << std::vector<int64_t>{0, 1, 2, 2, 3, 4};
        QTest::newRow("sentencepiece") << QStringList{"\u2581The", "\u2581kit", "ten", "s", "."}
                                       << std::vector<int64_t>{0, 1, 1, 1, 2};
    }
    void wordsOfTokens()
    {
        QFETCH(QStringList, texts);
        QFETCH(std::vector<int64_t>, words);
        const torch::Tensor actual = wordIndices(tokensOf(texts));
        QCOMPARE(std::vector<int64_t>(actual.data_ptr<int64_t>(), actual.data_ptr<int64_t>() + actual.numel()), words);
    }

    void byteGapStartsAWord()
    {
        // "ab cd" tokenized as "ab" "cd" with no space marks: the byte gap separates the words.
        const torch::Tensor words = wordIndices(tokensOf({"ab", "cd", "e"}, {{0, 2}, {3, 5}, {5, 6}}));
        QVERIFY(torch::equal(words, torch::tensor({0, 1, 1}, torch::kLong)));
    }

    void aggregatesLikeClark()
    {
        const torch::Tensor attention = randomAttention(2, 2, 6, false, 9);
        const torch::Tensor words = torch::tensor({0, 1, 1, 1, 2, 3}, torch::kLong);
        const torch::Tensor aggregated = aggregateWords(attention, words);
        QCOMPARE(aggregated.sizes(), (std::vector<int64_t>{2, 2, 4, 4}));
        for (int64_t l = 0; l < 2; ++l)
            for (int64_t h = 0; h < 2; ++h) {
                const Matrix a = toMatrix(attention[l][h]);
                for (int64_t wa = 0; wa < 4; ++wa)
                    for (int64_t wb = 0; wb < 4; ++wb) {
                        double sum = 0;
                        int pieces = 0;
                        for (int64_t i = 0; i < 6; ++i) {
                            if (words[i].item<int64_t>() != wa)
                                continue;
                            ++pieces;
                            for (int64_t j = 0; j < 6; ++j)
                                if (words[j].item<int64_t>() == wb)
                                    sum += a[size_t(i)][size_t(j)];
                        }
                        QVERIFY(std::abs(aggregated[l][h][wa][wb].item<double>() - sum / pieces) < 1e-12);
                    }
            }
        QVERIFY(torch::allclose(aggregated.sum(-1), torch::ones({2, 2, 4}, torch::kFloat64)));
    }

    void rejectsBadWords()
    {
        const torch::Tensor attention = randomAttention(1, 1, 3, false, 1);
        QVERIFY_THROWS_EXCEPTION(InputError, aggregateWords(attention, torch::tensor({0, 2, 2}, torch::kLong)));
        QVERIFY_THROWS_EXCEPTION(InputError, aggregateWords(attention, torch::tensor({0, 1}, torch::kLong)));
    }
};

QTEST_GUILESS_MAIN(TestWordAggregation)
#include "test_word_aggregation.moc"
