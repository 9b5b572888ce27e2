#pragma once
// What a generation wrote, as the generation studio and the generation figure read it: the
// ids and their display strings, where the prompt ends, the logits each step chose from and
// every row of attention as computed at its step. Made from a generate() result, or read from
// the steps file `attnscope-cli generate --out` writes (input_ids, attentions, step_logits and
// the prompt length and sampling in the metadata). Step s wrote the token at position
// promptTokens + s, from the row of the position before it.

#include <memory>
#include <vector>

#include <QString>
#include <QStringList>
#include <torch/types.h>

#include "core/models/sampling.h"

namespace attnscope {

class ModelConfig;
struct Generation;
namespace tokenize { class Tokenizer; }

struct GenerationSteps {
    QString model;                 // the model folder
    std::vector<int64_t> ids;      // prompt followed by the new tokens
    QStringList tokens;            // display text of each id ("␣cat")
    int64_t promptTokens = 0;
    torch::Tensor stepLogits;      // [steps, vocab] float32, before temperature
    torch::Tensor attentions;      // [layers, heads, T, T] float32
    SamplingSettings sampling;     // what the tokens were drawn with
    int branchedAt = -1;           // a step whose token was chosen by hand ("Continue from here"), or -1
    std::shared_ptr<const tokenize::Tokenizer> tokenizer; // names any candidate; may be null

    int steps() const { return int(stepLogits.defined() ? stepLogits.size(0) : 0); }
    int layers() const { return int(attentions.size(0)); }
    int heads() const { return int(attentions.size(1)); }
    int64_t writtenPosition(int step) const { return promptTokens + step; }
    int64_t queryOf(int step) const { return promptTokens + step - 1; } // the row that chose it
    // The display text of a vocabulary id: the tokenizer's, else the text of a position
    // holding it, else "#id".
    QString tokenText(int64_t id) const;
};

GenerationSteps generationSteps(const Generation &generation, std::shared_ptr<const tokenize::Tokenizer> tokenizer,
                                const QString &model, const SamplingSettings &sampling);

// config.json's eos_token_id (one id or a list): where generation stops.
std::vector<int64_t> stopIdsOf(const ModelConfig &config);

// A safetensors file holding "step_logits" (as generate --out writes it).
bool isGenerationFile(const QString &path);
// Throws InputError naming the file: a tensor missing or of the wrong shape, lengths that do
// not agree. The tokenizer of the model folder its metadata names is loaded when it exists.
GenerationSteps loadGenerationFile(const QString &path);

// The sampling settings as the steps file's metadata keeps them ({"greedy":false,
// "temperature":0.8,…}), and back (missing fields keep their defaults).
QString samplingSettingsJson(const SamplingSettings &settings);
SamplingSettings samplingSettingsFromJson(const QString &json);
// "greedy", or "τ 0.8 · top-k 40 · top-p 0.9 · seed 7" (the settings at their defaults left out).
QString samplingCaption(const SamplingSettings &settings);

} // namespace attnscope
