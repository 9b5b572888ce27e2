#include "core/analysis/induction_score.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/attention_tensor.h"
#include "core/analysis/model_run.h"
#include "core/io/input_error.h"

namespace attnscope {

torch::Tensor inductionScores(const torch::Tensor &attention, int64_t prefix, int64_t period)
{
    const torch::Tensor values = checkedAttention(attention, QStringLiteral("induction score"));
    if (period < 1 || prefix < 0 || values.size(2) < prefix + 2 * period || values.size(3) < values.size(2))
        throw InputError(QStringLiteral("induction score"),
                         QStringLiteral("attention over %1 tokens cannot hold %2 prefix tokens and two copies of %3")
                             .arg(values.size(2)).arg(prefix).arg(period));
    // Query t = prefix + period + k looks at key t − period + 1: the diagonal at offset 1 − period.
    return values.diagonal(1 - period, 2, 3).narrow(-1, prefix + 1, period).mean(-1);
}

torch::Tensor previousTokenScores(const torch::Tensor &attention)
{
    const torch::Tensor values = checkedAttention(attention, QStringLiteral("previous-token score"));
    if (values.size(2) < 2)
        throw InputError(QStringLiteral("previous-token score"), QStringLiteral("needs at least two tokens"));
    return values.diagonal(-1, 2, 3).mean(-1);
}

CopyLosses copyLosses(const torch::Tensor &logits, const torch::Tensor &ids, int64_t prefix, int64_t period)
{
    if (logits.dim() != 2 || ids.dim() != 1 || logits.size(0) != ids.size(0) || period < 2 || ids.size(0) < prefix + 2 * period)
        throw InputError(QStringLiteral("copy losses"), QStringLiteral("need logits [T, V] and ids [T] over %1 prefix tokens and two copies of %2")
                                                            .arg(prefix).arg(period));
    const torch::Tensor exact = logits.to(torch::kFloat64);
    return {copyLoss(exact, ids, prefix, period).item<double>(), copyLoss(exact, ids, prefix + period, period).item<double>()};
}

torch::Tensor copyLoss(const torch::Tensor &logits, const torch::Tensor &ids, int64_t copyStart, int64_t period)
{
    // Position k of the copy (k ≥ 1) is predicted from the logits one step earlier.
    return torch::nn::functional::cross_entropy(logits.narrow(0, copyStart, period - 1),
                                                ids.narrow(0, copyStart + 1, period - 1));
}

double uniformInductionScore(int64_t prefix, int64_t period, bool causal)
{
    double total = 0;
    for (int64_t t = prefix + period; t < prefix + 2 * period; ++t)
        total += causal ? 1.0 / double(t + 1) : 1.0 / double(prefix + 2 * period);
    return total / double(period);
}

torch::Tensor repeatedRandomSequences(int64_t count, int64_t period, int64_t bos, int64_t low,
                                      int64_t high, uint64_t seed)
{
    torch::Generator generator = at::detail::createCPUGenerator(seed);
    const torch::Tensor block = torch::randint(low, high, {count, period}, generator, torch::kLong);
    std::vector<torch::Tensor> parts;
    if (bos >= 0)
        parts.push_back(torch::full({count, 1}, bos, torch::kLong));
    parts.push_back(block);
    parts.push_back(block);
    return torch::cat(parts, 1);
}

namespace {

class InductionScoreAnalysis : public Analysis {
public:
    QString name() const override { return QStringLiteral("induction"); }
    QString description() const override
    {
        return QStringLiteral("Induction and previous-token scores on repeated random token sequences (Olsson et al. 2022)");
    }
    bool needsModel() const override { return true; }
    bool needsInput() const override { return false; }
    std::vector<AnalysisOption> options() const override
    {
        return {integerOption(QStringLiteral("period"), 50, 2, 4096, QStringLiteral("length of the random block that is repeated")),
                integerOption(QStringLiteral("sequences"), 8, 1, 1024, QStringLiteral("random sequences averaged")),
                integerOption(QStringLiteral("bos"), -1, -2, 1 << 30,
                              QStringLiteral("token id put first; -1 = 1 for causal models with a vocabulary, -2 = none")),
                integerOption(QStringLiteral("min-id"), 3, 0, 1 << 30,
                              QStringLiteral("smallest id drawn; 3 skips <unk>, <s>, </s>; a model that never saw "
                                             "SentencePiece byte pieces (ids 3-258) copies best from 259")),
                integerOption(QStringLiteral("seed"), 0, 0, 1 << 30, QStringLiteral("random seed"))};
    }
    AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &options) const override
    {
        const Model &model = contextModel(context, name());
        const ModelInfo &info = model.info();
        if (info.vocabSize <= 2)
            throw InputError(info.directory, QStringLiteral("induction scores need a text model"));
        const int64_t period = options.integer(QStringLiteral("period"));
        int64_t bos = options.integer(QStringLiteral("bos"));
        if (bos == -1)
            bos = info.causal ? 1 : -2;
        const int64_t prefix = bos >= 0 ? 1 : 0;
        if (bos >= info.vocabSize)
            throw InputError(QStringLiteral("--bos"), QStringLiteral("%1 is outside the vocabulary").arg(bos));
        if (info.maxPositions > 0 && prefix + 2 * period > info.maxPositions)
            throw InputError(QStringLiteral("--period"), QStringLiteral("%1 tokens exceed the model's %2 positions")
                                                             .arg(prefix + 2 * period).arg(info.maxPositions));
        const int64_t minId = options.integer(QStringLiteral("min-id"));
        if (minId + 1 >= info.vocabSize)
            throw InputError(QStringLiteral("--min-id"), QStringLiteral("%1 leaves no ids to draw from a vocabulary of %2")
                                                             .arg(minId).arg(info.vocabSize));
        const torch::Tensor sequences = repeatedRandomSequences(options.integer(QStringLiteral("sequences")), period, bos,
                                                                minId, info.vocabSize, uint64_t(options.integer(QStringLiteral("seed"))));
        bool predictsNextToken = false; // a causal LM head; base models return hidden states
        torch::Tensor induction;
        torch::Tensor previous;
        CopyLosses losses;
        for (int64_t s = 0; s < sequences.size(0); ++s) {
            ModelInput input;
            input.inputIds = sequences[s];
            const RecordedRun run = runWithAttention(model, input);
            const torch::Tensor &attention = run.attention;
            const torch::Tensor scores = inductionScores(attention, prefix, period);
            predictsNextToken = info.causal && run.logits.dim() == 2 && run.logits.size(1) == info.vocabSize;
            if (predictsNextToken) {
                const CopyLosses sequenceLosses = copyLosses(run.logits, sequences[s], prefix, period);
                losses.firstCopy += sequenceLosses.firstCopy / double(sequences.size(0));
                losses.secondCopy += sequenceLosses.secondCopy / double(sequences.size(0));
            }
            const torch::Tensor previousScores = previousTokenScores(attention);
            induction = induction.defined() ? induction + scores : scores;
            previous = previous.defined() ? previous + previousScores : previousScores;
        }
        AnalysisResult result;
        result.tensors["induction"] = induction / double(sequences.size(0));
        result.tensors["previous_token"] = previous / double(sequences.size(0));
        const double uniform = uniformInductionScore(prefix, period, info.causal);
        result.tensors["induction_over_uniform"] = result.tensors["induction"] / uniform;
        const int64_t best = result.tensors["induction"].argmax().item<int64_t>();
        result.summary[QStringLiteral("uniform_induction")] = uniform;
        result.summary[QStringLiteral("best_layer")] = qint64(best / info.heads);
        result.summary[QStringLiteral("best_head")] = qint64(best % info.heads);
        result.summary[QStringLiteral("best_over_uniform")] = result.tensors["induction_over_uniform"].max().item<double>();
        if (predictsNextToken) {
            result.summary[QStringLiteral("loss_first_copy")] = losses.firstCopy;
            result.summary[QStringLiteral("loss_second_copy")] = losses.secondCopy;
        }
        return result;
    }
};

} // namespace

std::unique_ptr<Analysis> inductionScoreAnalysis() { return std::make_unique<InductionScoreAnalysis>(); }

} // namespace attnscope
