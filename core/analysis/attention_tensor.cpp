#include "core/analysis/attention_tensor.h"

#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "core/io/input_error.h"

namespace attnscope {

torch::Tensor checkedAttention(const torch::Tensor &attention, const QString &source)
{
    if (!attention.defined() || attention.dim() != 4)
        throw InputError(source, QStringLiteral("attention must be [layers, heads, queries, keys], got %1 dimensions")
                                     .arg(attention.defined() ? attention.dim() : 0));
    if (attention.numel() == 0)
        throw InputError(source, QStringLiteral("attention is empty"));
    if (!attention.is_floating_point())
        throw InputError(source, QStringLiteral("attention must hold floating-point values"));
    const torch::Tensor values = attention.detach().to(torch::kFloat64).contiguous();
    if (!torch::isfinite(values).all().item<bool>())
        throw InputError(source, QStringLiteral("attention holds NaN or infinite values"));
    if ((values < 0).any().item<bool>())
        throw InputError(source, QStringLiteral("attention holds negative values"));
    return values;
}

std::map<std::string, torch::Tensor> headByHead(
    const AnalysisContext &context,
    const std::function<std::map<std::string, torch::Tensor>(const torch::Tensor &attention)> &compute)
{
    if (!context.record || context.record->isDense())
        return compute(contextAttention(context));
    const AttentionRecord &record = *context.record;
    const int64_t layers = record.layers(), heads = record.heads(), queries = record.queries(), keys = record.keys();
    const QString source = record.modelName.isEmpty() ? QStringLiteral("attention") : record.modelName;
    std::map<std::string, torch::Tensor> assembled;
    for (int layer = 0; layer < layers; ++layer)
        for (int head = 0; head < heads; ++head) {
            const torch::Tensor one = checkedAttention(record.tile(layer, head, 0, queries, 0, keys).view({1, 1, queries, keys}), source);
            for (const auto &[name, value] : compute(one)) {
                const bool table = value.numel() == 1;
                torch::Tensor &into = assembled[name];
                if (!into.defined())
                    into = table ? torch::zeros({layers, heads}, torch::kFloat64) : torch::zeros_like(value, torch::kFloat64);
                if (table)
                    into[layer][head] = value.reshape({});
                else
                    into += value.to(torch::kFloat64) / double(layers * heads);
            }
        }
    return assembled;
}

torch::Tensor contextAttention(const AnalysisContext &context)
{
    if (!context.record)
        throw InputError(QStringLiteral("analysis"), QStringLiteral("no attention was recorded"));
    const QString source = context.record->modelName.isEmpty() ? QStringLiteral("attention")
                                                               : context.record->modelName;
    return checkedAttention(context.record->all(), source);
}

const Model &contextModel(const AnalysisContext &context, const QString &analysis)
{
    if (!context.model)
        throw InputError(analysis, QStringLiteral("needs a model folder, not an attention file"));
    return *context.model;
}

torch::Tensor attentionMassOn(const torch::Tensor &attention, const torch::Tensor &keys)
{
    return (attention * keys.to(attention.dtype())).sum(-1).mean(-1);
}

void checkIndex(int64_t index, int64_t size, const QString &what)
{
    if (index < 0 || index >= size)
        throw InputError(what, QStringLiteral("%1 is outside 0 … %2").arg(index).arg(size - 1));
}

} // namespace attnscope
