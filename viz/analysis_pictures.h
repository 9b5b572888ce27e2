#pragma once
// Which picture the Analyses tab draws for each tensor of an analysis result, decided from the
// tensor's name and shape against the analysed record (L layers, H heads, T tokens):
//   [L, H]                 per-head score: a layers × heads table and its mean per layer
//   "head_logit" [L, H, T] the same at one position (direct logit attribution)
//   "top_ids" [L+1, T, k]  the logit lens' grid: each layer's top token per position
//   "mds" [L·H, 2]         the heads' map, a scatter coloured by layer
//   "pruning_curve" [n, 3] loss and agreement against the number of heads masked
//   1-D                    bars, one per token (or per entry)
//   2-D, 3-D, 4-D          a matrix map of one [rows, cols] slice, with bars for its selected row
// Index tensors (word_of_token, input_ids, target_ids …) hold positions or token ids, not
// values, and get no picture.
// No widgets here: the Analyses tab and the analysis figure (viz/figure/analysis_figure.cpp)
// share these rules.

#include <string>
#include <vector>

#include <QString>
#include <QStringList>
#include <torch/types.h>

class QJsonObject;

namespace attnscope {

struct AnalysisResult;

enum class PictureKind { None, HeadScores, HeadMap, PruningCurve, Bars, Matrix, TokenGrid };

struct RecordShape {
    int64_t layers = 0;
    int64_t heads = 0;
    int64_t tokens = 0;
};

PictureKind pictureKind(const std::string &name, const torch::Tensor &tensor, const RecordShape &shape);

// The result's tensors that have a picture, the one shown first leading: what the method is
// named after (rollout, flow …), else the most telling (mean entropy for head-stats, never
// the CLS row alone, which says nothing on a decoder), else the first.
QStringList drawableTensors(const QString &method, const AnalysisResult &result, const RecordShape &shape);

// What a tensor's values are, with their unit, for axis titles ("mean row entropy (bits)").
QString valueLabel(const QString &method, const QString &tensor);

// Labels of `size` entries along a dimension: the words of a word aggregation, the tokens when
// size is T, the residual stream ("embedding", "after L0" …) when it is L + 1, heads ("L2 H4")
// when it is L·H, else the indices.
QStringList entryLabels(int64_t size, const AnalysisResult &result, const QStringList &tokens, const RecordShape &shape);

// A Matrix picture's [rows, cols] float64 slice: a 2-D tensor itself; [K, R, C] at `first`;
// [L, H, R, C] at layer `first` and head `second`, or the mean of the heads when second < 0.
torch::Tensor matrixSlice(const torch::Tensor &tensor, int64_t first, int64_t second);

// The layer a slice index of a 3-D or 4-D tensor stands for: rollout_by_layer starts at the
// rollout's first layer, so its K steps end at layer L − 1.
int64_t sliceLayerOffset(const torch::Tensor &tensor, const RecordShape &shape);

// The logit lens' grid: per stream (the embedding, then after each layer) and position the
// top token's text (the summary's top_token_texts, else its id) and probability.
struct TokenGrid {
    std::vector<QStringList> texts;
    std::vector<std::vector<double>> probabilities;
    QStringList rowLabels;
};
TokenGrid logitLensGrid(const AnalysisResult &result);
// One cell's top tokens, most probable first: their texts and probabilities.
TokenGrid logitLensCell(const AnalysisResult &result, int row, int column);

// A tensor's values as float64, flat (row-major), and a 2-D one by rows ([layer][head]).
std::vector<double> toVector(const torch::Tensor &values);
std::vector<std::vector<double>> toHeadValues(const torch::Tensor &values);

// The summary as "name: value" lines (numbers to 4 significant digits, objects inline).
QString summaryText(const QJsonObject &summary);

} // namespace attnscope
