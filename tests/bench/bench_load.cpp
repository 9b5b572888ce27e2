// Loading a ~512 MB F32 checkpoint through openWeights: time, and the peak resident memory
// it adds, which must stay near one file size (the tensors are views over the memory-mapped
// file), never twice. Set ATTNSCOPE_BENCH_MODEL_DIR to also measure a real model folder.
#include <cstdlib>
#include <string>

#include <benchmark/benchmark.h>
#include <QFileInfo>
#include <QTemporaryDir>
#include <torch/torch.h>

#include "core/io/safetensors_writer.h"
#include "core/io/weights.h"
#include "tests/core/io/peak_rss.h"

namespace {

using attnscope::testing::resetPeakRss;
using attnscope::testing::statusMiB;

// 32 tensors of 4 Mi floats each: 512 MiB of data.
const QString &generatedModelDir()
{
    static QTemporaryDir dir;
    static const bool written = [] {
        attnscope::NamedTensors tensors;
        for (int layer = 0; layer < 32; ++layer)
            tensors.emplace_back("layers." + std::to_string(layer) + ".weight",
                                 torch::full({2048, 2048}, float(layer)));
        attnscope::writeSafetensors(dir.filePath("model.safetensors"), tensors);
        return true;
    }();
    static const QString path = written ? dir.path() : QString();
    return path;
}

double folderMiB(const QString &dir)
{
    qint64 bytes = 0;
    for (const char *name : {"model.safetensors", "pytorch_model.bin"})
        bytes += QFileInfo(dir + "/" + name).size();
    return double(bytes) / (1024.0 * 1024.0);
}

void loadCheckpoint(benchmark::State &state, const QString &modelDir)
{
    double afterLoad = 0, afterReading = 0;
    for (auto _ : state) {
        resetPeakRss();
        const double baseline = statusMiB("VmRSS");
        const auto weights = attnscope::openWeights(modelDir);
        std::vector<torch::Tensor> tensors;
        for (const std::string &name : weights->names())
            tensors.push_back(weights->load(name));
        afterLoad = statusMiB("VmHWM") - baseline;
        double total = 0;
        for (const torch::Tensor &tensor : tensors)
            total += tensor.sum(torch::kFloat64).item<double>();
        benchmark::DoNotOptimize(total);
        afterReading = statusMiB("VmHWM") - baseline;
    }
    const double fileMiB = folderMiB(modelDir);
    state.counters["file_MiB"] = fileMiB;
    state.counters["peak_rss_added_after_load_MiB"] = afterLoad;
    state.counters["peak_rss_added_after_reading_all_MiB"] = afterReading;
    state.counters["peak_over_file"] = fileMiB > 0 ? afterReading / fileMiB : 0;
}

} // namespace

int main(int argc, char **argv)
{
    benchmark::RegisterBenchmark("load_512MiB_safetensors", [](benchmark::State &state) {
        loadCheckpoint(state, generatedModelDir());
    })->Iterations(3)->Unit(benchmark::kMillisecond);
    if (const char *dir = std::getenv("ATTNSCOPE_BENCH_MODEL_DIR"))
        benchmark::RegisterBenchmark("load_model_dir", [dir](benchmark::State &state) {
            loadCheckpoint(state, QString::fromLocal8Bit(dir));
        })->Iterations(3)->Unit(benchmark::kMillisecond);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
