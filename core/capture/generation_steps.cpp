#include "core/capture/generation_steps.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <torch/torch.h>

#include "core/io/input_error.h"
#include "core/io/model_config.h"
#include "core/io/safetensors_file.h"
#include "core/models/generation.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope {

namespace {

torch::Tensor loaded(const SafetensorsFile &file, const char *name, int64_t rank)
{
    if (!file.contains(name))
        throw InputError(file.path(), QStringLiteral("no \"%1\" tensor: not a steps file of attnscope-cli generate")
                                          .arg(QLatin1String(name)));
    const torch::Tensor tensor = file.load(name);
    if (tensor.dim() != rank)
        throw InputError(file.path(), QStringLiteral("\"%1\" has %2 dimensions, not %3")
                                          .arg(QLatin1String(name)).arg(tensor.dim()).arg(rank));
    return tensor.clone(); // off the mapping, which closes with the file
}

QString number(double value)
{
    return QString::number(value, 'g', 4);
}

} // namespace

QString GenerationSteps::tokenText(int64_t id) const
{
    if (tokenizer)
        return tokenizer->idToText(id);
    for (size_t i = 0; i < ids.size(); ++i)
        if (ids[i] == id && int(i) < tokens.size())
            return tokens[int(i)];
    return QStringLiteral("#%1").arg(id);
}

GenerationSteps generationSteps(const Generation &generation, std::shared_ptr<const tokenize::Tokenizer> tokenizer,
                                const QString &model, const SamplingSettings &sampling)
{
    GenerationSteps steps;
    steps.model = model;
    steps.ids = generation.ids;
    steps.promptTokens = generation.promptTokens;
    steps.stepLogits = generation.stepLogits;
    steps.attentions = generation.attentions;
    steps.sampling = sampling;
    steps.tokenizer = std::move(tokenizer);
    for (const int64_t id : steps.ids)
        steps.tokens << steps.tokenText(id);
    return steps;
}

std::vector<int64_t> stopIdsOf(const ModelConfig &config)
{
    const QJsonValue value = config.json().value(QStringLiteral("eos_token_id"));
    std::vector<int64_t> ids;
    if (value.isDouble())
        ids.push_back(config.integer(QStringLiteral("eos_token_id")));
    for (const QJsonValue &id : value.toArray())
        ids.push_back(id.toInteger(-1));
    return ids;
}

bool isGenerationFile(const QString &path)
{
    try {
        return QFileInfo(path).isFile() && SafetensorsFile::open(path)->contains("step_logits");
    } catch (const InputError &) {
        return false;
    }
}

GenerationSteps loadGenerationFile(const QString &path)
{
    const auto file = SafetensorsFile::open(path);
    GenerationSteps steps;
    const torch::Tensor ids = loaded(*file, "input_ids", 1).to(torch::kInt64);
    steps.ids.assign(ids.data_ptr<int64_t>(), ids.data_ptr<int64_t>() + ids.numel());
    steps.stepLogits = loaded(*file, "step_logits", 2).to(torch::kFloat32);
    steps.attentions = loaded(*file, "attentions", 4).to(torch::kFloat32);
    const int64_t tokens = ids.numel();
    bool ok = false;
    steps.promptTokens = file->metadata().value(QStringLiteral("prompt_tokens")).toLongLong(&ok);
    if (!ok || steps.promptTokens < 1 || steps.promptTokens + steps.stepLogits.size(0) != tokens)
        throw InputError(path, QStringLiteral("metadata \"prompt_tokens\" and the %1 steps do not add up to the %2 ids")
                                   .arg(steps.stepLogits.size(0)).arg(tokens));
    if (steps.attentions.size(2) != tokens || steps.attentions.size(3) != tokens)
        throw InputError(path, QStringLiteral("the attentions are not %1 × %1, as many as the ids").arg(tokens));
    steps.sampling = samplingSettingsFromJson(file->metadata().value(QStringLiteral("sampling")));
    steps.model = file->metadata().value(QStringLiteral("model"));
    if (!steps.model.isEmpty() && QFileInfo(QDir(steps.model).filePath(QStringLiteral("config.json"))).exists()) {
        try {
            steps.tokenizer = tokenize::loadTokenizer(steps.model);
        } catch (const InputError &) {
            // candidates outside the text are then named by id
        }
    }
    const QJsonArray names = QJsonDocument::fromJson(file->metadata().value(QStringLiteral("tokens")).toUtf8()).array();
    for (int64_t i = 0; i < tokens; ++i)
        steps.tokens << (i < names.size() ? names[int(i)].toString() : steps.tokenText(steps.ids[size_t(i)]));
    return steps;
}

QString samplingSettingsJson(const SamplingSettings &settings)
{
    QJsonObject json{{QStringLiteral("greedy"), settings.greedy}};
    if (!settings.greedy) {
        json.insert(QStringLiteral("temperature"), settings.temperature);
        json.insert(QStringLiteral("top_k"), qint64(settings.topK));
        json.insert(QStringLiteral("top_p"), settings.topP);
        json.insert(QStringLiteral("seed"), qint64(settings.seed));
    }
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

SamplingSettings samplingSettingsFromJson(const QString &text)
{
    const QJsonObject json = QJsonDocument::fromJson(text.toUtf8()).object();
    SamplingSettings settings;
    settings.greedy = json.value(QStringLiteral("greedy")).toBool(settings.greedy);
    settings.temperature = json.value(QStringLiteral("temperature")).toDouble(settings.temperature);
    settings.topK = json.value(QStringLiteral("top_k")).toInteger(settings.topK);
    settings.topP = json.value(QStringLiteral("top_p")).toDouble(settings.topP);
    settings.seed = uint64_t(json.value(QStringLiteral("seed")).toInteger(0));
    return settings;
}

QString samplingCaption(const SamplingSettings &settings)
{
    if (settings.greedy)
        return QStringLiteral("greedy");
    QStringList parts{QStringLiteral("τ %1").arg(number(settings.temperature))};
    if (settings.topK > 0)
        parts << QStringLiteral("top-k %1").arg(settings.topK);
    if (settings.topP < 1.0)
        parts << QStringLiteral("top-p %1").arg(number(settings.topP));
    parts << QStringLiteral("seed %1").arg(settings.seed);
    return parts.join(QStringLiteral(" · "));
}

} // namespace attnscope
