#include "seq2seq_test_support.h"

#include <cmath>
#include <limits>
#include <vector>

#include <QJsonArray>
#include <QtTest>

#include "core/capture/attention_record.h"
#include "core/models/seq2seq_model.h"
#include "decoder_test_support.h"

namespace attnscope::test {

QJsonObject t5Config(const T5Layout &v)
{
    return QJsonObject{
        {"model_type", "t5"}, {"architectures", QJsonArray{"T5ForConditionalGeneration"}},
        {"vocab_size", qint64(v.vocab)}, {"d_model", qint64(v.model)}, {"d_kv", qint64(v.kv)}, {"d_ff", qint64(v.ff)}, {"num_heads", qint64(v.heads)},
        {"num_layers", qint64(v.encoderLayers)}, {"num_decoder_layers", qint64(v.decoderLayers)},
        {"relative_attention_num_buckets", qint64(v.buckets)}, {"relative_attention_max_distance", qint64(v.maxDistance)},
        {"layer_norm_epsilon", 1e-6}, {"feed_forward_proj", v.gated ? "gated-gelu" : "relu"},
        {"tie_word_embeddings", !v.gated}, {"is_encoder_decoder", true},
        {"decoder_start_token_id", 0}, {"pad_token_id", 0}, {"eos_token_id", 1},
    };
}

void addT5Weights(TinyCheckpoint &w, const T5Layout &v)
{
    const auto addAttention = [&](const std::string &at) {
        for (const char *name : {"q", "k", "v"})
            w.add(at + name + ".weight", {v.heads * v.kv, v.model}, 0.4);
        w.add(at + "o.weight", {v.model, v.heads * v.kv}, 0.3);
    };
    const torch::Tensor shared = w.add("shared.weight", {v.vocab, v.model}, 1.0);
    w.addStored("encoder.embed_tokens.weight", shared.clone());
    w.addStored("decoder.embed_tokens.weight", shared.clone());
    for (const bool decoder : {false, true}) {
        const std::string stack = decoder ? "decoder." : "encoder.";
        for (int64_t i = 0; i < (decoder ? v.decoderLayers : v.encoderLayers); ++i) {
            const std::string at = stack + "block." + std::to_string(i) + ".layer.";
            addAttention(at + "0.SelfAttention.");
            w.add(at + "0.layer_norm.weight", {v.model}, 0.1, true);
            if (i == 0)
                w.add(at + "0.SelfAttention.relative_attention_bias.weight", {v.buckets, v.heads}, 1.0);
            if (decoder) {
                addAttention(at + "1.EncDecAttention.");
                w.add(at + "1.layer_norm.weight", {v.model}, 0.1, true);
                if (i == 0) // what real checkpoints carry and T5 never reads
                    w.add(at + "1.EncDecAttention.relative_attention_bias.weight", {v.buckets, v.heads}, 5.0);
            }
            const std::string ffn = at + (decoder ? "2." : "1.");
            for (const char *in : v.gated ? std::vector<const char *>{"wi_0", "wi_1"} : std::vector<const char *>{"wi"})
                w.add(ffn + "DenseReluDense." + in + ".weight", {v.ff, v.model}, 0.4);
            w.add(ffn + "DenseReluDense.wo.weight", {v.model, v.ff}, 0.3);
            w.add(ffn + "layer_norm.weight", {v.model}, 0.1, true);
        }
        w.add(stack + "final_layer_norm.weight", {v.model}, 0.1, true);
    }
    if (v.gated)
        w.add("lm_head.weight", {v.vocab, v.model}, 0.5);
}

QJsonObject bartConfig(const BartLayout &v)
{
    return QJsonObject{
        {"model_type", v.marian ? "marian" : "bart"},
        {"architectures", QJsonArray{v.marian ? "MarianMTModel" : "BartForConditionalGeneration"}},
        {"vocab_size", qint64(v.vocab)}, {"d_model", qint64(v.model)}, {"max_position_embeddings", qint64(v.positions)},
        {"encoder_layers", qint64(v.encoderLayers)}, {"decoder_layers", qint64(v.decoderLayers)},
        {"encoder_attention_heads", qint64(v.encoderHeads)}, {"decoder_attention_heads", qint64(v.decoderHeads)},
        {"encoder_ffn_dim", qint64(v.encoderFfn)}, {"decoder_ffn_dim", qint64(v.decoderFfn)},
        {"activation_function", v.marian ? "swish" : "gelu"}, {"scale_embedding", v.scaleEmbedding},
        {"decoder_start_token_id", qint64(v.decoderStart())}, {"pad_token_id", qint64(v.marian ? v.vocab - 1 : 1)},
        {"eos_token_id", v.marian ? 0 : 2}, {"is_encoder_decoder", true},
    };
}

torch::Tensor marianSinusoids(int64_t positions, int64_t dim)
{
    torch::Tensor table = torch::zeros({positions, dim});
    const int64_t sentinel = (dim + 1) / 2;
    for (int64_t p = 0; p < positions; ++p)
        for (int64_t j = 0; j < dim; ++j) {
            const double angle = double(p) / std::pow(10000.0, 2.0 * double(j / 2) / double(dim));
            // Even columns feed the sines (first half), odd ones the cosines (second half).
            if (j % 2 == 0)
                table[p][j / 2] = std::sin(angle);
            else
                table[p][sentinel + j / 2] = std::cos(angle);
        }
    return table;
}

void addBartWeights(TinyCheckpoint &w, const BartLayout &v)
{
    const auto addLinear = [&](const std::string &name, int64_t out, int64_t in) {
        w.add(name + ".weight", {out, in}, 0.4);
        w.add(name + ".bias", {out}, 0.1);
    };
    const auto addNorm = [&](const std::string &name) {
        w.add(name + ".weight", {v.model}, 0.1, true);
        w.add(name + ".bias", {v.model}, 0.1);
    };
    const torch::Tensor shared = w.add("model.shared.weight", {v.vocab, v.model}, 1.0);
    for (const bool decoder : {false, true}) {
        const std::string stack = decoder ? "model.decoder." : "model.encoder.";
        w.addStored(stack + "embed_tokens.weight", shared.clone());
        if (v.marian) {
            w.addStored(stack + "embed_positions.weight", marianSinusoids(v.positions, v.model));
        } else {
            w.add(stack + "embed_positions.weight", {v.positions + 2, v.model}, 0.5);
            addNorm(stack + "layernorm_embedding");
        }
        for (int64_t i = 0; i < (decoder ? v.decoderLayers : v.encoderLayers); ++i) {
            const std::string at = stack + "layers." + std::to_string(i) + ".";
            for (const std::string &block : decoder ? std::vector<std::string>{"self_attn", "encoder_attn"}
                                                    : std::vector<std::string>{"self_attn"}) {
                for (const char *name : {"q_proj", "k_proj", "v_proj", "out_proj"})
                    addLinear(at + block + "." + name, v.model, v.model);
                addNorm(at + block + "_layer_norm");
            }
            const int64_t ffn = decoder ? v.decoderFfn : v.encoderFfn;
            addLinear(at + "fc1", ffn, v.model);
            addLinear(at + "fc2", v.model, ffn);
            addNorm(at + "final_layer_norm");
        }
    }
    w.add("final_logits_bias", {1, v.vocab}, 0.5);
    w.addStored("lm_head.weight", shared.clone());
}

LoopAttention loopAttention(const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v, double scale,
                            bool causal, const torch::Tensor &bias)
{
    const int64_t heads = q.size(0), queries = q.size(1), keys = k.size(1), dim = q.size(2), valueDim = v.size(2);
    const torch::Tensor qd = q.to(torch::kDouble).contiguous(), kd = k.to(torch::kDouble).contiguous(),
                        vd = v.to(torch::kDouble).contiguous();
    const torch::Tensor bd = bias.defined() ? bias.to(torch::kDouble).contiguous() : torch::zeros({heads, queries, keys}, torch::kDouble);
    auto qa = qd.accessor<double, 3>(), ka = kd.accessor<double, 3>(), va = vd.accessor<double, 3>();
    auto ba = bd.accessor<double, 3>();
    torch::Tensor probabilities = torch::zeros({heads, queries, keys}, torch::kDouble);
    torch::Tensor output = torch::zeros({queries, heads * valueDim}, torch::kDouble);
    auto pa = probabilities.accessor<double, 3>();
    auto oa = output.accessor<double, 2>();
    for (int64_t h = 0; h < heads; ++h) {
        for (int64_t i = 0; i < queries; ++i) {
            std::vector<double> scores(size_t(keys), -std::numeric_limits<double>::infinity());
            double highest = -std::numeric_limits<double>::infinity();
            for (int64_t j = 0; j < keys; ++j) {
                if (causal && j > i)
                    continue;
                double dot = 0;
                for (int64_t c = 0; c < dim; ++c)
                    dot += qa[h][i][c] * ka[h][j][c];
                scores[size_t(j)] = dot * scale + ba[h][i][j];
                highest = std::max(highest, scores[size_t(j)]);
            }
            double sum = 0;
            for (int64_t j = 0; j < keys; ++j)
                sum += std::exp(scores[size_t(j)] - highest);
            for (int64_t j = 0; j < keys; ++j) {
                pa[h][i][j] = std::exp(scores[size_t(j)] - highest) / sum;
                for (int64_t c = 0; c < valueDim; ++c)
                    oa[i][h * valueDim + c] += pa[h][i][j] * va[h][j][c];
            }
        }
    }
    return {probabilities.to(torch::kFloat), output.to(torch::kFloat)};
}

Seq2SeqEngineRun runSeq2SeqEngine(const QString &modelDir, const torch::Tensor &sourceIds,
                                  const torch::Tensor &decoderIds)
{
    const auto model = loadSeq2SeqModel(modelDir);
    Seq2SeqInput input;
    input.inputIds = sourceIds;
    input.decoderInputIds = decoderIds;
    const auto layersOf = [](const AttentionRecord &record) {
        std::vector<torch::Tensor> layers;
        for (int layer = 0; layer < record.layers(); ++layer)
            layers.push_back(record.layer(layer));
        return torch::stack(layers);
    };
    Seq2SeqEngineRun run;
    const auto runWith = [&](int64_t budget, Seq2SeqExpected &result) {
        AttentionRecord encoder(budget), decoder(budget), cross(budget);
        result.logits = model->forward(input, {}, {&encoder, &decoder, &cross});
        result.encoder = layersOf(encoder);
        result.decoder = layersOf(decoder);
        result.cross = layersOf(cross);
    };
    runWith(AttentionRecord::kDefaultDenseBudgetBytes, run.dense);
    runWith(0, run.compact);
    return run;
}

QString seq2seqMismatch(const Seq2SeqEngineRun &run, const Seq2SeqExpected &expected)
{
    const std::vector<std::pair<const char *, std::pair<torch::Tensor, torch::Tensor>>> attentions = {
        {"encoder", {run.dense.encoder, expected.encoder}}, {"decoder", {run.dense.decoder, expected.decoder}},
        {"cross", {run.dense.cross, expected.cross}}, {"compact encoder", {run.compact.encoder, expected.encoder}},
        {"compact decoder", {run.compact.decoder, expected.decoder}}, {"compact cross", {run.compact.cross, expected.cross}}};
    QStringList report;
    QString mismatch;
    for (const auto &[name, pair] : attentions) {
        const double difference = maxDifference(pair.first, pair.second);
        report << QStringLiteral("%1 %2").arg(QLatin1String(name)).arg(difference, 0, 'g', 2);
        if (!(difference < 1e-5) && mismatch.isEmpty())
            mismatch = QStringLiteral("%1 attention differs by %2").arg(QLatin1String(name)).arg(difference);
    }
    const double logits = maxDifference(run.dense.logits, expected.logits);
    report << QStringLiteral("logits %1 (largest %2)").arg(logits, 0, 'g', 2).arg(expected.logits.abs().max().item<double>(), 0, 'g', 3);
    if (!(logits < 1e-4) && mismatch.isEmpty())
        mismatch = QStringLiteral("logits differ by %1").arg(logits);
    qInfo("max differences: %s", qPrintable(report.join(QStringLiteral(", "))));
    return mismatch;
}

} // namespace attnscope::test
