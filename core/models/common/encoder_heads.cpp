#include "core/models/common/encoder_heads.h"

#include <QJsonObject>

#include "core/io/model_config.h"
#include "core/models/common/weight_resolver.h"

namespace attnscope {

EncoderHead maskedLmHead(const WeightResolver &weights, const MaskedLmNames &names,
                         const torch::Tensor &wordEmbeddings, double layerNormEps,
                         Activation activation)
{
    const int64_t vocab = wordEmbeddings.size(0);
    const int64_t hidden = wordEmbeddings.size(1);
    const Linear transform = weights.linear(names.transform, hidden, hidden);
    const LayerNorm norm = weights.layerNorm(names.norm, hidden, layerNormEps);
    // Checkpoints saved as safetensors drop the decoder weight that is tied to the embeddings.
    const std::string decoderWeight = names.decoder + ".weight";
    const bool tied = !weights.contains(decoderWeight)
        && weights.config().boolean(QStringLiteral("tie_word_embeddings"), true);
    Linear decoder;
    decoder.weight = tied ? wordEmbeddings : weights.stored(decoderWeight, {vocab, hidden});
    decoder.bias = weights.contains(names.bias) ? weights.tensor(names.bias, {vocab})
                                                : weights.tensor(names.decoder + ".bias", {vocab});
    return [=](const torch::Tensor &x) { return decoder(norm(activation(transform(x)))); };
}

EncoderHead pooledClassifier(const WeightResolver &weights, const PooledClassifierNames &names,
                             int64_t hidden, int64_t classes, Activation activation)
{
    const Linear dense = weights.linear(names.dense, hidden, hidden);
    const Linear out = weights.linear(names.out, classes, hidden);
    return [=](const torch::Tensor &x) { return out(activation(dense(x[0]))); };
}

EncoderHead tokenClassifier(const WeightResolver &weights, const std::string &name,
                            int64_t hidden, int64_t classes)
{
    const Linear classifier = weights.linear(name, classes, hidden);
    return [=](const torch::Tensor &x) { return classifier(x); };
}

EncoderHead encoderHead(const WeightResolver &weights, const ModelConfig &config,
                        const EncoderHeadSpec &spec, const torch::Tensor &wordEmbeddings)
{
    const int64_t hidden = wordEmbeddings.size(1);
    switch (encoderTask(config)) {
    case EncoderTask::MaskedLm:
        return maskedLmHead(weights, spec.maskedLm, wordEmbeddings, spec.layerNormEps, spec.maskedLmActivation);
    case EncoderTask::SequenceClassification:
        return pooledClassifier(weights, spec.sequenceClassifier, hidden, classLabels(config).size(),
                                spec.sequenceActivation);
    case EncoderTask::TokenClassification:
        return tokenClassifier(weights, spec.tokenClassifier, hidden, classLabels(config).size());
    case EncoderTask::Base:
        break;
    }
    return [](const torch::Tensor &x) { return x; };
}

QStringList taskLabels(const ModelConfig &config)
{
    const EncoderTask task = encoderTask(config);
    if (task == EncoderTask::SequenceClassification || task == EncoderTask::TokenClassification)
        return classLabels(config);
    return {};
}

QStringList classLabels(const ModelConfig &config)
{
    const QJsonObject id2label = config.object(QStringLiteral("id2label"));
    QStringList labels;
    if (id2label.isEmpty()) {
        const qint64 count = config.integer(QStringLiteral("num_labels"), 2);
        for (qint64 i = 0; i < count; ++i)
            labels << QStringLiteral("LABEL_%1").arg(i);
        return labels;
    }
    for (int i = 0; i < id2label.size(); ++i) {
        const QJsonValue label = id2label.value(QString::number(i));
        if (!label.isString())
            config.fail(QStringLiteral("field 'id2label' has no label for class %1 of %2")
                            .arg(i).arg(id2label.size()));
        labels << label.toString();
    }
    return labels;
}

EncoderTask encoderTask(const ModelConfig &config)
{
    const QStringList architectures = config.architectures();
    const QString architecture = architectures.isEmpty() ? QString() : architectures.first();
    if (architecture.endsWith(QLatin1String("ForMaskedLM"))
        || architecture.endsWith(QLatin1String("ForPreTraining")))
        return EncoderTask::MaskedLm;
    // An image classifier is a sequence classifier over patches (ViT, DeiT with teacher).
    if (architecture.endsWith(QLatin1String("ForSequenceClassification"))
        || architecture.contains(QLatin1String("ForImageClassification")))
        return EncoderTask::SequenceClassification;
    if (architecture.endsWith(QLatin1String("ForTokenClassification")))
        return EncoderTask::TokenClassification;
    // Base models and heads we do not run (question answering, multiple choice): the
    // attention is the encoder's either way; the output is the last hidden state.
    return EncoderTask::Base;
}

} // namespace attnscope
