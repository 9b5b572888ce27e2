// Randomized corruption: every truncation and many byte edits of valid checkpoints must
// either load or fail with an InputError, never crash, hang or throw anything else.
#include <random>

#include <QTemporaryDir>
#include <QTest>

#include "core/io/safetensors_file.h"
#include "core/io/torch_checkpoint.h"
#include "core/io/io_test_support.h"

using namespace attnscope;
using namespace attnscope::testing;

namespace {
// Opens the file and reads every byte of every tensor.
void loadEverything(const QString &path)
{
    const std::unique_ptr<WeightSource> weights = path.endsWith(QLatin1String(".safetensors"))
                                                      ? std::unique_ptr<WeightSource>(SafetensorsFile::open(path))
                                                      : std::unique_ptr<WeightSource>(TorchCheckpoint::open(path));
    for (const std::string &name : weights->names())
        weights->load(name).clone();
}
} // namespace

class TestCorruption : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void survivesEveryTruncationAndByteEdit_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::newRow("pytorch_model.bin") << "tensors.bin";
        QTest::newRow("ZIP64 .bin") << "zip64.bin";
        QTest::newRow("hand-pickled .bin") << "handmade/valid.bin";
        QTest::newRow("legacy .bin") << "legacy.bin";
        QTest::newRow("safetensors") << "expected.safetensors";
    }
    void survivesEveryTruncationAndByteEdit()
    {
        QFETCH(QString, fixture);
        const QByteArray original = readBytes(QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/io/") + fixture);
        QVERIFY(!original.isEmpty());
        QTemporaryDir dir;
        const QString suffix = fixture.endsWith(QLatin1String(".safetensors")) ? ".safetensors" : ".bin";
        std::mt19937 random(20261122);
        int loaded = 0, refused = 0;
        auto attempt = [&](const QByteArray &bytes, const QString &edit) {
            // A fresh name each time: rewriting one file in place makes ext4 flush it to disk.
            const QString path = dir.filePath(QString::number(loaded + refused) + suffix);
            writeBytes(path, bytes);
            QString message;
            try {
                message = inputErrorOf([&] { loadEverything(path); });
            } catch (const std::exception &error) {
                QFAIL(qPrintable(edit + QStringLiteral(": threw something other than InputError: ") + error.what()));
            }
            (message.isEmpty() ? loaded : refused) += 1;
            QVERIFY2(message.isEmpty() || (message.startsWith(path) && !message.contains('\n')), qPrintable(message));
            QFile::remove(path);
        };
        for (qsizetype at = 0; at < original.size(); ++at) {
            attempt(original.left(at), QStringLiteral("truncated to %1 bytes").arg(at));
            QByteArray flipped = original;
            flipped[at] = char(~flipped[at]);
            attempt(flipped, QStringLiteral("byte %1 inverted").arg(at));
            QByteArray changed = original;
            changed[at] = char(random() & 0xff);
            attempt(changed, QStringLiteral("byte %1 set to %2").arg(at).arg(uchar(changed[at])));
            if (QTest::currentTestFailed())
                return;
        }
        attempt(original, QStringLiteral("unchanged"));
        QVERIFY(loaded > 0 && refused > 0); // edits of the data load, edits of the structure fail
    }
};

QTEST_GUILESS_MAIN(TestCorruption)
#include "test_corruption.moc"
