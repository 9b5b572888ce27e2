// Attention flow for one output token on 128 tokens × 12 layers (12 heads): 128 max-flow
// solves on the layered graph. Issue 7 asks for under 2 s.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "core/analysis/attention_flow.h"

namespace {

torch::Tensor benchAttention(bool causal)
{
    torch::manual_seed(1);
    torch::Tensor scores = 2.0 * torch::randn({12, 12, 128, 128}, torch::kFloat64);
    if (causal)
        scores.masked_fill_(torch::ones({128, 128}, torch::kBool).triu(1), -INFINITY);
    return scores.softmax(-1);
}

void flowOneToken(benchmark::State &state)
{
    const torch::Tensor capacities =
        attnscope::rolloutLayerMatrices(benchAttention(state.range(0) != 0), attnscope::RolloutSettings{});
    for (auto _ : state)
        benchmark::DoNotOptimize(attnscope::attentionFlowFrom(capacities, 127));
}

} // namespace

BENCHMARK(flowOneToken)->Arg(0)->Arg(1)->ArgNames({"causal"})->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
