#pragma once
// The compact capture: what `attnscope-cli run` writes when a long input's probabilities
// (layers × heads × T × S floats) exceed the memory budget. Per layer it keeps q [H, T, d],
// k [Hkv, S, d], the reference rows' normalizers (max, sum of exp) [H, T] and the optional
// key mask, as tensors "layers.N.q", "layers.N.k", "layers.N.row_max", "layers.N.row_sum",
// "layers.N.key_mask"; metadata "capture" = "compact" and "layer_settings", a JSON list of
// {"scale", "soft_cap", "causal", "sliding_window"} per layer. Every tile, row or head is
// recomputed from it exactly as the forward pass computed it (AttentionRecord::tile).

#include <memory>
#include <vector>

#include <QMap>
#include <QString>

#include "core/io/safetensors_writer.h"

namespace attnscope {

class AttentionRecord;
class SafetensorsFile;

// Appends the compact form of a compact record (!isDense()) to `tensors` and `metadata`.
void appendCompactCapture(const AttentionRecord &record, NamedTensors &tensors, QMap<QString, QString> &metadata);

bool isCompactCapture(const SafetensorsFile &file);

// The record a compact capture file holds (its variants from the "variants" metadata).
// Throws InputError naming the file when a layer is missing or its shapes disagree.
std::shared_ptr<AttentionRecord> readCompactCapture(const SafetensorsFile &file);

// Probabilities [layers, heads, T, S] of the chosen layers and heads (all when empty).
torch::Tensor denseProbabilities(const AttentionRecord &record, const std::vector<int> &layers,
                                 const std::vector<int> &heads);

} // namespace attnscope
