#include "core/models/config_checks.h"

#include <cmath>
#include <initializer_list>

#include "core/io/model_config.h"

namespace attnscope {

namespace {

struct IntegerRange {
    std::initializer_list<const char *> keys; // the names families give the same quantity
    qint64 lowest, highest;
};

// Far above every published model, far below sizes that would only exhaust memory.
const IntegerRange kIntegerRanges[] = {
    {{"hidden_size", "n_embd", "dim", "d_model"}, 1, qint64(1) << 17},
    {{"num_attention_heads", "n_head", "n_heads", "num_key_value_heads", "encoder_attention_heads",
      "decoder_attention_heads"}, 1, 4096},
    {{"num_hidden_layers", "n_layer", "n_layers", "encoder_layers", "decoder_layers"}, 1, 4096},
    {{"intermediate_size", "n_inner", "hidden_dim", "encoder_ffn_dim", "decoder_ffn_dim"}, 1, qint64(1) << 20},
    {{"head_dim"}, 1, 65536},
    {{"vocab_size"}, 1, qint64(1) << 24},
    {{"max_position_embeddings", "n_positions", "n_ctx"}, 1, qint64(1) << 26},
    {{"image_size"}, 1, 4096},
    {{"patch_size"}, 1, 4096},
    {{"num_channels"}, 1, 16},
};

// Norm epsilons and RoPE bases: a zero or negative value makes every activation NaN.
const char *const kPositiveNumbers[] = {"rms_norm_eps", "layer_norm_eps", "layer_norm_epsilon", "norm_eps",
                                        "rope_theta", "rotary_emb_base", "rope_local_base_freq"};
// Fractions of the head that rotate.
const char *const kFractions[] = {"partial_rotary_factor", "rotary_pct"};

// The first of the keys present (set and not null), or 0.
qint64 firstInteger(const ModelConfig &config, std::initializer_list<const char *> keys, QString *name)
{
    for (const char *key : keys) {
        const QString field = QLatin1String(key);
        if (config.integer(field, 0) != 0) {
            *name = field;
            return config.integer(field);
        }
    }
    return 0;
}

} // namespace

void checkConfigRanges(const ModelConfig &config)
{
    for (const IntegerRange &range : kIntegerRanges)
        for (const char *key : range.keys) {
            const QString field = QLatin1String(key);
            if (!config.has(field) || config.json().value(field).isNull())
                continue;
            const qint64 value = config.integer(field);
            if (value < range.lowest || value > range.highest)
                config.fail(QStringLiteral("field '%1' is %2; expected %3 … %4")
                                .arg(field).arg(value).arg(range.lowest).arg(range.highest));
        }
    for (const char *key : kPositiveNumbers) {
        const QString field = QLatin1String(key);
        const double value = config.number(field, 1.0);
        if (!(value > 0) || !std::isfinite(value))
            config.fail(QStringLiteral("field '%1' is %2; it must be a positive number").arg(field).arg(value));
    }
    for (const char *key : kFractions) {
        const QString field = QLatin1String(key);
        const double value = config.number(field, 1.0);
        if (!(value > 0 && value <= 1))
            config.fail(QStringLiteral("field '%1' is %2; expected a fraction in (0, 1]").arg(field).arg(value));
    }

    QString hiddenName, headsName, kvName;
    const qint64 hidden = firstInteger(config, {"hidden_size", "n_embd", "dim", "d_model"}, &hiddenName);
    const qint64 heads = firstInteger(config, {"num_attention_heads", "n_head", "n_heads"}, &headsName);
    const qint64 kvHeads = firstInteger(config, {"num_key_value_heads"}, &kvName);
    const bool ownHeadDim = config.integer(QStringLiteral("head_dim"), 0) > 0;
    if (hidden > 0 && heads > 0 && !ownHeadDim && hidden % heads != 0)
        config.fail(QStringLiteral("field '%1' (%2) is not divisible by '%3' (%4), and no 'head_dim' says otherwise")
                        .arg(hiddenName).arg(hidden).arg(headsName).arg(heads));
    if (heads > 0 && kvHeads > 0 && heads % kvHeads != 0)
        config.fail(QStringLiteral("field '%1' (%2) is not a multiple of '%3' (%4)")
                        .arg(headsName).arg(heads).arg(kvName).arg(kvHeads));
}

} // namespace attnscope
