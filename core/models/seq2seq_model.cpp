#include "core/models/seq2seq_model.h"

#include <torch/torch.h>

#include "core/io/model_config.h"
#include "core/models/common/head_gates.h"
#include "core/models/common/token_input.h"

namespace attnscope {

torch::Tensor Seq2SeqModel::forward(const ModelInput &input, const AttentionPlan &plan,
                                    AttentionRecorder *recorder) const
{
    const GradientScope gradients(input);
    const torch::Tensor ids = checkedTokenIds(input, info().vocabSize);
    checkHeadGates(input, info());
    return encode(ids, keyMaskOf(input, ids.size(0)), plan, recorder, {input.headGates, input.probe});
}

torch::Tensor Seq2SeqModel::forward(const Seq2SeqInput &input, const Seq2SeqPlans &plans,
                                    const Seq2SeqRecorders &recorders) const
{
    ModelInput source;
    source.inputIds = input.inputIds;
    source.attentionMask = input.attentionMask;
    const GradientScope gradients(source);
    const torch::Tensor sourceIds = checkedTokenIds(source, info().vocabSize);
    const torch::Tensor keyMask = keyMaskOf(source, sourceIds.size(0));
    ModelInput target;
    target.inputIds = input.decoderInputIds;
    const torch::Tensor decoderIds = checkedTokenIds(target, m_seq2seq.decoderVocabSize);
    const torch::Tensor encoded = encode(sourceIds, keyMask, plans.encoder, recorders.encoder, {});
    return decode(decoderIds, encoded, keyMask, plans, recorders);
}

void Seq2SeqModel::describe(const QString &modelDir, const ModelConfig &config, const Seq2SeqInfo &stacks,
                            int hidden, int sourceVocab)
{
    m_seq2seq = stacks;
    m_seq2seq.decoderStartTokenId = config.integer(QStringLiteral("decoder_start_token_id"));
    if (m_seq2seq.decoderStartTokenId < 0 || m_seq2seq.decoderStartTokenId >= stacks.decoderVocabSize)
        config.fail(QStringLiteral("decoder_start_token_id %1 is outside the decoder's vocabulary of %2")
                        .arg(m_seq2seq.decoderStartTokenId).arg(stacks.decoderVocabSize));
    m_info.modelType = config.modelType();
    const QStringList architectures = config.architectures();
    m_info.architecture = architectures.isEmpty() ? QString() : architectures.first();
    m_info.directory = modelDir;
    m_info.layers = stacks.encoderLayers;
    m_info.heads = stacks.encoderHeads;
    m_info.kvHeads = stacks.encoderHeads;
    m_info.headDim = stacks.headDim;
    m_info.hidden = hidden;
    m_info.vocabSize = sourceVocab;
    m_info.maxPositions = stacks.maxSourcePositions;
}

std::unique_ptr<Seq2SeqModel> loadSeq2SeqModel(const QString &modelDir)
{
    const ModelConfig config = ModelConfig::load(modelDir);
    if (!isSeq2SeqModelType(config.modelType()))
        config.fail(QStringLiteral("model_type '%1' is not an encoder–decoder model (those are: %2)")
                        .arg(config.modelType(), seq2seqModelTypes().join(QStringLiteral(", "))));
    std::unique_ptr<Model> model = loadModel(modelDir);
    if (!dynamic_cast<Seq2SeqModel *>(model.get()))
        config.fail(QStringLiteral("model_type '%1' did not load as an encoder–decoder model").arg(config.modelType()));
    return std::unique_ptr<Seq2SeqModel>(static_cast<Seq2SeqModel *>(model.release()));
}

torch::Tensor shiftedRight(const torch::Tensor &labels, int64_t decoderStartTokenId)
{
    const torch::Tensor start = torch::full({1}, decoderStartTokenId, torch::kLong);
    if (!labels.defined() || labels.numel() == 0)
        return start;
    return torch::cat({start, labels.to(torch::kLong).reshape({-1}).narrow(0, 0, labels.numel() - 1)});
}

} // namespace attnscope
