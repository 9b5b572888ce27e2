#pragma once
// A variant against the reference on one input: runs the model twice (reference softmax and
// the plan), measures the attention maps and the outputs, and estimates what attention costs
// either way. `attnscope-cli compare` prints it as JSON; the GUI's outputs panel shows it.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include <QJsonObject>

#include "core/attention/variant_comparison.h"
#include "core/attention/variant_cost.h"
#include "core/capture/attention_record.h"
#include "core/models/model.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope {

struct ComparisonInput {
    ModelInput input;
    std::vector<bool> special;  // per token: added by the tokenizer (not scored by the MLM loss)
    int64_t maskTokenId = -1;   // encoders: the [MASK] id for the masked-LM loss (−1: none)
    std::vector<RecordedToken> tokens; // given to both records, so that views label them
};

struct VariantReport {
    QStringList specs;
    int64_t tokens = 0;
    std::vector<std::vector<HeadComparison>> heads; // [layer][head]
    // Causal LMs: next-token loss (perplexity = exp). Masked LMs: pseudo-log-likelihood loss,
    // each scored token masked in turn (Salazar et al. 2020). Classifiers: no loss.
    QString lossKind; // "perplexity", "mlm_loss" or empty
    std::optional<OutputComparison> outputs; // none for base models without a head
    VariantCost referenceCost; // attention of the whole model, all layers and heads
    VariantCost variantCost;
    // Both runs' attention, for views that show the maps side by side or their difference.
    std::shared_ptr<const AttentionRecord> referenceRecord;
    std::shared_ptr<const AttentionRecord> variantRecord;
};

// Lets a worker follow and stop a comparison: layerStarted(done, total) counts the layers
// of both passes; when *cancelled turns true the next layer throws ForwardCancelled.
struct ComparisonProgress {
    const std::atomic<bool> *cancelled = nullptr;
    std::function<void(int, int)> layerStarted;
};

// The comparison input of an encoded text: ids, the special-token flags, the mask id.
ComparisonInput comparisonInputOf(const tokenize::Encoding &encoding, bool pair,
                                  const tokenize::Tokenizer &tokenizer);

VariantReport compareVariant(const Model &model, const ComparisonInput &input,
                             const AttentionPlan &plan, const ComparisonProgress &progress = {});

// The top-5 lists name each vocabulary id by its vocabulary string ("token", e.g. "▁One") and
// as the views show it ("text", e.g. "␣One"); either function may return an empty string.
QJsonObject variantReportJson(const VariantReport &report, const std::function<QString(int64_t)> &tokenString,
                              const std::function<QString(int64_t)> &tokenText);

} // namespace attnscope
