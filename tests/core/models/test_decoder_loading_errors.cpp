// Broken decoder checkpoints fail with one InputError line naming the file and the problem:
// unknown model_type (listing the supported ones), a missing tensor, a tensor of the wrong
// shape, an unsupported rope_scaling type, heads that do not divide.

#include <QtTest>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <torch/torch.h>

#include "core/io/input_error.h"
#include "core/io/safetensors_file.h"
#include "core/io/safetensors_writer.h"
#include "core/models/model.h"

using namespace attnscope;

namespace {

const QString kSource = QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/models/decoders/llama_gqa");

// A copy of llama_gqa with config fields replaced and tensors dropped or reshaped.
class BrokenCheckpoint {
public:
    BrokenCheckpoint(const QJsonObject &configChanges, const std::string &drop = {},
                     const std::string &truncate = {})
    {
        QFile source(kSource + QStringLiteral("/config.json"));
        source.open(QIODevice::ReadOnly);
        QJsonObject config = QJsonDocument::fromJson(source.readAll()).object();
        for (auto it = configChanges.begin(); it != configChanges.end(); ++it)
            config.insert(it.key(), it.value());
        QFile target(m_dir.filePath(QStringLiteral("config.json")));
        target.open(QIODevice::WriteOnly);
        target.write(QJsonDocument(config).toJson());
        target.close();
        const auto weights = SafetensorsFile::open(kSource + QStringLiteral("/model.safetensors"));
        NamedTensors tensors;
        for (const std::string &name : weights->names()) {
            if (name == drop)
                continue;
            const torch::Tensor tensor = weights->load(name);
            tensors.emplace_back(name, name == truncate ? tensor.slice(0, 1).contiguous() : tensor.clone());
        }
        writeSafetensors(m_dir.filePath(QStringLiteral("model.safetensors")), tensors);
    }
    QString path() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
};

QString loadError(const QString &dir)
{
    try {
        loadModel(dir);
    } catch (const InputError &error) {
        return QString::fromUtf8(error.what());
    }
    return QStringLiteral("(no error)");
}

} // namespace

class TestDecoderLoadingErrors : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void errorsNameTheFileAndTheProblem_data()
    {
        QTest::addColumn<QJsonObject>("config");
        QTest::addColumn<QString>("drop");
        QTest::addColumn<QString>("truncate");
        QTest::addColumn<QStringList>("mentions");
        QTest::newRow("unknown type") << QJsonObject{{QStringLiteral("model_type"), QStringLiteral("falcon")}}
                                      << QString() << QString()
                                      << QStringList{QStringLiteral("config.json"), QStringLiteral("'falcon'"),
                                                     QStringLiteral("llama"), QStringLiteral("gpt2")};
        QTest::newRow("missing tensor") << QJsonObject() << QStringLiteral("model.layers.1.mlp.up_proj.weight") << QString()
                                        << QStringList{QStringLiteral("model.safetensors"),
                                                       QStringLiteral("layers.1.mlp.up_proj.weight"),
                                                       QStringLiteral("missing")};
        QTest::newRow("wrong shape") << QJsonObject() << QString() << QStringLiteral("model.layers.0.self_attn.k_proj.weight")
                                     << QStringList{QStringLiteral("model.safetensors"),
                                                    QStringLiteral("[15, 32]"), QStringLiteral("expected [16, 32]")};
        QTest::newRow("rope type") << QJsonObject{{QStringLiteral("rope_scaling"),
                                                   QJsonObject{{QStringLiteral("rope_type"), QStringLiteral("yarn")},
                                                               {QStringLiteral("factor"), 2}}}}
                                   << QString() << QString()
                                   << QStringList{QStringLiteral("config.json"), QStringLiteral("'yarn'"),
                                                  QStringLiteral("llama3")};
        QTest::newRow("heads") << QJsonObject{{QStringLiteral("num_key_value_heads"), 3}} << QString() << QString()
                               << QStringList{QStringLiteral("config.json"), QStringLiteral("num_key_value_heads")};
        QTest::newRow("activation") << QJsonObject{{QStringLiteral("hidden_act"), QStringLiteral("swiglu9")}}
                                    << QString() << QString()
                                    << QStringList{QStringLiteral("config.json"), QStringLiteral("'swiglu9'"),
                                                   QStringLiteral("silu")};
    }

    void errorsNameTheFileAndTheProblem()
    {
        QFETCH(QJsonObject, config);
        QFETCH(QString, drop);
        QFETCH(QString, truncate);
        QFETCH(QStringList, mentions);
        const BrokenCheckpoint checkpoint(config, drop.toStdString(), truncate.toStdString());
        const QString error = loadError(checkpoint.path());
        QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
        for (const QString &mention : mentions)
            QVERIFY2(error.contains(mention), qPrintable(error + QStringLiteral(" lacks ") + mention));
    }

    void badTokenIdsAreInputErrors()
    {
        const auto model = loadModel(kSource);
        ModelInput input;
        input.inputIds = torch::tensor({1, 48}, torch::kInt64);
        QVERIFY_THROWS_EXCEPTION(InputError, model->forward(input, {}, nullptr));
        input.inputIds = torch::zeros({0}, torch::kInt64);
        QVERIFY_THROWS_EXCEPTION(InputError, model->forward(input, {}, nullptr));
        input.inputIds = torch::tensor({1, 2}, torch::kInt64);
        input.headGates = torch::ones({3, 4});
        QVERIFY_THROWS_EXCEPTION(InputError, model->forward(input, {}, nullptr));
    }

    void gpt2RefusesPositionsBeyondItsTable()
    {
        const auto model = loadModel(QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/models/decoders/gpt2_lm"));
        ModelInput input;
        input.inputIds = torch::zeros({17}, torch::kInt64);
        QVERIFY_THROWS_EXCEPTION(InputError, model->forward(input, {}, nullptr));
    }
};

QTEST_GUILESS_MAIN(TestDecoderLoadingErrors)
#include "test_decoder_loading_errors.moc"
