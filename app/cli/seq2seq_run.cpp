#include "app/cli/seq2seq_run.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <torch/torch.h>

#include "app/cli/attention_output.h"
#include "core/capture/attention_record.h"
#include "core/io/tensor_export.h"
#include "core/models/seq2seq_model.h"
#include "core/models/seq2seq_plans.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope::cli {

namespace {

torch::Tensor idsTensor(const std::vector<int64_t> &ids)
{
    return torch::tensor(ids, torch::kLong);
}

// Hugging Face's MarianTokenizer appends </s> to every text (source and target) in Python;
// the tokenizer.json files made from it carry no post-processor that would.
bool appendsEosItself(const QString &modelDir)
{
    QFile file(modelDir + QStringLiteral("/tokenizer_config.json"));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject config = QJsonDocument::fromJson(file.readAll()).object();
    return config.value(QStringLiteral("tokenizer_class")).toString() == QLatin1String("MarianTokenizer");
}

} // namespace

QStringList tokenTexts(const tokenize::Tokenizer &tokenizer, const torch::Tensor &ids)
{
    QStringList texts;
    for (int64_t i = 0; i < ids.numel(); ++i)
        texts << tokenizer.idToText(ids[i].item<int64_t>());
    return texts;
}

std::vector<int64_t> seq2seqTextIds(const tokenize::Tokenizer &tokenizer, const QString &modelDir, const QByteArray &text)
{
    std::vector<int64_t> ids = tokenizer.encode(text).ids();
    const int64_t eos = tokenizer.tokenToId(QStringLiteral("</s>"));
    if (appendsEosItself(modelDir) && eos >= 0 && (ids.empty() || ids.back() != eos))
        ids.push_back(eos);
    return ids;
}

QString targetOptionHelp()
{
    return QStringLiteral("Target text of an encoder–decoder model (t5, bart, marian): tokenized as the source is "
                          "(EOS appended), the decoder reads it shifted right after decoder_start_token_id, as "
                          "Hugging Face does for labels. Without it the decoder reads decoder_start_token_id alone.");
}

std::pair<qint64, qint64> runSeq2Seq(const Seq2SeqModel &model, const Seq2SeqRun &run)
{
    QElapsedTimer timer;
    timer.start();
    const Seq2SeqInfo &stacks = model.seq2seqInfo();
    checkSeq2SeqPlansFit(run.plans, stacks);
    const auto tokenizer = tokenize::loadTokenizer(run.modelDir);
    Seq2SeqInput input;
    input.inputIds = idsTensor(seq2seqTextIds(*tokenizer, run.modelDir, run.source));
    torch::Tensor labels;
    if (run.target)
        labels = idsTensor(seq2seqTextIds(*tokenizer, run.modelDir, *run.target));
    input.decoderInputIds = shiftedRight(labels, stacks.decoderStartTokenId);
    const qint64 tokenizeMs = timer.restart();

    AttentionRecord encoder, decoder, cross;
    const torch::Tensor logits = model.forward(input, run.plans, {&encoder, &decoder, &cross});
    const qint64 forwardMs = timer.restart();

    const QStringList sourceTokens = tokenTexts(*tokenizer, input.inputIds);
    const QStringList decoderTokens = tokenTexts(*tokenizer, input.decoderInputIds);
    // The cross-attention first: .npy and .csv hold the first tensor only.
    NamedTensors tensors{{"cross_attentions", cross.all().contiguous()},
                         {"encoder_attentions", encoder.all().contiguous()},
                         {"decoder_attentions", decoder.all().contiguous()},
                         {"logits", logits.detach().to(torch::kFloat32).contiguous()},
                         {"input_ids", input.inputIds},
                         {"decoder_input_ids", input.decoderInputIds}};
    if (labels.defined())
        tensors.push_back({"labels", labels});
    const QMap<QString, QString> metadata{{QStringLiteral("tokens"), jsonList(sourceTokens)},
                                          {QStringLiteral("decoder_tokens"), jsonList(decoderTokens)},
                                          {QStringLiteral("model"), run.modelDir},
                                          {QStringLiteral("variants"), jsonList(seq2seqPlanSpecs(run.variantSpecs))}};
    writeTensorFile(run.out, tensors, metadata,
                    {{QStringLiteral("layer"), {}}, {QStringLiteral("head"), {}},
                     {QStringLiteral("target"), decoderTokens}, {QStringLiteral("source"), sourceTokens}});
    return {tokenizeMs, forwardMs};
}

} // namespace attnscope::cli
