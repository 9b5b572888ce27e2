// ALTI and the norm-based contributions (Ferrando et al. 2022; Kobayashi et al. 2021) against
// plain loops over layers, queries and keys, written from the papers' formulas with the
// values, W_O, b_O and (BERT) the attention LayerNorm read again from the stored weights:
// GPT-2 and stories260K add the block to the stream as it is, BERT normalizes after the sum.
// Rows sum to 1, a decoder gives nothing to future tokens, and the rollout is the product of
// the layers' matrices.
#include <QtTest>

#include "stream_reference.h"

using namespace attnscope;
using namespace attnscope::test;

namespace {

// z_ij for every j of query i, and y_i, through the LayerNorm when `gamma` is defined.
struct Parts {
    std::vector<torch::Tensor> z;
    torch::Tensor y;
};

Parts partsOf(const Checkpoint &checkpoint, int layer, const torch::Tensor &alpha, const torch::Tensor &stream, int64_t i,
              const torch::Tensor &gamma, const torch::Tensor &beta, double eps)
{
    const ModelInfo &info = checkpoint.model->info();
    const int64_t dv = info.headDim, group = info.heads / info.kvHeads, keys = alpha.size(3);
    const torch::Tensor v = checkpoint.values(layer, stream);
    const torch::Tensor wO = checkpoint.outputWeight(layer);
    Parts parts;
    torch::Tensor sum = checkpoint.outputBias(layer).clone();
    for (int64_t j = 0; j < keys; ++j) {
        torch::Tensor z = torch::zeros({info.hidden}, torch::kFloat64);
        for (int64_t h = 0; h < info.heads; ++h)
            z += alpha[layer][h][i][j].item<double>() * wO.narrow(1, h * dv, dv).matmul(v[h / group][j]);
        if (j == i)
            z += stream[i];
        sum += z;
        parts.z.push_back(z);
    }
    parts.y = sum;
    if (gamma.defined()) {
        const double mean = sum.mean().item<double>();
        const double sigma = std::sqrt(((sum - mean) * (sum - mean)).mean().item<double>() + eps);
        for (torch::Tensor &z : parts.z)
            z = gamma * (z - z.mean()) / sigma;
        parts.y = gamma * (sum - mean) / sigma + beta;
    }
    return parts;
}

} // namespace

class TestAlti : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesLoops_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("measure");
        for (const char *measure : {"alti", "norm"}) {
            QTest::newRow(qPrintable(QStringLiteral("decoder (GPT-2), %1").arg(measure))) << "gpt2" << measure;
            QTest::newRow(qPrintable(QStringLiteral("encoder (BERT, post-norm), %1").arg(measure))) << "bert-base" << measure;
            QTest::newRow(qPrintable(QStringLiteral("stories260K (LLaMA, GQA), %1").arg(measure))) << "stories" << measure;
        }
    }

    void matchesLoops()
    {
        QFETCH(QString, name);
        QFETCH(QString, measure);
        const auto checkpoint = openCheckpoint(name);
        if (!checkpoint)
            QSKIP("shared model stories260K not found (set ATTNSCOPE_SHARED_DIR)");
        const Model &model = *checkpoint->model;
        const ModelInfo &info = model.info();
        ResidualRecorder recorder;
        recordedRun(model, checkpoint->ids, recorder);
        const torch::Tensor alpha = attentionOf(model, checkpoint->ids);

        const AnalysisResult result = runAnalysisOn(*checkpoint, QStringLiteral("alti"), {{QStringLiteral("measure"), measure}});
        const torch::Tensor contributions = result.tensors.at("contributions");
        const int64_t tokens = checkpoint->ids.size(0);
        QCOMPARE(contributions.sizes().vec(), (std::vector<int64_t>{info.layers, tokens, tokens}));

        const bool postNorm = checkpoint->family == Family::Bert;
        double worst = 0;
        torch::Tensor rollout;
        for (int layer = 0; layer < info.layers; ++layer) {
            const std::string prefix = "encoder.layer." + std::to_string(layer) + ".attention.output.LayerNorm.";
            const torch::Tensor gamma = postNorm ? checkpoint->weight(prefix + "weight") : torch::Tensor();
            const torch::Tensor beta = postNorm ? checkpoint->weight(prefix + "bias") : torch::Tensor();
            torch::Tensor expected = torch::zeros({tokens, tokens}, torch::kFloat64);
            for (int64_t i = 0; i < tokens; ++i) {
                const Parts parts = partsOf(*checkpoint, layer, alpha, recorder.streams[size_t(layer)], i, gamma, beta, 1e-12);
                double total = 0;
                for (int64_t j = 0; j < tokens; ++j) {
                    const torch::Tensor &z = parts.z[size_t(j)];
                    const double share = measure == QLatin1String("alti")
                                             ? std::max(0.0, parts.y.abs().sum().item<double>() - (parts.y - z).abs().sum().item<double>())
                                             : z.norm().item<double>();
                    expected[i][j] = share;
                    total += share;
                }
                expected[i] /= total;
            }
            worst = std::max(worst, maxDifference(contributions[layer], expected));
            rollout = layer == 0 ? expected : expected.matmul(rollout);
            if (info.causal)
                QCOMPARE(contributions[layer].triu(1).abs().max().item<double>(), 0.0);
        }
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
        QVERIFY(maxDifference(result.tensors.at("alti"), rollout) < 1e-5);
        QVERIFY(maxDifference(result.tensors.at("alti").sum(1), torch::ones({tokens}, torch::kFloat64)) < 1e-9);
        QVERIFY(torch::equal(result.tensors.at("input_ids"), checkpoint->ids));
    }
};

QTEST_GUILESS_MAIN(TestAlti)
#include "test_alti.moc"
