// Generation on stories260K (../shared): 64 greedy steps through the KV cache, without and with
// each step's attention captured; the per-step difference is what the capture costs (#26 asks
// for under 5 ms a step beyond the forward itself).

#include <benchmark/benchmark.h>

#include <QFileInfo>
#include <torch/torch.h>

#include "core/models/generation.h"
#include "core/models/model.h"
#include "core/tokenize/tokenizer.h"

using namespace attnscope;

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
constexpr int64_t kSteps = 64;

void generateSteps(benchmark::State &state, bool capture)
{
    if (!QFileInfo::exists(kStories + QStringLiteral("/config.json"))) {
        state.SkipWithError("shared test data absent: no ../shared/models/stories260K");
        return;
    }
    static const std::unique_ptr<Model> model = loadModel(kStories);
    GenerationRequest request;
    request.promptIds = torch::tensor(tokenize::loadTokenizer(kStories)->encode(QStringLiteral("Once upon a time")).ids(),
                                      torch::kInt64);
    request.maxNewTokens = kSteps;
    request.captureAttention = capture;
    for (auto _ : state)
        benchmark::DoNotOptimize(generate(*model, request, {}));
    state.counters["per_step"] =
        benchmark::Counter(double(kSteps), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_GenerateWithoutCapture(benchmark::State &state) { generateSteps(state, false); }
void BM_GenerateWithCapture(benchmark::State &state) { generateSteps(state, true); }

} // namespace

BENCHMARK(BM_GenerateWithoutCapture)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GenerateWithCapture)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
