// Loading a 256 MiB checkpoint and reading every value adds about one file size of resident
// memory (the mapped pages), not two: tensors are views over the mapping, never copies.
#include <QTemporaryDir>
#include <QTest>

#include "core/io/safetensors_writer.h"
#include "core/io/weights.h"
#include "core/io/peak_rss.h"

using namespace attnscope;
using namespace attnscope::testing;

class TestLoadMemory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loadingAddsOneFileSizeAtMost()
    {
        QTemporaryDir dir;
        const int tensors = 16;
        const double fileMiB = tensors * 16.0; // 4 Mi floats each
        {
            NamedTensors weights;
            for (int i = 0; i < tensors; ++i)
                weights.emplace_back("layers." + std::to_string(i) + ".weight", torch::full({2048, 2048}, float(i)));
            writeSafetensors(dir.filePath("model.safetensors"), weights);
        }
        if (!resetPeakRss())
            QSKIP("this kernel does not let /proc/self/clear_refs reset the peak resident memory");
        const double baseline = statusMiB("VmRSS");
        const auto weights = openWeights(dir.path());
        std::vector<torch::Tensor> loaded;
        for (const std::string &name : weights->names())
            loaded.push_back(weights->load(name));
        QVERIFY2(statusMiB("VmHWM") - baseline < 4, "opening and loading alone read no data");
        double total = 0;
        for (const torch::Tensor &tensor : loaded)
            total += tensor.sum(torch::kFloat64).item<double>();
        QCOMPARE(total, 4194304.0 * (tensors - 1) * tensors / 2); // every value read, exactly
        const double added = statusMiB("VmHWM") - baseline;
        QVERIFY2(added < 1.25 * fileMiB, qPrintable(QStringLiteral("reading a %1 MiB file added %2 MiB")
                                                         .arg(fileMiB).arg(added)));
    }
};

QTEST_GUILESS_MAIN(TestLoadMemory)
#include "test_load_memory.moc"
