// Variants inside the real kernel and model: chunked attention equals dense softmax,
// ablating every head of a layer zeroes that layer's attention output, and every variant
// gives the same output whatever row blocks the kernel uses.

#include <QFileInfo>
#include <QtTest>

#include "core/attention/row_blocks.h"
#include "core/attention/variant_registry.h"
#include "core/capture/attention_record.h"
#include "core/models/model.h"
#include "synthetic_attention.h"

using namespace attnscope;
using namespace attnscope::test;

class TestVariantKernel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void chunkedEqualsDense_data()
    {
        QTest::addColumn<bool>("causal");
        QTest::addColumn<int>("kvHeads");
        QTest::addColumn<int>("padded");
        QTest::addColumn<int>("chunk");
        QTest::newRow("encoder") << false << 4 << 0 << 16;
        QTest::newRow("encoder padded, odd chunk") << false << 4 << 9 << 7;
        QTest::newRow("causal GQA") << true << 2 << 0 << 33;
        QTest::newRow("chunk of one key") << true << 4 << 0 << 1;
        QTest::newRow("chunk longer than input") << true << 1 << 0 << 1000;
    }

    void chunkedEqualsDense()
    {
        QFETCH(bool, causal);
        QFETCH(int, kvHeads);
        QFETCH(int, padded);
        QFETCH(int, chunk);
        LayerShape shape;
        shape.causal = causal;
        shape.kvHeads = kvHeads;
        shape.paddedKeys = padded;
        shape.queries = shape.keys = 300;
        shape.dim = 16;
        const AttentionInputs inputs = makeInputs(shape, 21, 2.0);
        const torch::Tensor dense = attend(inputs, AttentionPlan{}, nullptr);
        const torch::Tensor chunked =
            attend(inputs, parsePlan({QStringLiteral("chunked:chunk=%1").arg(chunk)}), nullptr);
        // Outputs reach |o| ≈ 10 in fp32, where one rounding step is 1e-6: equal to 1e-6 of
        // their scale (the probabilities below are compared absolutely).
        const double outputScale = std::max(1.0, dense.abs().max().item<double>());
        QVERIFY2((chunked - dense).abs().max().item<double>() <= 1e-6 * outputScale,
                 qPrintable(QStringLiteral("%1 at scale %2").arg((chunked - dense).abs().max().item<double>()).arg(outputScale)));
        const torch::Tensor denseMap = layerProbabilities(QStringLiteral("softmax"), inputs);
        const torch::Tensor chunkedMap = layerProbabilities(QStringLiteral("chunked:chunk=%1").arg(chunk), inputs, 64);
        QVERIFY2((chunkedMap - denseMap).abs().max().item<double>() <= 1e-6,
                 qPrintable(QString::number((chunkedMap - denseMap).abs().max().item<double>())));
    }

    // Ablating only some heads zeroes exactly those heads' outputs.
    void ablationZeroesChosenHeads()
    {
        LayerShape shape;
        shape.causal = true;
        shape.kvHeads = 2;
        shape.layer = 3;
        const AttentionInputs inputs = makeInputs(shape);
        const torch::Tensor reference = attend(inputs, AttentionPlan{}, nullptr);
        const torch::Tensor ablated = attend(inputs, parsePlan({QStringLiteral("ablate@layers=3@heads=1,2")}), nullptr);
        QCOMPARE(ablated.index_select(0, torch::tensor({1, 2})).abs().max().item<double>(), 0.0);
        QVERIFY(torch::equal(ablated.index_select(0, torch::tensor({0, 3})),
                             reference.index_select(0, torch::tensor({0, 3}))));
        // Another layer is untouched.
        QVERIFY(torch::equal(attend(inputs, parsePlan({QStringLiteral("ablate@layers=2")}), nullptr), reference));
    }

    // Every variant's kernel output is the same whatever the row blocks.
    void outputsIgnoreRowBlocks_data()
    {
        QTest::addColumn<QString>("spec");
        for (const QString &name : variantNames())
            QTest::newRow(name.toUtf8().constData()) << name;
    }

    void outputsIgnoreRowBlocks()
    {
        QFETCH(QString, spec);
        LayerShape shape;
        shape.causal = true;
        shape.kvHeads = 2;
        shape.queries = shape.keys = 40;
        const AttentionInputs inputs = makeInputs(shape);
        const AttentionPlan plan = parsePlan({spec + QStringLiteral("@heads=0,2-3")});
        const torch::Tensor whole = attendInRowBlocks(inputs, plan, nullptr, 40);
        for (int64_t rows : {1, 6})
            QVERIFY(torch::allclose(attendInRowBlocks(inputs, plan, nullptr, rows), whole, 1e-5, 1e-6));
    }

    // One plan runs on every family: in the covered layer top-k keeps exactly k keys per row
    // (renormalized), the other layers stay dense softmax.
    void variantsRunOnEveryFamily_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::newRow("encoder (BERT)") << QStringLiteral("encoders/bert_base");
        QTest::newRow("causal (GPT-2)") << QStringLiteral("decoders/gpt2_lm");
        QTest::newRow("GQA (LLaMA)") << QStringLiteral("decoders/llama_gqa");
        QTest::newRow("vision (ViT)") << QStringLiteral("encoders/vit_classifier");
    }

    void variantsRunOnEveryFamily()
    {
        QFETCH(QString, fixture);
        const auto model = loadModel(QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/models/") + fixture);
        ModelInput input;
        torch::manual_seed(2);
        if (model->info().vision)
            input.pixelValues = torch::randn({3, 32, 32});
        else
            input.inputIds = torch::randint(3, std::min(model->info().vocabSize, 40), {12}, torch::kInt64);
        AttentionRecord record;
        model->forward(input, parsePlan({QStringLiteral("topk:k=2@layers=0")}), &record);
        const torch::Tensor covered = record.layer(0);
        const torch::Tensor kept = (covered > 0).sum(-1);
        const torch::Tensor allowed = torch::arange(covered.size(1)).add(1).clamp_max(covered.size(2));
        const torch::Tensor expectedKept = (model->info().causal ? allowed : torch::full_like(allowed, covered.size(2)))
                                               .clamp_max(2).expand_as(kept);
        QVERIFY(torch::equal(kept, expectedKept));
        QVERIFY(torch::allclose(covered.sum(-1), torch::ones_like(covered.sum(-1)), 1e-5, 1e-5));
        QVERIFY((record.layer(1) > 0).sum(-1).max().item<int64_t>() > 2);
    }

    // On the real stories260K model: ablating every head of layer 2 gives the same logits as
    // gating that layer's attention output to zero.
    void ablatingALayerEqualsZeroingIt()
    {
        const QString dir = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
        if (!QFileInfo::exists(dir + QStringLiteral("/config.json")))
            QSKIP("shared model stories260K not found (set ATTNSCOPE_SHARED_DIR)");
        torch::NoGradGuard noGrad;
        const auto model = loadModel(dir);
        const ModelInfo &info = model->info();
        ModelInput input;
        input.inputIds = torch::tensor({1, 403, 407, 261, 378, 285, 370, 315, 289, 304, 261, 330}, torch::kInt64);
        const torch::Tensor reference = model->forward(input, AttentionPlan{}, nullptr);
        const torch::Tensor ablated = model->forward(input, parsePlan({QStringLiteral("ablate@layers=2")}), nullptr);
        ModelInput gated = input;
        gated.headGates = torch::ones({info.layers, info.heads});
        gated.headGates[2].zero_();
        const torch::Tensor zeroed = model->forward(gated, AttentionPlan{}, nullptr);
        QVERIFY((ablated - zeroed).abs().max().item<double>() <= 1e-5);
        QVERIFY((ablated - reference).abs().max().item<double>() > 1e-3); // the layer mattered
    }
};

QTEST_GUILESS_MAIN(TestVariantKernel)
#include "test_variant_kernel.moc"
