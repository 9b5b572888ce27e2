#include "core/capture/attention_record.h"

#include <stdexcept>

#include <torch/torch.h>

#include "core/attention/kernel.h"
#include "core/attention/reference_softmax.h"
#include "core/io/input_error.h"

namespace attnscope {

struct AttentionRecord::Private {
    int64_t budget = 0;
    int64_t layers = 0, heads = 0, queries = 0, keys = 0;
    bool dense = true;
    torch::Tensor probabilities;          // [L, H, T, S] in dense mode
    std::vector<AttentionInputs> inputs;  // per layer, without v
    std::vector<AttentionPlan> plans;
    std::vector<torch::Tensor> rowMax;    // per layer [H, T], compact mode
    std::vector<torch::Tensor> rowSum;

    void checkLayer(int layer) const
    {
        if (layer < 0 || layer >= layers)
            throw std::out_of_range("attention record: layer " + std::to_string(layer) + " out of range");
    }
    const AttentionInputs &recorded(int layer) const
    {
        checkLayer(layer);
        if (size_t(layer) >= inputs.size() || !inputs[size_t(layer)].q.defined())
            throw std::logic_error("attention record: no queries and keys for layer " + std::to_string(layer));
        return inputs[size_t(layer)];
    }
};

AttentionRecord::AttentionRecord(int64_t denseBudgetBytes) : d(std::make_unique<Private>())
{
    d->budget = denseBudgetBytes;
}

AttentionRecord::~AttentionRecord() = default;

std::shared_ptr<AttentionRecord> AttentionRecord::fromProbabilities(const torch::Tensor &attentions)
{
    if (attentions.dim() != 4 || attentions.size(2) != attentions.size(3) || !attentions.is_floating_point())
        throw InputError(QStringLiteral("attentions"),
                         QStringLiteral("must be floats of shape [layers, heads, T, T], not %1")
                             .arg(QString::fromStdString(c10::str(attentions.sizes()))));
    auto record = std::make_shared<AttentionRecord>();
    Private &p = *record->d;
    p.layers = attentions.size(0);
    p.heads = attentions.size(1);
    p.queries = attentions.size(2);
    p.keys = attentions.size(3);
    p.probabilities = attentions.to(torch::kFloat32).contiguous();
    return record;
}

int64_t AttentionRecord::layers() const { return d->layers; }
int64_t AttentionRecord::heads() const { return d->heads; }
int64_t AttentionRecord::queries() const { return d->queries; }
int64_t AttentionRecord::keys() const { return d->keys; }
bool AttentionRecord::isDense() const { return d->dense; }

bool AttentionRecord::hasQueriesAndKeys() const
{
    return !d->inputs.empty() && d->inputs.front().q.defined();
}

torch::Tensor AttentionRecord::tile(int layer, int head, int64_t r0, int64_t r1, int64_t c0,
                                    int64_t c1) const
{
    d->checkLayer(layer);
    if (head < 0 || head >= d->heads || r0 < 0 || r0 > r1 || r1 > d->queries || c0 < 0 || c0 > c1
        || c1 > d->keys)
        throw std::out_of_range("attention record: tile out of range");
    if (d->dense)
        return d->probabilities[layer][head].slice(0, r0, r1).slice(1, c0, c1);
    const AttentionInputs &inputs = d->recorded(layer);
    const AttentionPlan &plan = d->plans[size_t(layer)];
    if (plan.variantFor(layer, head))
        return attentionTile(inputs, plan, head, r0, r1, c0, c1);
    return normalizeScores(scoreTile(inputs, head, r0, r1, c0, c1),
                           d->rowMax[size_t(layer)][head].slice(0, r0, r1),
                           d->rowSum[size_t(layer)][head].slice(0, r0, r1));
}

torch::Tensor AttentionRecord::row(int layer, int head, int64_t query) const
{
    return tile(layer, head, query, query + 1, 0, d->keys)[0];
}

torch::Tensor AttentionRecord::column(int layer, int head, int64_t key) const
{
    return tile(layer, head, 0, d->queries, key, key + 1).select(1, 0);
}

torch::Tensor AttentionRecord::layer(int layer) const
{
    d->checkLayer(layer);
    if (d->dense)
        return d->probabilities[layer];
    std::vector<torch::Tensor> heads;
    for (int head = 0; head < d->heads; ++head)
        heads.push_back(tile(layer, head, 0, d->queries, 0, d->keys));
    return torch::stack(heads);
}

torch::Tensor AttentionRecord::all() const
{
    if (d->dense)
        return d->probabilities;
    throw InputError(QStringLiteral("attention record"),
                     QStringLiteral("%1 layers × %2 heads × %3 × %4 probabilities exceed the %5 MiB budget; "
                                    "ask for layers or tiles instead")
                         .arg(d->layers).arg(d->heads).arg(d->queries).arg(d->keys)
                         .arg(d->budget >> 20));
}

torch::Tensor AttentionRecord::queries(int layer) const
{
    return d->recorded(layer).q;
}

double AttentionRecord::scoreScale(int layer) const
{
    return d->recorded(layer).scale;
}

double AttentionRecord::softCap(int layer) const
{
    return d->recorded(layer).softCap;
}

int64_t AttentionRecord::slidingWindow(int layer) const
{
    d->checkLayer(layer);
    const bool known = size_t(layer) < d->inputs.size() && d->inputs[size_t(layer)].q.defined();
    return known ? d->inputs[size_t(layer)].slidingWindow : 0;
}

torch::Tensor AttentionRecord::keys(int layer) const
{
    const AttentionInputs &inputs = d->recorded(layer);
    return inputs.k.repeat_interleave(inputs.heads() / inputs.kvHeads(), 0);
}

AttentionRecord::CompactLayer AttentionRecord::compactLayer(int layer) const
{
    const AttentionInputs &inputs = d->recorded(layer);
    if (d->dense)
        throw std::logic_error("attention record: a dense record keeps no row normalizers");
    return {inputs, d->rowMax[size_t(layer)], d->rowSum[size_t(layer)]};
}

std::shared_ptr<AttentionRecord> AttentionRecord::fromCompactLayers(const std::vector<CompactLayer> &layers,
                                                                    const AttentionPlan &plan)
{
    auto record = std::make_shared<AttentionRecord>();
    const AttentionInputs &first = layers.at(0).inputs;
    record->beginForward(int64_t(layers.size()), first.heads(), first.queries(), first.keys());
    Private &p = *record->d;
    p.dense = false;
    for (const CompactLayer &layer : layers) {
        p.inputs[size_t(layer.inputs.layer)] = layer.inputs;
        p.plans[size_t(layer.inputs.layer)] = plan;
        p.rowMax[size_t(layer.inputs.layer)] = layer.rowMax;
        p.rowSum[size_t(layer.inputs.layer)] = layer.rowSum;
    }
    return record;
}

void AttentionRecord::beginForward(int64_t layers, int64_t heads, int64_t queries, int64_t keys)
{
    Private &p = *d;
    p.layers = layers;
    p.heads = heads;
    p.queries = queries;
    p.keys = keys;
    p.dense = layers * heads * queries * keys * int64_t(sizeof(float)) <= p.budget;
    p.probabilities = torch::Tensor(); // made on the device of the first layer's q
    p.inputs.assign(size_t(layers), AttentionInputs());
    p.plans.assign(size_t(layers), AttentionPlan());
    p.rowMax.assign(size_t(layers), torch::Tensor());
    p.rowSum.assign(size_t(layers), torch::Tensor());
}

void AttentionRecord::recordLayer(const AttentionInputs &inputs, const AttentionPlan &plan)
{
    d->checkLayer(inputs.layer);
    AttentionInputs kept = inputs;
    kept.q = inputs.q.detach();
    kept.k = inputs.k.detach();
    kept.v = torch::Tensor(); // probabilities never need values
    d->inputs[size_t(inputs.layer)] = kept;
    d->plans[size_t(inputs.layer)] = plan;
    if (d->dense && !d->probabilities.defined())
        d->probabilities = torch::zeros({d->layers, d->heads, d->queries, d->keys}, inputs.q.options());
    if (!d->dense) {
        d->rowMax[size_t(inputs.layer)] = torch::zeros({d->heads, d->queries}, inputs.q.options());
        d->rowSum[size_t(inputs.layer)] = torch::zeros({d->heads, d->queries}, inputs.q.options());
    }
}

bool AttentionRecord::wantsProbabilities(int /*layer*/) const
{
    return d->dense;
}

void AttentionRecord::recordRows(int layer, int64_t rowBegin, const torch::Tensor &probabilities)
{
    d->checkLayer(layer);
    if (d->dense)
        d->probabilities[layer].slice(1, rowBegin, rowBegin + probabilities.size(1)).copy_(probabilities);
}

void AttentionRecord::recordNormalizers(int layer, int64_t rowBegin, const torch::Tensor &rowMax,
                                        const torch::Tensor &rowSum)
{
    d->checkLayer(layer);
    if (d->dense)
        return;
    const int64_t rows = rowMax.size(1);
    d->rowMax[size_t(layer)].slice(1, rowBegin, rowBegin + rows).copy_(rowMax);
    d->rowSum[size_t(layer)].slice(1, rowBegin, rowBegin + rows).copy_(rowSum);
}

} // namespace attnscope
