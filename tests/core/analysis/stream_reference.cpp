#include "stream_reference.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/model_run.h"
#include "core/io/input_error.h"

namespace attnscope::test {

namespace {

torch::Tensor layerNorm(const torch::Tensor &x, const torch::Tensor &w, const torch::Tensor &b, double eps)
{
    const torch::Tensor mean = x.mean(-1, true);
    const torch::Tensor variance = (x - mean).pow(2).mean(-1, true);
    return (x - mean) / torch::sqrt(variance + eps) * w + b;
}

std::string layerName(Family family, int layer, const std::string &suffix)
{
    const std::string index = std::to_string(layer);
    switch (family) {
    case Family::Gpt2: return "transformer.h." + index + "." + suffix;
    case Family::Bert: return "encoder.layer." + index + "." + suffix;
    case Family::Llama: return "model.layers." + index + "." + suffix;
    }
    return suffix;
}

} // namespace

torch::Tensor Checkpoint::weight(const std::string &name) const
{
    const std::string prefixed = family == Family::Bert && !weights->contains(name) ? "bert." + name : name;
    return weights->load(prefixed).to(torch::kFloat64);
}

torch::Tensor Checkpoint::values(int layer, const torch::Tensor &stream) const
{
    const ModelInfo &info = model->info();
    const int64_t hidden = info.hidden, tokens = stream.size(0);
    const auto w = [&](const std::string &suffix) { return weight(layerName(family, layer, suffix)); };
    torch::Tensor v;
    switch (family) {
    case Family::Gpt2: { // Conv1D [in, 3·hidden]: the last third makes the values
        const torch::Tensor x = layerNorm(stream, w("ln_1.weight"), w("ln_1.bias"), 1e-5);
        v = x.matmul(w("attn.c_attn.weight").narrow(1, 2 * hidden, hidden)) + w("attn.c_attn.bias").narrow(0, 2 * hidden, hidden);
        break;
    }
    case Family::Bert:
        v = stream.matmul(w("attention.self.value.weight").t()) + w("attention.self.value.bias");
        break;
    case Family::Llama: {
        const torch::Tensor x = stream / torch::sqrt(stream.pow(2).mean(-1, true) + 1e-5) * w("input_layernorm.weight");
        v = x.matmul(w("self_attn.v_proj.weight").t());
        break;
    }
    }
    return v.view({tokens, info.kvHeads, info.headDim}).transpose(0, 1);
}

torch::Tensor Checkpoint::outputWeight(int layer) const
{
    switch (family) {
    case Family::Gpt2: return weight(layerName(family, layer, "attn.c_proj.weight")).t();
    case Family::Bert: return weight(layerName(family, layer, "attention.output.dense.weight"));
    case Family::Llama: return weight(layerName(family, layer, "self_attn.o_proj.weight"));
    }
    return {};
}

torch::Tensor Checkpoint::outputBias(int layer) const
{
    switch (family) {
    case Family::Gpt2: return weight(layerName(family, layer, "attn.c_proj.bias"));
    case Family::Bert: return weight(layerName(family, layer, "attention.output.dense.bias"));
    case Family::Llama: break;
    }
    return torch::zeros({model->info().hidden}, torch::kFloat64);
}

torch::Tensor Checkpoint::finalNormWeight() const
{
    return weight(family == Family::Gpt2 ? "transformer.ln_f.weight" : "model.norm.weight");
}

torch::Tensor Checkpoint::finalNormBias() const
{
    return family == Family::Gpt2 ? weight("transformer.ln_f.bias") : torch::zeros({model->info().hidden}, torch::kFloat64);
}

double Checkpoint::finalNormEps() const { return 1e-5; }

torch::Tensor Checkpoint::unembedding() const
{
    return weight(family == Family::Gpt2 ? "transformer.wte.weight" : "model.embed_tokens.weight");
}

std::unique_ptr<Checkpoint> openCheckpoint(const QString &name)
{
    auto checkpoint = std::make_unique<Checkpoint>();
    const QString data = QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/models/");
    if (name == QLatin1String("gpt2")) {
        checkpoint->dir = data + QStringLiteral("decoders/gpt2_lm");
        checkpoint->ids = torch::tensor({3, 17, 5, 42, 9, 17, 5, 30, 11}, torch::kInt64);
    } else if (name.startsWith(QLatin1String("bert"))) {
        checkpoint->dir = data + (name == QLatin1String("bert") ? QStringLiteral("encoders/bert_mlm") : QStringLiteral("encoders/bert_base"));
        checkpoint->family = Family::Bert;
        checkpoint->ids = torch::tensor({2, 14, 27, 8, 51, 14, 33, 3}, torch::kInt64);
    } else {
        checkpoint->dir = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
        checkpoint->family = Family::Llama;
        checkpoint->ids = torch::tensor({1, 403, 407, 261, 378, 285, 370, 315, 289, 304, 261, 330}, torch::kInt64);
        if (!QFileInfo::exists(checkpoint->dir + QStringLiteral("/config.json")))
            return nullptr;
    }
    checkpoint->model = loadModel(checkpoint->dir);
    checkpoint->weights = SafetensorsFile::open(checkpoint->dir + QStringLiteral("/model.safetensors"));
    return checkpoint;
}

QString truncatedCopy(const QString &dir, const QString &into, int layers)
{
    QDir().mkpath(into);
    for (const QString &file : QDir(dir).entryList(QDir::Files))
        QFile::copy(dir + QLatin1Char('/') + file, into + QLatin1Char('/') + file);
    QFile configFile(into + QStringLiteral("/config.json"));
    configFile.open(QIODevice::ReadOnly);
    QJsonObject config = QJsonDocument::fromJson(configFile.readAll()).object();
    configFile.close();
    for (const QString &key : {QStringLiteral("n_layer"), QStringLiteral("num_hidden_layers")})
        if (config.contains(key))
            config[key] = layers;
    configFile.open(QIODevice::WriteOnly | QIODevice::Truncate);
    configFile.write(QJsonDocument(config).toJson());
    return into;
}

torch::Tensor ResidualRecorder::residual(int index, const torch::Tensor &stream)
{
    streams.resize(std::max<size_t>(streams.size(), size_t(index) + 1));
    streams[size_t(index)] = stream.to(torch::kFloat64);
    return stream;
}

torch::Tensor recordedRun(const Model &model, const torch::Tensor &ids, ResidualRecorder &recorder)
{
    ModelInput input;
    input.inputIds = ids;
    input.probe = &recorder;
    return model.forward(input, {}, nullptr).to(torch::kFloat64);
}

torch::Tensor attentionOf(const Model &model, const torch::Tensor &ids)
{
    ModelInput input;
    input.inputIds = ids;
    return runWithAttention(model, input).attention;
}

double maxDifference(const torch::Tensor &a, const torch::Tensor &b)
{
    const torch::Tensor x = a.to(torch::kFloat64), y = b.to(torch::kFloat64);
    const torch::Tensor bothNan = x.isnan() & y.isnan();
    return torch::where(bothNan, torch::zeros_like(x), (x - y).abs()).max().item<double>();
}

QString inputErrorOf(const std::function<void()> &action)
{
    try {
        action();
    } catch (const InputError &error) {
        return QString::fromUtf8(error.what()).section(QLatin1Char('\n'), 0, 0);
    }
    return QStringLiteral("(no error)");
}

AnalysisResult runAnalysisOn(const Checkpoint &checkpoint, const QString &method, const std::map<QString, QString> &options)
{
    AnalysisContext context;
    context.model = checkpoint.model.get();
    context.input.inputIds = checkpoint.ids;
    const Analysis *analysis = findAnalysis(method);
    return analysis->run(context, AnalysisOptions(method, analysis->options(), options));
}

} // namespace attnscope::test
