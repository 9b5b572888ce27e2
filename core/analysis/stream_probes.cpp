#include "core/analysis/stream_probes.h"

#include <torch/torch.h>

#include "core/io/input_error.h"

namespace attnscope {

namespace {

template <typename T>
void put(std::vector<T> &list, size_t index, T value)
{
    if (list.size() <= index)
        list.resize(index + 1);
    list[index] = std::move(value);
}

} // namespace

torch::Tensor StreamCapture::residual(int index, const torch::Tensor &stream)
{
    put(residuals, size_t(index), stream.detach());
    return stream;
}

torch::Tensor StreamCapture::heads(const HeadOutputs &outputs)
{
    put(layers, size_t(outputs.layer), CapturedHeads{outputs.perHead.detach(), outputs.values.detach(), *outputs.output,
                                                     outputs.normAfter ? std::optional<LayerNorm>(*outputs.normAfter) : std::nullopt});
    return outputs.perHead;
}

void StreamCapture::mlp(int layer, const torch::Tensor &added)
{
    put(mlps, size_t(layer), added.detach());
}

torch::Tensor PatchProbe::residual(int index, const torch::Tensor &stream)
{
    torch::Tensor patched = stream;
    for (const auto &[at, position] : residualsToPatch)
        if (at == index) {
            patched = patched.clone();
            patched[position] = m_clean.residuals.at(size_t(index))[position];
        }
    return patched;
}

torch::Tensor PatchProbe::heads(const HeadOutputs &outputs)
{
    torch::Tensor patched = outputs.perHead;
    for (const auto &[layer, head] : headsToPatch)
        if (layer == outputs.layer) {
            patched = patched.clone();
            patched[head] = m_clean.layers.at(size_t(layer)).perHead[head];
        }
    return patched;
}

torch::Tensor probedLogits(const Model &model, ModelInput input, ForwardProbe &probe)
{
    const torch::NoGradGuard noGradients;
    input.probe = &probe;
    input.differentiable = false;
    return model.forward(input, {}, nullptr).to(torch::kFloat64);
}

torch::Tensor throughOutput(const torch::Tensor &perHead, const Linear &output)
{
    const int64_t heads = output.weight.size(1) / perHead.size(2);
    const torch::Tensor rows = perHead.size(0) == heads ? perHead : perHead.repeat_interleave(heads / perHead.size(0), 0);
    const torch::Tensor slices = output.weight.to(torch::kFloat64).reshape({output.weight.size(0), heads, perHead.size(2)});
    return torch::einsum("htd,ohd->hto", {rows.to(torch::kFloat64), slices});
}

torch::Tensor contextIds(const AnalysisContext &context, const QString &analysis)
{
    if (!context.model || !context.input.inputIds.defined() || context.input.inputIds.numel() == 0)
        throw InputError(analysis, QStringLiteral("needs a text model and an input text"));
    return context.input.inputIds.to(torch::kInt64);
}

int64_t singleToken(const AnalysisContext &context, const QString &analysis, const QString &name,
                    const QString &text)
{
    if (!context.tokenize)
        throw InputError(analysis, QStringLiteral("--%1 needs the model's tokenizer").arg(name));
    const torch::Tensor ids = context.tokenize(text, false);
    if (ids.numel() != 1)
        throw InputError(analysis, QStringLiteral("--%1 '%2' is %3 tokens, not one (mind the leading space)")
                                       .arg(name, text).arg(ids.numel()));
    return ids.item<int64_t>();
}

} // namespace attnscope
