#pragma once
// Attention computed elsewhere, read from a .safetensors file so that every view and every
// analysis that needs no model can explore it. The tensor is "attentions" (as `attnscope-cli
// run` writes it), or "attention", or an encoder–decoder file's "encoder_attentions", or the
// file's only tensor, shaped [L, H, T, T], [H, T, T] or [T, T], with or without a batch
// dimension of 1 (also Hugging Face's stacked output_attentions, [L, 1, H, T, T]); F64, F32,
// F16 or BF16. Optional metadata: "tokens", a JSON list of T strings, and "model". A compact
// capture (core/capture/compact_capture.h) gives a record that recomputes any tile exactly,
// its q and k read over the mapped file.

#include <memory>

#include <QStringList>

namespace attnscope {

class AttentionRecord;

struct AttentionFile {
    std::shared_ptr<AttentionRecord> record;
    QStringList warnings; // e.g. rows that do not sum to 1 (shown, not refused)
};

// Throws InputError naming the file: no attention tensor, a wrong rank or a non-square
// matrix, NaN, infinite or negative values, or tokens that do not match T.
AttentionFile loadAttentionFile(const QString &path);

} // namespace attnscope
