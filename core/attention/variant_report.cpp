#include "core/attention/variant_report.h"

#include <cmath>

#include <QJsonArray>
#include <torch/torch.h>

#include "core/attention/parameterized_variant.h"
#include "core/attention/variant_spec.h"
#include "core/capture/attention_record.h"
#include "core/capture/encoded_text.h"
#include "core/capture/progress_recorder.h"

namespace attnscope {

namespace {

// Logits at every scored position with that token masked: [N, vocab], and the targets [N].
std::pair<torch::Tensor, torch::Tensor> maskedPredictions(const Model &model,
                                                          const ComparisonInput &input,
                                                          const AttentionPlan &plan)
{
    std::vector<torch::Tensor> logits;
    std::vector<int64_t> targets;
    const torch::Tensor ids = input.input.inputIds;
    for (int64_t i = 0; i < ids.size(0); ++i) {
        if (size_t(i) < input.special.size() && input.special[size_t(i)])
            continue;
        ModelInput masked = input.input;
        masked.inputIds = ids.clone();
        masked.inputIds[i] = input.maskTokenId;
        logits.push_back(model.forward(masked, plan, nullptr)[i]);
        targets.push_back(ids[i].item<int64_t>());
    }
    if (logits.empty())
        return {torch::Tensor(), torch::Tensor()};
    return {torch::stack(logits), torch::tensor(targets, torch::kInt64)};
}

// Attention cost of the whole model: every (layer, head) under its variant or softmax.
VariantCost modelCost(const ModelInfo &info, const AttentionPlan &plan, int64_t tokens)
{
    const AttentionShape shape{tokens, tokens, info.headDim, info.headDim, info.causal};
    VariantCost total;
    for (int layer = 0; layer < info.layers; ++layer)
        for (int head = 0; head < info.heads; ++head) {
            const auto *variant = dynamic_cast<const ParameterizedVariant *>(plan.variantFor(layer, head));
            const VariantCost cost = variant ? variant->cost(shape) : denseCost(shape);
            total.flops += cost.flops;
            total.bytes = std::max(total.bytes, cost.bytes);
        }
    return total;
}

QJsonValue finite(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue();
}

QJsonArray predictionsJson(const std::vector<TokenPrediction> &top, const std::function<QString(int64_t)> &tokenString,
                           const std::function<QString(int64_t)> &tokenText)
{
    QJsonArray list;
    for (const TokenPrediction &prediction : top)
        list.append(QJsonObject{{QStringLiteral("id"), qint64(prediction.id)},
                                {QStringLiteral("token"), tokenString(prediction.id)},
                                {QStringLiteral("text"), tokenText(prediction.id)},
                                {QStringLiteral("probability"), prediction.probability}});
    return list;
}

QJsonObject costJson(const VariantCost &cost)
{
    return {{QStringLiteral("flops"), cost.flops}, {QStringLiteral("peak_bytes"), cost.bytes}};
}

} // namespace

ComparisonInput comparisonInputOf(const tokenize::Encoding &encoding, bool pair,
                                  const tokenize::Tokenizer &tokenizer)
{
    ComparisonInput input;
    input.input = modelInputOf(encoding, pair);
    for (const tokenize::Token &token : encoding.tokens)
        input.special.push_back(token.special);
    input.maskTokenId = maskTokenIdOf(tokenizer);
    input.tokens = recordedTokensOf(encoding);
    return input;
}

VariantReport compareVariant(const Model &model, const ComparisonInput &input,
                             const AttentionPlan &plan, const ComparisonProgress &progress)
{
    torch::NoGradGuard noGrad;
    const ModelInfo &info = model.info();
    checkPlanFits(plan, info.layers, info.heads);
    VariantReport report;
    report.specs = planSpecs(plan);
    auto referenceRecord = std::make_shared<AttentionRecord>();
    auto variantRecord = std::make_shared<AttentionRecord>();
    AttentionRecord &reference = *referenceRecord;
    AttentionRecord &variant = *variantRecord;
    reference.tokens = variant.tokens = input.tokens;
    const std::atomic<bool> notCancelled{false};
    const auto forward = [&](const AttentionPlan &runPlan, AttentionRecord &record, int pass) {
        ProgressRecorder observed(record, progress.cancelled ? *progress.cancelled : notCancelled,
                                  [&](int layer, int layers) {
                                      if (progress.layerStarted)
                                          progress.layerStarted(pass * layers + layer, 2 * layers);
                                  });
        return model.forward(input.input, runPlan, &observed);
    };
    const torch::Tensor referenceLogits = forward(AttentionPlan{}, reference, 0);
    const torch::Tensor variantLogits = forward(plan, variant, 1);
    report.referenceRecord = referenceRecord;
    report.variantRecord = variantRecord;
    report.tokens = reference.queries();
    report.heads = compareAttention(reference, variant);
    report.referenceCost = modelCost(info, AttentionPlan{}, report.tokens);
    report.variantCost = modelCost(info, plan, report.tokens);

    const bool languageModel = info.vocabSize > 0 && referenceLogits.dim() == 2
                               && referenceLogits.size(-1) == info.vocabSize;
    const bool classifier = !info.labels.isEmpty() && referenceLogits.dim() == 1;
    if (classifier) {
        report.outputs = compareOutputs(referenceLogits, variantLogits, torch::full({1}, -1, torch::kInt64));
    } else if (languageModel && info.causal) {
        report.lossKind = QStringLiteral("perplexity");
        report.outputs = compareOutputs(referenceLogits, variantLogits,
                                        nextTokenTargets(input.input.inputIds));
    } else if (languageModel) {
        report.outputs = compareOutputs(referenceLogits, variantLogits,
                                        torch::full({referenceLogits.size(0)}, -1, torch::kInt64));
        if (input.maskTokenId >= 0) {
            const auto [referenceMasked, targets] = maskedPredictions(model, input, AttentionPlan{});
            if (targets.defined()) {
                const auto variantMasked = maskedPredictions(model, input, plan).first;
                const OutputComparison masked = compareOutputs(referenceMasked, variantMasked, targets);
                report.lossKind = QStringLiteral("mlm_loss");
                report.outputs->referenceLoss = masked.referenceLoss;
                report.outputs->variantLoss = masked.variantLoss;
                report.outputs->scoredTargets = masked.scoredTargets;
            }
        }
    }
    return report;
}

QJsonObject variantReportJson(const VariantReport &report, const std::function<QString(int64_t)> &tokenString,
                              const std::function<QString(int64_t)> &tokenText)
{
    QJsonArray layers;
    double js = 0;
    double kept = 0;
    double mass = 0;
    int64_t count = 0;
    for (size_t layer = 0; layer < report.heads.size(); ++layer) {
        QJsonArray heads;
        double layerJs = 0;
        double layerKept = 0;
        double layerMass = 0;
        for (size_t head = 0; head < report.heads[layer].size(); ++head) {
            const HeadComparison &h = report.heads[layer][head];
            heads.append(QJsonObject{{QStringLiteral("head"), int(head)},
                                     {QStringLiteral("js_divergence"), h.jsDivergence},
                                     {QStringLiteral("kept_fraction"), h.keptFraction},
                                     {QStringLiteral("mass_kept"), h.massKept}});
            layerJs += h.jsDivergence;
            layerKept += h.keptFraction;
            layerMass += h.massKept;
        }
        const double n = double(std::max<size_t>(report.heads[layer].size(), 1));
        layers.append(QJsonObject{{QStringLiteral("layer"), int(layer)},
                                  {QStringLiteral("js_divergence"), layerJs / n},
                                  {QStringLiteral("kept_fraction"), layerKept / n},
                                  {QStringLiteral("mass_kept"), layerMass / n},
                                  {QStringLiteral("heads"), heads}});
        js += layerJs;
        kept += layerKept;
        mass += layerMass;
        count += int64_t(report.heads[layer].size());
    }
    const double heads = double(std::max<int64_t>(count, 1));
    QJsonObject json{{QStringLiteral("variants"), QJsonArray::fromStringList(report.specs)},
                     {QStringLiteral("tokens"), qint64(report.tokens)},
                     {QStringLiteral("js_divergence"), js / heads},
                     {QStringLiteral("kept_fraction"), kept / heads},
                     {QStringLiteral("sparsity"), 1 - kept / heads},
                     {QStringLiteral("mass_kept"), mass / heads},
                     {QStringLiteral("layers"), layers},
                     {QStringLiteral("cost"),
                      QJsonObject{{QStringLiteral("note"),
                                   QStringLiteral("estimated for a kernel dedicated to each variant; "
                                                  "AttnScope emulates variants on dense scores")},
                                  {QStringLiteral("reference"), costJson(report.referenceCost)},
                                  {QStringLiteral("variant"), costJson(report.variantCost)}}}};
    if (!report.outputs) {
        json.insert(QStringLiteral("outputs"), QJsonValue());
        return json;
    }
    const OutputComparison &outputs = *report.outputs;
    json.insert(QStringLiteral("kl_divergence"), outputs.klDivergence);
    json.insert(QStringLiteral("top1_agreement"), outputs.top1Agreement);
    QJsonObject outputJson{{QStringLiteral("kl_divergence"), outputs.klDivergence},
                           {QStringLiteral("top1_agreement"), outputs.top1Agreement},
                           {QStringLiteral("top5_position"), "last"},
                           {QStringLiteral("top5_reference"), predictionsJson(outputs.referenceTop5, tokenString, tokenText)},
                           {QStringLiteral("top5_variant"), predictionsJson(outputs.variantTop5, tokenString, tokenText)}};
    if (!report.lossKind.isEmpty() && outputs.scoredTargets > 0) {
        const bool perplexity = report.lossKind == QLatin1String("perplexity");
        const auto shown = [&](double loss) { return perplexity ? std::exp(loss) : loss; };
        const double before = shown(outputs.referenceLoss);
        const double after = shown(outputs.variantLoss);
        outputJson.insert(report.lossKind,
                          QJsonObject{{QStringLiteral("reference"), finite(before)},
                                      {QStringLiteral("variant"), finite(after)},
                                      {QStringLiteral("change"), finite(after - before)},
                                      {QStringLiteral("scored_tokens"), qint64(outputs.scoredTargets)}});
    }
    json.insert(QStringLiteral("outputs"), outputJson);
    return json;
}

} // namespace attnscope
