#include "decoder_test_support.h"

#include <QFile>
#include <QJsonDocument>

#include "core/capture/attention_record.h"
#include "core/io/input_error.h"
#include "core/io/safetensors_writer.h"
#include "core/models/causal_lm.h"
#include "core/models/model.h"

namespace attnscope::test {

double maxDifference(const torch::Tensor &a, const torch::Tensor &b)
{
    if (a.sizes() != b.sizes())
        return std::numeric_limits<double>::infinity();
    return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

bool logitsMatch(const torch::Tensor &logits, const torch::Tensor &expected)
{
    const double scale = std::max(1.0, expected.abs().max().item<double>());
    return maxDifference(logits, expected) <= 1e-5 * scale;
}

TinyCheckpoint::TinyCheckpoint(uint64_t seed)
    : m_generator(at::detail::createCPUGenerator(seed))
{
}

torch::Tensor TinyCheckpoint::add(const std::string &name, std::vector<int64_t> shape, double scale, bool aroundOne)
{
    torch::Tensor value = at::normal(0.0, scale, shape, m_generator);
    if (aroundOne)
        value = value + 1;
    m_tensors[name] = value;
    return value;
}

void TinyCheckpoint::addStored(const std::string &name, const torch::Tensor &value)
{
    m_tensors[name] = value;
}

const torch::Tensor &TinyCheckpoint::operator[](const std::string &name) const
{
    const auto found = m_tensors.find(name);
    if (found == m_tensors.end())
        throw std::out_of_range("no tensor " + name);
    return found->second;
}

QString TinyCheckpoint::write(const QJsonObject &config) const
{
    NamedTensors tensors(m_tensors.begin(), m_tensors.end());
    writeSafetensors(m_dir.filePath(QStringLiteral("model.safetensors")), tensors);
    QFile file(m_dir.filePath(QStringLiteral("config.json")));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        throw std::runtime_error("cannot write config.json");
    file.write(QJsonDocument(config).toJson());
    return m_dir.path();
}

EngineRun runEngine(const QString &modelDir, const torch::Tensor &ids)
{
    const auto model = loadModel(modelDir);
    EngineRun run;
    ModelInput input;
    input.inputIds = ids;
    const auto attentionsOf = [](const AttentionRecord &record) {
        std::vector<torch::Tensor> layers;
        for (int layer = 0; layer < record.layers(); ++layer)
            layers.push_back(record.layer(layer));
        return torch::stack(layers);
    };
    AttentionRecord dense, compact(0);
    run.logits = model->forward(input, {}, &dense);
    run.attentions = attentionsOf(dense);
    model->forward(input, {}, &compact);
    run.compactAttentions = attentionsOf(compact);

    const auto *causal = dynamic_cast<const CausalLanguageModel *>(model.get());
    KvCache cache;
    const int64_t prompt = std::min<int64_t>(3, ids.size(0));
    std::vector<torch::Tensor> rows{causal->forwardCached(ids.slice(0, 0, prompt), cache, {}, nullptr)};
    for (int64_t i = prompt; i < ids.size(0); ++i)
        rows.push_back(causal->forwardCached(ids.slice(0, i, i + 1), cache, {}, nullptr));
    run.cachedLogits = torch::cat(rows);
    return run;
}

QString loadError(const QString &modelDir)
{
    try {
        loadModel(modelDir);
    } catch (const InputError &error) {
        return QString::fromUtf8(error.what());
    }
    return QStringLiteral("(no error)");
}

QString runMismatch(const EngineRun &run, const torch::Tensor &attentions, const torch::Tensor &logits, bool withCache)
{
    if (maxDifference(run.attentions, attentions) >= 1e-5)
        return QStringLiteral("attention differs by %1").arg(maxDifference(run.attentions, attentions));
    if (maxDifference(run.compactAttentions, attentions) >= 1e-5)
        return QStringLiteral("compact record's attention differs by %1").arg(maxDifference(run.compactAttentions, attentions));
    if (!logitsMatch(run.logits, logits))
        return QStringLiteral("logits differ by %1").arg(maxDifference(run.logits, logits));
    if (withCache && !logitsMatch(run.cachedLogits, logits))
        return QStringLiteral("logits through the KV cache differ by %1").arg(maxDifference(run.cachedLogits, logits));
    return {};
}

} // namespace attnscope::test
