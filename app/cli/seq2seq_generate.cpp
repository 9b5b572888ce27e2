#include "app/cli/seq2seq_generate.h"

#include <torch/torch.h>

#include "app/cli/attention_output.h"
#include "app/cli/command.h"
#include "app/cli/seq2seq_run.h"
#include "core/attention/variant_spec.h"
#include "core/io/tensor_export.h"
#include "core/models/seq2seq_generation.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope::cli {

int generateWithSeq2Seq(const Seq2SeqModel &model, const QString &modelDir, const QByteArray &text,
                        const GenerationRequest &request, const AttentionPlan &plan, const QString &out)
{
    const auto tokenizer = tokenize::loadTokenizer(modelDir);
    Seq2SeqGenerationRequest seq2seq;
    seq2seq.sourceIds = torch::tensor(seq2seqTextIds(*tokenizer, modelDir, text), torch::kLong);
    seq2seq.maxNewTokens = request.maxNewTokens;
    seq2seq.stopIds = request.stopIds;
    seq2seq.sampling = request.sampling;
    const Seq2SeqGeneration generation = generateSeq2Seq(model, seq2seq, Seq2SeqPlans::everywhere(plan));
    const std::vector<int64_t> written(generation.decoderIds.begin() + 1, generation.decoderIds.end());
    if (!out.isEmpty()) {
        const torch::Tensor decoderIds = torch::tensor(generation.decoderIds, torch::kLong);
        const torch::Tensor stepInputs = decoderIds.slice(0, 0, decoderIds.size(0) - 1);
        const QStringList sourceTokens = tokenTexts(*tokenizer, seq2seq.sourceIds);
        const QStringList stepTokens = tokenTexts(*tokenizer, stepInputs);
        const NamedTensors tensors{{"cross_attentions", generation.crossAttentions},
                                   {"encoder_attentions", generation.encoderAttentions},
                                   {"decoder_attentions", generation.decoderAttentions},
                                   {"step_logits", generation.stepLogits.contiguous()},
                                   {"input_ids", seq2seq.sourceIds},
                                   {"decoder_input_ids", stepInputs},
                                   {"generated_ids", torch::tensor(written, torch::kLong)}};
        const QMap<QString, QString> metadata{{QStringLiteral("tokens"), jsonList(sourceTokens)},
                                              {QStringLiteral("decoder_tokens"), jsonList(stepTokens)},
                                              {QStringLiteral("model"), modelDir},
                                              {QStringLiteral("variants"), jsonList(planSpecs(plan))}};
        writeTensorFile(out, tensors, metadata,
                        {{QStringLiteral("layer"), {}}, {QStringLiteral("head"), {}},
                         {QStringLiteral("target"), stepTokens}, {QStringLiteral("source"), sourceTokens}});
    }
    printLine(tokenizer->decode(written).toUtf8());
    return ExitSuccess;
}

} // namespace attnscope::cli
