#pragma once
// A loaded transformer, any family. One file per family in core/models/ turns config.json
// fields and weight names into a forward pass that sends every attention layer through
// attend() (core/attention/kernel.h). loadModel() picks the family from "model_type".

#include <memory>
#include <vector>

#include <QString>
#include <QStringList>
#include <torch/types.h>

#include "core/attention/variant.h"

namespace attnscope {

class AttentionRecorder;
class ForwardProbe;
class ModelConfig;
class WeightSource;
struct Readout;

struct ModelInfo {
    QString modelType;     // config "model_type", e.g. "llama"
    QString architecture;  // e.g. "LlamaForCausalLM"
    QString directory;
    int layers = 0;
    int heads = 0;
    int kvHeads = 0;
    int headDim = 0;
    int hidden = 0;
    int vocabSize = 0;     // 0 for vision models
    int maxPositions = 0;
    bool causal = false;   // decoder (GPT-2, LLaMA)
    bool vision = false;   // ViT / DeiT: input is pixel values
    int leadingTokens = 0; // vision: tokens before the patches (CLS, DeiT's distillation token, DINOv2's registers)
    QStringList leadingTokenNames; // vision: their labels, e.g. "[CLS]", "[REG1]" (empty: CLS and DIST)
    int patchSize = 0;     // vision: pixels per patch side
    QStringList labels;    // id2label for classifiers, in class order
    int64_t parameters = 0;
    std::vector<int64_t> slidingWindows; // per layer, 0 = sees every key (empty: no layer slides)
};

struct ModelInput {
    torch::Tensor inputIds;     // [T] int64 (text models)
    torch::Tensor tokenTypeIds; // [T] int64, optional (BERT sentence pairs)
    torch::Tensor attentionMask;// [T], optional: 0 = padding, hidden from every query
    torch::Tensor pixelValues;  // [3, H, W] float, preprocessed (vision models)
    torch::Tensor headGates;    // [L, H] float, optional: multiplies each head's output
                                // (head importance differentiates through it)
    ForwardProbe *probe = nullptr; // optional: reads and patches the residual stream and the heads
                                   // (core/models/forward_probe.h)
    bool differentiable = false; // keep autograd on: training (gradients reach the weights), relevance
};

class Model {
public:
    virtual ~Model() = default;
    virtual const ModelInfo &info() const = 0;
    // Logits: [T, vocab] for LM heads, [classes] for classifiers, [T, hidden] for base models.
    virtual torch::Tensor forward(const ModelInput &input, const AttentionPlan &plan,
                                  AttentionRecorder *recorder) const = 0;

    // Residual-stream rows [T, hidden], as a ForwardProbe sees them, through what follows the
    // last layer: logits [T, vocab] (the logit lens). Throws InputError without an LM head.
    virtual torch::Tensor unembed(const torch::Tensor &hidden) const;
    // A decoder's final norm and LM head, which direct logit attribution linearizes
    // (core/models/readout.h). Throws InputError for the other models.
    virtual Readout readout() const;
};

// Throws InputError naming the folder/file and the problem (unknown model_type lists the
// supported ones).
std::unique_ptr<Model> loadModel(const QString &modelDir);
// The same from a config and weights already in hand: the demo trainer passes its own
// parameter tensors, which the model then uses as they are, so gradients reach them.
std::unique_ptr<Model> buildModel(const QString &modelDir, const ModelConfig &config,
                                  const WeightSource &weights);
QStringList supportedModelTypes();
bool isVisionModelType(const QString &modelType); // takes images (ViT, DeiT)

} // namespace attnscope
