#include "core/analysis/activation_patching.h"

#include <cmath>

#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/stream_probes.h"
#include "core/io/input_error.h"

namespace attnscope {

namespace {

const QString kName = QStringLiteral("activation-patching");

} // namespace

PatchingMaps activationPatching(const Model &model, const ModelInput &clean, const ModelInput &corrupted,
                                const PatchingMetric &metric)
{
    const int64_t tokens = clean.inputIds.size(0);
    if (corrupted.inputIds.size(0) != tokens)
        throw InputError(kName, QStringLiteral("the clean text is %1 tokens and the corrupted text %2: they must be as long")
                                    .arg(tokens).arg(corrupted.inputIds.size(0)));
    StreamCapture capture;
    PatchingMaps maps;
    const torch::Tensor cleanLogits = probedLogits(model, clean, capture);
    maps.clean = metric(cleanLogits, cleanLogits);
    const auto patched = [&](PatchProbe &probe) { return metric(probedLogits(model, corrupted, probe), cleanLogits); };
    PatchProbe nothing(capture);
    maps.corrupted = patched(nothing);
    const double span = maps.clean - maps.corrupted;
    if (!(std::abs(span) > 1e-12))
        throw InputError(kName, QStringLiteral("the clean and corrupted texts give the same metric (%1): nothing to recover")
                                    .arg(maps.clean));
    const int64_t layers = model.info().layers, heads = model.info().heads;
    maps.heads = torch::empty({layers, heads}, torch::kFloat64);
    for (int layer = 0; layer < layers; ++layer)
        for (int64_t head = 0; head < heads; ++head) {
            PatchProbe probe(capture);
            probe.headsToPatch.insert({layer, head});
            maps.heads[layer][head] = (patched(probe) - maps.corrupted) / span;
        }
    maps.residuals = torch::empty({layers + 1, tokens}, torch::kFloat64);
    for (int index = 0; index <= layers; ++index)
        for (int64_t position = 0; position < tokens; ++position) {
            PatchProbe probe(capture);
            probe.residualsToPatch.insert({index, position});
            maps.residuals[index][position] = (patched(probe) - maps.corrupted) / span;
        }
    return maps;
}

namespace {

class ActivationPatchingAnalysis final : public Analysis {
public:
    QString name() const override { return kName; }
    QString description() const override
    {
        return QStringLiteral("Activation patching (Meng et al. 2022): recovered fraction of a metric when one head or residual row of the clean run is put into the corrupted run");
    }
    std::vector<AnalysisOption> options() const override
    {
        return {textOption(QStringLiteral("corrupted-text"), QStringLiteral("the corrupted input, as many tokens as the clean one")),
                textOption(QStringLiteral("answer"), QStringLiteral("metric: logit of this token minus --wrong's (default: KL divergence from the clean output)")),
                textOption(QStringLiteral("wrong"), QStringLiteral("the token the corrupted input favours (with --answer)")),
                integerOption(QStringLiteral("position"), -1, -1, 1 << 20, QStringLiteral("where the metric is read (−1: the last token)"))};
    }
    bool needsModel() const override { return true; }

    AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &options) const override
    {
        const torch::Tensor ids = contextIds(context, name());
        const Model &model = *context.model;
        const QString corruptedText = options.text(QStringLiteral("corrupted-text"));
        if (corruptedText.isEmpty())
            throw InputError(name(), QStringLiteral("give the corrupted input with --corrupted-text"));
        if (!context.tokenize)
            throw InputError(name(), QStringLiteral("--corrupted-text needs the model's tokenizer"));
        ModelInput corrupted = context.input;
        corrupted.inputIds = context.tokenize(corruptedText, true);
        const int64_t position = options.integer(QStringLiteral("position")) < 0 ? ids.size(0) - 1
                                                                                 : options.integer(QStringLiteral("position"));
        if (position >= ids.size(0))
            throw InputError(name(), QStringLiteral("--position %1 is outside the %2 tokens").arg(position).arg(ids.size(0)));
        const QString answer = options.text(QStringLiteral("answer"));
        PatchingMetric metric;
        if (!answer.isEmpty()) {
            const QString wrong = options.text(QStringLiteral("wrong"));
            if (wrong.isEmpty())
                throw InputError(name(), QStringLiteral("--answer needs --wrong: the metric is their logit difference"));
            const int64_t a = singleToken(context, name(), QStringLiteral("answer"), answer);
            const int64_t w = singleToken(context, name(), QStringLiteral("wrong"), wrong);
            metric = [=](const torch::Tensor &logits, const torch::Tensor &) {
                return (logits[position][a] - logits[position][w]).item<double>();
            };
        } else {
            metric = [=](const torch::Tensor &logits, const torch::Tensor &cleanLogits) {
                const torch::Tensor clean = torch::log_softmax(cleanLogits[position], -1);
                return (clean.exp() * (clean - torch::log_softmax(logits[position], -1))).sum().item<double>();
            };
        }
        const PatchingMaps maps = activationPatching(model, context.input, corrupted, metric);
        AnalysisResult result;
        result.tensors["head_recovered"] = maps.heads;
        result.tensors["residual_recovered"] = maps.residuals;
        result.tensors["input_ids"] = ids;
        result.tensors["corrupted_input_ids"] = corrupted.inputIds;
        result.summary[QStringLiteral("metric")] = answer.isEmpty() ? QStringLiteral("KL(clean ‖ patched)") : QStringLiteral("logit difference");
        result.summary[QStringLiteral("position")] = double(position);
        result.summary[QStringLiteral("clean")] = maps.clean;
        result.summary[QStringLiteral("corrupted")] = maps.corrupted;
        return result;
    }
};

} // namespace

std::unique_ptr<Analysis> activationPatchingAnalysis()
{
    return std::make_unique<ActivationPatchingAnalysis>();
}

} // namespace attnscope
