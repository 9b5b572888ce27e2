#include "core/models/seq2seq_generation.h"

#include <algorithm>

#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "core/io/input_error.h"
#include "core/models/common/token_input.h"

namespace attnscope {

namespace {

// [L, H, S] of query `row`, every layer.
torch::Tensor rowOf(const AttentionRecord &record, int64_t row)
{
    std::vector<torch::Tensor> layers;
    for (int layer = 0; layer < record.layers(); ++layer)
        layers.push_back(record.layer(layer).select(1, row));
    return torch::stack(layers);
}

// Rows [L, H, keys] of steps 0 … N−1 → [L, H, N, width], zero-padded on the right (the
// self-attention rows grow by one key a step).
torch::Tensor stackRows(const std::vector<torch::Tensor> &rows, int64_t width)
{
    std::vector<torch::Tensor> padded;
    for (const torch::Tensor &row : rows)
        padded.push_back(torch::constant_pad_nd(row, {0, width - row.size(-1)}));
    return torch::stack(padded, 2);
}

} // namespace

Seq2SeqGeneration generateSeq2Seq(const Seq2SeqModel &model, const Seq2SeqGenerationRequest &request,
                                  const Seq2SeqPlans &plans)
{
    const Seq2SeqInfo &stacks = model.seq2seqInfo();
    if (request.maxNewTokens < 1)
        throw InputError(QStringLiteral("input"), QStringLiteral("no new tokens to generate"));
    if (stacks.maxTargetPositions > 0 && request.maxNewTokens > stacks.maxTargetPositions)
        throw InputError(QStringLiteral("input"), QStringLiteral("%1 new tokens exceed the %2 decoder positions of this %3 model")
                                                      .arg(request.maxNewTokens).arg(stacks.maxTargetPositions)
                                                      .arg(model.info().modelType));
    TokenSampler sampler(request.sampling);
    ModelInput source;
    source.inputIds = request.sourceIds;
    const torch::NoGradGuard noGrad;
    const torch::Tensor sourceIds = checkedTokenIds(source, model.info().vocabSize);

    Seq2SeqGeneration generation;
    AttentionRecord encoderRecord;
    const torch::Tensor encoded = model.encode(sourceIds, {}, plans.encoder, &encoderRecord, {});
    generation.encoderAttentions = encoderRecord.all();
    generation.decoderIds = {stacks.decoderStartTokenId};
    std::vector<torch::Tensor> logits, crossRows, selfRows;
    for (int64_t step = 0; step < request.maxNewTokens; ++step) {
        AttentionRecord self, cross;
        const torch::Tensor ids = torch::tensor(generation.decoderIds, torch::kLong);
        const torch::Tensor last = model.decode(ids, encoded, {}, plans, {nullptr, &self, &cross})[step];
        logits.push_back(last.to(torch::kFloat32));
        crossRows.push_back(rowOf(cross, step));
        selfRows.push_back(rowOf(self, step));
        const int64_t next = sampler.next(last);
        generation.decoderIds.push_back(next);
        if (std::find(request.stopIds.begin(), request.stopIds.end(), next) != request.stopIds.end())
            break;
    }
    const int64_t steps = int64_t(logits.size());
    generation.stepLogits = torch::stack(logits);
    generation.crossAttentions = stackRows(crossRows, sourceIds.size(0));
    generation.decoderAttentions = stackRows(selfRows, steps);
    return generation;
}

} // namespace attnscope
