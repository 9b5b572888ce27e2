#include "core/models/causal_lm.h"

#include <torch/torch.h>

#include "core/capture/attention_recorder.h"
#include "core/io/model_config.h"
#include "core/models/common/head_gates.h"
#include "core/models/common/token_input.h"

namespace attnscope {

torch::Tensor CausalLanguageModel::forward(const ModelInput &input, const AttentionPlan &plan,
                                           AttentionRecorder *recorder) const
{
    const GradientScope gradients(input);
    const torch::Tensor ids = checkedTokenIds(input, m_info.vocabSize);
    checkHeadGates(input, m_info);
    DecoderPass pass;
    pass.keyMask = keyMaskOf(input, ids.size(0));
    pass.headGates = input.headGates;
    pass.plan = &plan;
    pass.recorder = recorder;
    pass.probe = input.probe;
    return run(ids, 0, pass);
}

torch::Tensor CausalLanguageModel::forwardCached(const torch::Tensor &ids, KvCache &cache,
                                                 const AttentionPlan &plan,
                                                 AttentionRecorder *recorder) const
{
    const torch::NoGradGuard noGradients;
    ModelInput input;
    input.inputIds = ids;
    DecoderPass pass;
    pass.cache = &cache;
    pass.plan = &plan;
    pass.recorder = recorder;
    return run(checkedTokenIds(input, m_info.vocabSize), cache.length(), pass);
}

torch::Tensor CausalLanguageModel::run(const torch::Tensor &ids, int64_t offset,
                                       const DecoderPass &pass) const
{
    const torch::Tensor positions = torch::arange(offset, offset + ids.size(0), torch::kInt64);
    if (positionLimit() > 0)
        checkPositions(positions, positionLimit());
    if (pass.recorder)
        pass.recorder->beginForward(m_info.layers, m_info.heads, ids.size(0), offset + ids.size(0));
    return decode(ids, positions, pass);
}

void CausalLanguageModel::describe(const QString &modelDir, const ModelConfig &config)
{
    m_info.modelType = config.modelType();
    const QStringList architectures = config.architectures();
    m_info.architecture = architectures.isEmpty() ? QString() : architectures.first();
    m_info.directory = modelDir;
    m_info.causal = true;
    m_info.vocabSize = int(config.integer(QStringLiteral("vocab_size")));
    if (m_info.vocabSize <= 0)
        config.fail(QStringLiteral("vocab_size must be positive"));
}

} // namespace attnscope
