// attnscope-cli run on an encoder–decoder model (#24): a tiny random T5 in Hugging Face
// layout with the t5-small tokenizer. The file holds Hugging Face's names and shapes, the
// target tokenized with EOS and shifted right after decoder_start_token_id, the same numbers
// as the engine's forward pass; without --target the decoder reads the start token alone;
// generate keeps each step's cross-attention row; info describes both stacks; bad input is
// one line with exit code 3 (or 2 for usage).

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include "cli/cli_runner.h"
#include "core/capture/attention_record.h"
#include "core/io/safetensors_file.h"
#include "core/models/decoder_test_support.h"
#include "core/models/seq2seq_model.h"
#include "core/models/seq2seq_test_support.h"

using namespace attnscope;

namespace {

const QString kTokenizer = QStringLiteral(ATTNSCOPE_SHARED_DIR "/tokenizers/t5-small");
const QString kSource = QStringLiteral("translate English to German: The house is wonderful.");
const QString kTarget = QStringLiteral("Das Haus ist wunderbar.");

test::T5Layout smallT5()
{
    test::T5Layout layout;
    layout.vocab = 32128; // t5-small's rows: the tokenizer's 32,100 ids and padding
    layout.model = 8;
    layout.kv = 4;
    layout.ff = 16;
    layout.heads = 2;
    layout.encoderLayers = 2;
    layout.decoderLayers = 3;
    return layout;
}

struct Written {
    std::map<std::string, torch::Tensor> tensors;
    QMap<QString, QString> metadata;
};

Written readWritten(const QString &path)
{
    const auto file = SafetensorsFile::open(path);
    Written written;
    for (const std::string &name : file->names())
        written.tensors[name] = file->load(name).clone();
    written.metadata = file->metadata();
    return written;
}

std::vector<int64_t> sizesOf(const torch::Tensor &tensor)
{
    return tensor.sizes().vec();
}

} // namespace

class TestSeq2SeqRun : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<test::TinyCheckpoint> m_checkpoint;
    QString m_dir;
    QTemporaryDir m_out;

    QStringList runArguments(const QString &out) const
    {
        return {QStringLiteral("run"), m_dir, QStringLiteral("--text"), kSource, QStringLiteral("--out"), out};
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(kTokenizer + QStringLiteral("/tokenizer.json")))
            QSKIP("the t5-small tokenizer is not in ../shared/tokenizers");
        m_checkpoint = std::make_unique<test::TinyCheckpoint>(70);
        test::addT5Weights(*m_checkpoint, smallT5());
        m_dir = m_checkpoint->write(test::t5Config(smallT5()));
        for (const QString &name : {QStringLiteral("tokenizer.json"), QStringLiteral("tokenizer_config.json")})
            QVERIFY(QFile::copy(kTokenizer + QLatin1Char('/') + name, m_dir + QLatin1Char('/') + name));
    }

    void writesHuggingFaceNames()
    {
        const QString out = m_out.filePath(QStringLiteral("pair.safetensors"));
        const CliResult result = runCli(runArguments(out) << QStringLiteral("--target") << kTarget);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const Written w = readWritten(out);
        const torch::Tensor labels = w.tensors.at("labels"), decoderIds = w.tensors.at("decoder_input_ids");
        const int64_t sources = w.tensors.at("input_ids").numel(), targets = labels.numel();
        QCOMPARE(labels[-1].item<int64_t>(), int64_t(1)); // </s> ends the target, as text_target gives it
        QCOMPARE(decoderIds[0].item<int64_t>(), int64_t(0));
        QVERIFY(torch::equal(decoderIds.slice(0, 1), labels.slice(0, 0, targets - 1)));
        QCOMPARE(sizesOf(w.tensors.at("encoder_attentions")), (std::vector<int64_t>{2, 2, sources, sources}));
        QCOMPARE(sizesOf(w.tensors.at("decoder_attentions")), (std::vector<int64_t>{3, 2, targets, targets}));
        QCOMPARE(sizesOf(w.tensors.at("cross_attentions")), (std::vector<int64_t>{3, 2, targets, sources}));
        QCOMPARE(sizesOf(w.tensors.at("logits")), (std::vector<int64_t>{targets, 32128}));
        // The file opens as an attention file: its encoder, with the source tokens.
        const QString png = m_out.filePath(QStringLiteral("encoder.png"));
        const CliResult render = runCli({QStringLiteral("render"), out, QStringLiteral("--view"), QStringLiteral("head"),
                                         QStringLiteral("--out"), png});
        QVERIFY2(render.exitCode == 0, render.err.constData());
        QVERIFY(QFileInfo(png).size() > 0);
        const QStringList decoderTokens =
            QJsonDocument::fromJson(w.metadata.value(QStringLiteral("decoder_tokens")).toUtf8()).toVariant().toStringList();
        QCOMPARE(decoderTokens.size(), int(targets));

        // The same numbers as the engine's forward pass of those ids.
        const auto model = loadSeq2SeqModel(m_dir);
        Seq2SeqInput input;
        input.inputIds = w.tensors.at("input_ids");
        input.decoderInputIds = decoderIds;
        AttentionRecord encoder, decoder, cross;
        const torch::Tensor logits = model->forward(input, {}, {&encoder, &decoder, &cross});
        QVERIFY(test::maxDifference(w.tensors.at("encoder_attentions"), encoder.all()) < 1e-6);
        QVERIFY(test::maxDifference(w.tensors.at("decoder_attentions"), decoder.all()) < 1e-6);
        QVERIFY(test::maxDifference(w.tensors.at("cross_attentions"), cross.all()) < 1e-6);
        QVERIFY(test::maxDifference(w.tensors.at("logits"), logits) < 1e-5);
    }

    void readsTheTargetFromAFile()
    {
        const QString file = m_out.filePath(QStringLiteral("target.txt"));
        QFile text(file);
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write(kTarget.toUtf8());
        text.close();
        const QString inline_ = m_out.filePath(QStringLiteral("inline.safetensors"));
        const QString fromFile = m_out.filePath(QStringLiteral("file.safetensors"));
        QCOMPARE(runCli(runArguments(inline_) << QStringLiteral("--target") << kTarget).exitCode, 0);
        const CliResult result = runCli(runArguments(fromFile) << QStringLiteral("--target-file") << file);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QVERIFY(torch::equal(readWritten(inline_).tensors.at("decoder_input_ids"),
                             readWritten(fromFile).tensors.at("decoder_input_ids")));
    }

    void withoutTargetReadsTheStartToken()
    {
        const QString out = m_out.filePath(QStringLiteral("start.safetensors"));
        const CliResult result = runCli(runArguments(out));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const Written w = readWritten(out);
        QVERIFY(torch::equal(w.tensors.at("decoder_input_ids"), torch::tensor({int64_t(0)})));
        QCOMPARE(w.tensors.at("cross_attentions").size(2), int64_t(1));
        QCOMPARE(w.tensors.count("labels"), size_t(0));
    }

    // @stack=cross puts a variant on the cross-attention alone.
    void variantOnOneStack()
    {
        const QString out = m_out.filePath(QStringLiteral("topk.safetensors"));
        const CliResult result = runCli(runArguments(out) << QStringLiteral("--target") << kTarget << QStringLiteral("--variant")
                                                          << QStringLiteral("topk:k=2@stack=cross"));
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const Written w = readWritten(out);
        const auto mostKeysPerRow = [](const torch::Tensor &attentions) {
            return attentions.gt(0).sum(-1).max().item<int64_t>();
        };
        QCOMPARE(mostKeysPerRow(w.tensors.at("cross_attentions")), int64_t(2));
        QVERIFY(mostKeysPerRow(w.tensors.at("encoder_attentions")) > 2);
        QCOMPARE(w.metadata.value(QStringLiteral("variants")), QStringLiteral("[\"topk:k=2@stack=cross\"]"));
    }

    // generate: each step's cross-attention row and logits equal one run of the ids it read.
    void generateRecordsEachStepsCrossAttention()
    {
        const QString out = m_out.filePath(QStringLiteral("steps.safetensors"));
        const CliResult result = runCli({QStringLiteral("generate"), m_dir, QStringLiteral("--text"), kSource,
                                         QStringLiteral("--max-new-tokens"), QStringLiteral("5"), QStringLiteral("--out"), out});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const Written w = readWritten(out);
        const torch::Tensor decoderIds = w.tensors.at("decoder_input_ids");
        const int64_t steps = decoderIds.numel(), sources = w.tensors.at("input_ids").numel();
        QVERIFY(steps >= 1 && steps <= 5);
        QCOMPARE(sizesOf(w.tensors.at("cross_attentions")), (std::vector<int64_t>{3, 2, steps, sources}));
        QCOMPARE(w.tensors.at("generated_ids").numel(), steps);
        const auto model = loadSeq2SeqModel(m_dir);
        Seq2SeqInput input;
        input.inputIds = w.tensors.at("input_ids");
        input.decoderInputIds = decoderIds;
        AttentionRecord encoder, decoder, cross;
        const torch::Tensor logits = model->forward(input, {}, {&encoder, &decoder, &cross});
        const double crossDifference = test::maxDifference(w.tensors.at("cross_attentions"), cross.all());
        const double logitDifference = test::maxDifference(w.tensors.at("step_logits"), logits);
        qInfo("generate against run: cross %g, logits %g", crossDifference, logitDifference);
        QVERIFY(crossDifference < 1e-5 && logitDifference < 1e-4);
    }

    // A MarianTokenizer folder's tokenizer.json adds no </s>; run appends it to source and
    // target as Hugging Face's MarianTokenizer does, and the decoder starts with the pad id.
    void marianEndsEachTextWithEos()
    {
        const QString tokenizer = QStringLiteral(ATTNSCOPE_SHARED_DIR "/tokenizers/marian-nmt");
        if (!QFileInfo::exists(tokenizer + QStringLiteral("/tokenizer.json")))
            QSKIP("the marian-nmt tokenizer is not in ../shared/tokenizers");
        test::BartLayout layout;
        layout.marian = true;
        layout.vocab = 32001; // the tokenizer's ids and <pad> (32000)
        layout.model = 8;
        layout.positions = 64;
        layout.encoderLayers = layout.decoderLayers = 1;
        layout.encoderHeads = layout.decoderHeads = 2;
        layout.encoderFfn = layout.decoderFfn = 16;
        test::TinyCheckpoint checkpoint(71);
        test::addBartWeights(checkpoint, layout);
        const QString dir = checkpoint.write(test::bartConfig(layout));
        for (const QString &name : {QStringLiteral("tokenizer.json"), QStringLiteral("tokenizer_config.json")})
            QVERIFY(QFile::copy(tokenizer + QLatin1Char('/') + name, dir + QLatin1Char('/') + name));
        const QString out = m_out.filePath(QStringLiteral("marian.safetensors"));
        const CliResult result = runCli({QStringLiteral("run"), dir, QStringLiteral("--text"), QStringLiteral("The house is wonderful."),
                                         QStringLiteral("--target"), QStringLiteral("Das Haus ist wunderbar."),
                                         QStringLiteral("--out"), out});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const Written w = readWritten(out);
        QCOMPARE(w.tensors.at("input_ids")[-1].item<int64_t>(), int64_t(0));
        QCOMPARE(w.tensors.at("labels")[-1].item<int64_t>(), int64_t(0));
        QCOMPARE(w.tensors.at("decoder_input_ids")[0].item<int64_t>(), int64_t(32000));
        QCOMPARE(w.tensors.at("cross_attentions").size(0), int64_t(1));
    }

    void infoDescribesBothStacks()
    {
        const CliResult result = runCli({QStringLiteral("info"), m_dir});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject info = QJsonDocument::fromJson(result.out).object();
        const QJsonObject stacks = info.value(QStringLiteral("encoder_decoder")).toObject();
        QCOMPARE(info.value(QStringLiteral("layers")).toInt(), 2);
        QCOMPARE(stacks.value(QStringLiteral("encoder_layers")).toInt(), 2);
        QCOMPARE(stacks.value(QStringLiteral("decoder_layers")).toInt(), 3);
        QCOMPARE(stacks.value(QStringLiteral("decoder_heads")).toInt(), 2);
        QCOMPARE(stacks.value(QStringLiteral("decoder_start_token_id")).toInt(), 0);
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("--target on a decoder-only model") << QStringLiteral("gpt2")
                                                          << QStringList{QStringLiteral("--target"), kTarget} << 3
                                                          << QStringLiteral("--target needs an encoder–decoder model");
        QTest::newRow("no decoder_start_token_id") << QStringLiteral("no start") << QStringList{} << 3
                                                   << QStringLiteral("decoder_start_token_id");
        QTest::newRow("unknown stack") << QString() << QStringList{QStringLiteral("--variant"), QStringLiteral("topk:k=2@stack=middle")}
                                       << 2 << QStringLiteral("unknown stack 'middle'");
        QTest::newRow("a layer only the decoder has") << QString() << QStringList{QStringLiteral("--variant"), QStringLiteral("window:size=2@layers=2")}
                                                      << 2 << QStringLiteral("in the encoder stack");
        QTest::newRow("--text-pair") << QString() << QStringList{QStringLiteral("--text-pair"), kTarget} << 2
                                     << QStringLiteral("--text and --target");
    }

    void badInput()
    {
        QFETCH(QString, config);
        QFETCH(QStringList, extra);
        QFETCH(int, exitCode);
        QFETCH(QString, mentions);
        QTemporaryDir other;
        QString dir = m_dir;
        if (!config.isEmpty()) {
            QJsonObject json = test::t5Config(smallT5());
            if (config == QLatin1String("gpt2"))
                json = QJsonObject{{QStringLiteral("model_type"), QStringLiteral("gpt2")}};
            else
                json.remove(QStringLiteral("decoder_start_token_id"));
            for (const QString &name : QDir(m_dir).entryList(QDir::Files))
                QFile::copy(m_dir + QLatin1Char('/') + name, other.filePath(name));
            QFile::remove(other.filePath(QStringLiteral("config.json")));
            QFile file(other.filePath(QStringLiteral("config.json")));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QJsonDocument(json).toJson());
            file.close();
            dir = other.path();
        }
        const CliResult result = runCli(QStringList{QStringLiteral("run"), dir, QStringLiteral("--text"), kSource,
                                                    QStringLiteral("--out"), m_out.filePath(QStringLiteral("bad.safetensors"))}
                                        + extra);
        verifyOneLineError(result, exitCode, mentions);
    }
};

QTEST_GUILESS_MAIN(TestSeq2SeqRun)
#include "test_seq2seq_run.moc"
