#pragma once
// What the tests of the analyses beyond the weights share: three checkpoints of three
// families (GPT-2 and BERT fixtures, stories260K when present) and the pieces of their
// forward pass written again from the stored weights with plain torch operations, in
// float64: the value vectors each layer mixes, its output projection, the final norm and
// the unembedding. The residual stream comes from a probe the tests write themselves.

#include <memory>
#include <vector>

#include <QString>
#include <torch/torch.h>

#include "core/analysis/analysis.h"
#include "core/io/safetensors_file.h"
#include "core/models/forward_probe.h"
#include "core/models/model.h"

namespace attnscope::test {

enum class Family { Gpt2, Bert, Llama };

struct Checkpoint {
    QString dir;
    Family family = Family::Gpt2;
    std::unique_ptr<Model> model;
    std::unique_ptr<SafetensorsFile> weights;
    torch::Tensor ids; // an input of the checkpoint's vocabulary

    torch::Tensor weight(const std::string &name) const; // float64
    // v [Hkv, T, dv] of layer `layer` from the stream entering it ([T, hidden]).
    torch::Tensor values(int layer, const torch::Tensor &stream) const;
    torch::Tensor outputWeight(int layer) const; // W_O [hidden, H·dv]
    torch::Tensor outputBias(int layer) const;   // b_O, or zeros
    // Decoders: the final norm's weight and bias (zeros for RMSNorm), its eps, and the unembedding [vocab, hidden].
    torch::Tensor finalNormWeight() const;
    torch::Tensor finalNormBias() const;
    double finalNormEps() const;
    torch::Tensor unembedding() const;
};

// The registry's analysis `method` run on the checkpoint's ids with `options` (the rest default).
AnalysisResult runAnalysisOn(const Checkpoint &checkpoint, const QString &method, const std::map<QString, QString> &options = {});

// "gpt2" (tests/data gpt2_lm), "bert" (bert_mlm), "bert-base", "stories" (null when absent).
std::unique_ptr<Checkpoint> openCheckpoint(const QString &name);

// A copy of `dir` whose config keeps only the first `layers` layers.
QString truncatedCopy(const QString &dir, const QString &into, int layers);

// The residual stream of one pass as the model hands it to the probe, in float64.
class ResidualRecorder : public ForwardProbe {
public:
    torch::Tensor residual(int index, const torch::Tensor &stream) override;
    std::vector<torch::Tensor> streams;
};

// Model logits and residual streams (float64) of `ids`.
torch::Tensor recordedRun(const Model &model, const torch::Tensor &ids, ResidualRecorder &recorder);

// α [L, H, T, S] of `ids` (float64).
torch::Tensor attentionOf(const Model &model, const torch::Tensor &ids);

// Largest absolute difference (NaN where both are NaN counts as equal).
double maxDifference(const torch::Tensor &a, const torch::Tensor &b);

// The first line of the InputError `action` throws ("(no error)" when it throws none).
QString inputErrorOf(const std::function<void()> &action);

} // namespace attnscope::test
