// pytorch_model.bin through the safe unpickler: exact values for every dtype and for views
// sharing a storage (offsets, strides, tied weights), ZIP64 and unpadded archives, the legacy
// format, and one clear error for each malicious or broken file.
#include <QTemporaryDir>
#include <QTest>

#include "core/io/safetensors_file.h"
#include "core/io/torch_checkpoint.h"
#include "core/io/io_test_support.h"

using namespace attnscope;
using namespace attnscope::testing;

namespace {
QString fixture(const QString &name) { return QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/io/") + name; }

void compareWithExpected(const WeightSource &loaded)
{
    const auto expected = SafetensorsFile::open(fixture("expected.safetensors"));
    QCOMPARE(loaded.names(), expected->names());
    for (const std::string &name : expected->names()) {
        // The expected file holds the f16 tensor widened to F32 (exactly), the checkpoint as stored.
        const torch::Tensor want = expected->load(name), got = loaded.load(name);
        const auto storedType = name == "f16" ? torch::kFloat16 : want.scalar_type();
        QVERIFY2(got.scalar_type() == storedType, name.c_str());
        QVERIFY2(got.sizes() == want.sizes(), name.c_str());
        QVERIFY2(torch::equal(got.to(want.scalar_type()), want), name.c_str());
    }
}
} // namespace

class TestTorchCheckpoint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loadsEveryTensorExactly_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("torch.save") << fixture("tensors.bin");
        QTest::newRow("ZIP64, renamed folder, unaligned") << fixture("zip64.bin");
        QTest::newRow("legacy format before PyTorch 1.6") << fixture("legacy.bin");
    }
    void loadsEveryTensorExactly()
    {
        QFETCH(QString, file);
        const auto checkpoint = TorchCheckpoint::open(file);
        compareWithExpected(*checkpoint);
        QCOMPARE(checkpoint->fileOf("f32"), file);
        QCOMPARE(checkpoint->load("f16").scalar_type(), torch::kFloat16); // as stored, widened where used
        QCOMPARE(checkpoint->load("bf16").scalar_type(), torch::kBFloat16);
    }

    void viewsShareTheMappedStorage()
    {
        const auto checkpoint = TorchCheckpoint::open(fixture("tensors.bin"));
        const torch::Tensor base = checkpoint->load("base");
        const auto *baseData = static_cast<const float *>(base.data_ptr());
        QCOMPARE(checkpoint->load("tied.embed").data_ptr(), checkpoint->load("tied.lm_head").data_ptr());
        QCOMPARE(static_cast<const float *>(checkpoint->load("view.row").data_ptr()), baseData + 6);
        const torch::Tensor transposed = checkpoint->load("view.transposed");
        QCOMPARE(transposed.strides().vec(), (std::vector<int64_t>{1, 3}));
        QCOMPARE(transposed.data_ptr(), base.data_ptr());
        const torch::Tensor column = checkpoint->load("view.column");
        QCOMPARE(column.strides().vec(), std::vector<int64_t>{3});
        QCOMPARE(static_cast<const float *>(column.data_ptr()), baseData + 4);
    }

    void readsAHandPickledTensor()
    {
        const auto checkpoint = TorchCheckpoint::open(fixture("handmade/valid.bin"));
        QCOMPARE(checkpoint->names(), std::vector<std::string>{"w"});
        QVERIFY(torch::equal(checkpoint->load("w"), torch::tensor({1.0f, 2.0f, 3.0f})));
    }

    void badCheckpointsFailWithOneClearLine_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("problem");
        QTest::newRow("os.system") << fixture("os_system.bin") << "refuses global 'os.system'";
        QTest::newRow("builtins.eval") << fixture("builtins_eval.bin") << "refuses global 'builtins.eval'";
        QTest::newRow("unknown opcode") << fixture("unknown_opcode.bin")
                                        << "unknown_opcode/data.pkl byte 5: unsupported pickle opcode 0xff";
        QTest::newRow("NEWOBJ") << fixture("newobj.bin") << "unsupported pickle opcode 0x81";
        QTest::newRow("view past its storage") << fixture("handmade/view_past_storage.bin")
                                               << "a tensor of shape [3] at offset 2 reaches past the 4 elements of storage '0'";
        QTest::newRow("storage larger than its entry") << fixture("handmade/storage_larger_than_entry.bin")
                                                       << "storage '0' claims 8 elements of 4 bytes but its entry holds 16 bytes";
        QTest::newRow("storage entry missing") << fixture("handmade/storage_entry_missing.bin")
                                               << "storage '7' has no entry archive/data/7";
        QTest::newRow("complex storage") << fixture("handmade/complex_storage.bin")
                                         << "refuses global 'torch.ComplexFloatStorage'";
        QTest::newRow("missing file") << fixture("absent.bin") << "does not exist";
        QTest::newRow("not a checkpoint") << fixture("expected.safetensors")
                                          << "is not a torch.save checkpoint (neither a zip archive nor the legacy format)";
    }
    void badCheckpointsFailWithOneClearLine()
    {
        QFETCH(QString, file);
        QFETCH(QString, problem);
        ATTNSCOPE_VERIFY_INPUT_ERROR(TorchCheckpoint::open(file), file, problem);
    }

    void unknownTensorIsNamed()
    {
        const QString file = fixture("tensors.bin");
        ATTNSCOPE_VERIFY_INPUT_ERROR(TorchCheckpoint::open(file)->load("nothing"), file, "has no tensor 'nothing'");
    }

    // Edits of a valid archive: each must fail at open with the problem named.
    void damagedArchivesFailWithOneClearLine_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("truncateTo");
        QTest::addColumn<QByteArray>("find");
        QTest::addColumn<QByteArray>("replace");
        QTest::addColumn<QString>("problem");
        const QByteArray none;
        QTest::newRow("truncated to half") << "tensors.bin" << 2300 << none << none << "no end of central directory";
        QTest::newRow("truncated end record") << "tensors.bin" << -10 << none << none << "no end of central directory";
        QTest::newRow("pickle bytes changed") << "tensors.bin" << 0 << QByteArray("FloatStorage")
                                              << QByteArray("FloatStorago") << "fails its CRC-32 check";
        QTest::newRow("compressed entry") << "handmade/valid.bin" << 0 << QByteArray("PK\x01\x02-\0-\0\0\0\0\0", 12)
                                          << QByteArray("PK\x01\x02-\0-\0\0\0\x08\0", 12) << "is compressed (method 8)";
        QTest::newRow("legacy, last storage cut") << "legacy.bin" << -1 << none << none
                                                  << "legacy torch.save format: storage";
        QTest::newRow("legacy, foreign global") << "legacy.bin" << 0 << QByteArray("ctorch\nFloatStorage\n")
                                                << QByteArray("cos\nsystem_________\n") << "refuses global 'os.system_________'";
        QTest::newRow("directory offset past the end") << "handmade/valid.bin" << 0
                                                       << QByteArray("\x03\0\x03\0", 4) << QByteArray("\x03\0\x03\0\xb0\0\0\0\xff\xff", 10)
                                                       << "lies outside the file";
    }
    void damagedArchivesFailWithOneClearLine()
    {
        QFETCH(QString, source);
        QFETCH(int, truncateTo);
        QFETCH(QByteArray, find);
        QFETCH(QByteArray, replace);
        QFETCH(QString, problem);
        QByteArray bytes = readBytes(fixture(source));
        if (truncateTo)
            bytes.truncate(truncateTo > 0 ? truncateTo : bytes.size() + truncateTo);
        if (!find.isEmpty()) {
            const qsizetype at = bytes.indexOf(find);
            QVERIFY2(at >= 0, "the pattern to edit is in the fixture");
            bytes.replace(at, replace.size(), replace);
        }
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("damaged.bin"));
        writeBytes(file, bytes);
        ATTNSCOPE_VERIFY_INPUT_ERROR(TorchCheckpoint::open(file), file, problem);
    }
};

QTEST_GUILESS_MAIN(TestTorchCheckpoint)
#include "test_torch_checkpoint.moc"
