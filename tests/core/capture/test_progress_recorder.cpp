// ProgressRecorder: reports every layer in order, forwards what it records unchanged, and
// stops the forward pass at the next layer once cancelled.
#include <QtTest>

#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "core/capture/progress_recorder.h"
#include "core/models/model.h"

using namespace attnscope;

namespace {

const QString kModel = QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/models/decoders/llama_gqa");

ModelInput someTokens()
{
    ModelInput input;
    input.inputIds = torch::arange(3, 12, torch::kInt64);
    return input;
}

} // namespace

class TestProgressRecorder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void reportsEveryLayerAndRecordsTheSame()
    {
        const auto model = loadModel(kModel);
        AttentionRecord direct, observed;
        model->forward(someTokens(), {}, &direct);
        std::atomic<bool> cancelled{false};
        std::vector<std::pair<int, int>> started;
        ProgressRecorder progress(observed, cancelled, [&](int layer, int layers) { started.emplace_back(layer, layers); });
        model->forward(someTokens(), {}, &progress);
        const int layers = model->info().layers;
        QCOMPARE(int(started.size()), layers);
        for (int layer = 0; layer < layers; ++layer) {
            QCOMPARE(started[size_t(layer)], std::make_pair(layer, layers));
            QVERIFY(torch::equal(observed.layer(layer), direct.layer(layer)));
        }
    }

    void cancellingStopsAtTheNextLayer()
    {
        const auto model = loadModel(kModel);
        AttentionRecord record;
        std::atomic<bool> cancelled{false};
        int lastStarted = -1;
        ProgressRecorder progress(record, cancelled, [&](int layer, int) {
            lastStarted = layer;
            if (layer == 0)
                cancelled = true;
        });
        QVERIFY(model->info().layers > 1);
        QVERIFY_THROWS_EXCEPTION(ForwardCancelled, model->forward(someTokens(), {}, &progress));
        QCOMPARE(lastStarted, 0);
        // Cancelled before it starts: not one layer runs.
        lastStarted = -1;
        QVERIFY_THROWS_EXCEPTION(ForwardCancelled, model->forward(someTokens(), {}, &progress));
        QCOMPARE(lastStarted, -1);
    }
};

QTEST_GUILESS_MAIN(TestProgressRecorder)
#include "test_progress_recorder.moc"
