#pragma once
// `run` on an encoder–decoder model (t5, bart, marian): the source through the encoder, the
// target (tokenized as Hugging Face's text_target, EOS included) shifted right after
// decoder_start_token_id through the decoder; writes Hugging Face's names: input_ids,
// decoder_input_ids, labels, encoder_attentions [L,H,S,S], decoder_attentions [L,H,T,T],
// cross_attentions [L,H,T,S] and logits [T,V]. Without a target the decoder reads the start
// token alone (T = 1: the first prediction and its cross-attention). Variants may name their
// stack (@stack=encoder|decoder|cross, core/models/seq2seq_plans.h).

#include <optional>
#include <vector>

#include <QByteArray>
#include <QString>

#include <QStringList>

#include "core/models/seq2seq_model.h"

namespace attnscope::tokenize {
class Tokenizer;
}

namespace attnscope::cli {

struct Seq2SeqRun {
    QString modelDir;
    QByteArray source;
    std::optional<QByteArray> target;
    Seq2SeqPlans plans;
    QStringList variantSpecs; // as given, @stack=… included
    QString out;
};

// A source or target text as Hugging Face's tokenizer gives it (EOS included; for a
// MarianTokenizer folder, whose tokenizer.json adds none, </s> is appended as its Python
// tokenizer does).
std::vector<int64_t> seq2seqTextIds(const tokenize::Tokenizer &tokenizer, const QString &modelDir, const QByteArray &text);
QStringList tokenTexts(const tokenize::Tokenizer &tokenizer, const torch::Tensor &ids); // display texts

// What the target options' help says.
QString targetOptionHelp();

// Writes `run.out`; returns {tokenize_ms, forward_ms}.
std::pair<qint64, qint64> runSeq2Seq(const Seq2SeqModel &model, const Seq2SeqRun &run);

} // namespace attnscope::cli
