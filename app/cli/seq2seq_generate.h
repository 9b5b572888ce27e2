#pragma once
// `generate` on an encoder–decoder model: the text is the source, the decoder writes from
// decoder_start_token_id (core/models/seq2seq_generation.h) and the CLI prints what it wrote.
// --out writes input_ids (the source), decoder_input_ids (the start token and every step's
// input), generated_ids, encoder_attentions [L,H,S,S], decoder_attentions [L,H,N,N],
// cross_attentions [L,H,N,S] (row n: the step that chose token n + 1) and step_logits [N,V].

#include <QByteArray>
#include <QString>

#include "core/attention/variant.h"
#include "core/models/generation.h"

namespace attnscope {
class Seq2SeqModel;
}

namespace attnscope::cli {

// request: the budget, the sampling and the stop ids (its prompt ids are not used: the
// source is tokenized as run tokenizes it). Returns the exit code.
int generateWithSeq2Seq(const Seq2SeqModel &model, const QString &modelDir, const QByteArray &text,
                        const GenerationRequest &request, const AttentionPlan &plan, const QString &out);

} // namespace attnscope::cli
