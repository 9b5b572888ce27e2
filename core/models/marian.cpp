// Marian (MarianMT, Helsinki-NLP opus-mt): BART's layers with fixed sinusoidal positions
// from 0, no layernorm_embedding, and possibly a decoder vocabulary of its own
// (decoder_vocab_size, share_encoder_decoder_embeddings false).

#include <cmath>

#include <torch/torch.h>

#include "core/models/seq2seq_families.h"

namespace attnscope {

namespace {

// MarianSinusoidalPositionalEmbedding: not interleaved, sin(p·ω_j) in the first ⌈dim/2⌉
// columns and cos(p·ω_j) in the rest, ω_j = 10000^(−2j/dim), computed in float64.
torch::Tensor sinusoidalTable(int64_t positions, int64_t dim)
{
    const auto frequencies = [&](int64_t count) {
        return torch::pow(10000.0, -2.0 * torch::arange(count, torch::kFloat64) / double(dim));
    };
    const torch::Tensor p = torch::arange(positions, torch::kFloat64).unsqueeze(1);
    const torch::Tensor sines = torch::sin(p * frequencies((dim + 1) / 2).unsqueeze(0));
    const torch::Tensor cosines = torch::cos(p * frequencies(dim / 2).unsqueeze(0));
    return torch::cat({sines, cosines}, 1).to(torch::kFloat32);
}

} // namespace

std::unique_ptr<Model> loadMarian(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    BartFlavor flavor;
    flavor.positionOffset = 0;
    flavor.embeddingNorm = false;
    flavor.positions = QStringLiteral("sinusoidal");
    flavor.positionTable = [](const WeightResolver &, const std::string &, int64_t positions, int64_t dim) {
        return sinusoidalTable(positions, dim);
    };
    return loadBartFamily(modelDir, config, source, flavor);
}

} // namespace attnscope
