#include "core/analysis/retrieval_score.h"

#include <set>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/attention_tensor.h"
#include "core/analysis/model_run.h"
#include "core/io/input_error.h"

namespace attnscope {

torch::Tensor retrievalScores(const torch::Tensor &rows, const torch::Tensor &context,
                              const torch::Tensor &generated, int64_t needleBegin, int64_t needleEnd)
{
    const torch::Tensor values = checkedAttention(rows, QStringLiteral("retrieval score"));
    if (context.dim() != 1 || context.size(0) != values.size(3) || generated.dim() != 1
        || generated.size(0) != values.size(2) || needleBegin < 0 || needleEnd <= needleBegin
        || needleEnd > values.size(3))
        throw InputError(QStringLiteral("retrieval score"), QStringLiteral("rows, context, generated tokens and needle do not fit together"));
    const torch::Tensor best = values.argmax(-1); // [L, H, G]
    torch::Tensor scores = torch::zeros({values.size(0), values.size(1)}, torch::kFloat64);
    for (int64_t l = 0; l < values.size(0); ++l)
        for (int64_t h = 0; h < values.size(1); ++h) {
            std::set<int64_t> copied;
            for (int64_t g = 0; g < values.size(2); ++g) {
                const int64_t key = best[l][h][g].item<int64_t>();
                if (key >= needleBegin && key < needleEnd && context[key].item<int64_t>() == generated[g].item<int64_t>())
                    copied.insert(key);
            }
            scores[l][h] = double(copied.size()) / double(needleEnd - needleBegin);
        }
    return scores;
}

NeedleInput needleInHaystack(const torch::Tensor &haystack, const torch::Tensor &needle, double depth, bool keepFirst)
{
    const int64_t first = keepFirst ? 1 : 0;
    const int64_t body = haystack.size(0) - first;
    const int64_t cut = first + int64_t(std::llround(depth * double(body)));
    NeedleInput input;
    input.needleBegin = cut;
    input.ids = torch::cat({haystack.narrow(0, 0, cut), needle, haystack.narrow(0, cut, haystack.size(0) - cut), needle});
    input.answerBegin = input.ids.size(0) - needle.size(0);
    return input;
}

namespace {

class RetrievalScoreAnalysis : public Analysis {
public:
    QString name() const override { return QStringLiteral("retrieval"); }
    QString description() const override
    {
        return QStringLiteral("Retrieval score: copy rate of a random needle placed in the input as haystack (Wu et al. 2024)");
    }
    bool needsModel() const override { return true; }
    std::vector<AnalysisOption> options() const override
    {
        return {integerOption(QStringLiteral("needle-length"), 10, 1, 4096, QStringLiteral("random tokens in the needle")),
                realOption(QStringLiteral("depth"), 0.5, 0, 1, QStringLiteral("where the needle goes, as a fraction of the haystack")),
                integerOption(QStringLiteral("seed"), 0, 0, 1 << 30, QStringLiteral("random seed of the needle"))};
    }
    AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &options) const override
    {
        const Model &model = contextModel(context, name());
        const ModelInfo &info = model.info();
        if (!info.causal || info.vocabSize <= 3 || !context.input.inputIds.defined())
            throw InputError(info.directory, QStringLiteral("retrieval scores need a causal language model and text"));
        torch::Generator generator = at::detail::createCPUGenerator(uint64_t(options.integer(QStringLiteral("seed"))));
        const torch::Tensor needle = torch::randint(3, info.vocabSize, {options.integer(QStringLiteral("needle-length"))}, generator, torch::kLong);
        const torch::Tensor haystack = context.input.inputIds.to(torch::kLong);
        const bool keepFirst = haystack.size(0) > 0 && haystack[0].item<int64_t>() < 3; // BOS stays first
        const NeedleInput built = needleInHaystack(haystack, needle, options.real(QStringLiteral("depth")), keepFirst);
        if (built.answerBegin < 1 || (info.maxPositions > 0 && built.ids.size(0) > info.maxPositions))
            throw InputError(QStringLiteral("retrieval"), QStringLiteral("%1 tokens do not fit the model's %2 positions")
                                                              .arg(built.ids.size(0)).arg(info.maxPositions));
        ModelInput input;
        input.inputIds = built.ids;
        const RecordedRun run = runWithAttention(model, input);
        const int64_t answer = needle.size(0);
        const torch::Tensor generated = run.logits.narrow(0, built.answerBegin - 1, answer).argmax(-1);
        const torch::Tensor rows = run.attention.narrow(2, built.answerBegin - 1, answer);
        AnalysisResult result;
        result.tensors["retrieval"] = retrievalScores(rows, built.ids, generated, built.needleBegin, built.needleBegin + answer);
        result.tensors["input_ids"] = built.ids;
        result.summary[QStringLiteral("needle_begin")] = qint64(built.needleBegin);
        result.summary[QStringLiteral("answer_accuracy")] = (generated == needle).to(torch::kFloat64).mean().item<double>();
        result.summary[QStringLiteral("best_score")] = result.tensors["retrieval"].max().item<double>();
        return result;
    }
};

} // namespace

std::unique_ptr<Analysis> retrievalScoreAnalysis() { return std::make_unique<RetrievalScoreAnalysis>(); }

} // namespace attnscope
