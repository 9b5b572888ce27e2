#pragma once
// The task heads that sit on top of an encoder, by what they compute rather than by family:
// BERT, RoBERTa and DistilBERT name the same masked-LM and pooled-classifier heads differently.

#include <functional>
#include <string>

#include <QStringList>
#include <torch/types.h>

#include "core/models/common/activation.h"
#include "core/models/common/layer_norm.h"
#include "core/models/common/linear.h"

namespace attnscope {

class ModelConfig;
class WeightResolver;

// Final hidden states [T, hidden] → the model's logits.
using EncoderHead = std::function<torch::Tensor(const torch::Tensor &hidden)>;

// transform → activation → LayerNorm → decoder (tied to the word embeddings unless stored).
struct MaskedLmNames {
    std::string transform, norm, decoder, bias;
};
EncoderHead maskedLmHead(const WeightResolver &weights, const MaskedLmNames &names,
                         const torch::Tensor &wordEmbeddings, double layerNormEps,
                         Activation activation);

// On the first token: out(activation(dense(h[0]))) → [classes]; BERT's pooler + classifier,
// RoBERTa's classification head, DistilBERT's pre_classifier + classifier.
struct PooledClassifierNames {
    std::string dense, out;
};
EncoderHead pooledClassifier(const WeightResolver &weights, const PooledClassifierNames &names,
                             int64_t hidden, int64_t classes, Activation activation);

// One linear layer on every token (token classification, [T, classes]) or on chosen rows.
EncoderHead tokenClassifier(const WeightResolver &weights, const std::string &name,
                            int64_t hidden, int64_t classes);

// The head a family's config asks for (see encoderTask), under that family's names.
struct EncoderHeadSpec {
    MaskedLmNames maskedLm;
    Activation maskedLmActivation;
    double layerNormEps = 1e-12;
    PooledClassifierNames sequenceClassifier;
    Activation sequenceActivation;
    std::string tokenClassifier = "classifier";
};
EncoderHead encoderHead(const WeightResolver &weights, const ModelConfig &config,
                        const EncoderHeadSpec &spec, const torch::Tensor &wordEmbeddings);

// The class names of a classifier config, none for other tasks.
QStringList taskLabels(const ModelConfig &config);

// id2label in class order; "LABEL_i" when the config has only num_labels (default 2).
QStringList classLabels(const ModelConfig &config);

// Which head the config's first architecture asks for ("BertForMaskedLM" → MaskedLm).
enum class EncoderTask { Base, MaskedLm, SequenceClassification, TokenClassification };
EncoderTask encoderTask(const ModelConfig &config);

} // namespace attnscope
