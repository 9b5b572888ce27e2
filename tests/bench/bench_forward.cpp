// Forward passes of a BERT-base-sized model (12 layers, 768 wide, 12 heads, 3072 MLP; GPT-2
// layout with random weights) capturing every layer's attention: dense capture at 128 and
// 512 tokens, compact capture (q, k and row normalizers) at 8,192 tokens with its peak RSS,
// and the capture run's GFLOP/s at 512 tokens against plain sgemm on the same matrix sizes.
// tests/bench/reference_forward.py times the same model in PyTorch eager.

#include <sys/resource.h>

#include <chrono>

#include <benchmark/benchmark.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "core/io/safetensors_writer.h"
#include "core/models/model.h"

using namespace attnscope;

namespace {

constexpr int kLayers = 12, kHidden = 768, kHeads = 12, kVocab = 1024, kPositions = 8192;

// A random checkpoint in Hugging Face GPT-2 layout, written once per machine.
QString checkpoint()
{
    const QString dir = QDir::temp().filePath(QStringLiteral("attnscope-bench-gpt2-base"));
    if (QFileInfo::exists(dir + QStringLiteral("/model.safetensors")))
        return dir;
    QDir().mkpath(dir);
    const QJsonObject config{{QStringLiteral("model_type"), QStringLiteral("gpt2")},
                             {QStringLiteral("architectures"), QJsonArray{QStringLiteral("GPT2LMHeadModel")}},
                             {QStringLiteral("vocab_size"), kVocab}, {QStringLiteral("n_embd"), kHidden},
                             {QStringLiteral("n_layer"), kLayers}, {QStringLiteral("n_head"), kHeads},
                             {QStringLiteral("n_positions"), kPositions}};
    QFile file(dir + QStringLiteral("/config.json"));
    file.open(QIODevice::WriteOnly);
    file.write(QJsonDocument(config).toJson());
    file.close();
    torch::manual_seed(0);
    NamedTensors tensors{{"wte.weight", torch::randn({kVocab, kHidden}) * 0.02},
                         {"wpe.weight", torch::randn({kPositions, kHidden}) * 0.02},
                         {"ln_f.weight", torch::ones({kHidden})}, {"ln_f.bias", torch::zeros({kHidden})}};
    const auto add = [&](const std::string &name, std::vector<int64_t> shape) {
        tensors.emplace_back(name + ".weight", torch::randn(shape) * 0.02);
        tensors.emplace_back(name + ".bias", torch::zeros({shape.back()}));
    };
    for (int i = 0; i < kLayers; ++i) {
        const std::string at = "h." + std::to_string(i) + ".";
        for (const char *norm : {"ln_1", "ln_2"}) {
            tensors.emplace_back(at + norm + ".weight", torch::ones({kHidden}));
            tensors.emplace_back(at + norm + ".bias", torch::zeros({kHidden}));
        }
        add(at + "attn.c_attn", {kHidden, 3 * kHidden});
        add(at + "attn.c_proj", {kHidden, kHidden});
        add(at + "mlp.c_fc", {kHidden, 4 * kHidden});
        add(at + "mlp.c_proj", {4 * kHidden, kHidden});
    }
    writeSafetensors(dir + QStringLiteral("/model.safetensors"), tensors);
    return dir;
}

const Model &model()
{
    static const std::unique_ptr<Model> loaded = loadModel(checkpoint());
    return *loaded;
}

ModelInput randomInput(int64_t tokens)
{
    ModelInput input;
    input.inputIds = torch::randint(kVocab, {tokens}, torch::kInt64);
    return input;
}

double peakRssMiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;
}

void BM_ForwardFullCapture(benchmark::State &state)
{
    const ModelInput input = randomInput(state.range(0));
    for (auto _ : state) {
        AttentionRecord record;
        benchmark::DoNotOptimize(model().forward(input, {}, &record));
        if (!record.isDense())
            state.SkipWithError("expected a dense record");
    }
    state.counters["tokens_per_s"] = benchmark::Counter(double(state.range(0)), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ForwardFullCapture)->Arg(128)->Arg(512)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_LongInputCompactCapture(benchmark::State &state)
{
    const ModelInput input = randomInput(state.range(0));
    for (auto _ : state) {
        AttentionRecord record;
        model().forward(input, {}, &record);
        if (record.isDense())
            state.SkipWithError("expected a compact record");
        benchmark::DoNotOptimize(record.tile(11, 3, 8000, 8192, 0, 8192));
    }
    state.counters["peak_rss_MiB"] = peakRssMiB();
}
BENCHMARK(BM_LongInputCompactCapture)->Arg(8192)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

// The matrix products of one forward pass at T tokens as [m, k] × [k, n] (count of each):
// per layer the four projections, and per head q·kᵀ and p·v; then the LM head.
struct Product {
    int64_t m, k, n, count;
};
std::vector<Product> forwardProducts(int64_t T)
{
    const int64_t d = kHidden / kHeads;
    return {{T, kHidden, 3 * kHidden, kLayers}, {T, kHidden, kHidden, kLayers}, {T, kHidden, 4 * kHidden, kLayers},
            {T, 4 * kHidden, kHidden, kLayers}, {T, d, T, kLayers * kHeads}, {T, T, d, kLayers * kHeads},
            {T, kHidden, kVocab, 1}};
}

double flopsOf(const std::vector<Product> &products)
{
    double flops = 0;
    for (const Product &p : products)
        flops += 2.0 * double(p.m) * double(p.k) * double(p.n) * double(p.count);
    return flops;
}

// Seconds for torch::mm over the same sizes (the heads' products batched as the kernel does).
double sgemmSeconds(const std::vector<Product> &products)
{
    std::vector<std::pair<torch::Tensor, torch::Tensor>> operands;
    for (const Product &p : products)
        operands.emplace_back(torch::randn({p.m, p.k}), torch::randn({p.k, p.n}));
    const auto start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < products.size(); ++i)
        for (int64_t c = 0; c < products[i].count; ++c)
            benchmark::DoNotOptimize(torch::mm(operands[i].first, operands[i].second));
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_CaptureRateVsSgemm(benchmark::State &state)
{
    const ModelInput input = randomInput(state.range(0));
    const std::vector<Product> products = forwardProducts(state.range(0));
    const Model &loaded = model(); // loaded (and warmed up) before anything is timed
    AttentionRecord warmUp;
    loaded.forward(input, {}, &warmUp);
    double forward = 0, sgemm = 0;
    for (auto _ : state) {
        AttentionRecord record;
        const auto start = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(loaded.forward(input, {}, &record));
        forward += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        sgemm += sgemmSeconds(products);
    }
    const double flops = flopsOf(products) * double(state.iterations());
    state.counters["forward_GFLOPs"] = flops / forward / 1e9;
    state.counters["sgemm_GFLOPs"] = flops / sgemm / 1e9;
    state.counters["forward_over_sgemm"] = sgemm / forward;
}
BENCHMARK(BM_CaptureRateVsSgemm)->Arg(512)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
