// Value-weighted attention (Kobayashi et al. 2020) against plain loops over layers, heads,
// queries and keys: α_ij ‖(v_j) W_O^h‖ with the values computed again from the stored
// weights, on GPT-2 (value and output biases), BERT and stories260K (grouped KV heads).
#include <QtTest>

#include "core/analysis/value_norms.h"
#include "stream_reference.h"

using namespace attnscope;
using namespace attnscope::test;

namespace {

// Ranks 0…n−1 with ties sharing their mean, the slow way.
std::vector<double> ranksOf(const std::vector<double> &x)
{
    std::vector<double> ranks(x.size());
    for (size_t i = 0; i < x.size(); ++i) {
        double below = 0, equal = 0;
        for (double y : x) {
            below += y < x[i] ? 1 : 0;
            equal += y == x[i] ? 1 : 0;
        }
        ranks[i] = below + (equal - 1) / 2;
    }
    return ranks;
}

double pearson(const std::vector<double> &a, const std::vector<double> &b)
{
    double ma = 0, mb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        ma += a[i] / double(a.size());
        mb += b[i] / double(b.size());
    }
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        ab += (a[i] - ma) * (b[i] - mb);
        aa += (a[i] - ma) * (a[i] - ma);
        bb += (b[i] - mb) * (b[i] - mb);
    }
    return ab / std::sqrt(aa * bb);
}

} // namespace

class TestValueNorms : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void spearmanHandlesTies()
    {
        const torch::Tensor a = torch::tensor({1.0, 2.0, 2.0, 5.0, 0.5, 3.0}, torch::kFloat64);
        const torch::Tensor b = torch::tensor({0.1, 0.4, 0.3, 0.3, 0.0, 0.9}, torch::kFloat64);
        const torch::Tensor mask = torch::tensor({true, true, true, true, true, false});
        const double expected = pearson(ranksOf({1, 2, 2, 5, 0.5}), ranksOf({0.1, 0.4, 0.3, 0.3, 0.0}));
        QVERIFY(std::abs(spearman(a, b, mask) - expected) < 1e-12);
    }

    void matchesLoops_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("decoder (GPT-2)") << "gpt2";
        QTest::newRow("encoder (BERT)") << "bert-base";
        QTest::newRow("stories260K (LLaMA, GQA)") << "stories";
    }

    void matchesLoops()
    {
        QFETCH(QString, name);
        const auto checkpoint = openCheckpoint(name);
        if (!checkpoint)
            QSKIP("shared model stories260K not found (set ATTNSCOPE_SHARED_DIR)");
        const Model &model = *checkpoint->model;
        const ModelInfo &info = model.info();
        ResidualRecorder recorder;
        recordedRun(model, checkpoint->ids, recorder);
        const torch::Tensor alpha = attentionOf(model, checkpoint->ids);

        const AnalysisResult result = runAnalysisOn(*checkpoint, QStringLiteral("value-norms"));
        const torch::Tensor norms = result.tensors.at("norms"), summed = result.tensors.at("norms_summed");

        const int64_t tokens = checkpoint->ids.size(0), dv = info.headDim, group = info.heads / info.kvHeads;
        double worst = 0, worstSummed = 0;
        for (int layer = 0; layer < info.layers; ++layer) {
            const torch::Tensor v = checkpoint->values(layer, recorder.streams[size_t(layer)]);
            const torch::Tensor wO = checkpoint->outputWeight(layer);
            for (int64_t i = 0; i < tokens; ++i)
                for (int64_t j = 0; j < tokens; ++j) {
                    torch::Tensor sum = torch::zeros({info.hidden}, torch::kFloat64);
                    for (int64_t h = 0; h < info.heads; ++h) {
                        const torch::Tensor f = wO.narrow(1, h * dv, dv).matmul(v[h / group][j]);
                        const double a = alpha[layer][h][i][j].item<double>();
                        worst = std::max(worst, std::abs(norms[layer][h][i][j].item<double>() - a * f.norm().item<double>()));
                        sum += a * f;
                    }
                    worstSummed = std::max(worstSummed, std::abs(summed[layer][i][j].item<double>() - sum.norm().item<double>()));
                }
        }
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
        QVERIFY2(worstSummed < 1e-5, qPrintable(QString::number(worstSummed)));

        // The rank correlation of one head over the pairs its queries see.
        const int64_t layer = info.layers - 1, head = info.heads - 1;
        std::vector<double> weights, weighted;
        for (int64_t i = 0; i < tokens; ++i)
            for (int64_t j = 0; j < tokens; ++j)
                if (!info.causal || j <= i) {
                    weights.push_back(alpha[layer][head][i][j].item<double>());
                    weighted.push_back(norms[layer][head][i][j].item<double>());
                }
        const double expected = pearson(ranksOf(weights), ranksOf(weighted));
        QVERIFY(std::abs(result.tensors.at("rank_correlation")[layer][head].item<double>() - expected) < 1e-9);
        QVERIFY(torch::equal(result.tensors.at("input_ids"), checkpoint->ids));
    }
};

QTEST_GUILESS_MAIN(TestValueNorms)
#include "test_value_norms.moc"
